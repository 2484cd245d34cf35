//! objects/operations/search over HTTP: cursor paging, sort order, every criterion type, operators, scope.

use crate::server_support;

use std::collections::HashSet;

use reqwest::Method;
use serde_json::{Value, json};
use server_support::*;

async fn search(env: &Env, body: Value) -> Value {
    let r = env.post_json("objects/operations/search", &body).await;
    assert_eq!(r.status(), 200, "search {body}");
    r.json().await.unwrap()
}

async fn ids_matching(env: &Env, criteria: Value) -> Vec<String> {
    let v = search(
        env,
        json!({"selectionCriteria": {"maxEntries": 1000, "searchCriteria": criteria,
        "sortCriteria": {"criterion": [{"type": "Date", "order": "Ascending"}]}}}),
    )
    .await;
    v["objectList"]["object"].as_array().unwrap().iter().map(|o| id_of(o["resourceURL"].as_str().unwrap())).collect()
}

#[tokio::test]
async fn pages_through_the_box_at_37_seeing_each_object_once() {
    let env = start().await;
    let mut created = HashSet::new();
    // Several objects share a date so the cursor must break ties by id.
    for i in 0..200 {
        let date = format!("2024-01-{:02}T00:00:00Z", 1 + (i % 25));
        created.insert(env.create_simple(&format!("/c{}", i % 7), &date, &format!("m{i}")).await);
    }
    for order in ["Ascending", "Descending"] {
        let mut seen = HashSet::new();
        let mut cursor: Option<String> = None;
        let mut last_date = None::<String>;
        let mut pages = 0;
        loop {
            let mut sel = json!({"maxEntries": 37, "sortCriteria": {"criterion": [{"type": "Date", "order": order}]}});
            if let Some(c) = &cursor {
                sel["fromCursor"] = json!(c);
            }
            // Alternate wrapped and bare bodies.
            let body = if pages % 2 == 0 { json!({ "selectionCriteria": sel }) } else { sel };
            let v = search(&env, body).await;
            let list = &v["objectList"];
            let objs = list["object"].as_array().unwrap();
            assert!(objs.len() <= 37);
            for o in objs {
                assert!(seen.insert(id_of(o["resourceURL"].as_str().unwrap())), "object seen twice");
                let d = o["attributes"]["attribute"][0]["value"][0].as_str().unwrap().to_string();
                if let Some(prev) = &last_date {
                    if order == "Ascending" { assert!(&d >= prev) } else { assert!(&d <= prev) }
                }
                last_date = Some(d);
            }
            pages += 1;
            match list.get("cursor").and_then(Value::as_str) {
                Some(c) => cursor = Some(c.to_string()),
                None => break,
            }
        }
        assert_eq!(seen, created);
        assert_eq!(pages, 6);
    }
}

#[tokio::test]
async fn default_order_is_descending_and_empty_result_is_200() {
    let env = start().await;
    let a = env.create_simple("/x", "2024-01-01T00:00:00Z", "old").await;
    let b = env.create_simple("/x", "2024-02-01T00:00:00Z", "new").await;
    let v = search(&env, json!({"selectionCriteria": {"maxEntries": 10}})).await;
    let ids: Vec<String> = v["objectList"]["object"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| id_of(o["resourceURL"].as_str().unwrap()))
        .collect();
    assert_eq!(ids, vec![b, a]);
    assert!(v["objectList"].get("cursor").is_none());
    let v = search(
        &env,
        json!({"selectionCriteria": {"maxEntries": 10, "searchCriteria": {"criterion": [
        {"type": "Attribute", "name": "From", "value": "nobody"}]}}}),
    )
    .await;
    assert_eq!(v["objectList"]["object"], json!([]));
    assert!(v["objectList"].get("cursor").is_none());
}

