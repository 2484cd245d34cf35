//! `cpmctl subscribe` as a child process against a scripted wiremock server: NDJSON lines,
//! SIGINT → cleanup + exit 130, the saved position, `--resume` and `--resume --keep`.

use std::io::BufRead;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::sync::mpsc;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const BOX: &str = "tel%3A%2B15550001111";

fn nc(tail: &str) -> String {
    format!("/notificationchannel/v1/{BOX}{tail}")
}

fn nms(tail: &str) -> String {
    format!("/nms/v1/cpm/{BOX}{tail}")
}

fn cpmctl(dir: &Path, server: &MockServer) -> Command {
    let mut cmd = crate::cmd_support::hermetic(dir);
    cmd.env("CPMCTL_SERVER", format!("{}{}", server.uri(), nms("")))
        .env("CPMCTL_USER", "demo")
        .env("CPMCTL_PASSWORD", "pw")
        .env("NO_COLOR", "1");
    cmd
}

/// The child and its stdout lines as they come.
struct Running {
    child: Child,
    lines: mpsc::UnboundedReceiver<String>,
}

fn start(mut cmd: Command) -> Running {
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, lines) = mpsc::unbounded_channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    Running { child, lines }
}

impl Running {
    async fn line(&mut self) -> Value {
        let line = tokio::time::timeout(Duration::from_secs(20), self.lines.recv()).await.unwrap().unwrap();
        serde_json::from_str(&line).unwrap()
    }

    /// SIGINT, then the exit code.
    async fn interrupt(mut self) -> Option<i32> {
        let status = Command::new("kill").args(["-INT", &self.child.id().to_string()]).status().unwrap();
        assert!(status.success());
        tokio::task::spawn_blocking(move || self.child.wait().unwrap().code()).await.unwrap()
    }
}

fn channel_body(server: &MockServer, id: &str) -> Value {
    let base = format!("{}{}", server.uri(), nc(&format!("/channels/{id}")));
    json!({"notificationChannel": {
        "resourceURL": base, "callbackURL": format!("{base}/callback"), "channelType": "LongPolling",
        "channelLifetime": 3600, "channelData": {"channelURL": format!("{base}/notifications")}}})
}

fn sub_body(server: &MockServer, id: &str, index: u64, token: &str) -> Value {
    json!({"nmsSubscription": {
        "resourceURL": format!("{}{}", server.uri(), nms(&format!("/subscriptions/{id}"))),
        "callbackReference": {"notifyURL": "x"}, "duration": 3600, "index": index, "restartToken": token}})
}

fn list(server: &MockServer, sub: &str, index: u64, token: &str, events: &[(&str, u64)]) -> Value {
    let events: Vec<Value> = events
        .iter()
        .map(|(id, seq)| {
            json!({"changedObject": {
                "resourceURL": format!("{}{}", server.uri(), nms(&format!("/objects/{id}"))),
                "parentFolder": format!("{}{}", server.uri(), nms("/folders/f1")),
                "flags": {"flag": ["\\Seen"]}, "lastModSeq": seq}})
        })
        .collect();
    json!({"nmsEventList": {"index": index, "restartToken": token, "nmsEvent": events,
        "link": [{"rel": "NmsSubscription", "href": format!("{}{}", server.uri(), nms(&format!("/subscriptions/{sub}")))}]}})
}

/// Mounts a channel, a subscription and a poll answering `lists` once, then empty polls.
async fn mount(server: &MockServer, channel: &str, sub: &str, token: &str, lists: Vec<Value>) {
    server.reset().await;
    Mock::given(method("POST"))
        .and(path(nc("/channels")))
        .respond_with(ResponseTemplate::new(201).set_body_json(channel_body(server, channel)))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path(nc(&format!("/channels/{channel}"))))
        .respond_with(ResponseTemplate::new(200).set_body_json(channel_body(server, channel)))
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path(nms("/subscriptions")))
        .respond_with(ResponseTemplate::new(201).set_body_json(sub_body(server, sub, 1, token)))
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path(nms(&format!("/subscriptions/{sub}"))))
        .respond_with(ResponseTemplate::new(200).set_body_json(sub_body(server, sub, 1, token)))
        .mount(server)
        .await;
    let once = Mutex::new(Some(json!({"notificationList": lists})));
    Mock::given(method("POST"))
        .and(path(nc(&format!("/channels/{channel}/notifications"))))
        .respond_with(move |_: &Request| match once.lock().unwrap().take() {
            Some(body) => ResponseTemplate::new(200).set_body_json(body),
            None => ResponseTemplate::new(200)
                .set_body_json(json!({"notificationList": []}))
                .set_delay(Duration::from_millis(200)),
        })
        .mount(server)
        .await;
    Mock::given(method("DELETE")).respond_with(ResponseTemplate::new(204)).mount(server).await;
}

