//! Hostile request bodies against the reference server (issue 9, items 5, 8, 9, 11): bounded
//! folder depth with iterative tree walks, malformed bodies that answer 400 SVC0002 and change
//! nothing, capped attribute counts and sizes, and dates / restartTokens out of range.

use crate::server_support;

use cpmctl::server::notify::subscriptions::{decode_token, encode_token};
use cpmctl::server::store::Import;
use cpmctl::wire::AttributeList;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use server_support::*;

const ALICE_NC: &str = "tel%3A%2B15550001111";

fn channels_url(env: &Env) -> String {
    format!("{}/notificationchannel/v1/{ALICE_NC}/channels", env.server.root_url())
}

/// A request with a raw JSON body (so that `null`, `[]` and scalars can be sent as they are).
async fn send_raw(env: &Env, method: Method, rel: &str, body: &str) -> reqwest::Response {
    env.req(method, rel).header("content-type", "application/json").body(body.to_string()).send().await.unwrap()
}

async fn body_of(r: reqwest::Response) -> Value {
    r.json().await.unwrap_or(Value::Null)
}

/// Everything a malformed body could change: every object (with flags and lastModSeq),
/// every folder, the flags of one object, the subscriptions and the channels.
async fn snapshot(env: &Env, object_id: &str) -> Value {
    let objects = env
        .post_json("objects/operations/search", &json!({"selectionCriteria": {"maxEntries": 1000}}))
        .await
        .json::<Value>()
        .await
        .unwrap();
    let folders = env
        .post_json("folders/operations/search", &json!({"selectionCriteria": {"maxEntries": 1000}}))
        .await
        .json::<Value>()
        .await
        .unwrap();
    let flags = env.get_json(&format!("objects/{object_id}/flags")).await;
    let mut subs = env.get_json("subscriptions").await;
    // The remaining duration counts down by itself.
    if let Some(list) = subs["nmsSubscriptionList"]["subscription"].as_array_mut() {
        for s in list {
            s["duration"] = Value::Null;
        }
    }
    let channels = env.get_json(&channels_url(env)).await;
    json!({"objects": objects, "folders": folders, "flags": flags, "subs": subs, "channels": channels})
}

fn sms(folder: &str, text: &str) -> Value {
    json!({
        "parentFolderPath": folder,
        "attributes": {"attribute": [
            {"name": "Date", "value": ["2024-05-01T10:00:00Z"]},
            {"name": "Message-Context", "value": ["pager-message"]},
            {"name": "TextContent", "value": [text]}
        ]},
        "flags": {"flag": ["\\Seen", "\\Flagged"]}
    })
}

