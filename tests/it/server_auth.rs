//! Authentication and box authorisation over HTTP: Basic, Bearer, users file, 401/403/404, box id escapes.

use crate::server_support;

use cpmctl::server::auth;
use reqwest::Method;
use serde_json::{Value, json};
use server_support::*;

#[tokio::test]
async fn unauthenticated_requests_get_401_with_challenges() {
    let env = start().await;
    for req in [
        env.http.get(env.url("folders/operations/pathToId")),
        env.http.get(env.url("folders/operations/pathToId")).basic_auth("alice", Some("wrong")),
        env.http.get(env.url("folders/operations/pathToId")).basic_auth("nobody", Some("x")),
        env.http.get(env.url("folders/operations/pathToId")).bearer_auth("bad-token"),
        env.http.get(env.url("folders/operations/pathToId")).header("authorization", "Digest foo"),
    ] {
        let r = req.send().await.unwrap();
        assert_eq!(r.status(), 401);
        let challenges: Vec<String> =
            r.headers().get_all("www-authenticate").iter().map(|v| v.to_str().unwrap().to_string()).collect();
        assert!(challenges.iter().any(|c| c == "Basic realm=\"cpmctl\""), "{challenges:?}");
        assert!(challenges.iter().any(|c| c.starts_with("Bearer")), "{challenges:?}");
        let v: Value = r.json().await.unwrap();
        assert!(v["requestError"].is_object());
    }
}

