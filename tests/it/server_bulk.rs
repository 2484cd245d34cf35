//! Bulk operations over HTTP: bulkCreation (multipart), bulkUpdate, bulkDelete by DELETE and POST.

use crate::server_support;

use reqwest::Method;
use serde_json::{Value, json};
use server_support::*;

async fn all_ids(env: &Env) -> Vec<String> {
    let v: Value = env
        .post_json("objects/operations/search", &json!({"selectionCriteria": {"maxEntries": 1000}}))
        .await
        .json()
        .await
        .unwrap();
    v["objectList"]["object"].as_array().unwrap().iter().map(|o| id_of(o["resourceURL"].as_str().unwrap())).collect()
}

#[tokio::test]
async fn bulk_delete_250_objects_in_three_requests() {
    let env = start().await;
    let mut ids = Vec::new();
    for i in 0..250 {
        ids.push(env.create_simple("/bulk", &format!("2024-03-01T00:{:02}:{:02}Z", i / 60, i % 60), "x").await);
    }
    let refs = |chunk: &[String]| {
        json!({"bulkDelete": {"objects": {"objectReference":
            chunk.iter().map(|id| json!({"resourceURL": format!("{}/objects/{id}", env.base)})).collect::<Vec<_>>()}}})
    };
    let chunks: Vec<&[String]> = vec![&ids[0..100], &ids[100..200], &ids[200..250]];
    for (i, chunk) in chunks.iter().enumerate() {
        let method = if i == 1 { Method::POST } else { Method::DELETE };
        let r = env.req(method, "objects/operations/bulkDelete").json(&refs(chunk)).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let v: Value = r.json().await.unwrap();
        let resp = v["bulkResponseList"]["response"].as_array().unwrap();
        assert_eq!(resp.len(), chunk.len());
        assert!(resp.iter().all(|x| x["code"] == 200));
    }
    assert!(all_ids(&env).await.is_empty());
    // Deleting again: per-item 404 SVC0004.
    let r = env.req(Method::DELETE, "objects/operations/bulkDelete").json(&refs(&ids[0..2])).send().await.unwrap();
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["bulkResponseList"]["response"][0]["code"], 404);
    assert_eq!(v["bulkResponseList"]["response"][0]["failure"]["serviceException"]["messageId"], "SVC0004");
}

