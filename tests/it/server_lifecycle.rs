//! Server lifecycle: data survives a restart, concurrent writers never share a lastModSeq,
//! the change log records every change, and the demo seed is idempotent.

use crate::server_support;

use std::collections::HashSet;

use cpmctl::server::store::{ChangeKind, ResourceKind, changes};
use reqwest::Method;
use serde_json::{Value, json};
use server_support::*;

#[tokio::test]
async fn data_survives_a_restart() {
    let env = start().await;
    let id = env.create_simple("/keep", "2024-01-01T00:00:00Z", "persist me").await;
    env.req(Method::PUT, &format!("objects/{id}/flags/%5CSeen")).send().await.unwrap();
    let before = env.get_json(&format!("objects/{id}")).await;
    let Env { server, dir, .. } = env;
    server.shutdown().await;

    let env = start_in(dir, |_| {}).await;
    let after = env.get_json(&format!("objects/{id}")).await;
    // Same object, same URLs (the port changed, so compare the parts that do not depend on it).
    assert_eq!(after["object"]["attributes"], before["object"]["attributes"]);
    assert_eq!(after["object"]["flags"]["flag"], json!(["\\Seen"]));
    assert_eq!(after["object"]["lastModSeq"], before["object"]["lastModSeq"]);
    assert_eq!(after["object"]["path"], before["object"]["path"]);
    // The counter continues after the restart.
    let id2 = env.create_simple("/keep", "2024-01-02T00:00:00Z", "x").await;
    let seq2 = env.get_json(&format!("objects/{id2}")).await["object"]["lastModSeq"].as_u64().unwrap();
    assert!(seq2 > before["object"]["lastModSeq"].as_u64().unwrap());
    // Exactly one root folder after the restart too.
    let v: Value = env
        .post_json("folders/operations/search", &json!({"maxEntries": 10, "searchCriteria": {"criterion": [{"type": "Attribute", "name": "Root", "value": "Yes"}]}}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["folderList"]["folder"].as_array().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_get_unique_last_mod_seqs() {
    let env = start().await;
    let seed = env.create_simple("/c", "2024-01-01T00:00:00Z", "x").await;
    let mut tasks = Vec::new();
    for w in 0..8 {
        let http = env.http.clone();
        let base = env.base.clone();
        let seed = seed.clone();
        tasks.push(tokio::spawn(async move {
            let mut ids = Vec::new();
            for i in 0..10 {
                let body = json!({"object": {"parentFolderPath": format!("/c/w{w}"), "attributes": {"attribute": [{"name": "Subject", "value": [format!("{w}-{i}")]}]}, "flags": {"flag": []}}});
                let r = http.post(format!("{base}/objects")).basic_auth("alice", Some("alice-pw")).json(&body).send().await.unwrap();
                assert_eq!(r.status(), 201);
                let v: Value = r.json().await.unwrap();
                ids.push(id_of(v["reference"]["resourceURL"].as_str().unwrap()));
                // Everybody also toggles the same object's flag: each real change is its own seq.
                let flag = if i % 2 == 0 { "%5CSeen" } else { "%5CFlagged" };
                http.put(format!("{base}/objects/{seed}/flags/{flag}")).basic_auth("alice", Some("alice-pw")).send().await.unwrap();
            }
            ids
        }));
    }
    let mut ids = Vec::new();
    for t in tasks {
        ids.extend(t.await.unwrap());
    }
    assert_eq!(ids.len(), 80);
    let mut seqs = HashSet::new();
    for id in &ids {
        let s = env.get_json(&format!("objects/{id}")).await["object"]["lastModSeq"].as_u64().unwrap();
        assert!(seqs.insert(s), "lastModSeq {s} repeated");
    }
    // The change log has one entry per seq, strictly increasing, no gaps.
    let log = env.server.state.store.read(|c| changes::since(c, ALICE_BOX, 0, 100_000)).await.unwrap();
    for w in log.windows(2) {
        assert_eq!(w[1].seq, w[0].seq + 1);
    }
    for s in &seqs {
        assert!(log.iter().any(|c| c.seq == *s && c.kind == ChangeKind::Created && c.resource == ResourceKind::Object));
    }
}

#[tokio::test]
async fn change_log_records_every_kind_of_change() {
    let env = start().await;
    let id = env.create_simple("/log", "2024-01-01T00:00:00Z", "x").await;
    let after_create =
        env.server.state.store.read(|c| cpmctl::server::store::box_state(c, ALICE_BOX)).await.unwrap().unwrap().0;
    env.req(Method::PUT, &format!("objects/{id}/flags/%5CSeen")).send().await.unwrap();
    let dst = env
        .post_json("folders", &json!({"folder": {"parentFolderPath": "/", "name": "dst"}}))
        .await
        .json::<Value>()
        .await
        .unwrap();
    let dst_url = dst["reference"]["resourceURL"].as_str().unwrap().to_string();
    env.post_json(
        "folders/operations/moveToFolder",
        &json!({"targetRef": {"resourceURL": dst_url},
        "sourceRefs": {"objects": {"objectReference": [{"resourceURL": format!("{}/objects/{id}", env.base)}]}}}),
    )
    .await;
    env.req(Method::DELETE, &format!("objects/{id}")).send().await.unwrap();
    let log = env.server.state.store.read(move |c| changes::since(c, ALICE_BOX, after_create, 100)).await.unwrap();
    let kinds: Vec<(ChangeKind, ResourceKind)> = log.iter().map(|c| (c.kind, c.resource)).collect();
    assert_eq!(
        kinds,
        vec![
            (ChangeKind::Changed, ResourceKind::Object),
            (ChangeKind::Created, ResourceKind::Folder),
            (ChangeKind::Moved, ResourceKind::Object),
            (ChangeKind::Deleted, ResourceKind::Object),
        ]
    );
    assert_eq!(log[0].flags, vec!["\\Seen".to_string()]);
    assert_eq!(log[1].name.as_deref(), Some("dst"));
    assert_eq!(log[2].parent_id.as_deref(), Some(cpmctl::server::urls::id_from_ref(&dst_url).as_str()));
    // A tombstone keeps the attributes for subscription filters.
    assert!(log[3].attributes.as_ref().unwrap().first("Date").is_some());
    // A no-op (flag already set) does not log anything.
    let n = log.len();
    let id2 = env.create_simple("/log", "2024-01-01T00:00:00Z", "x").await;
    env.req(Method::PUT, &format!("objects/{id2}/flags/%5CSeen")).send().await.unwrap();
    env.req(Method::PUT, &format!("objects/{id2}/flags/%5CSeen")).send().await.unwrap();
    let log = env.server.state.store.read(move |c| changes::since(c, ALICE_BOX, after_create, 100)).await.unwrap();
    assert_eq!(log.len(), n + 2);
}

#[tokio::test]
async fn demo_seed_is_idempotent_and_keeps_its_password() {
    let env = start().await;
    let info = cpmctl::server::seed_demo(&env.server).await.unwrap();
    assert_eq!(info.box_id, "tel:+15550001111");
    assert_eq!(info.user, "demo");
    assert!(info.password.len() >= 16);
    assert_eq!(info.base_url, env.server.nms_base("tel:+15550001111"));
    let count = |env: &Env, info: &cpmctl::server::DemoInfo| {
        let http = env.http.clone();
        let url = format!("{}/objects/operations/search", info.base_url);
        let (u, p) = (info.user.clone(), info.password.clone());
        async move {
            let r = http.post(url).basic_auth(u, Some(p)).json(&json!({"maxEntries": 1000})).send().await.unwrap();
            assert_eq!(r.status(), 200);
            r.json::<Value>().await.unwrap()["objectList"]["object"].as_array().unwrap().len()
        }
    };
    let n = count(&env, &info).await;
    assert!(n > 0);
    let again = cpmctl::server::seed_demo(&env.server).await.unwrap();
    assert_eq!(again, info);
    assert_eq!(count(&env, &info).await, n);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(env.dir.path().join("demo-password")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // After a restart: same password, no second copy of the content.
    let Env { server, dir, .. } = env;
    server.shutdown().await;
    let env = start_in(dir, |_| {}).await;
    let third = cpmctl::server::seed_demo(&env.server).await.unwrap();
    assert_eq!(third.password, info.password);
    assert_eq!(count(&env, &third).await, n);
}

/// The demo password is written atomically with mode 0600 even when a file of another mode
/// is already in its place (an empty or truncated one from an earlier crash): the old code
/// opened it with `mode(0o600)`, which applies only to new files, and left it world-readable.
#[cfg(unix)]
#[tokio::test]
async fn demo_password_replaces_a_readable_leftover_privately() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo-password");
    std::fs::write(&path, "").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let env = start_in(dir, |_| {}).await;
    let info = cpmctl::server::seed_demo(&env.server).await.unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "the demo password is readable by others");
    assert_eq!(std::fs::read_to_string(&path).unwrap().trim(), info.password);
    // Nothing but the store's own files is left next to it (no temp files).
    let leftovers: Vec<_> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".cpmctl-"))
        .collect();
    assert!(leftovers.is_empty());
}
