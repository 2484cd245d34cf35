//! Conformance: replays the 17 request examples of the Notification Channel spec's Appendix D against the
//! reference server and checks each answer against the paired response example: status, root element, the
//! keys of the root object (and of `channelData`), the Location of a 201, and the requestError's messageId.
//!
//! Each example runs on a fresh server whose only user owns the spec's userIds (`tel:+19585550100`,
//! `acr:pseudonym123`), so request paths stay as the spec writes them; channels the example assumes
//! (`ch123`, `ch456`) are created first and the spec ids rewritten to the server's. The spec leaves the set
//! of channel types to the provider (NC TS §5.2.1): this server implements LongPolling only, so the
//! examples that create another type are checked against the spec's own answer for an unsupported type
//! (D.8: 400 POL1023 naming the requested type), and D.8 itself (a provider without LongPolling) is reported
//! as a policy difference. The oracle file lives in ../shared/oracles (see `oracle_support::oracle`).

use crate::oracle_support;

use std::collections::BTreeSet;
use std::time::Duration;

use cpmctl::server::{self, RunningServer, ServerConfig, UserSpec};
use oracle_support::{header, oracle};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio::net::TcpListener;

const SPEC_BOX: &str = "tel:+19585550100";
const ACR_BOX: &str = "acr:pseudonym123";
const USER: &str = "oracle";
const PASSWORD: &str = "oracle-pw";

/// A request example with its paired response example.
struct Example {
    id: String,
    title: String,
    request: Value,
    response: Value,
}

fn pair_examples(all: &[Value]) -> Vec<Example> {
    let mut out = Vec::new();
    let mut pending: Option<&Value> = None;
    for item in all {
        match item["kind"].as_str() {
            Some("request") => pending = Some(item),
            Some("response") => {
                if let Some(req) = pending.take() {
                    out.push(Example {
                        id: req["example"].as_str().unwrap_or("").to_string(),
                        title: req["title"].as_str().unwrap_or("").to_string(),
                        request: req.clone(),
                        response: item.clone(),
                    });
                }
            }
            _ => {}
        }
    }
    out
}

/// What an example needs before it is sent and how its answer is judged.
#[derive(Default)]
struct Plan {
    /// Spec channel ids to create first (with the clientCorrelator the spec's listing shows).
    channels: &'static [(&'static str, &'static str)],
    /// Queue one NMS event list on `ch123` before the long poll.
    event: bool,
    /// The spec creates a channel type this server does not offer: expect the spec's D.8 answer.
    unsupported_type: bool,
    /// The spec's answer follows a provider policy this server does not have: reported, not asserted.
    policy: Option<&'static str>,
    /// Roots accepted besides the spec's (the wrapped form of an unwrapped spec example).
    also_roots: &'static [&'static str],
    /// Keys of the spec's body this server does not send, with the reason.
    optional_keys: &'static [&'static str],
}

fn plan(id: &str) -> Plan {
    let p = Plan::default();
    match id {
        "D.1" => Plan { channels: &[("ch123", "123"), ("ch456", "456")], ..p },
        "D.2" | "D.6" => p,
        "D.3" | "D.4" | "D.5" | "D.7" | "D.9" => Plan { unsupported_type: true, ..p },
        "D.8" => Plan { policy: Some("this provider offers LongPolling, the spec's example one without it"), ..p },
        "D.10" | "D.11" | "D.16" | "D.17" => Plan { channels: &[("ch456", "456")], ..p },
        // The spec's examples deliver presence and messaging notifications; an NMS server delivers
        // nmsEventList notifications in the same notificationList.
        "D.12" | "D.13" => Plan { channels: &[("ch123", "123")], event: true, ..p },
        "D.15" => Plan { channels: &[("ch123", "123")], event: true, also_roots: &["notificationList"], ..p },
        "D.14" => Plan { channels: &[("ch123", "123")], ..p },
        _ => p,
    }
}

struct Replay {
    server: RunningServer,
    _dir: tempfile::TempDir,
    http: reqwest::Client,
    subst: Vec<(String, String)>,
}