#[tokio::test]
async fn bulk_delete_and_update_by_selection() {
    let env = start().await;
    for i in 0..6 {
        env.create_simple(if i % 2 == 0 { "/even" } else { "/odd" }, &format!("2024-01-0{}T00:00:00Z", i + 1), "x")
            .await;
    }
    let even = env.get_json("folders/operations/pathToId?path=/even").await["reference"]["resourceURL"]
        .as_str()
        .unwrap()
        .to_string();
    // AddFlag over a selection (the folder "even").
    let r = env
        .post_json(
            "objects/operations/bulkUpdate",
            &json!({"bulkUpdate": {"operation": "AddFlag", "flags": {"flag": ["\\Seen"]},
            "selectionCriteria": {"maxEntries": 0, "searchScope": {"resourceURL": even}}}}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["bulkResponseList"]["response"].as_array().unwrap().len(), 3);
    let seen: Value = env
        .post_json("objects/operations/search", &json!({"maxEntries": 50, "searchCriteria": {"criterion": [{"type": "Flag", "name": "\\Seen", "value": "true"}]}}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(seen["objectList"]["object"].as_array().unwrap().len(), 3);
    // Delete the unseen ones by selection (POST form).
    let r = env
        .post_json(
            "objects/operations/bulkDelete",
            &json!({"selectionCriteria": {"maxEntries": 0,
            "searchCriteria": {"criterion": [{"type": "Flag", "name": "\\Seen", "value": "false"}]}}}),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(all_ids(&env).await.len(), 3);
    // Neither references nor selection → 400.
    let r = env.post_json("objects/operations/bulkDelete", &json!({"bulkDelete": {}})).await;
    assert_eq!(r.status(), 400);
    assert_eq!(message_id(r).await, "SVC0002");
}

#[tokio::test]
async fn bulk_update_over_references() {
    let env = start().await;
    let a = env.create_simple("/u", "2024-01-01T00:00:00Z", "x").await;
    let b = env.create_simple("/u", "2024-01-02T00:00:00Z", "x").await;
    let url = |id: &str| format!("{}/objects/{id}", env.base);
    let body = |op: &str| {
        json!({"bulkUpdate": {"operation": op, "flags": {"flag": ["\\Seen", "\\Flagged"]},
            "objects": {"objectReference": [{"resourceURL": url(&a)}, {"resourceURL": url(&b)}, {"resourceURL": url("gone")}]}}})
    };
    let v: Value = env.post_json("objects/operations/bulkUpdate", &body("AddFlag")).await.json().await.unwrap();
    let resp = v["bulkResponseList"]["response"].as_array().unwrap();
    assert_eq!(
        (resp[0]["code"].clone(), resp[1]["code"].clone(), resp[2]["code"].clone()),
        (json!(200), json!(200), json!(404))
    );
    assert_eq!(resp[2]["failure"]["serviceException"]["messageId"], "SVC0004");
    assert_eq!(env.get_json(&format!("objects/{a}/flags")).await["flagList"]["flag"], json!(["\\Seen", "\\Flagged"]));
    env.post_json("objects/operations/bulkUpdate", &body("RemoveFlag")).await;
    assert_eq!(env.get_json(&format!("objects/{b}/flags")).await["flagList"]["flag"], json!([]));
    let r = env
        .post_json(
            "objects/operations/bulkUpdate",
            &json!({"bulkUpdate": {"operation": "Toggle", "flags": {"flag": ["\\Seen"]}}}),
        )
        .await;
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn bulk_creation_multipart() {
    let env = start().await;
    let objects = json!({"objectList": {"object": [
        {"parentFolderPath": "/bc", "attributes": {"attribute": [{"name": "Message-Context", "value": ["pager-message"]}]}, "flags": {"flag": []}},
        {"parentFolderPath": "/bc", "attributes": {"attribute": [{"name": "Message-Context", "value": ["imdn-message"]}]}, "flags": {"flag": ["\\Seen"]}},
        {"parentFolder": format!("{}/folders/nope", env.base), "attributes": {"attribute": []}, "flags": {"flag": []}},
        {"parentFolderPath": "/bc", "attributes": {"attribute": []}, "flags": {"flag": []}}
    ]}});
    let mut body = format!("--BB\r\nContent-Disposition: form-data; name=\"root-fields\"\r\nContent-Type: application/json\r\n\r\n{objects}\r\n").into_bytes();
    body.extend_from_slice(b"--BB\r\nContent-Disposition: form-data; name=\"attachments\"; filename=\"sms.txt\"\r\nContent-Type: text/plain\r\n\r\nfirst\r\n");
    // An object without payload still gets an empty attachments part.
    body.extend_from_slice(
        b"--BB\r\nContent-Disposition: form-data; name=\"attachments\"\r\nContent-Length: 0\r\n\r\n\r\n",
    );
    body.extend_from_slice(
        b"--BB\r\nContent-Disposition: form-data; name=\"attachments\"\r\nContent-Type: text/plain\r\n\r\nthird\r\n",
    );
    body.extend_from_slice(b"--BB\r\nContent-Disposition: form-data; name=\"attachments\"\r\nContent-Type: multipart/mixed; boundary=in\r\n\r\n--in\r\nContent-Type: image/gif\r\n\r\nGIF89a\r\n--in\r\nContent-Type: text/plain\r\n\r\ncaption\r\n--in--\r\n\r\n--BB--\r\n");
    let r = env
        .req(Method::POST, "objects/operations/bulkCreation")
        .header("content-type", "multipart/form-data; boundary=BB")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    let resp = v["bulkResponseList"]["response"].as_array().unwrap();
    assert_eq!(resp.len(), 4);
    assert_eq!(resp[0]["code"], 201);
    assert_eq!(resp[1]["code"], 201);
    assert_eq!(resp[2]["code"], 404);
    assert_eq!(resp[3]["code"], 201);
    let first = id_of(resp[0]["success"]["resourceURL"].as_str().unwrap());
    let r = env.req(Method::GET, &format!("objects/{first}/payloadParts/part1")).send().await.unwrap();
    assert_eq!(r.text().await.unwrap(), "first");
    let second = id_of(resp[1]["success"]["resourceURL"].as_str().unwrap());
    assert!(env.get_json(&format!("objects/{second}")).await["object"].get("payloadPart").is_none());
    let fourth = id_of(resp[3]["success"]["resourceURL"].as_str().unwrap());
    assert_eq!(env.get_json(&format!("objects/{fourth}")).await["object"]["payloadPart"].as_array().unwrap().len(), 2);
    assert_eq!(all_ids(&env).await.len(), 3);
}
