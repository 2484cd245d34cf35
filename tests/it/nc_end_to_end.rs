//! The watcher and `cpmctl subscribe` against the reference server: every change reported
//! exactly once under dropped, duplicated and reordered notifications, and across a
//! Ctrl-C / `--resume` of the binary.

use std::collections::{BTreeMap, HashSet};
use std::io::BufRead;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use cpmctl::nms::notify::{WatchEvent, WatchOptions, Watcher, watch};
use cpmctl::nms::{Auth, ClientConfig, NewObject, NmsClient, id_from_url};
use cpmctl::server::{self, FaultConfig, RunningServer, ServerConfig, UserSpec};
use cpmctl::wire::{Attribute, AttributeList, FlagList, Object};
use futures::StreamExt;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::mpsc;

const BOX: &str = "tel:+15550001111";

async fn start_server(dir: &std::path::Path, fault: FaultConfig) -> RunningServer {
    let mut cfg = ServerConfig::new(dir);
    cfg.users = vec![UserSpec {
        name: "demo".into(),
        password: Some("pw".into()),
        boxes: vec![BOX.into()],
        ..Default::default()
    }];
    cfg.long_poll_timeout = Duration::from_millis(500);
    cfg.fault = fault;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    server::start(cfg, listener).await.unwrap()
}

fn client(server: &RunningServer) -> NmsClient {
    let cfg =
        ClientConfig::from_base_url(&server.nms_base(BOX), Auth::Basic { user: "demo".into(), password: "pw".into() })
            .unwrap();
    NmsClient::new(cfg).unwrap()
}

fn sms(n: usize) -> NewObject {
    NewObject {
        object: Object {
            parent_folder_path: Some("/RCSMessageStore".into()),
            attributes: AttributeList {
                attribute: vec![
                    Attribute::new("Message-Context", "pager-message"),
                    Attribute::new("From", "tel:+15550002222"),
                    Attribute::new("TextContent", format!("message {n}")),
                ],
            },
            flags: FlagList::new(["\\Seen"]),
            ..Default::default()
        },
        parts: vec![],
    }
}