#[tokio::test]
async fn malformed_bodies_answer_400_and_change_nothing() {
    let env =
        start_in(tempfile::tempdir().unwrap(), |c| c.long_poll_timeout = std::time::Duration::from_millis(300)).await;
    let id = env.create(sms("/conv-1", "hello")).await;
    let folder = id_of(
        env.get_json("folders/operations/pathToId?path=/conv-1").await["reference"]["resourceURL"].as_str().unwrap(),
    );
    let root = env.root_folder_id().await;
    let ch = env
        .req(Method::POST, &channels_url(&env))
        .json(&json!({"notificationChannel": {"channelType": "LongPolling", "channelData": {"maxNotifications": 10}}}))
        .send()
        .await
        .unwrap();
    assert_eq!(ch.status(), StatusCode::CREATED);
    let ch: Value = ch.json().await.unwrap();
    let callback = ch["notificationChannel"]["callbackURL"].as_str().unwrap().to_string();
    let sub = env
        .post_json("subscriptions", &json!({"nmsSubscription": {"callbackReference": {"notifyURL": callback}}}))
        .await;
    assert_eq!(sub.status(), StatusCode::CREATED);
    let sub_url = sub.headers()["location"].to_str().unwrap().to_string();
    let ch_url = ch["notificationChannel"]["resourceURL"].as_str().unwrap().to_string();

    let valid_object = sms("/conv-2", "dropped?").to_string();
    let valid_tsr = json!({"targetRef": {"resourceURL": env.url(&format!("folders/{root}"))},
        "sourceRefs": {"objects": {"objectReference": [{"resourceURL": env.url(&format!("objects/{id}"))}]}}})
    .to_string();
    let common = ["null", "[]", "\"text\"", "42", "true", "{\"x\": [1, 2]}"];
    // (method, route, malformed bodies beyond the common ones)
    let table: Vec<(Method, String, Vec<String>)> = vec![
        (
            Method::POST,
            "objects".into(),
            vec![
                "{}".into(),
                "{\"object\": null}".into(),
                "{\"object\": []}".into(),
                "{\"object\": {}}".into(),
                format!("{{\"object\": {valid_object}, \"clientCorrelator\": \"x\"}}"),
                format!("{{\"objects\": {valid_object}}}"),
                "{\"object\": {\"attributes\": {\"attribute\": []}}}".into(),
                "{\"object\": {\"attributes\": {\"attribute\": [{\"name\": \"\", \"value\": [\"x\"]}]}}}".into(),
                "{\"object\": {\"attributeList\": {\"attribute\": [{\"name\": \"Date\", \"value\": [\"x\"]}]}}}".into(),
            ],
        ),
        (
            Method::PUT,
            format!("objects/{id}/flags"),
            vec![
                "{}".into(),
                "{\"flagList\": null}".into(),
                "{\"flagList\": []}".into(),
                "{\"flagList\": {}}".into(),
                "{\"flags\": {\"flag\": []}}".into(),
                "{\"object\": {\"flags\": {\"flag\": []}}}".into(),
                "{\"flagList\": {\"flag\": []}, \"extra\": 1}".into(),
                "{\"flagList\": {\"flag\": [], \"flags\": [\"\\\\Seen\"]}}".into(),
            ],
        ),
        (
            Method::PUT,
            format!("objects/{id}/flags/%5CDeleted"),
            vec!["{\"flag\": \"x\"}".into(), "{\"empty\": 1, \"x\": 2}".into()],
        ),
        (
            Method::POST,
            "folders".into(),
            vec![
                "{}".into(),
                "{\"folder\": null}".into(),
                "{\"folder\": []}".into(),
                "{\"folder\": {\"parentFolderPath\": \"/\", \"name\": \"n\"}, \"x\": 1}".into(),
                "{\"folder\": {\"parentFolderPath\": \"/\", \"nam\": \"n\"}}".into(),
            ],
        ),
        (
            Method::PUT,
            format!("folders/{folder}/folderName"),
            vec![
                "{}".into(),
                "{\"name\": null}".into(),
                "{\"name\": \"\"}".into(),
                "{\"name\": [\"a\"]}".into(),
                "{\"name\": \"a\", \"x\": 1}".into(),
            ],
        ),
        (
            Method::POST,
            "objects/operations/search".into(),
            vec!["{\"selectionCriteria\": []}".into(), "{\"selectionCriteria\": {\"maxEntrys\": 5}}".into()],
        ),
        (Method::POST, "folders/operations/search".into(), vec!["{\"selectionCriteria\": []}".into()]),
        (
            Method::POST,
            "objects/operations/bulkCreation".into(),
            vec![
                "{}".into(),
                "{\"objectList\": {}}".into(),
                "{\"objectList\": {\"object\": [{}]}}".into(),
                format!("{{\"objectList\": {{\"object\": [{valid_object}, {{}}]}}}}"),
                format!("{{\"objectList\": {{\"object\": [{valid_object}]}}, \"x\": 1}}"),
            ],
        ),
        (
            Method::POST,
            "objects/operations/bulkUpdate".into(),
            vec![
                "{}".into(),
                "{\"bulkUpdate\": {\"operation\": \"AddFlag\", \"flags\": {\"flag\": [\"\\\\Seen\"]}}}".into(),
                "{\"bulkUpdate\": {\"operation\": \"Erase\", \"selectionCriteria\": {}, \"flags\": {\"flag\": [\"a\"]}}}"
                    .into(),
                "{\"bulkUpdate\": {\"operation\": \"RemoveFlag\", \"selectionCriteria\": {}, \"flags\": {\"flag\": [\"\\\\Seen\"]}}, \"x\": 1}"
                    .into(),
                "{\"bulkUpdate\": {\"operation\": \"RemoveFlag\", \"selectionCriteria\": {}, \"flagz\": {\"flag\": [\"\\\\Seen\"]}}}"
                    .into(),
            ],
        ),
        (
            Method::POST,
            "objects/operations/bulkDelete".into(),
            vec![
                "{}".into(),
                "{\"bulkDelete\": {}}".into(),
                "{\"bulkDelete\": {\"objects\": {\"objectReference\": []}}}".into(),
                "{\"bulkDelete\": {\"selectionCriteria\": {}}, \"x\": 1}".into(),
                "{\"bulkDelete\": {\"selectionCriterias\": {}}}".into(),
            ],
        ),
        (Method::DELETE, "objects/operations/bulkDelete".into(), vec!["{}".into(), "{\"bulkDelete\": null}".into()]),
        (Method::POST, "objects/operations/pathToId".into(), vec!["{\"pathList\": []}".into()]),
        (Method::POST, "folders/operations/pathToId".into(), vec!["{\"pathList\": {\"paths\": [\"/\"]}}".into()]),
        (
            Method::POST,
            "folders/operations/moveToFolder".into(),
            vec!["{}".into(), format!("{{\"targetSourceRef\": {valid_tsr}, \"x\": 1}}")],
        ),
        (
            Method::POST,
            "folders/operations/copyToFolder".into(),
            vec!["{}".into(), "{\"targetSourceRef\": []}".into(), format!("{{\"targetSourceRef\": {valid_tsr}, \"x\": 1}}")],
        ),
        (
            Method::POST,
            channels_url(&env),
            vec![format!(
                "{{\"notificationChannel\": {{\"channelType\": \"LongPolling\", \"channelData\": {{}}}}, \"clientCorrelator\": \"x\"}}"
            )],
        ),
        (Method::PUT, format!("{ch_url}/channelLifetime"), vec!["{}".into(), "{\"channelLifetime\": []}".into()]),
        (
            Method::POST,
            "subscriptions".into(),
            vec![format!(
                "{{\"nmsSubscription\": {{\"callbackReference\": {{\"notifyURL\": \"{callback}\"}}}}, \"x\": 1}}"
            )],
        ),
        (Method::POST, sub_url.clone(), vec!["{\"nmsSubscriptionUpdate\": {\"restartTokn\": \"x\"}}".into()]),
        (
            Method::POST,
            format!("{ch_url}/callback"),
            vec![
                "{}".into(),
                "{\"nmsEventList\": {}}".into(),
                "{\"nmsEventList\": {\"nmsEvent\": []}}".into(),
                "{\"notificationList\": []}".into(),
            ],
        ),
    ];

    let before = snapshot(&env, &id).await;
    let mut failures = Vec::new();
    for (method, route, extra) in &table {
        for body in common.iter().map(|s| s.to_string()).chain(extra.iter().cloned()) {
            let r = send_raw(&env, method.clone(), route, &body).await;
            let status = r.status();
            let v = body_of(r).await;
            let id = v["requestError"]["serviceException"]["messageId"].as_str().unwrap_or("");
            if status != StatusCode::BAD_REQUEST || id != "SVC0002" {
                failures.push(format!("{method} {route} {body} -> {status} {v}"));
            }
            let after = snapshot(&env, &id_of_flags(&before)).await;
            if after != before {
                failures.push(format!("{method} {route} {body} changed the box"));
                break;
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} malformed bodies were not refused cleanly:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Nothing was queued on the channel either.
    let r = env
        .req(Method::POST, &format!("{ch_url}/notifications"))
        .json(&json!({"longPollingRequestParameters": null}))
        .send()
        .await
        .unwrap();
    let status = r.status();
    let v = body_of(r).await;
    let lists = v["notificationList"].as_array().map(Vec::len).unwrap_or(0);
    assert_eq!(lists, 0, "{status} {v}");
}

/// The object id the snapshot's flags belong to.
fn id_of_flags(snapshot: &Value) -> String {
    let url = snapshot["flags"]["flagList"]["resourceURL"].as_str().unwrap_or("");
    id_of(url.trim_end_matches("/flags"))
}

#[tokio::test]
async fn tolerated_forms_still_work() {
    let env = start().await;
    // Bare bodies (as Samsung sends them), case-insensitive root names and attribute names.
    let r = env.post_json("objects", &sms("/conv-1", "bare")).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = env.post_json("objects", &json!({"Object": sms("/conv-1", "upper root")})).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = id_of(r.json::<Value>().await.unwrap()["reference"]["resourceURL"].as_str().unwrap());
    // An explicit empty flag list clears the flags.
    let r = env.req(Method::PUT, &format!("objects/{id}/flags")).json(&json!({"flagList": {"flag": []}})).send().await;
    assert_eq!(r.unwrap().status(), StatusCode::OK);
    assert_eq!(env.get_json(&format!("objects/{id}/flags")).await["flagList"]["flag"], json!([]));
    let r = env.req(Method::PUT, &format!("objects/{id}/flags")).json(&json!({"flag": "\\Seen"})).send().await;
    assert_eq!(r.unwrap().status(), StatusCode::OK);
    // A flag PUT with `{"empty": null}` or no body.
    let r = env.req(Method::PUT, &format!("objects/{id}/flags/%5CFlagged")).json(&json!({"empty": null})).send().await;
    assert_eq!(r.unwrap().status(), StatusCode::CREATED);
    let r = env.req(Method::PUT, &format!("objects/{id}/flags/%5CAnswered")).send().await;
    assert_eq!(r.unwrap().status(), StatusCode::CREATED);
    // A whole object as read back (resourceURL, path, payloadURL…) is accepted as a create body.
    let read = env.get_json(&format!("objects/{id}")).await;
    assert_eq!(env.post_json("objects", &read).await.status(), StatusCode::CREATED);
    // Size as a string, bulkDelete by selection with an empty criteria list.
    let r = env.post_json("objects/operations/search", &json!({"selectionCriteria": {"maxEntries": "5"}})).await;
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn folder_depth_is_bounded() {
    let env = start_in(tempfile::tempdir().unwrap(), |c| c.max_folder_depth = 8).await;
    let id = env.create(sms("/keep", "x")).await;
    let path = |n: usize| (1..=n).map(|i| format!("/l{i}")).collect::<String>();
    // An object path of 9 levels: refused before any folder is created.
    let before = snapshot(&env, &id).await;
    let r = env.post_json("objects", &json!({"object": sms(&path(9), "deep")})).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(message_id(r).await, "SVC0002");
    assert_eq!(snapshot(&env, &id).await, before);
    // 8 levels are fine.
    env.create(sms(&path(8), "deep")).await;
    let deepest = id_of(
        env.get_json(&format!("folders/operations/pathToId?path={}", path(8))).await["reference"]["resourceURL"]
            .as_str()
            .unwrap(),
    );
    // A folder under the 8th level: 400.
    let r = env.post_json("folders", &json!({"folder": {"parentFolderPath": path(8), "name": "l9"}})).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(message_id(r).await, "SVC0002");
    let r = env
        .post_json("folders", &json!({"folder": {"parentFolder": env.url(&format!("folders/{deepest}")), "name": "x"}}))
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    // Copying or moving /l1 (8 levels) under /keep (level 1) would reach 9 levels.
    let l1 =
        id_of(env.get_json("folders/operations/pathToId?path=/l1").await["reference"]["resourceURL"].as_str().unwrap());
    let keep = id_of(
        env.get_json("folders/operations/pathToId?path=/keep").await["reference"]["resourceURL"].as_str().unwrap(),
    );
    let before = snapshot(&env, &id).await;
    for op in ["copyToFolder", "moveToFolder"] {
        let r = env
            .post_json(
                &format!("folders/operations/{op}"),
                &json!({"targetSourceRef": {"targetRef": {"resourceURL": env.url(&format!("folders/{keep}"))},
                    "sourceRefs": {"folders": {"folderReference": [{"resourceURL": env.url(&format!("folders/{l1}"))}]}}}}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK, "{op}");
        let v: Value = r.json().await.unwrap();
        let item = &v["bulkResponseList"]["response"][0];
        assert_eq!(item["code"], 400, "{op}: {v}");
        assert_eq!(item["failure"]["serviceException"]["messageId"], "SVC0002", "{op}: {v}");
    }
    assert_eq!(snapshot(&env, &id).await, before);
}

#[tokio::test]
async fn deep_trees_are_walked_without_recursion_and_paths_are_whole() {
    const DEPTH: usize = 3000;
    let env = start_in(tempfile::tempdir().unwrap(), |c| c.max_folder_depth = 2 * DEPTH + 10).await;
    let path = (1..=DEPTH).map(|i| format!("/d{i}")).collect::<String>();
    env.server
        .state
        .store
        .import(ALICE_BOX, Import { folders: vec![(path.clone(), AttributeList::default())], ..Default::default() })
        .await
        .unwrap();
    let d1 =
        id_of(env.get_json("folders/operations/pathToId?path=/d1").await["reference"]["resourceURL"].as_str().unwrap());
    let target = env.post_json("folders", &json!({"folder": {"parentFolderPath": "/", "name": "copy"}})).await;
    assert_eq!(target.status(), StatusCode::CREATED);
    let target = id_of(target.json::<Value>().await.unwrap()["reference"]["resourceURL"].as_str().unwrap());
    let r = env
        .post_json(
            "folders/operations/copyToFolder",
            &json!({"targetSourceRef": {"targetRef": {"resourceURL": env.url(&format!("folders/{target}"))},
                "sourceRefs": {"folders": {"folderReference": [{"resourceURL": env.url(&format!("folders/{d1}"))}]}}}}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["bulkResponseList"]["response"][0]["code"], 200, "{v}");
    // The deepest copy has its whole path (no truncation) and pathToId finds it.
    let copied = format!("/copy{path}");
    let url = format!("folders/operations/pathToId?path={copied}");
    let r = env.req(Method::GET, &url).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["reference"]["path"], copied);
    // Deleting both trees.
    for id in [d1, target] {
        let r = env.req(Method::DELETE, &format!("folders/{id}")).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::NO_CONTENT);
    }
}

#[tokio::test]
async fn attribute_count_and_value_size_are_capped() {
    let env = start_in(tempfile::tempdir().unwrap(), |c| {
        c.max_attributes = 50;
        c.max_attribute_value_bytes = 1000;
    })
    .await;
    let id = env.create(sms("/conv-1", "x")).await;
    let before = snapshot(&env, &id).await;
    let many: Vec<Value> = (0..51).map(|i| json!({"name": format!("X-A{i}"), "value": ["v"]})).collect();
    let many_values: Vec<Value> = (0..51).map(|i| json!(format!("v{i}"))).collect();
    let bodies = [
        json!({"object": {"attributes": {"attribute": many}}}),
        json!({"object": {"attributes": {"attribute": [{"name": "X-A", "value": many_values}]}}}),
        json!({"object": {"attributes": {"attribute": [{"name": "Subject", "value": ["y".repeat(1001)]}]}}}),
        json!({"object": {"attributes": {"attribute": [{"name": "z".repeat(1001), "value": ["v"]}]}}}),
    ];
    for body in &bodies {
        for rel in ["objects", "objects/operations/bulkCreation"] {
            let body =
                if rel == "objects" { body.clone() } else { json!({"objectList": {"object": [body["object"]]}}) };
            let r = env.post_json(rel, &body).await;
            assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{rel}");
            assert_eq!(message_id(r).await, "SVC0002");
        }
        let folder =
            json!({"folder": {"parentFolderPath": "/", "name": "f", "attributes": body["object"]["attributes"]}});
        let r = env.post_json("folders", &folder).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    }
    assert_eq!(snapshot(&env, &id).await, before);
    // At the cap: accepted.
    let fifty: Vec<Value> = (0..50).map(|i| json!({"name": format!("X-A{i}"), "value": ["v"]})).collect();
    assert_eq!(env.post_json("objects", &json!({"object": {"attributes": {"attribute": fifty}}})).await.status(), 201);
}

#[tokio::test]
async fn dates_outside_the_nanosecond_range_are_refused() {
    let env = start().await;
    let id = env.create_simple("/c", "2000-01-01T00:00:00Z", "in range").await;
    let before = snapshot(&env, &id).await;
    for date in ["1500-01-01T00:00:00Z", "1677-09-21T00:00:00Z", "2262-04-12T00:00:00Z", "9999-12-31T23:59:59Z"] {
        let mut o = sms("/c", "out of range");
        o["attributes"]["attribute"][0]["value"] = json!([date]);
        let r = env.post_json("objects", &json!({"object": o})).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{date}");
        assert_eq!(message_id(r).await, "SVC0002");
        let crit = json!({"selectionCriteria": {"searchCriteria": {"criterion":
            [{"type": "Date", "value": format!("minDate={date}")}]}}});
        let r = env.post_json("objects/operations/search", &crit).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "search {date}");
    }
    assert_eq!(snapshot(&env, &id).await, before);
    // The ends of the range still sort correctly.
    env.create_simple("/c", "1678-01-01T00:00:00Z", "old").await;
    env.create_simple("/c", "2262-01-01T00:00:00Z", "new").await;
    let v: Value = env
        .post_json(
            "objects/operations/search",
            &json!({"selectionCriteria": {"sortCriterion": {"type": "Date", "order": "Ascending"}}}),
        )
        .await
        .json()
        .await
        .unwrap();
    let dates: Vec<&str> = v["objectList"]["object"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| {
            o["attributes"]["attribute"].as_array()?.iter().find(|a| a["name"] == "Date")?["value"][0].as_str()
        })
        .collect();
    assert_eq!(dates, ["1678-01-01T00:00:00Z", "2000-01-01T00:00:00Z", "2262-01-01T00:00:00Z"]);
}

#[tokio::test]
async fn forged_restart_token_with_the_largest_sequence_is_refused() {
    let env = start_in(tempfile::tempdir().unwrap(), |c| c.change_log_retention = Some(100)).await;
    let ch = env
        .req(Method::POST, &channels_url(&env))
        .json(&json!({"notificationChannel": {"channelType": "LongPolling", "channelData": {"maxNotifications": 10}}}))
        .send()
        .await
        .unwrap();
    let ch: Value = ch.json().await.unwrap();
    let callback = ch["notificationChannel"]["callbackURL"].as_str().unwrap().to_string();
    let sub = env
        .post_json("subscriptions", &json!({"nmsSubscription": {"callbackReference": {"notifyURL": callback}}}))
        .await;
    assert_eq!(sub.status(), StatusCode::CREATED);
    let sub_url = sub.headers()["location"].to_str().unwrap().to_string();
    let token = sub.json::<Value>().await.unwrap()["nmsSubscription"]["restartToken"].as_str().unwrap().to_string();
    let (validity, _) = decode_token(&token).unwrap();
    for seq in [u64::MAX, u64::MAX - 1, i64::MAX as u64 + 1] {
        let forged = encode_token(&validity, seq);
        let r = env
            .post_json(
                "subscriptions",
                &json!({"nmsSubscription": {"callbackReference": {"notifyURL": callback}, "restartToken": forged}}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "create with seq {seq}");
        assert_eq!(message_id(r).await, "SVC0002");
        let r = env.post_json(&sub_url, &json!({"nmsSubscriptionUpdate": {"restartToken": forged}})).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "update with seq {seq}");
    }
}
