//! Notification Channel and NMS subscriptions over HTTP: channel CRUD and lifetime, long
//! polling (change, timeout, takeover, delete), subscription CRUD, every event kind, filters,
//! replay from a restartToken, resetBox, authorization, persistence and fault injection.

use crate::server_support;

use std::collections::HashSet;
use std::time::Duration;

use cpmctl::server::store::changes;
use cpmctl::server::{FaultConfig, ServerConfig, notify};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use server_support::*;

const ALICE_NC: &str = "tel%3A%2B15550001111";

async fn env_with(tweak: impl FnOnce(&mut ServerConfig)) -> Env {
    start_in(tempfile::tempdir().unwrap(), |c| {
        c.long_poll_timeout = Duration::from_millis(400);
        tweak(c);
    })
    .await
}

fn channels_url(env: &Env) -> String {
    format!("{}/notificationchannel/v1/{ALICE_NC}/channels", env.server.root_url())
}

/// Creates a LongPolling channel as alice; returns the notificationChannel body.
/// Waits until `n` long polls have reached the server on this channel (it counts them in
/// `poll_gen` before it parks the poll), so the next step lands on a poll already in place:
/// ordering by the server's own state, not by a sleep that a loaded machine can outrun.
async fn wait_for_polls(env: &Env, ch: &Value, n: u64) {
    let id = ch["resourceURL"].as_str().unwrap().rsplit('/').next().unwrap().to_string();
    for _ in 0..2_000 {
        let started = env.server.state.notify.channel(&id).map(|c| c.state.lock().unwrap().poll_gen);
        if started >= Some(n) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    panic!("{n} long poll(s) never reached channel {id}");
}

async fn create_channel(env: &Env, extra: Value) -> Value {
    let mut body = json!({"clientCorrelator": "c1", "channelType": "LongPolling",
        "channelData": {"maxNotifications": 100}});
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            b.insert(k.clone(), v.clone());
        }
    }
    let r =
        env.req(Method::POST, &channels_url(env)).json(&json!({ "notificationChannel": body })).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["notificationChannel"]["resourceURL"], location);
    v["notificationChannel"].clone()
}

fn poll_url(ch: &Value) -> String {
    ch["channelData"]["channelURL"].as_str().unwrap().to_string()
}

/// Creates a subscription on `ch` with the given extra members; returns the response.
async fn subscribe(env: &Env, ch: &Value, extra: Value) -> reqwest::Response {
    let mut body = json!({"callbackReference": {"notifyURL": ch["callbackURL"], "notificationFormat": "JSON"},
        "duration": 3600, "clientCorrelator": ""});
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            b.insert(k.clone(), v.clone());
        }
    }
    env.post_json("subscriptions", &json!({ "nmsSubscription": body })).await
}

async fn subscribe_ok(env: &Env, ch: &Value, extra: Value) -> Value {
    let r = subscribe(env, ch, extra).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    v["nmsSubscription"].clone()
}

