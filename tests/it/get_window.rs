//! `get` of many ids keeps 16 reads in flight by default, keeps its read slots busy behind one
//! slow answer, and still hands each record to the reader while it waits (issue 14, item 23).
//! A small forwarder in front of the real server holds answers back until a condition is met;
//! a safety timeout releases them anyway, and the test then fails on *why* they were released,
//! not on any time.

use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use tokio::sync::watch;

use crate::cmd_support::{self, Fixture};

/// Long enough never to fire when the client behaves; only a broken client waits this out.
const SAFETY: Duration = Duration::from_secs(20);

/// What the forwarder holds back, and until when.
struct Gate {
    upstream: String,
    http: reqwest::Client,
    /// The object whose answer is held; `None`: every object's, until `threshold` of them
    /// are waiting at once.
    slow: Option<String>,
    /// Requests for other objects seen so far (counted when they arrive).
    others: watch::Sender<usize>,
    /// Released once `release` reaches this (others seen, or lines read by the test).
    release: watch::Receiver<usize>,
    threshold: usize,
    /// Whether any held answer was released by the safety timeout, not by its condition.
    timed_out: AtomicBool,
}

async fn forward(State(gate): State<Arc<Gate>>, req: Request) -> Response {
    let path = req.uri().path_and_query().map(|p| p.as_str().to_string()).unwrap_or_default();
    let held = match &gate.slow {
        Some(slow) => path.ends_with(&format!("/objects/{slow}")),
        None if path.contains("/objects/") => {
            gate.others.send_modify(|n| *n += 1);
            true
        }
        None => false,
    };
    if held {
        let mut rx = gate.release.clone();
        let met = tokio::time::timeout(SAFETY, rx.wait_for(|n| *n >= gate.threshold)).await;
        if !matches!(met, Ok(Ok(_))) {
            gate.timed_out.store(true, Ordering::SeqCst);
        }
    } else if gate.slow.is_some() && path.contains("/objects/") {
        gate.others.send_modify(|n| *n += 1);
    }
    let (parts, body) = req.into_parts();
    let body = axum::body::to_bytes(body, 1 << 20).await.unwrap_or_default();
    let mut out = gate.http.request(parts.method, format!("{}{path}", gate.upstream)).body(body);
    for (k, v) in &parts.headers {
        if k != "host" && k != "content-length" {
            out = out.header(k, v);
        }
    }
    let Ok(answer) = out.send().await else {
        return Response::builder().status(502).body(Body::empty()).unwrap_or_default();
    };
    let mut resp = Response::builder().status(answer.status().as_u16());
    for (k, v) in answer.headers() {
        if k != "content-length" && k != "transfer-encoding" && k != "connection" {
            resp = resp.header(k, v);
        }
    }
    let bytes = answer.bytes().await.unwrap_or_default();
    resp.body(Body::from(bytes)).unwrap_or_default()
}

/// Starts the forwarder on the fixture's runtime; returns the NMS base URL through it.
fn start(f: &Fixture, gate: Arc<Gate>) -> String {
    let server = f.server.as_ref().expect("server running").addr.to_string();
    let listener = f.rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).expect("bind");
    let addr = listener.local_addr().expect("addr").to_string();
    let app = axum::Router::new().fallback(forward).with_state(gate);
    f.rt.spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    f.info.base_url.replace(&server, &addr)
}

fn gate(f: &Fixture, slow: Option<&str>, threshold: usize) -> (Arc<Gate>, watch::Receiver<usize>) {
    let server = f.server.as_ref().expect("server running").addr;
    let (others, seen) = watch::channel(0);
    let gate = Arc::new(Gate {
        upstream: format!("http://{server}"),
        http: reqwest::Client::new(),
        slow: slow.map(str::to_string),
        release: seen.clone(),
        others,
        threshold,
        timed_out: AtomicBool::new(false),
    });
    (gate, seen)
}

fn ids_of(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("an ndjson record");
            v["id"].as_str().expect("an id").to_string()
        })
        .collect()
}

#[test]
fn one_slow_answer_does_not_idle_the_other_read_slots() {
    let f = Fixture::demo();
    let ids = f.create_many("/Window", 40);
    // With 4 reads in flight and the first held, other reads must go on: more than the 3
    // that fit beside it in a plain `buffered(4)`.
    let (gate, _) = gate(&f, Some(&ids[0]), 8);
    let base = start(&f, Arc::clone(&gate));
    let out = cmd_support::cmd_for(&base, &f.info.user, &f.info.password, f.dir.path())
        .args(["-o", "ndjson", "get", "-", "--concurrency", "4"])
        .write_stdin(ids.join("\n"))
        .output()
        .expect("run get");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(ids_of(&String::from_utf8_lossy(&out.stdout)), ids);
    assert!(
        !gate.timed_out.load(Ordering::SeqCst),
        "while the first answer was held, fewer than 8 other objects were asked for (in the whole run: {})",
        *gate.others.borrow()
    );
}

#[test]
fn records_reach_the_reader_while_a_later_answer_is_awaited() {
    let f = Fixture::demo();
    let ids = f.create_many("/Stream", 20);
    // The 6th answer is held until the test has read the first 5 records from the pipe.
    let (others, _) = watch::channel(0);
    let (read, lines_read) = watch::channel(0usize);
    let server = f.server.as_ref().expect("server running").addr;
    let gate = Arc::new(Gate {
        upstream: format!("http://{server}"),
        http: reqwest::Client::new(),
        slow: Some(ids[5].clone()),
        others,
        release: lines_read,
        threshold: 5,
        timed_out: AtomicBool::new(false),
    });
    let base = start(&f, Arc::clone(&gate));
    let mut child = cmd_support::std_cmd_for(&base, &f.info.user, &f.info.password, f.dir.path())
        .args(["-o", "ndjson", "get", "-", "--concurrency", "4"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn get");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(ids.join("\n").as_bytes()).expect("write ids");
    drop(stdin);
    let stdout = child.stdout.take().expect("stdout");
    let mut got = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("a line");
        got.push(line);
        read.send_replace(got.len());
    }
    let status = child.wait().expect("wait");
    assert!(status.success());
    assert_eq!(ids_of(&got.join("\n")), ids);
    assert!(
        !gate.timed_out.load(Ordering::SeqCst),
        "the first records were not flushed while the 6th answer was awaited"
    );
}

#[test]
fn sixteen_reads_are_in_flight_by_default() {
    let f = Fixture::demo();
    let ids = f.create_many("/Default", 40);
    // Every answer is held until 16 requests wait at the same time: only a client with 16
    // reads in flight gets any (the default was 8).
    let (gate, _) = gate(&f, None, 16);
    let base = start(&f, Arc::clone(&gate));
    let out = cmd_support::cmd_for(&base, &f.info.user, &f.info.password, f.dir.path())
        .args(["-o", "ndjson", "get", "-"])
        .write_stdin(ids.join("\n"))
        .output()
        .expect("run get");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(ids_of(&String::from_utf8_lossy(&out.stdout)), ids);
    assert!(!gate.timed_out.load(Ordering::SeqCst), "fewer than 16 reads were in flight at once");
}
