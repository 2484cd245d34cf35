//! Faults a real server does not produce on demand, through the real binary against
//! wiremock: 429 with Retry-After, a 500 then success, a garbage body, bulk refusals and
//! per-item bulk failures.

use crate::cmd_support;

use serde_json::json;
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

struct Fake {
    rt: tokio::runtime::Runtime,
    server: MockServer,
    dir: tempfile::TempDir,
}

const BOX: &str = "/nms/v1/cpm/tel%3A%2B15550001111";

impl Fake {
    fn new() -> Fake {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let server = rt.block_on(MockServer::start());
        let dir = tempfile::tempdir().unwrap();
        for sub in ["config", "data", "cache", "home", "work"] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        }
        Fake { rt, server, dir }
    }

    fn base(&self) -> String {
        format!("{}{BOX}", self.server.uri())
    }

    fn mount(&self, m: Mock) {
        self.rt.block_on(m.mount(&self.server));
    }

    fn run(&self, args: &[&str]) -> (i32, String, String) {
        let out = cmd_support::cmd_for(&self.base(), "demo", "pw", self.dir.path()).args(args).output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    fn requests(&self, suffix: &str) -> usize {
        let all = self.rt.block_on(self.server.received_requests()).unwrap_or_default();
        all.iter().filter(|r| r.url.path().ends_with(suffix)).count()
    }

    fn object(&self, id: &str) -> serde_json::Value {
        json!({
            "resourceURL": format!("{}/objects/{id}", self.base()),
            "parentFolder": format!("{}/folders/f1", self.base()),
            "attributes": {"attribute": [
                {"name": "Date", "value": ["2024-05-01T10:00:00Z"]},
                {"name": "Message-Context", "value": ["pager-message"]},
                {"name": "TextContent", "value": ["hi"]}]},
            "flags": {"flag": []},
        })
    }
}

fn path(suffix: &str) -> wiremock::matchers::PathRegexMatcher {
    path_regex(format!("{}$", regex_escape(suffix)))
}

fn regex_escape(s: &str) -> String {
    s.chars().map(|c| if "./?*+()[]{}|^$\\".contains(c) { format!("\\{c}") } else { c.to_string() }).collect()
}

#[test]
fn search_waits_out_a_429_with_retry_after() {
    let f = Fake::new();
    f.mount(
        Mock::given(method("POST"))
            .and(path("/objects/operations/search"))
            .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
            .up_to_n_times(1)
            .with_priority(1),
    );
    let list = json!({"objectList": {"object": [f.object("a1"), f.object("a2")]}});
    f.mount(
        Mock::given(method("POST"))
            .and(path("/objects/operations/search"))
            .respond_with(ResponseTemplate::new(200).set_body_json(list))
            .with_priority(2),
    );
    let (code, out, err) = f.run(&["-o", "plain", "search", "--context", "sms"]);
    assert_eq!(code, 0, "{err}");
    let ids: Vec<&str> = out.lines().map(|l| l.split('\t').next().unwrap()).collect();
    assert_eq!(ids, ["a1", "a2"]);
    assert_eq!(f.requests("/objects/operations/search"), 2);
}

#[test]
fn get_retries_a_500_then_succeeds() {
    let f = Fake::new();
    f.mount(
        Mock::given(method("GET"))
            .and(path("/objects/a1"))
            .respond_with(ResponseTemplate::new(500).set_body_string("boom"))
            .up_to_n_times(1)
            .with_priority(1),
    );
    f.mount(
        Mock::given(method("GET"))
            .and(path("/objects/a1"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"object": f.object("a1")})))
            .with_priority(2),
    );
    let (code, out, err) = f.run(&["get", "a1"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("text\thi"), "{out}");
    assert_eq!(f.requests("/objects/a1"), 2);
}

#[test]
fn retries_exhausted_exit_5() {
    let f = Fake::new();
    f.mount(Mock::given(method("GET")).and(path("/objects/a1")).respond_with(ResponseTemplate::new(503)));
    let (code, _, err) = f.run(&["--retries", "1", "get", "a1"]);
    assert_eq!(code, 5, "{err}");
    assert_eq!(f.requests("/objects/a1"), 2);
}

#[test]
fn garbage_body_is_a_clear_failure() {
    let f = Fake::new();
    f.mount(Mock::given(method("GET")).and(path("/objects/a1")).respond_with(
        ResponseTemplate::new(200).insert_header("content-type", "application/json").set_body_string("{not json<<"),
    ));
    let (code, out, err) = f.run(&["get", "a1"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(out, "");
    assert!(err.starts_with("error: "), "{err}");
    assert!(err.contains("decode"), "{err}");
}

#[test]
fn put_falls_back_to_single_posts_when_bulk_is_refused() {
    let f = Fake::new();
    f.mount(
        Mock::given(method("POST"))
            .and(path("/objects/operations/bulkCreation"))
            .respond_with(ResponseTemplate::new(503)),
    );
    let reference = json!({"reference": {"resourceURL": format!("{}/objects/new1", f.base())}});
    f.mount(
        Mock::given(method("POST"))
            .and(path("/objects"))
            .respond_with(ResponseTemplate::new(201).set_body_json(reference)),
    );
    let dir = f.dir.path().join("work").join("in");
    std::fs::create_dir(&dir).unwrap();
    for i in 0..3 {
        std::fs::write(dir.join(format!("{i}.txt")), "x").unwrap();
    }
    let (code, out, err) = f.run(&["put", dir.to_str().unwrap(), "--context", "sms"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 3);
    assert!(err.contains("one by one"), "{err}");
    assert_eq!(f.requests("/objects/operations/bulkCreation"), 1);
    assert_eq!(f.requests("/objects"), 3);
}

#[test]
fn bulk_item_failures_are_reported_and_exit_6() {
    let f = Fake::new();
    let answer = json!({"bulkResponseList": {"response": [
        {"code": 200, "reason": "OK", "success": {"resourceURL": format!("{}/objects/a1", f.base())}},
        {"code": "404", "reason": "Not Found", "failure": {"serviceException":
            {"messageId": "SVC9404", "text": "No such object %1", "variables": ["a2"]}}}]}});
    f.mount(
        Mock::given(method("DELETE"))
            .and(path("/objects/operations/bulkDelete"))
            .respond_with(ResponseTemplate::new(200).set_body_json(answer.clone())),
    );
    let (code, _, err) = f.run(&["rm", "--yes", "a1", "a2"]);
    assert_eq!(code, 6, "{err}");
    assert!(err.contains("error: a2: No such object a2"), "{err}");
    assert!(err.contains("done 1, failed 1"), "{err}");
    f.mount(
        Mock::given(method("POST"))
            .and(path("/objects/operations/bulkUpdate"))
            .respond_with(ResponseTemplate::new(200).set_body_json(answer)),
    );
    let (code, _, err) = f.run(&["flag", "add", "seen", "a1", "a2"]);
    assert_eq!(code, 6, "{err}");
}