#[tokio::test]
async fn criteria_and_operators() {
    let env = start().await;
    let mk = |date: &str, ctx: &str, text: &str, extra: Value, flags: Value, corr: Value| {
        let mut attrs = vec![
            json!({"name": "Date", "value": [date]}),
            json!({"name": "Message-Context", "value": [ctx]}),
            json!({"name": "Subject", "value": [text]}),
        ];
        if let Value::Array(x) = extra {
            attrs.extend(x);
        }
        let mut o = json!({"parentFolderPath": "/s", "attributes": {"attribute": attrs}, "flags": {"flag": flags}});
        if let Value::Object(m) = corr {
            for (k, v) in m {
                o[k] = v;
            }
        }
        o
    };
    let sms = env
        .create(mk(
            "2024-01-01T00:00:00Z",
            "pager-message",
            "Hello World",
            json!([]),
            json!(["\\Seen"]),
            json!({"correlationTag": "tag1"}),
        ))
        .await;
    let chat = env
        .create(mk(
            "2024-01-02T00:00:00+02:00",
            "chat-message",
            "lunch?",
            json!([{"name": "Conversation-ID", "value": ["conv9"]}, {"name": "Contribution-ID", "value": ["contrib9"]},
                   {"name": "InReplyTo-Contribution-ID", "value": ["contrib8"]}]),
            json!([]),
            json!({"correlationId": "imdn-9"}),
        ))
        .await;
    let mms = env
        .create(mk(
            "2024-01-03T00:00:00.5Z",
            "multimedia-message",
            "photos",
            json!([]),
            json!(["\\Flagged"]),
            json!({}),
        ))
        .await;

    let c = |t: &str, n: Option<&str>, v: &str| match n {
        Some(n) => json!({"type": t, "name": n, "value": v}),
        None => json!({"type": t, "value": v}),
    };
    let one = |x: Value| json!({"criterion": [x]});
    assert_eq!(ids_matching(&env, one(c("Date", None, "minDate=2024-01-02T00:00:00Z"))).await, vec![mms.clone()]);
    assert_eq!(
        ids_matching(&env, one(c("Date", None, "minDate=2024-01-01T00:00:00Z&maxDate=2024-01-03T00:00:00.5Z"))).await,
        vec![sms.clone(), chat.clone()]
    );
    assert_eq!(ids_matching(&env, one(c("Date", None, "maxDate=2024-01-01T00:00:00Z"))).await, Vec::<String>::new());
    assert_eq!(
        ids_matching(&env, one(c("Attribute", Some("message-context"), "Chat-Message"))).await,
        vec![chat.clone()]
    );
    assert_eq!(ids_matching(&env, one(c("Attribute", Some("subject"), "hello world"))).await, Vec::<String>::new());
    assert_eq!(ids_matching(&env, one(c("Attribute", Some("Conversation-ID"), "conv9"))).await, vec![chat.clone()]);
    assert_eq!(ids_matching(&env, one(c("Attribute", Some("Contribution-ID"), "contrib9"))).await, vec![chat.clone()]);
    assert_eq!(
        ids_matching(&env, one(c("Attribute", Some("InReplyTo-Contribution-ID"), "contrib8"))).await,
        vec![chat.clone()]
    );
    assert_eq!(ids_matching(&env, one(c("Attribute", Some("correlationId"), "imdn-9"))).await, vec![chat.clone()]);
    assert_eq!(ids_matching(&env, one(c("Attribute", Some("CorrelationTag"), "tag1"))).await, vec![sms.clone()]);
    assert_eq!(ids_matching(&env, one(c("Flag", Some("\\Seen"), "true"))).await, vec![sms.clone()]);
    assert_eq!(ids_matching(&env, one(c("Flag", Some("\\Seen"), "false"))).await, vec![chat.clone(), mms.clone()]);
    assert_eq!(ids_matching(&env, one(c("AllTextAttributes", None, "WORLD"))).await, vec![sms.clone()]);
    assert_eq!(ids_matching(&env, one(c("PresetSearch", Some("UPOneDotO"), ""))).await.len(), 3);
    let or = json!({"operator": "Or", "criterion": [c("Flag", Some("\\Seen"), "true"), c("Flag", Some("\\Flagged"), "true")]});
    assert_eq!(ids_matching(&env, or).await, vec![sms.clone(), mms.clone()]);
    let not = json!({"operator": "Not", "criterion": [c("Attribute", Some("Message-Context"), "pager-message")]});
    assert_eq!(ids_matching(&env, not).await, vec![chat.clone(), mms.clone()]);
    let and = json!({"criterion": [c("AllTextAttributes", None, "o"), c("Flag", Some("\\Seen"), "false")]});
    assert_eq!(ids_matching(&env, and).await, vec![chat.clone(), mms.clone()]);

    // Bad criteria: 400 SVC0002.
    for bad in [c("Date", None, "since=yesterday"), c("Bogus", None, "x"), c("Flag", Some("\\Seen"), "maybe")] {
        let r = env
            .post_json(
                "objects/operations/search",
                &json!({"selectionCriteria": {"maxEntries": 5, "searchCriteria": one(bad)}}),
            )
            .await;
        assert_eq!(r.status(), 400);
        assert_eq!(message_id(r).await, "SVC0002");
    }
    let r = env
        .post_json("objects/operations/search", &json!({"selectionCriteria": {"maxEntries": 5, "fromCursor": "zzz"}}))
        .await;
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn text_payload_is_searchable_and_scope_limits_folders() {
    let env = start().await;
    let a = env.create_simple("/top/inner", "2024-01-01T00:00:00Z", "x").await;
    let b = env.create_simple("/top", "2024-01-02T00:00:00Z", "x").await;
    let _c = env.create_simple("/other", "2024-01-03T00:00:00Z", "x").await;
    let v = env.get_json("folders/operations/pathToId?path=/top").await;
    let top = v["reference"]["resourceURL"].as_str().unwrap().to_string();
    let scoped = |non_recursive: bool| {
        json!({"selectionCriteria": {"maxEntries": 50, "searchScope": {"resourceURL": top}, "nonRecursiveScope": non_recursive,
            "sortCriterion": {"type": "Date", "order": "Ascending"}}})
    };
    let v = search(&env, scoped(false)).await;
    let ids: Vec<String> = v["objectList"]["object"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| id_of(o["resourceURL"].as_str().unwrap()))
        .collect();
    assert_eq!(ids, vec![a.clone(), b.clone()]);
    let v = search(&env, scoped(true)).await;
    let ids: Vec<String> = v["objectList"]["object"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| id_of(o["resourceURL"].as_str().unwrap()))
        .collect();
    assert_eq!(ids, vec![b]);

    // Text in a text/plain payload part.
    let body = format!(
        "--B\r\nContent-Disposition: form-data; name=\"root-fields\"\r\nContent-Type: application/json\r\n\r\n{}\r\n--B\r\nContent-Disposition: form-data; name=\"attachments\"; filename=\"sms.txt\"\r\nContent-Type: text/plain\r\n\r\nMeet at the Harbour\r\n--B--\r\n",
        json!({"object": {"parentFolderPath": "/other", "attributes": {"attribute": []}, "flags": {"flag": []}}})
    );
    let r = env
        .req(Method::POST, "objects")
        .header("content-type", "multipart/form-data; boundary=B")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let v: Value = r.json().await.unwrap();
    let sms = id_of(v["reference"]["resourceURL"].as_str().unwrap());
    assert_eq!(
        ids_matching(&env, json!({"criterion": [{"type": "AllTextAttributes", "value": "harbour"}]})).await,
        vec![sms]
    );

    let r = env
        .post_json(
            "objects/operations/search",
            &json!({"maxEntries": 5, "searchScope": {"resourceURL": format!("{}/folders/nope", env.base)}}),
        )
        .await;
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn max_entries_is_capped() {
    let env = start_in(tempfile::tempdir().unwrap(), |c| c.max_entries_cap = 5).await;
    for i in 0..8 {
        env.create_simple("/p", &format!("2024-01-0{}T00:00:00Z", i + 1), "x").await;
    }
    let v = search(&env, json!({"selectionCriteria": {"maxEntries": 100}})).await;
    assert_eq!(v["objectList"]["object"].as_array().unwrap().len(), 5);
    assert!(v["objectList"]["cursor"].is_string());
}