/// Waits for the first `Subscribed` notice.
async fn subscribed(w: &mut Watcher) {
    loop {
        let item = tokio::time::timeout(Duration::from_secs(20), w.next()).await.unwrap().unwrap().unwrap();
        if matches!(item, WatchEvent::Subscribed { .. }) {
            return;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousand_changes_each_reported_once_under_faults() {
    let dir = tempfile::tempdir().unwrap();
    let server = start_server(dir.path(), FaultConfig { drop: 0.2, duplicate: 0.1, reorder: 0.1, seed: 5 }).await;
    let nms = client(&server);
    let opts = WatchOptions {
        hold: Duration::from_millis(300),
        tail_check: Some(Duration::from_millis(600)),
        poll_timeout: Duration::from_secs(10),
        ..Default::default()
    };
    let mut w = watch(&nms, opts);
    subscribed(&mut w).await;

    // 200 rounds of 5 changes: create a, create b, flag a, flag b, delete a.
    let maker = nms.clone();
    let changes = tokio::spawn(async move {
        let mut expected: BTreeMap<String, Vec<&'static str>> = BTreeMap::new();
        for n in 0..200 {
            let a = id_from_url(&maker.create_object(&sms(2 * n)).await.unwrap().resource_url);
            let b = id_from_url(&maker.create_object(&sms(2 * n + 1)).await.unwrap().resource_url);
            assert!(maker.add_flag(&a, "\\Flagged").await.unwrap());
            assert!(maker.add_flag(&b, "\\Flagged").await.unwrap());
            maker.delete_object(&a).await.unwrap();
            expected.insert(a, vec!["changedObject", "changedObject", "deletedObject"]);
            expected.insert(b, vec!["changedObject", "changedObject"]);
        }
        expected
    });

    let mut seen: HashSet<(String, u64)> = HashSet::new();
    let mut per_object: BTreeMap<String, Vec<(&'static str, u64)>> = BTreeMap::new();
    let mut object_events = 0usize;
    let mut recovered = 0usize;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(180);
    let mut expected = None;
    let mut changes = Some(changes);
    loop {
        if expected.is_none() && changes.as_ref().is_some_and(|c| c.is_finished()) {
            expected = Some(changes.take().unwrap().await.unwrap());
        }
        if expected.is_some() && object_events >= 1000 {
            break;
        }
        let item = match tokio::time::timeout_at(deadline, w.next()).await {
            Ok(item) => item.unwrap().unwrap(),
            Err(_) => panic!("only {object_events} of 1000 changes reported"),
        };
        match item {
            WatchEvent::Event { event, .. } => {
                let url = event.resource_url().to_string();
                let seq = event.last_mod_seq().expect("every event carries lastModSeq");
                assert!(seen.insert((url.clone(), seq)), "reported twice: {url} {seq}");
                let kind = event.kind();
                if matches!(kind, "changedObject" | "deletedObject") {
                    object_events += 1;
                    per_object.entry(id_from_url(&url)).or_default().push((kind, seq));
                }
            }
            WatchEvent::Recovered { .. } => recovered += 1,
            WatchEvent::Reset { .. } => panic!("unexpected resetBox"),
            _ => {}
        }
    }
    // Anything arriving now would be a second report.
    let extra = tokio::time::timeout(Duration::from_millis(1500), async {
        loop {
            if let Some(Ok(WatchEvent::Event { event, .. })) = w.next().await {
                return event;
            }
        }
    })
    .await;
    assert!(extra.is_err(), "an extra event arrived: {:?}", extra.ok());

    let expected = expected.unwrap();
    assert_eq!(per_object.len(), expected.len());
    for (id, kinds) in &expected {
        let got = &per_object[id];
        let got_kinds: Vec<&str> = got.iter().map(|(k, _)| *k).collect();
        assert_eq!(&got_kinds, kinds, "events of {id}");
        assert!(got.windows(2).all(|p| p[0].1 < p[1].1), "lastModSeq grows for {id}: {got:?}");
    }
    assert!(recovered > 0, "with 20% dropped lists some recovery must have happened");
    w.close().await.unwrap();
    assert!(nms.notify().list_channels().await.unwrap().notification_channel.is_empty());
    assert!(nms.notify().list_subscriptions().await.unwrap().subscription.is_empty());
    server.shutdown().await;
}

/// The child process and its stdout / stderr lines as they come.
struct Running {
    child: Child,
    out: mpsc::UnboundedReceiver<String>,
    err: mpsc::UnboundedReceiver<String>,
}

fn lines(r: impl std::io::Read + Send + 'static) -> mpsc::UnboundedReceiver<String> {
    let (tx, rx) = mpsc::unbounded_channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(r).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

fn subscribe(dir: &std::path::Path, server: &RunningServer, extra: &[&str]) -> Running {
    let mut cmd = crate::cmd_support::hermetic(dir);
    cmd.env("CPMCTL_SERVER", server.nms_base(BOX))
        .env("CPMCTL_USER", "demo")
        .env("CPMCTL_PASSWORD", "pw")
        .args(["subscribe", "-o", "ndjson"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let out = lines(child.stdout.take().unwrap());
    let err = lines(child.stderr.take().unwrap());
    Running { child, out, err }
}

impl Running {
    /// Waits until the command says it is watching.
    async fn ready(&mut self) {
        loop {
            let line = tokio::time::timeout(Duration::from_secs(20), self.err.recv()).await.unwrap().unwrap();
            if line.contains("watching for changes") {
                return;
            }
        }
    }

    async fn event(&mut self) -> Value {
        let line = tokio::time::timeout(Duration::from_secs(20), self.out.recv()).await.unwrap().unwrap();
        serde_json::from_str(&line).unwrap()
    }

    async fn interrupt(mut self) -> (Option<i32>, Vec<String>) {
        assert!(Command::new("kill").args(["-INT", &self.child.id().to_string()]).status().unwrap().success());
        let code = tokio::task::spawn_blocking(move || self.child.wait().unwrap().code()).await.unwrap();
        let mut rest = Vec::new();
        while let Ok(Some(line)) = tokio::time::timeout(Duration::from_secs(5), self.out.recv()).await {
            rest.push(line);
        }
        (code, rest)
    }
}

fn summary(v: &Value) -> (String, String) {
    (v["kind"].as_str().unwrap().to_string(), v["id"].as_str().unwrap().to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscribe_binary_interrupt_and_resume() {
    let dir = tempfile::tempdir().unwrap();
    let server = start_server(&dir.path().join("server"), FaultConfig::default()).await;
    let nms = client(&server);

    let mut run = subscribe(dir.path(), &server, &[]);
    run.ready().await;
    let x = id_from_url(&nms.create_object(&sms(1)).await.unwrap().resource_url);
    nms.add_flag(&x, "\\Flagged").await.unwrap();
    let y = id_from_url(&nms.create_object(&sms(2)).await.unwrap().resource_url);
    let mut got = Vec::new();
    while got.len() < 3 {
        let v = run.event().await;
        if v["kind"] != "changedFolder" {
            got.push(summary(&v));
        }
    }
    let changed = |id: &str| ("changedObject".to_string(), id.to_string());
    assert_eq!(got, [changed(&x), changed(&x), changed(&y)]);
    let (code, rest) = run.interrupt().await;
    assert_eq!(code, Some(130));
    assert!(rest.is_empty(), "nothing more after Ctrl-C: {rest:?}");
    assert!(nms.notify().list_subscriptions().await.unwrap().subscription.is_empty(), "Ctrl-C deleted it");

    // Changes while it is down.
    let z = id_from_url(&nms.create_object(&sms(3)).await.unwrap().resource_url);
    nms.add_flag(&x, "\\Answered").await.unwrap();
    nms.delete_object(&y).await.unwrap();

    let mut run = subscribe(dir.path(), &server, &["--resume"]);
    let mut got = Vec::new();
    while got.len() < 3 {
        got.push(summary(&run.event().await));
    }
    assert_eq!(got, [changed(&z), changed(&x), ("deletedObject".to_string(), y.clone())]);
    // And live changes continue after the replay.
    nms.remove_flag(&z, "\\Seen").await.unwrap();
    assert_eq!(summary(&run.event().await), changed(&z));
    let (code, rest) = run.interrupt().await;
    assert_eq!(code, Some(130));
    assert!(rest.is_empty(), "each change once: {rest:?}");
    server.shutdown().await;
}