async fn calls(server: &MockServer, verb: &str) -> Vec<(String, Value)> {
    server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.method.as_str() == verb)
        .map(|r| (r.url.path().to_string(), serde_json::from_slice(&r.body).unwrap_or(Value::Null)))
        .collect()
}

fn saved(dir: &Path) -> Value {
    let text = std::fs::read_to_string(dir.join("data/state/subscribe-default.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn ndjson_interrupt_resume_and_keep() {
    let dir = tempfile::tempdir().unwrap();
    let server = MockServer::start().await;

    // First run: two events, Ctrl-C deletes the subscription and the channel, exit 130.
    mount(
        &server,
        "ch1",
        "sub1",
        "t0",
        vec![list(&server, "sub1", 1, "t1", &[("a", 1)]), list(&server, "sub1", 2, "t2", &[("b", 2)])],
    )
    .await;
    let mut run = start({
        let mut c = cpmctl(dir.path(), &server);
        c.args(["subscribe", "-o", "ndjson"]);
        c
    });
    let first = run.line().await;
    assert_eq!(first["kind"], "changedObject");
    assert_eq!(first["id"], "a");
    assert_eq!(first["resourceURL"], format!("{}{}", server.uri(), nms("/objects/a")));
    assert_eq!(first["lastModSeq"], 1);
    assert_eq!(first["flags"], json!(["\\Seen"]));
    assert_eq!(first["parentFolder"], format!("{}{}", server.uri(), nms("/folders/f1")));
    assert_eq!(first["index"], 1);
    assert_eq!(first["restartToken"], "t1");
    assert_eq!(run.line().await["id"], "b");
    assert_eq!(run.interrupt().await, Some(130));
    let deletes: Vec<String> = calls(&server, "DELETE").await.into_iter().map(|(p, _)| p).collect();
    assert_eq!(deletes, [nms("/subscriptions/sub1"), nc("/channels/ch1")]);
    let state = saved(dir.path());
    assert_eq!(state["restartToken"], "t2");
    assert!(state["subscriptionUrl"].is_null());

    // --resume subscribes from t2 and prints what came after it; --keep leaves both behind.
    mount(&server, "ch2", "sub2", "t2", vec![list(&server, "sub2", 1, "t3", &[("c", 3)])]).await;
    let mut run = start({
        let mut c = cpmctl(dir.path(), &server);
        c.args(["subscribe", "-o", "ndjson", "--resume", "--keep"]);
        c
    });
    assert_eq!(run.line().await["id"], "c");
    assert_eq!(run.interrupt().await, Some(130));
    let subs = calls(&server, "POST").await;
    let create = subs.iter().find(|(p, _)| *p == nms("/subscriptions")).unwrap();
    assert_eq!(create.1["nmsSubscription"]["restartToken"], "t2");
    assert!(calls(&server, "DELETE").await.is_empty(), "--keep deletes nothing");
    let state = saved(dir.path());
    assert_eq!(state["restartToken"], "t3");
    assert_eq!(state["subscriptionUrl"], format!("{}{}", server.uri(), nms("/subscriptions/sub2")));
    assert_eq!(state["channelUrl"], format!("{}{}", server.uri(), nc("/channels/ch2")));

    // --resume --keep reuses the kept channel and subscription: an update from t3, no creation.
    mount(&server, "ch2", "sub2", "t3", vec![list(&server, "sub2", 1, "t4", &[("d", 4)])]).await;
    let mut run = start({
        let mut c = cpmctl(dir.path(), &server);
        c.args(["subscribe", "-o", "ndjson", "--resume", "--keep"]);
        c
    });
    assert_eq!(run.line().await["id"], "d");
    assert_eq!(run.interrupt().await, Some(130));
    let posts = calls(&server, "POST").await;
    assert!(!posts.iter().any(|(p, _)| *p == nms("/subscriptions") || *p == nc("/channels")));
    let update = posts.iter().find(|(p, _)| *p == nms("/subscriptions/sub2")).unwrap();
    assert_eq!(update.1["nmsSubscriptionUpdate"]["restartToken"], "t3");

    // A plain run afterwards removes what --keep left and starts from now.
    mount(&server, "ch3", "sub3", "t9", vec![list(&server, "sub3", 1, "t10", &[("e", 10)])]).await;
    let mut run = start({
        let mut c = cpmctl(dir.path(), &server);
        c.args(["subscribe"]);
        c
    });
    let row = tokio::time::timeout(Duration::from_secs(20), run.lines.recv()).await.unwrap().unwrap();
    let cells: Vec<&str> = row.split('\t').collect();
    assert_eq!(&cells[1..], ["changedObject", "e", "10", "\\Seen", "f1"]);
    assert_eq!(run.interrupt().await, Some(130));
    let deletes: Vec<String> = calls(&server, "DELETE").await.into_iter().map(|(p, _)| p).collect();
    assert_eq!(
        deletes,
        [nms("/subscriptions/sub2"), nc("/channels/ch2"), nms("/subscriptions/sub3"), nc("/channels/ch3")]
    );
}