/// One long poll as alice: (status, body).
async fn poll(env: &Env, ch: &Value) -> (StatusCode, Value) {
    let r =
        env.req(Method::POST, &poll_url(ch)).json(&json!({"longPollingRequestParameters": null})).send().await.unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// The nmsEventLists of a poll answer.
fn lists_of(body: &Value) -> Vec<Value> {
    body["notificationList"].as_array().unwrap().iter().map(|n| n["nmsEventList"].clone()).collect()
}

fn events_of(lists: &[Value]) -> Vec<Value> {
    lists.iter().flat_map(|l| l["nmsEvent"].as_array().unwrap().clone()).collect()
}

/// Polls until `done` holds for the lists gathered so far (at most 40 polls).
async fn collect_until(env: &Env, ch: &Value, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    let mut lists = Vec::new();
    for _ in 0..40 {
        let (status, body) = poll(env, ch).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        lists.extend(lists_of(&body));
        if done(&lists) {
            return lists;
        }
    }
    panic!("condition not reached; got {lists:?}");
}

/// Polls until `quiet` consecutive polls come back empty.
async fn drain(env: &Env, ch: &Value, quiet: usize) -> Vec<Value> {
    let (mut lists, mut empty) = (Vec::new(), 0);
    while empty < quiet {
        let (status, body) = poll(env, ch).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let got = lists_of(&body);
        empty = if got.is_empty() { empty + 1 } else { 0 };
        lists.extend(got);
    }
    lists
}

fn has_event(lists: &[Value], kind: &str, url: &str) -> bool {
    events_of(lists).iter().any(|e| e[kind]["resourceURL"] == url)
}

#[tokio::test]
async fn channel_crud_and_lifetime() {
    let env = env_with(|_| {}).await;
    let ch = create_channel(&env, json!({"channelLifetime": 7200, "applicationTag": "t"})).await;
    let url = ch["resourceURL"].as_str().unwrap().to_string();
    assert!(url.starts_with(&channels_url(&env)));
    assert_eq!(ch["callbackURL"], format!("{url}/callback"));
    assert_eq!(ch["channelData"]["channelURL"], format!("{url}/notifications"));
    assert_eq!(ch["channelData"]["maxNotifications"], 100);
    assert_eq!(ch["channelLifetime"], 7200);
    assert_eq!(ch["channelType"], "LongPolling");
    assert_eq!(ch["clientCorrelator"], "c1");

    // Default and capped lifetimes.
    let d = create_channel(&env, json!({})).await;
    assert_eq!(d["channelLifetime"], 3600);
    let big = create_channel(&env, json!({"channelLifetime": 1_000_000})).await;
    assert_eq!(big["channelLifetime"], 86400);

    // The OMA list form.
    let v = env.get_json(&channels_url(&env)).await;
    let list = &v["notificationChannelList"];
    assert_eq!(list["resourceURL"], channels_url(&env));
    assert_eq!(list["notificationChannel"].as_array().unwrap().len(), 3);
    assert_eq!(env.get_json(&url).await["notificationChannel"], ch);

    // Remaining lifetime, then an update that is granted.
    let left = env.get_json(&format!("{url}/channelLifetime")).await["notificationChannelLifetime"]["channelLifetime"]
        .as_u64()
        .unwrap();
    assert!((7000..=7200).contains(&left), "{left}");
    let r = env
        .req(Method::PUT, &format!("{url}/channelLifetime"))
        .json(&json!({"notificationChannelLifetime": {"channelLifetime": 100}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap(), json!({"notificationChannelLifetime": {"channelLifetime": 100}}));
    let left = env.get_json(&format!("{url}/channelLifetime")).await["notificationChannelLifetime"]["channelLifetime"]
        .as_u64()
        .unwrap();
    assert!(left <= 100);

    // Unsupported type; methods not allowed.
    let r = env
        .req(Method::POST, &channels_url(&env))
        .json(&json!({"notificationChannel": {"channelType": "WebSockets"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400, "NC TS §6.1.5.7: an unsupported channel type is a Bad Request");
    assert_eq!(message_id(r).await, "POL1023");
    let r = env.req(Method::GET, &poll_url(&ch)).send().await.unwrap();
    assert_eq!(r.status(), 405);
    let r = env.req(Method::PUT, &url).send().await.unwrap();
    assert_eq!(r.status(), 405);

    // Delete.
    let r = env.req(Method::DELETE, &url).send().await.unwrap();
    assert_eq!(r.status(), 204);
    let r = env.req(Method::GET, &url).send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(message_id(r).await, "SVC0004");
    let (status, _) = poll(&env, &ch).await;
    assert_eq!(status, 404);

    // Expiry: a one-second channel is gone once its lifetime has passed.
    let short = create_channel(&env, json!({"channelLifetime": 1})).await;
    tokio::time::sleep(Duration::from_millis(1300)).await;
    let r = env.req(Method::GET, short["resourceURL"].as_str().unwrap()).send().await.unwrap();
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn long_poll_times_out_with_an_empty_list() {
    let env = env_with(|_| {}).await;
    let ch = create_channel(&env, json!({})).await;
    // Both accepted bodies: the JSON null parameters and nothing at all.
    let (status, body) = poll(&env, &ch).await;
    assert_eq!(status, 200);
    assert_eq!(body, json!({"notificationList": []}));
    let r = env.req(Method::POST, &poll_url(&ch)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap(), json!({"notificationList": []}));
}

#[tokio::test]
async fn long_poll_returns_on_a_change() {
    // A poll timeout far beyond the test: an answer with an event can only come from the change.
    let env = env_with(|c| c.long_poll_timeout = Duration::from_secs(120)).await;
    let ch = create_channel(&env, json!({})).await;
    subscribe_ok(&env, &ch, json!({})).await;
    let waiter = {
        let http = env.http.clone();
        let url = poll_url(&ch);
        tokio::spawn(async move {
            let r = http.post(url).basic_auth("alice", Some("alice-pw")).send().await.unwrap();
            (r.status(), r.json::<Value>().await.unwrap())
        })
    };
    wait_for_polls(&env, &ch, 1).await;
    let id = env.create_simple("/inbox", "2024-01-01T00:00:00Z", "hi").await;
    let (status, body) = waiter.await.unwrap();
    assert_eq!(status, 200);
    let lists = lists_of(&body);
    assert!(!lists.is_empty());
    assert!(has_event(&lists, "changedObject", &format!("{}/objects/{id}", env.base)), "{body}");
}

#[tokio::test]
async fn second_poll_ends_the_first_with_409_and_delete_ends_a_poll_with_404() {
    let env = env_with(|c| c.long_poll_timeout = Duration::from_secs(120)).await;
    let ch = create_channel(&env, json!({})).await;
    let spawn_poll = || {
        let http = env.http.clone();
        let url = poll_url(&ch);
        tokio::spawn(async move {
            let r = http.post(url).basic_auth("alice", Some("alice-pw")).send().await.unwrap();
            (r.status(), r.json::<Value>().await.unwrap())
        })
    };
    let first = spawn_poll();
    wait_for_polls(&env, &ch, 1).await;
    let second = spawn_poll();
    let (status, body) = first.await.unwrap();
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["requestError"]["serviceException"]["messageId"], "SVC1012");

    let r = env.req(Method::DELETE, ch["resourceURL"].as_str().unwrap()).send().await.unwrap();
    assert_eq!(r.status(), 204);
    let (status, body) = second.await.unwrap();
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["requestError"]["serviceException"]["messageId"], "SVC0004");
}

#[tokio::test]
async fn subscription_lifecycle_and_replay_on_update() {
    let env = env_with(|_| {}).await;
    let ch = create_channel(&env, json!({})).await;

    // notifyURL must be a channel callbackURL of this server.
    let r = env
        .post_json(
            "subscriptions",
            &json!({"nmsSubscription": {"callbackReference": {"notifyURL": "http://elsewhere/cb"}}}),
        )
        .await;
    assert_eq!(r.status(), 400);
    assert_eq!(message_id(r).await, "SVC0002");

    let r = subscribe(&env, &ch, json!({"clientCorrelator": "corr-9"})).await;
    assert_eq!(r.status(), 201);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    let sub = r.json::<Value>().await.unwrap()["nmsSubscription"].clone();
    assert_eq!(sub["resourceURL"], location);
    assert!(location.starts_with(&format!("{}/subscriptions/", env.base)));
    assert_eq!(sub["index"], 1);
    assert_eq!(sub["clientCorrelator"], "corr-9");
    assert_eq!(sub["callbackReference"]["notifyURL"], ch["callbackURL"]);
    let token0 = sub["restartToken"].as_str().unwrap().to_string();
    assert!(!token0.is_empty());
    assert!(sub["duration"].as_u64().unwrap() > 3500);

    let listed = env.get_json("subscriptions").await;
    assert_eq!(listed["nmsSubscriptionList"]["resourceURL"], format!("{}/subscriptions", env.base));
    assert_eq!(listed["nmsSubscriptionList"]["subscription"][0]["resourceURL"], location);
    assert_eq!(env.get_json(&location).await["nmsSubscription"]["index"], 1);

    // A change arrives as list 1, linked to the subscription.
    let id = env.create_simple("/inbox", "2024-01-01T00:00:00Z", "one").await;
    let obj_url = format!("{}/objects/{id}", env.base);
    let lists = collect_until(&env, &ch, |l| has_event(l, "changedObject", &obj_url)).await;
    assert_eq!(lists[0]["index"], 1);
    assert_eq!(lists[0]["link"][0], json!({"rel": "NmsSubscription", "href": location}));
    let seq = events_of(&lists).iter().find(|e| e["changedObject"]["resourceURL"] == obj_url).unwrap()["changedObject"]
        ["lastModSeq"]
        .clone();
    let next = lists.last().unwrap()["index"].as_u64().unwrap() + 1;

    // Update with the first token: the next index (not reset) and a replay of the same change.
    let r =
        env.post_json(&location, &json!({"nmsSubscriptionUpdate": {"duration": 600, "restartToken": token0}})).await;
    assert_eq!(r.status(), 200);
    let upd = r.json::<Value>().await.unwrap()["nmsSubscription"].clone();
    assert_eq!(upd["index"], next);
    assert_eq!(upd["restartToken"], token0);
    assert!(upd["duration"].as_u64().unwrap() <= 600);
    let replay = collect_until(&env, &ch, |l| has_event(l, "changedObject", &obj_url)).await;
    assert_eq!(replay[0]["index"], next);
    let again = events_of(&replay).into_iter().find(|e| e["changedObject"]["resourceURL"] == obj_url).unwrap();
    assert_eq!(again["changedObject"]["lastModSeq"], seq);

    // PUT is not how subscriptions are updated.
    let r = env.req(Method::PUT, &location).json(&json!({})).send().await.unwrap();
    assert_eq!(r.status(), 405);

    let r = env.req(Method::DELETE, &location).send().await.unwrap();
    assert_eq!(r.status(), 204);
    let r = env.req(Method::GET, &location).send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(message_id(r).await, "SVC0004");
    assert_eq!(env.get_json("subscriptions").await["nmsSubscriptionList"]["subscription"], json!([]));
}

#[tokio::test]
async fn every_change_kind_produces_its_event() {
    let env = env_with(|_| {}).await;
    let ch = create_channel(&env, json!({})).await;
    subscribe_ok(&env, &ch, json!({})).await;
    let furl = |id: &str| format!("{}/folders/{id}", env.base);

    // Object created (its folder is created on the way), flagged, moved, deleted.
    let id = env.create_simple("/a", "2024-01-01T00:00:00Z", "x").await;
    let ourl = format!("{}/objects/{id}", env.base);
    let a = id_of(env.get_json(&format!("objects/{id}")).await["object"]["parentFolder"].as_str().unwrap());
    let r = env.req(Method::PUT, &format!("objects/{id}/flags/%5CSeen")).send().await.unwrap();
    assert!(r.status().is_success());
    let r = env.post_json("folders", &json!({"folder": {"parentFolderPath": "/", "name": "b"}})).await;
    assert_eq!(r.status(), 201);
    let b = id_of(r.json::<Value>().await.unwrap()["reference"]["resourceURL"].as_str().unwrap());
    let r = env
        .post_json(
            "folders/operations/moveToFolder",
            &json!({"targetSourceRef": {"targetRef": {"resourceURL": furl(&b)},
            "sourceRefs": {"objects": {"objectReference": [{"resourceURL": ourl}]}}}}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let r = env.req(Method::DELETE, &format!("objects/{id}")).send().await.unwrap();
    assert_eq!(r.status(), 204);
    // Folder renamed, then deleted.
    let r = env.req(Method::PUT, &format!("folders/{b}/folderName")).json(&json!({"name": "b2"})).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let r = env.req(Method::DELETE, &format!("folders/{b}")).send().await.unwrap();
    assert!(r.status().is_success());

    let lists = collect_until(&env, &ch, |l| has_event(l, "deletedFolder", &furl(&b))).await;
    let events = events_of(&lists);
    let kinds: Vec<(String, Value)> = events
        .iter()
        .map(|e| {
            let (k, v) = e.as_object().unwrap().iter().next().unwrap();
            (k.clone(), v.clone())
        })
        .collect();
    let objs: Vec<&Value> =
        kinds.iter().filter(|(k, v)| k == "changedObject" && v["resourceURL"] == ourl).map(|(_, v)| v).collect();
    assert_eq!(objs.len(), 3, "create, flag, move: {kinds:?}");
    assert_eq!(objs[0]["parentFolder"], furl(&a));
    assert_eq!(objs[0]["flags"]["flag"], json!([]));
    assert_eq!(objs[1]["flags"]["flag"], json!(["\\Seen"]));
    assert_eq!(objs[2]["parentFolder"], furl(&b));
    let seqs: Vec<u64> = objs.iter().map(|o| o["lastModSeq"].as_u64().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
    assert!(kinds.iter().any(|(k, v)| k == "deletedObject" && v["resourceURL"] == ourl));
    assert!(kinds.iter().any(|(k, v)| k == "changedFolder" && v["resourceURL"] == furl(&a) && v["name"] == "a"));
    let folder_b: Vec<&Value> =
        kinds.iter().filter(|(k, v)| k == "changedFolder" && v["resourceURL"] == furl(&b)).map(|(_, v)| v).collect();
    assert_eq!(folder_b.len(), 2, "created and renamed");
    assert_eq!(folder_b[0]["name"], "b");
    assert_eq!(folder_b[1]["name"], "b2");
    assert!(folder_b[0]["parentFolder"].as_str().unwrap().contains("/folders/"));
    // Indexes are contiguous from 1 and every list carries a restartToken.
    let idx: Vec<u64> = lists.iter().map(|l| l["index"].as_u64().unwrap()).collect();
    assert_eq!(idx, (1..=idx.len() as u64).collect::<Vec<_>>());
    assert!(lists.iter().all(|l| l["restartToken"].as_str().is_some_and(|t| !t.is_empty())));
}

#[tokio::test]
async fn filter_by_message_context() {
    let env = env_with(|_| {}).await;
    let ch = create_channel(&env, json!({})).await;
    subscribe_ok(
        &env,
        &ch,
        json!({"filter": {"criterion": [{"type": "Attribute", "name": "Message-Context", "value": "pager-message"}]}}),
    )
    .await;
    let chat = env
        .create(json!({"parentFolderPath": "/chat", "attributes": {"attribute": [
            {"name": "Date", "value": ["2024-01-01T00:00:00Z"]},
            {"name": "Message-Context", "value": ["chat-message"]}]}}))
        .await;
    let sms = env.create_simple("/sms", "2024-01-02T00:00:00Z", "sms").await;
    let last = env.create_simple("/sms", "2024-01-03T00:00:00Z", "sentinel").await;
    env.req(Method::PUT, &format!("objects/{chat}/flags/%5CSeen")).send().await.unwrap();
    env.req(Method::DELETE, &format!("objects/{chat}")).send().await.unwrap();
    env.req(Method::DELETE, &format!("objects/{sms}")).send().await.unwrap();
    let sms_url = format!("{}/objects/{sms}", env.base);
    let lists = collect_until(&env, &ch, |l| has_event(l, "deletedObject", &sms_url)).await;
    let urls: Vec<String> = events_of(&lists)
        .iter()
        .map(|e| e.as_object().unwrap().values().next().unwrap()["resourceURL"].as_str().unwrap().to_string())
        .collect();
    assert!(urls.contains(&format!("{}/objects/{last}", env.base)));
    assert!(urls.contains(&sms_url));
    assert!(!urls.iter().any(|u| u.ends_with(&chat)), "{urls:?}");
    // Folders carry no Message-Context, so they are filtered out too.
    assert!(!urls.iter().any(|u| u.contains("/folders/")), "{urls:?}");
}

#[tokio::test]
async fn replay_after_a_restart_token_delivers_exactly_the_missed_changes() {
    let env = env_with(|_| {}).await;
    let ch = create_channel(&env, json!({})).await;
    let sub = subscribe_ok(&env, &ch, json!({})).await;
    let seen = env.create_simple("/inbox", "2024-01-01T00:00:00Z", "seen").await;
    let seen_url = format!("{}/objects/{seen}", env.base);
    let lists = collect_until(&env, &ch, |l| has_event(l, "changedObject", &seen_url)).await;
    let token = lists.last().unwrap()["restartToken"].as_str().unwrap().to_string();

    // The client goes away; changes happen meanwhile.
    let r = env.req(Method::DELETE, sub["resourceURL"].as_str().unwrap()).send().await.unwrap();
    assert_eq!(r.status(), 204);
    let r = env.req(Method::DELETE, ch["resourceURL"].as_str().unwrap()).send().await.unwrap();
    assert_eq!(r.status(), 204);
    let m1 = env.create_simple("/inbox", "2024-01-02T00:00:00Z", "missed 1").await;
    env.req(Method::PUT, &format!("objects/{m1}/flags/%5CFlagged")).send().await.unwrap();
    env.req(Method::DELETE, &format!("objects/{seen}")).send().await.unwrap();
    let missed = [
        ("changedObject", format!("{}/objects/{m1}", env.base)),
        ("changedObject", format!("{}/objects/{m1}", env.base)),
        ("deletedObject", seen_url.clone()),
    ];

    // Back with a new channel and the last token: exactly the missed changes, in order.
    let ch2 = create_channel(&env, json!({})).await;
    let sub2 = subscribe_ok(&env, &ch2, json!({"restartToken": token})).await;
    assert_eq!(sub2["restartToken"], token);
    assert_eq!(sub2["index"], 1);
    let lists = drain(&env, &ch2, 2).await;
    assert_eq!(lists[0]["index"], 1);
    let got: Vec<(String, String)> = events_of(&lists)
        .iter()
        .map(|e| {
            let (k, v) = e.as_object().unwrap().iter().next().unwrap();
            (k.clone(), v["resourceURL"].as_str().unwrap().to_string())
        })
        .collect();
    let want: Vec<(String, String)> = missed.iter().map(|(k, u)| (k.to_string(), u.clone())).collect();
    assert_eq!(got, want);
}

#[tokio::test]
async fn a_token_older_than_the_retained_log_gives_reset_box_first() {
    let env = env_with(|_| {}).await;
    let ch = create_channel(&env, json!({})).await;
    let sub = subscribe_ok(&env, &ch, json!({})).await;
    let old_token = sub["restartToken"].as_str().unwrap().to_string();
    env.req(Method::DELETE, sub["resourceURL"].as_str().unwrap()).send().await.unwrap();
    for i in 0..5 {
        env.create_simple("/inbox", &format!("2024-01-0{}T00:00:00Z", i + 1), "x").await;
    }
    let removed = notify::truncate_change_log(&env.server.state, ALICE_BOX, 2).await.unwrap();
    assert!(removed > 0);

    let sub = subscribe_ok(&env, &ch, json!({"restartToken": old_token})).await;
    let after = env.create_simple("/inbox", "2024-02-01T00:00:00Z", "after").await;
    let after_url = format!("{}/objects/{after}", env.base);
    let lists = collect_until(&env, &ch, |l| has_event(l, "changedObject", &after_url)).await;
    assert_eq!(lists[0]["index"], 1);
    assert_eq!(lists[0]["nmsEvent"], json!([{"resetBox": {}}]));
    // After the reset only changes from then on: the five truncated-away creations are not replayed.
    let events = events_of(&lists[1..]);
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["changedObject"]["resourceURL"], after_url);
    env.req(Method::DELETE, sub["resourceURL"].as_str().unwrap()).send().await.unwrap();

    // A token of another box validity is reset as well.
    use base64::Engine;
    let foreign = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("v1.not-this-box.3");
    subscribe_ok(&env, &ch, json!({"restartToken": foreign})).await;
    let lists = collect_until(&env, &ch, |l| !l.is_empty()).await;
    assert_eq!(lists[0]["nmsEvent"], json!([{"resetBox": {}}]));
    // A token this server never issued is invalid input.
    let r = subscribe(&env, &ch, json!({"restartToken": "!!garbage"})).await;
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn change_log_retention_setting_ages_tokens_out() {
    let env = env_with(|c| c.change_log_retention = Some(3)).await;
    let ch = create_channel(&env, json!({})).await;
    let sub = subscribe_ok(&env, &ch, json!({})).await;
    let token = sub["restartToken"].as_str().unwrap().to_string();
    env.req(Method::DELETE, sub["resourceURL"].as_str().unwrap()).send().await.unwrap();
    let mut last = String::new();
    for i in 0..6 {
        last = env.create_simple("/r", &format!("2024-01-0{}T00:00:00Z", i + 1), "x").await;
    }
    // The dispatcher prunes after each commit notice: wait until it has caught up.
    let last_url = format!("{}/objects/{last}", env.base);
    let last_seq = env.get_json(&format!("objects/{last}")).await["object"]["lastModSeq"].as_u64().unwrap();
    for _ in 0..200 {
        let oldest = env.server.state.store.read(|c| changes::oldest(c, ALICE_BOX)).await.unwrap();
        if oldest == Some(last_seq - 2) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let oldest = env.server.state.store.read(|c| changes::oldest(c, ALICE_BOX)).await.unwrap();
    assert_eq!(oldest, Some(last_seq - 2), "only the last 3 entries are kept");
    subscribe_ok(&env, &ch, json!({"restartToken": token})).await;
    let lists = collect_until(&env, &ch, |l| !l.is_empty()).await;
    assert_eq!(lists[0]["nmsEvent"], json!([{"resetBox": {}}]), "{lists:?}");
    assert!(!has_event(&lists, "changedObject", &last_url));
}

#[tokio::test]
async fn another_users_box_is_forbidden() {
    let env = env_with(|_| {}).await;
    let ch = create_channel(&env, json!({})).await;
    let bob = |m: Method, url: &str| env.http.request(m, url).basic_auth("bob", Some("bob-pw"));
    let r = bob(Method::GET, &channels_url(&env)).send().await.unwrap();
    assert_eq!(r.status(), 403);
    let r = bob(Method::POST, &channels_url(&env))
        .json(&json!({"notificationChannel": {"channelType": "LongPolling"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = bob(Method::POST, &poll_url(&ch)).send().await.unwrap();
    assert_eq!(r.status(), 403);
    let r = bob(Method::GET, &env.url("subscriptions")).send().await.unwrap();
    assert_eq!(r.status(), 403);
    let r = env.http.get(channels_url(&env)).send().await.unwrap();
    assert_eq!(r.status(), 401);
    // bob cannot point his own subscription at alice's channel either.
    let bob_base = env.server.nms_base(BOB_BOX);
    let r = bob(Method::POST, &format!("{bob_base}/subscriptions"))
        .json(&json!({"nmsSubscription": {"callbackReference": {"notifyURL": ch["callbackURL"]}}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    // The admin may.
    let r = env.http.get(channels_url(&env)).basic_auth("root", Some("root-pw")).send().await.unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn subscriptions_survive_a_restart() {
    let env = env_with(|_| {}).await;
    let ch = create_channel(&env, json!({})).await;
    let sub = subscribe_ok(&env, &ch, json!({"duration": 900})).await;
    let id = env.create_simple("/inbox", "2024-01-01T00:00:00Z", "x").await;
    let url = format!("{}/objects/{id}", env.base);
    collect_until(&env, &ch, |l| has_event(l, "changedObject", &url)).await;
    let before = env.get_json(sub["resourceURL"].as_str().unwrap()).await["nmsSubscription"].clone();
    assert_eq!(before["index"], 2);
    let sub_id = id_of(sub["resourceURL"].as_str().unwrap());
    let Env { server, dir, .. } = env;
    server.shutdown().await;

    let env = start_in(dir, |c| c.long_poll_timeout = Duration::from_millis(400)).await;
    let after = env.get_json(&format!("subscriptions/{sub_id}")).await["nmsSubscription"].clone();
    assert_eq!(after["index"], 2);
    assert_eq!(after["restartToken"], before["restartToken"]);
    assert_eq!(after["callbackReference"], before["callbackReference"]);
    assert!(after["duration"].as_u64().unwrap() <= 900);
}

#[tokio::test]
async fn fault_mode_drops_duplicates_and_reorders() {
    let env = env_with(|c| c.fault = FaultConfig { drop: 0.2, duplicate: 0.2, reorder: 0.2, seed: 7 }).await;
    let ch = create_channel(&env, json!({})).await;
    subscribe_ok(&env, &ch, json!({})).await;
    for i in 0..60 {
        env.create_simple("/f", &format!("2024-01-01T00:00:{i:02}Z"), "x").await;
    }
    // Quiet for longer than a held-back list may wait for a successor.
    let lists = drain(&env, &ch, 7).await;
    let idx: Vec<u64> = lists.iter().map(|l| l["index"].as_u64().unwrap()).collect();
    let distinct: HashSet<u64> = idx.iter().copied().collect();
    let max = *idx.iter().max().unwrap();
    let missing = (1..=max).filter(|i| !distinct.contains(i)).count();
    assert!(missing > 0, "nothing dropped: {idx:?}");
    assert!(idx.len() > distinct.len(), "nothing duplicated: {idx:?}");
    assert!(idx.windows(2).any(|w| w[1] < w[0]), "nothing reordered: {idx:?}");
    // What got through is intact: every list links the subscription and carries events.
    assert!(
        lists
            .iter()
            .all(|l| l["link"][0]["rel"] == "NmsSubscription" && !events_of(std::slice::from_ref(l)).is_empty())
    );
}

#[tokio::test]
async fn an_expired_subscription_stops_delivering_and_answers_404() {
    let env = env_with(|_| {}).await;
    let ch = create_channel(&env, json!({})).await;
    let sub = subscribe_ok(&env, &ch, json!({"duration": 1})).await;
    let url = sub["resourceURL"].as_str().unwrap().to_string();
    tokio::time::sleep(Duration::from_millis(1300)).await;
    let r = env.req(Method::GET, &url).send().await.unwrap();
    assert_eq!(r.status(), 404);
    let r = env.post_json(&url, &json!({"nmsSubscriptionUpdate": {"duration": 60}})).await;
    assert_eq!(r.status(), 404);
    env.create_simple("/late", "2024-01-01T00:00:00Z", "x").await;
    assert!(drain(&env, &ch, 2).await.is_empty());
    assert_eq!(env.get_json("subscriptions").await["nmsSubscriptionList"]["subscription"], json!([]));
}

#[tokio::test]
async fn the_callback_url_queues_a_pushed_event_list() {
    let env = env_with(|_| {}).await;
    let ch = create_channel(&env, json!({})).await;
    let list = json!({"nmsEventList": {"index": 5, "restartToken": "t", "nmsEvent": [{"resetBox": {}}]}});
    let r = env.post_json(ch["callbackURL"].as_str().unwrap(), &list).await;
    assert_eq!(r.status(), 204);
    let (status, body) = poll(&env, &ch).await;
    assert_eq!(status, 200);
    assert_eq!(body, json!({"notificationList": [list]}));
}