#[tokio::test]
async fn bearer_tokens_and_box_ownership() {
    let env = start().await;
    let r = env.http.get(env.url("folders/operations/pathToId")).bearer_auth("alice-token").send().await.unwrap();
    assert_eq!(r.status(), 200);
    // Alice on bob's box (and on a box nobody has): 403 POL0001.
    for other in [BOB_BOX, "tel:+19999999999"] {
        let url = format!("{}/folders/operations/pathToId", env.server.nms_base(other));
        let r = env.http.get(&url).basic_auth("alice", Some("alice-pw")).send().await.unwrap();
        assert_eq!(r.status(), 403);
        assert_eq!(message_id(r).await, "POL0001");
    }
    // The admin reaches any configured or stored box; an unknown box is 404 SVC0004.
    let url = format!("{}/folders/operations/pathToId", env.server.nms_base(BOB_BOX));
    let r = env.http.get(&url).basic_auth("root", Some("root-pw")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let url = format!("{}/folders/operations/pathToId", env.server.nms_base("tel:+19999999999"));
    let r = env.http.get(&url).basic_auth("root", Some("root-pw")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(message_id(r).await, "SVC0004");
    // Unknown store name: 404.
    let url = format!("{}/nms/v1/other/tel%3A%2B15550001111/folders/operations/pathToId", env.server.root_url());
    let r = env.http.get(&url).basic_auth("alice", Some("alice-pw")).send().await.unwrap();
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn box_id_escapes_are_case_insensitive_and_raw_is_accepted() {
    let env = start().await;
    let id = env.create_simple("/x", "2024-01-01T00:00:00Z", "x").await;
    let root = env.server.root_url();
    for b in ["tel%3A%2B15550001111", "tel%3a%2b15550001111", "tel:+15550001111"] {
        let url = format!("{root}/nms/v1/cpm/{b}/objects/{id}");
        let r = env.http.get(&url).basic_auth("alice", Some("alice-pw")).send().await.unwrap();
        assert_eq!(r.status(), 200, "{b}");
        let v: Value = r.json().await.unwrap();
        // Output is always the canonical upper-case encoding.
        assert!(v["object"]["resourceURL"].as_str().unwrap().contains("/tel%3A%2B15550001111/objects/"));
    }
}

#[tokio::test]
async fn users_file_with_hashed_passwords() {
    let dir = tempfile::tempdir().unwrap();
    let users = dir.path().join("users.toml");
    let hash = auth::hash_password("file-pw");
    assert!(auth::verify_password("file-pw", &hash));
    std::fs::write(
        &users,
        format!(
            "[[user]]\nname = \"carol\"\npassword_hash = \"{hash}\"\ntokens_sha256 = [\"{}\"]\nboxes = [\"sip:carol@example.com\"]\n",
            auth::token_hash("carol-token")
        ),
    )
    .unwrap();
    let data = tempfile::tempdir().unwrap();
    let env = start_in(data, |c| c.users_file = Some(users.clone())).await;
    let base = env.server.nms_base("sip:carol@example.com");
    let r = env
        .http
        .get(format!("{base}/folders/operations/pathToId"))
        .basic_auth("carol", Some("file-pw"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // The cached verification still refuses a wrong password.
    let r = env
        .http
        .get(format!("{base}/folders/operations/pathToId"))
        .basic_auth("carol", Some("nope"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r =
        env.http.get(format!("{base}/folders/operations/pathToId")).bearer_auth("carol-token").send().await.unwrap();
    assert_eq!(r.status(), 200);
    let r =
        env.http.get(format!("{base}/folders/operations/pathToId")).bearer_auth("carol-token").send().await.unwrap();
    let v: Value = r.json().await.unwrap();
    assert!(v["reference"]["resourceURL"].as_str().unwrap().contains("/sip%3Acarol%40example.com/folders/"));

    // A clear password in the file is refused at start.
    std::fs::write(&users, "[[user]]\nname = \"dave\"\npassword_hash = \"secret\"\n").unwrap();
    let mut cfg = cpmctl::server::ServerConfig::new(tempfile::tempdir().unwrap().path());
    cfg.users_file = Some(users);
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    assert!(cpmctl::server::start(cfg, l).await.is_err());
}

#[tokio::test]
async fn oversized_bodies_get_413() {
    let env = start_in(tempfile::tempdir().unwrap(), |c| c.max_body_bytes = 1024).await;
    let big = "x".repeat(4096);
    let r = env
        .req(Method::POST, "objects")
        .json(&json!({"object": {"attributes": {"attribute": [{"name": "Subject", "value": [big]}]}}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["requestError"]["serviceException"]["messageId"], "SVC0001");
}

#[tokio::test]
async fn the_request_log_goes_to_the_configured_sink_without_secrets() {
    let lines = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let sink = std::sync::Arc::clone(&lines);
    let env = start_in(tempfile::tempdir().unwrap(), move |c| {
        c.log = Some(cpmctl::server::LogSink(std::sync::Arc::new(move |l: &str| {
            sink.lock().unwrap().push(l.to_string());
        })));
    })
    .await;
    let r = env.req(Method::GET, "objects/nosuch").send().await.unwrap();
    assert_eq!(r.status(), 404);
    let got = lines.lock().unwrap().clone();
    let line = got.iter().find(|l| l.contains("/objects/nosuch")).expect("a log line for the request");
    assert!(line.starts_with("GET /nms/v1/") && line.contains(" 404 ") && line.ends_with("ms"), "{line}");
    assert!(got.iter().all(|l| !l.contains("alice-pw")));
}

/// A users file with `carol` (password `carol-pw`, hashed with `iterations`) and her box.
fn carol_users_file(dir: &std::path::Path, iterations: u32) -> std::path::PathBuf {
    let users = dir.join("users.toml");
    let hash = auth::hash_password_with("carol-pw", iterations);
    std::fs::write(
        &users,
        format!("[[user]]\nname = \"carol\"\npassword_hash = \"{hash}\"\nboxes = [\"sip:carol@example.com\"]\n"),
    )
    .unwrap();
    users
}

async fn timed_status(env: &Env, user: &str, password: &str) -> (u16, std::time::Duration) {
    let url = format!("{}/folders/operations/pathToId", env.server.nms_base("sip:carol@example.com"));
    let started = std::time::Instant::now();
    let r = env.http.get(&url).basic_auth(user, Some(password)).send().await.unwrap();
    (r.status().as_u16(), started.elapsed())
}

#[tokio::test]
async fn an_unknown_user_costs_as_much_as_a_wrong_password() {
    let dir = tempfile::tempdir().unwrap();
    let users = carol_users_file(dir.path(), 50_000);
    let env = start_in(tempfile::tempdir().unwrap(), |c| c.users_file = Some(users)).await;
    // Fewer attempts than the free failures, so no back-off delay is mixed in.
    let (s1, wrong1) = timed_status(&env, "carol", "nope").await;
    let (s2, unknown1) = timed_status(&env, "mallory", "nope").await;
    let (s3, wrong2) = timed_status(&env, "carol", "nope2").await;
    let (s4, unknown2) = timed_status(&env, "mallory2", "nope").await;
    assert_eq!([s1, s2, s3, s4], [401; 4]);
    let wrong = wrong1.min(wrong2);
    let unknown = unknown1.min(unknown2);
    // Before: 0.2 ms against tens of ms. Same work now; allow for a noisy machine.
    assert!(unknown * 3 >= wrong, "unknown user {unknown:?} vs wrong password {wrong:?}");
}

#[tokio::test]
async fn repeated_wrong_passwords_from_one_client_are_slowed_down() {
    let env = start().await;
    let url = env.url("folders/operations/pathToId");
    let mut free = std::time::Duration::MAX;
    for _ in 0..5 {
        let started = std::time::Instant::now();
        let r = env.http.get(&url).basic_auth("alice", Some("wrong")).send().await.unwrap();
        assert_eq!(r.status(), 401);
        free = free.min(started.elapsed());
    }
    let started = std::time::Instant::now();
    let r = env.http.get(&url).basic_auth("alice", Some("wrong")).send().await.unwrap();
    assert_eq!(r.status(), 401);
    let sixth = started.elapsed();
    assert!(sixth >= free + std::time::Duration::from_millis(150), "sixth attempt {sixth:?}, first ones {free:?}");
}

/// Wrong passwords against a costly hash must not stall requests that are already
/// authenticated: PBKDF2 runs on the blocking pool, never on the async workers. Told by order,
/// not by timing: with each check made to last about 0.3 s here, every authenticated
/// request is answered before any wrong password is. Before, both workers sat in PBKDF2 and the
/// first authenticated request waited for a check to end.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_storm_does_not_stall_authenticated_requests() {
    // One check's cost on this machine, now, scaled to about 0.3 s.
    const PROBE: u32 = 50_000;
    let hash = auth::hash_password_with("x", PROBE);
    let started = std::time::Instant::now();
    assert!(!auth::verify_password("y", &hash));
    let probe = started.elapsed().as_secs_f64().max(1e-4);
    let iterations = ((f64::from(PROBE) * 0.3 / probe) as u32).clamp(PROBE, 50_000_000);
    let dir = tempfile::tempdir().unwrap();
    let users = carol_users_file(dir.path(), iterations);
    // Four checks at once, more than there are workers: the bound on checks (another guard)
    // is not what keeps a worker free here.
    let env = start_in(tempfile::tempdir().unwrap(), |c| {
        c.users_file = Some(users);
        c.max_password_checks = 4;
    })
    .await;
    // Alice is verified (and cached) before the storm.
    assert_eq!(env.req(Method::GET, "folders/operations/pathToId").send().await.unwrap().status(), 200);
    let url = format!("{}/folders/operations/pathToId", env.server.nms_base("sip:carol@example.com"));
    let answered = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    // As many wrong passwords as there are workers and more, under the lockout's threshold.
    let mut storm = Vec::new();
    for i in 0..4 {
        let (http, url, answered) = (env.http.clone(), url.clone(), answered.clone());
        storm.push(tokio::spawn(async move {
            let _ = http.get(&url).basic_auth("carol", Some(format!("wrong-{i}"))).send().await;
            answered.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }));
    }
    // The storm's checks are under way (each takes ~0.3 s) before the authenticated requests.
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    for _ in 0..10 {
        assert_eq!(env.req(Method::GET, "folders/operations/pathToId").send().await.unwrap().status(), 200);
    }
    let storm_answered = answered.load(std::sync::atomic::Ordering::SeqCst);
    for t in storm {
        let _ = t.await;
    }
    assert_eq!(
        storm_answered, 0,
        "a wrong password was answered before 10 authenticated requests were ({iterations} iterations)"
    );
}
