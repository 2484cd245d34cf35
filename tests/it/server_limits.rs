//! Server resource limits (issue 9): connection timeouts and the connection cap, 413 on a
//! declared oversized body, caps on selections, channels and subscriptions, private data
//! files, and small input checks (malformed channel create, unknown users-file keys).

use crate::server_support;

use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use server_support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const ALICE_NC: &str = "tel%3A%2B15550001111";

/// Reads until the server closes the socket; returns what was read, or None if it was still
/// open after `within`.
async fn read_until_closed(sock: &mut TcpStream, within: Duration) -> Option<String> {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = Instant::now() + within;
    loop {
        let left = deadline.checked_duration_since(Instant::now())?;
        match tokio::time::timeout(left, sock.read(&mut buf)).await {
            Err(_) => return None,
            Ok(Ok(0)) | Ok(Err(_)) => return Some(String::from_utf8_lossy(&got).into_owned()),
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
        }
    }
}

fn basic_alice() -> String {
    use base64::Engine;
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode("alice:alice-pw"))
}

#[tokio::test]
async fn silent_half_sent_and_idle_connections_are_closed() {
    let env = start_in(tempfile::tempdir().unwrap(), |c| {
        c.header_read_timeout = Duration::from_millis(400);
        c.body_read_timeout = Duration::from_millis(400);
    })
    .await;
    let addr = env.server.addr;
    let path = format!("/nms/v1/cpm/{ALICE_NC}/objects");
    // Nothing sent at all.
    let mut silent = TcpStream::connect(addr).await.unwrap();
    // Headers begun but never finished.
    let mut partial = TcpStream::connect(addr).await.unwrap();
    partial.write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\nX-Slow: ").as_bytes()).await.unwrap();
    // A body shorter than its Content-Length.
    let mut short = TcpStream::connect(addr).await.unwrap();
    short
        .write_all(
            format!(
                "POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: {}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"object\"",
                basic_alice()
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    // A keep-alive connection idle after one complete request.
    let mut idle = TcpStream::connect(addr).await.unwrap();
    idle.write_all(
        format!(
            "GET /nms/v1/cpm/{ALICE_NC}/folders/operations/pathToId HTTP/1.1\r\nHost: x\r\nAuthorization: {}\r\n\r\n",
            basic_alice()
        )
        .as_bytes(),
    )
    .await
    .unwrap();
    let started = Instant::now();
    let limit = Duration::from_secs(5);
    let (a, b, c, d) = tokio::join!(
        read_until_closed(&mut silent, limit),
        read_until_closed(&mut partial, limit),
        read_until_closed(&mut short, limit),
        read_until_closed(&mut idle, limit),
    );
    assert!(a.is_some(), "a silent connection stayed open");
    assert!(b.is_some(), "a connection with partial headers stayed open");
    let c = c.expect("a connection with a short body stayed open");
    assert!(!c.starts_with("HTTP/1.1 2"), "a short body must not succeed: {c}");
    let d = d.expect("an idle keep-alive connection stayed open");
    assert!(d.starts_with("HTTP/1.1 200"), "{d}");
    assert!(started.elapsed() < Duration::from_secs(4));
    // Nothing was created by the cut-off body.
    let v: Value = env
        .post_json("objects/operations/search", &json!({"selectionCriteria": {"maxEntries": 10}}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["objectList"]["object"].as_array().map(Vec::len).unwrap_or(0), 0);
}

#[tokio::test]
async fn idle_sockets_at_the_cap_make_room_for_a_real_request() {
    let env = start_in(tempfile::tempdir().unwrap(), |c| {
        c.max_connections = 20;
        // Long enough that only the cap can close the idle sockets during the test.
        c.header_read_timeout = Duration::from_secs(60);
    })
    .await;
    let mut idle = Vec::new();
    for _ in 0..60 {
        idle.push(TcpStream::connect(env.server.addr).await.unwrap());
    }
    let started = Instant::now();
    let r = tokio::time::timeout(Duration::from_secs(10), env.req(Method::GET, "folders/operations/pathToId").send())
        .await
        .expect("the valid request was starved")
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(started.elapsed() < Duration::from_secs(5));
    // The oldest idle sockets were closed to make room; at most the cap stays open.
    let mut open = 0;
    for s in &mut idle {
        let mut buf = [0u8; 1];
        if tokio::time::timeout(Duration::from_millis(50), s.read(&mut buf)).await.is_err() {
            open += 1;
        }
    }
    assert!(open <= 20, "{open} idle sockets still open over a cap of 20");
    assert!(open >= 10, "only {open} idle sockets open: the cap closed more than it needed");
}

#[tokio::test]
async fn a_declared_oversized_body_gets_413_without_being_sent() {
    let env = start_in(tempfile::tempdir().unwrap(), |c| c.max_body_bytes = 1 << 20).await;
    let mut sock = TcpStream::connect(env.server.addr).await.unwrap();
    sock.write_all(
        format!(
            "POST /nms/v1/cpm/{ALICE_NC}/objects HTTP/1.1\r\nHost: x\r\nAuthorization: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            basic_alice(),
            100u64 << 20
        )
        .as_bytes(),
    )
    .await
    .unwrap();
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(Duration::from_secs(3), sock.read(&mut buf))
        .await
        .expect("no answer before the body was sent")
        .unwrap();
    let head = String::from_utf8_lossy(&buf[..n]);
    assert!(head.starts_with("HTTP/1.1 413"), "{head}");
}

#[tokio::test]
async fn a_bulk_selection_over_the_cap_is_refused_and_changes_nothing() {
    let env = start_in(tempfile::tempdir().unwrap(), |c| c.max_selection = 3).await;
    for i in 0..5 {
        env.create_simple("/many", &format!("2024-01-0{}T00:00:00Z", i + 1), "x").await;
    }
    for (method, op, extra) in [
        (Method::POST, "bulkDelete", json!({})),
        (Method::DELETE, "bulkDelete", json!({})),
        (Method::POST, "bulkUpdate", json!({"operation": "AddFlag", "flags": {"flag": ["\\Seen"]}})),
    ] {
        for max in [json!(0), json!(null), json!(50)] {
            let mut body = json!({"selectionCriteria": {"maxEntries": max}});
            for (k, v) in extra.as_object().unwrap() {
                body[k] = v.clone();
            }
            let r = env.req(method.clone(), &format!("objects/operations/{op}")).json(&body).send().await.unwrap();
            assert_eq!(r.status(), 403, "{op} maxEntries {max}");
            let v: Value = r.json().await.unwrap();
            assert_eq!(v["requestError"]["policyException"]["messageId"], "POL0001", "{v}");
        }
    }
    let v: Value = env
        .post_json("objects/operations/search", &json!({"selectionCriteria": {"maxEntries": 10}}))
        .await
        .json()
        .await
        .unwrap();
    let objects = v["objectList"]["object"].as_array().unwrap().clone();
    assert_eq!(objects.len(), 5);
    assert!(objects.iter().all(|o| o["flags"]["flag"].as_array().unwrap().is_empty()));
    // Within the cap it works: an explicit maxEntries, or a selection that matches few enough.
    let r = env.post_json("objects/operations/bulkDelete", &json!({"selectionCriteria": {"maxEntries": 2}})).await;
    assert_eq!(r.status(), 200);
    let r = env.post_json("objects/operations/bulkDelete", &json!({"selectionCriteria": {"maxEntries": 0}})).await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["bulkResponseList"]["response"].as_array().unwrap().len(), 3);
}

fn channels_url(env: &Env) -> String {
    format!("{}/notificationchannel/v1/{ALICE_NC}/channels", env.server.root_url())
}

async fn new_channel(env: &Env) -> reqwest::Response {
    env.req(Method::POST, &channels_url(env))
        .json(&json!({"notificationChannel": {"channelType": "LongPolling"}}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn channels_and_subscriptions_per_user_are_capped() {
    let env = start_in(tempfile::tempdir().unwrap(), |c| {
        c.max_channels_per_user = 2;
        c.max_subscriptions_per_user = 2;
    })
    .await;
    let mut channels = Vec::new();
    for _ in 0..2 {
        let r = new_channel(&env).await;
        assert_eq!(r.status(), StatusCode::CREATED);
        let v: Value = r.json().await.unwrap();
        channels.push(v["notificationChannel"].clone());
    }
    let r = new_channel(&env).await;
    assert_eq!(r.status(), 403);
    assert_eq!(message_id(r).await, "POL0001");
    // Deleting one makes room again.
    let url = channels[1]["resourceURL"].as_str().unwrap().to_string();
    assert_eq!(env.req(Method::DELETE, &url).send().await.unwrap().status(), 204);
    assert_eq!(new_channel(&env).await.status(), StatusCode::CREATED);

    let subscribe = || async {
        env.post_json(
            "subscriptions",
            &json!({"nmsSubscription": {"callbackReference": {"notifyURL": channels[0]["callbackURL"]}, "duration": 3600}}),
        )
        .await
    };
    assert_eq!(subscribe().await.status(), StatusCode::CREATED);
    assert_eq!(subscribe().await.status(), StatusCode::CREATED);
    let r = subscribe().await;
    assert_eq!(r.status(), 403);
    assert_eq!(message_id(r).await, "POL0001");
    let v = env.get_json("subscriptions").await;
    assert_eq!(v["nmsSubscriptionList"]["subscription"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_malformed_channel_create_is_400_not_an_unsupported_type() {
    let env = start().await;
    for body in [json!({"notificationChannel": {}}), json!({"notificationChannel": {"channelType": " "}})] {
        let r = env.req(Method::POST, &channels_url(&env)).json(&body).send().await.unwrap();
        assert_eq!(r.status(), 400, "{body}");
        assert_eq!(message_id(r).await, "SVC0002");
    }
    // A real but unsupported type keeps its policy error.
    let r = env
        .req(Method::POST, &channels_url(&env))
        .json(&json!({"notificationChannel": {"channelType": "WebSockets"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(message_id(r).await, "POL1023");
}

#[cfg(unix)]
#[tokio::test]
async fn the_database_is_private_to_its_owner() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let env = start_in(tempfile::tempdir().unwrap(), |c| c.data_dir = data.clone()).await;
    env.create_simple("/private", "2024-01-01T00:00:00Z", "a secret").await;
    assert_eq!(mode(&data), 0o700);
    for f in ["nms.sqlite3", "nms.sqlite3-wal", "nms.sqlite3-shm"] {
        assert_eq!(mode(&data.join(f)), 0o600, "{f}");
    }
    env.server.shutdown().await;

    // A store an older version left world-readable is tightened on the next start.
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(data.join("nms.sqlite3"), std::fs::Permissions::from_mode(0o644)).unwrap();
    let env = start_in(tempfile::tempdir().unwrap(), |c| c.data_dir = data.clone()).await;
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&data.join("nms.sqlite3")), 0o600);
    env.server.shutdown().await;
}

#[tokio::test]
async fn an_unknown_key_in_the_users_file_refuses_to_start() {
    let dir = tempfile::tempdir().unwrap();
    let users = dir.path().join("users.toml");
    std::fs::write(&users, "[[user]]\nname = \"dave\"\npassword = \"hunter2\"\nboxes = [\"tel:+1555\"]\n").unwrap();
    let mut cfg = cpmctl::server::ServerConfig::new(dir.path().join("data"));
    cfg.users_file = Some(users);
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let err = match cpmctl::server::start(cfg, l).await {
        Ok(_) => panic!("started with an unknown key in the users file"),
        Err(e) => e.to_string(),
    };
    assert!(err.contains("password"), "{err}");
}

/// Kills the server child if the test fails half-way.
struct Reap(std::process::Child);

impl Drop for Reap {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn active_fault_options_print_a_warning_at_startup() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let mut child = Reap(
        Command::new(env!("CARGO_BIN_EXE_cpmctl"))
            .args(["serve", "--listen", "127.0.0.1:0", "--fault-drop", "0.3", "--data"])
            .arg(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut lines = BufReader::new(child.0.stderr.take().unwrap()).lines();
    let mut seen = Vec::new();
    // Everything up to the "serving" line is startup output.
    for line in lines.by_ref() {
        let line = line.unwrap();
        let serving = line.starts_with("serving NMS");
        seen.push(line);
        if serving {
            break;
        }
    }
    assert!(
        seen.iter().any(|l| l.starts_with("warning:") && l.contains("--fault-drop 0.3")),
        "no fault warning in {seen:?}"
    );
}

/// The peak resident memory (VmHWM) of a process, in bytes.
#[cfg(target_os = "linux")]
fn peak_rss(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse::<u64>().unwrap() * 1024
}

/// A large multipart upload is parsed as it arrives: the server's peak memory stays within
/// a small multiple of the payload (before: the body, its parsed parts, the nested parts and
/// the database's copy were all held at once, 4-5 times the body).
#[cfg(target_os = "linux")]
#[test]
fn a_large_upload_peaks_near_its_own_size() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    const MIB: usize = 1 << 20;
    const SIZE: usize = 64 * MIB;
    let dir = tempfile::tempdir().unwrap();
    let mut child = Reap(
        Command::new(env!("CARGO_BIN_EXE_cpmctl"))
            .args(["serve", "--demo", "--listen", "127.0.0.1:0", "--max-body", "100M", "--data"])
            .arg(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut lines = BufReader::new(child.0.stdout.take().unwrap()).lines();
    let mut kv = std::collections::HashMap::new();
    while kv.len() < 4 {
        let line = lines.next().unwrap().unwrap();
        let (k, v) = line.split_once(": ").unwrap();
        kv.insert(k.to_string(), v.to_string());
    }
    let before = peak_rss(child.0.id());
    // root-fields, then a nested multipart/mixed attachments part with one big part.
    let inner = "cpmctl-inner-boundary";
    let outer = "cpmctl-outer-boundary";
    let mut body = Vec::with_capacity(SIZE + 4096);
    body.extend_from_slice(format!("--{outer}\r\nContent-Disposition: form-data; name=\"root-fields\"\r\nContent-Type: application/json\r\n\r\n").as_bytes());
    body.extend_from_slice(br#"{"object":{"parentFolderPath":"/big","attributes":{"attribute":[{"name":"Message-Context","value":["multimedia-message"]}]},"flags":{"flag":[]}}}"#);
    body.extend_from_slice(format!("\r\n--{outer}\r\nContent-Disposition: form-data; name=\"attachments\"\r\nContent-Type: multipart/mixed; boundary={inner}\r\n\r\n").as_bytes());
    body.extend_from_slice(format!("--{inner}\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
    body.extend(std::iter::repeat_n(b'z', SIZE));
    body.extend_from_slice(format!("\r\n--{inner}--\r\n\r\n--{outer}--\r\n").as_bytes());
    let rt = tokio::runtime::Runtime::new().unwrap();
    let status = rt.block_on(async {
        reqwest::Client::new()
            .post(format!("{}/objects", kv["nms_base"]))
            .basic_auth(&kv["user"], Some(&kv["password"]))
            .header("content-type", format!("multipart/form-data; boundary={outer}"))
            .body(body)
            .send()
            .await
            .unwrap()
            .status()
    });
    assert_eq!(status, 201);
    let grew = peak_rss(child.0.id()).saturating_sub(before);
    assert!(grew < 2 * SIZE as u64, "the server's peak grew by {} MiB for a {} MiB upload", grew >> 20, SIZE >> 20);
    eprintln!("peak grew by {} MiB for a {} MiB upload", grew >> 20, SIZE >> 20);
}