fn enc(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

impl Replay {
    async fn start() -> Replay {
        let dir = tempfile::tempdir().unwrap();
        let mut cfg = ServerConfig::new(dir.path());
        cfg.users = vec![UserSpec {
            name: USER.into(),
            password: Some(PASSWORD.into()),
            tokens: vec![],
            boxes: vec![SPEC_BOX.into(), ACR_BOX.into()],
            admin: false,
        }];
        // D.14 is the server's answer when nothing arrives within the poll; keep the wait short.
        cfg.long_poll_timeout = Duration::from_millis(500);
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let server = server::start(cfg, listener).await.unwrap();
        Replay { server, _dir: dir, http: reqwest::Client::new(), subst: Vec::new() }
    }

    fn channels_url(&self, user: &str) -> String {
        format!("{}/notificationchannel/v1/{}/channels", self.server.root_url().trim_end_matches('/'), enc(user))
    }

    fn req(&self, method: Method, url: &str) -> reqwest::RequestBuilder {
        self.http.request(method, url).basic_auth(USER, Some(PASSWORD)).header("accept", "application/json")
    }

    async fn channel(&mut self, spec_id: &str, correlator: &str) -> String {
        let body = json!({"notificationChannel": {"applicationTag": "myApp", "channelData": {"maxNotifications": "5"},
            "channelLifetime": "7200", "channelType": "LongPolling", "clientCorrelator": correlator}});
        let r = self.req(Method::POST, &self.channels_url(SPEC_BOX)).json(&body).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::CREATED, "fixture channel {spec_id}");
        let v: Value = r.json().await.unwrap();
        let url = v["notificationChannel"]["resourceURL"].as_str().unwrap().to_string();
        let id = url.rsplit('/').next().unwrap().to_string();
        self.subst.push((spec_id.to_string(), id.clone()));
        id
    }

    /// Queues one nmsEventList on the channel through its callbackURL, as an enabler would.
    async fn event(&self, channel: &str) {
        let url = format!("{}/{channel}/callback", self.channels_url(SPEC_BOX));
        let list = json!({"nmsEventList": {"nmsEvent": [{"changedObject": {"parentFolder": "http://x/folders/f1",
            "flags": {"flag": ["\\Seen"]}, "resourceURL": "http://x/objects/o1", "lastModSeq": 7}}],
            "callbackData": "1234", "index": 1, "restartToken": "rt1"}});
        let r = self.req(Method::POST, &url).json(&list).send().await.unwrap();
        assert!(r.status().is_success(), "fixture event: {}", r.status());
    }

    fn rewrite(&self, s: &str) -> String {
        let mut out = s.replace("/exampleAPI", "");
        for (from, to) in &self.subst {
            out = out.replace(&format!("/{from}/"), &format!("/{to}/"));
            if out.ends_with(&format!("/{from}")) {
                out = format!("{}{to}", &out[..out.len() - from.len()]);
            }
        }
        out
    }
}

struct Answer {
    status: StatusCode,
    location: Option<String>,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }

    fn snippet(&self) -> String {
        String::from_utf8_lossy(&self.body).chars().take(300).collect()
    }
}

async fn send(r: &Replay, ex: &Example) -> Result<Answer, String> {
    let line = ex.request["start_line"].as_str().ok_or("no request line")?;
    let mut words = line.split_whitespace();
    let method: Method = words.next().ok_or("no method")?.parse().map_err(|e| format!("{e}"))?;
    let path = r.rewrite(words.next().ok_or("no path")?);
    let url = format!("{}{path}", r.server.root_url().trim_end_matches('/'));
    let mut req = r.req(method, &url);
    if let Some(body) = ex.request.get("json").filter(|v| !v.is_null()) {
        req = req.json(body);
    } else if header(&ex.request, "content-type").is_some() {
        req = req.header("content-type", "application/json").body("{}");
    }
    let resp = req.send().await.map_err(|e| e.to_string())?;
    let status = resp.status();
    let location = resp.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_string);
    let body = resp.bytes().await.map_err(|e| e.to_string())?.to_vec();
    Ok(Answer { status, location, body })
}

fn status_of(v: &Value) -> u16 {
    v["start_line"].as_str().and_then(|l| l.split_whitespace().nth(1)).and_then(|s| s.parse().ok()).unwrap_or(0)
}

fn root_of(v: &Value) -> Option<String> {
    v.as_object().filter(|m| m.len() == 1).and_then(|m| m.keys().next().cloned())
}

fn message_id(v: &Value) -> Option<String> {
    let e = &v["requestError"];
    e["serviceException"]["messageId"].as_str().or(e["policyException"]["messageId"].as_str()).map(str::to_string)
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().map(|m| m.keys().cloned().collect()).unwrap_or_default()
}

/// The spec's keys missing from ours at `what` (object, or the first element of an array).
fn missing_keys(what: &str, spec: &Value, got: &Value, optional: &[&str], problems: &mut Vec<String>) {
    let first = |v: &Value| if let Value::Array(a) = v { a.first().cloned().unwrap_or(Value::Null) } else { v.clone() };
    let (spec, got) = (first(spec), first(got));
    let missing: Vec<String> =
        keys(&spec).difference(&keys(&got)).filter(|k| !optional.contains(&k.as_str())).cloned().collect();
    if !missing.is_empty() {
        problems.push(format!("{what} lacks {missing:?}"));
    }
    if spec.get("channelData").is_some_and(Value::is_object) {
        missing_keys(&format!("{what}.channelData"), &spec["channelData"], &got["channelData"], optional, problems);
    }
}

