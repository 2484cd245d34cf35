//! Authentication and box authorisation over HTTP: Basic, Bearer, users file, 401/403/404, box id escapes.

mod server_support;

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