fn judge(ex: &Example, plan: &Plan, ans: &Answer) -> Result<String, Vec<String>> {
    let mut problems = Vec::new();
    let got = ans.json();
    if plan.unsupported_type {
        // The spec's own answer for a type the provider does not offer (D.8).
        let kind = ex.request["json"]["notificationChannel"]["channelType"].as_str().unwrap_or("");
        let v = got.clone().unwrap_or(Value::Null);
        let vars = &v["requestError"]["policyException"]["variables"];
        let first_var = vars.as_array().and_then(|a| a.first()).or(Some(vars)).and_then(Value::as_str);
        if ans.status != StatusCode::BAD_REQUEST
            || message_id(&v).as_deref() != Some("POL1023")
            || first_var != Some(kind)
        {
            problems.push(format!("want 400 POL1023 naming {kind}, got {} {}", ans.status.as_u16(), ans.snippet()));
        }
        return if problems.is_empty() { Ok(format!("400 POL1023 {kind} (type not offered)")) } else { Err(problems) };
    }
    let spec_status = status_of(&ex.response);
    if ans.status.as_u16() != spec_status {
        problems.push(format!("status {} (spec {spec_status}): {}", ans.status.as_u16(), ans.snippet()));
    }
    let spec_json = ex.response.get("json").filter(|v| !v.is_null());
    match (spec_json, &got) {
        (Some(spec), Some(got)) => {
            let (want, have) = (root_of(spec), root_of(got));
            if want != have && !have.as_deref().is_some_and(|h| plan.also_roots.contains(&h)) {
                problems.push(format!("root element {have:?} (spec {want:?})"));
            } else if want == have
                && let Some(root) = want
                && root != "notificationList"
            {
                let inner = |v: &Value| {
                    let r = &v[&root];
                    // A list root holds its items under one key (notificationChannelList.notificationChannel).
                    match r.as_object().filter(|m| m.contains_key("notificationChannel")) {
                        Some(m) => m["notificationChannel"].clone(),
                        None => r.clone(),
                    }
                };
                missing_keys(&root, &inner(spec), &inner(got), plan.optional_keys, &mut problems);
            }
            if let (Some(want), Some(have)) = (message_id(spec), message_id(got))
                && want != have
            {
                problems.push(format!("messageId {have} (spec {want})"));
            }
        }
        (Some(_), None) => problems.push(format!("no JSON body: {}", ans.snippet())),
        (None, _) if spec_status == 204 && !ans.body.is_empty() => problems.push("a body on 204".into()),
        (None, _) => {}
    }
    if spec_status == 201 && ans.location.is_none() {
        problems.push("201 without Location".into());
    }
    if problems.is_empty() {
        let what = got.as_ref().and_then(root_of).unwrap_or_else(|| "no body".into());
        Ok(format!("{} {what}", ans.status.as_u16()))
    } else {
        Err(problems)
    }
}

enum Verdict {
    Pass(String),
    Fail(Vec<String>),
    Policy(String),
}

async fn replay(ex: &Example) -> Verdict {
    let plan = plan(&ex.id);
    let mut r = Replay::start().await;
    for (spec_id, correlator) in plan.channels {
        r.channel(spec_id, correlator).await;
    }
    if plan.event {
        let ch = r.subst.iter().find(|(s, _)| s == "ch123").map(|(_, id)| id.clone()).unwrap_or_default();
        r.event(&ch).await;
    }
    let verdict = match send(&r, ex).await {
        Err(e) => Verdict::Fail(vec![format!("request failed: {e}")]),
        Ok(ans) => match (judge(ex, &plan, &ans), plan.policy) {
            (Ok(what), Some(why)) => Verdict::Policy(format!("{what}: conforms although {why}")),
            (Err(p), Some(why)) => Verdict::Policy(format!("{why}: {}", p.join("; "))),
            (Ok(what), None) => Verdict::Pass(what),
            (Err(p), None) => Verdict::Fail(p),
        },
    };
    r.server.shutdown().await;
    verdict
}

#[tokio::test]
async fn nc_appendix_d_examples_replay_against_the_server() {
    let Some(Value::Array(all)) = oracle("oma-nc/nc-appendixD-examples.json") else { return };
    let examples = pair_examples(&all);
    let (mut passed, mut policy, mut failed) = (0, 0, Vec::new());
    for ex in &examples {
        let line = match replay(ex).await {
            Verdict::Pass(what) => {
                passed += 1;
                format!("ok      {what}")
            }
            Verdict::Policy(what) => {
                policy += 1;
                format!("policy  {what}")
            }
            Verdict::Fail(p) => {
                failed.push(format!("{} ({}): {}", ex.id, ex.title, p.join("; ")));
                format!("FAIL    {}", p.join("; "))
            }
        };
        println!("{:<5} {line}", ex.id);
    }
    println!("{passed} of {} NC examples conform, {policy} differ by provider policy", examples.len());
    assert_eq!(examples.len(), 17, "the NC oracle holds 17 request/response pairs");
    assert!(failed.is_empty(), "non-conforming answers:\n{}", failed.join("\n"));
    assert_eq!(passed + policy, examples.len());
}
