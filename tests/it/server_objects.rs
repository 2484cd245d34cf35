//! Objects over HTTP: create (JSON and multipart), read, payload, parts, flags, delete, and their error paths.

use crate::server_support;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use server_support::*;

#[tokio::test]
async fn json_create_read_and_delete() {
    let env = start().await;
    let r = env
        .post_json(
            "objects",
            &json!({"object": {
                "parentFolderPath": "/RCSMessageStore/conv-a",
                "attributes": {"attribute": [
                    {"name": "date", "value": "2024-05-01T10:00:00Z"},
                    {"name": "message-context", "value": ["chat-message"]},
                    {"name": "Conversation-ID", "value": ["conv-a"]}
                ]},
                "flags": {"flag": ["\\seen"]},
                "correlationId": "corr-1"
            }}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    let v: Value = r.json().await.unwrap();
    let url = v["reference"]["resourceURL"].as_str().unwrap().to_string();
    assert_eq!(location, url);
    assert!(url.starts_with(&format!("{}/objects/", env.base)));
    assert!(url.contains("tel%3A%2B15550001111"));
    let id = id_of(&url);
    assert_eq!(v["reference"]["path"], format!("/RCSMessageStore/conv-a/{id}"));

    let o = env.get_json(&format!("objects/{id}")).await;
    let o = &o["object"];
    assert_eq!(o["resourceURL"], url);
    assert_eq!(o["correlationId"], "corr-1");
    assert_eq!(o["path"], format!("/RCSMessageStore/conv-a/{id}"));
    assert!(o["parentFolder"].as_str().unwrap().contains("/folders/"));
    assert!(o["lastModSeq"].as_u64().unwrap() > 0);
    assert_eq!(o["flags"]["flag"], json!(["\\Seen"]));
    let names: Vec<&str> =
        o["attributes"]["attribute"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["Date", "Message-Context", "Conversation-ID"]);
    assert!(o.get("payloadURL").is_none());

    let r = env.req(Method::DELETE, &format!("objects/{id}")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = env.req(Method::GET, &format!("objects/{id}")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(message_id(r).await, "SVC0004");
    let r = env.req(Method::DELETE, &format!("objects/{id}")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

fn multipart_body(boundary: &str, root: &Value, attachments: &[u8], attachments_type: &str) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"root-fields\"\r\nContent-Type: application/json\r\n\r\n").as_bytes());
    b.extend_from_slice(root.to_string().as_bytes());
    b.extend_from_slice(format!("\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"attachments\"; filename=\"x.bin\"\r\nContent-Type: {attachments_type}\r\n\r\n").as_bytes());
    b.extend_from_slice(attachments);
    b.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    b
}

#[tokio::test]
async fn multipart_create_and_byte_exact_parts() {
    let env = start().await;
    // A nested multipart/mixed with a binary image part (CR LF and boundary-like bytes inside) and a text part.
    let image: Vec<u8> = (0..=255u8).chain(b"\r\n--inner\r\n".iter().copied()).chain(0..=255u8).collect();
    let mut inner = Vec::new();
    inner.extend_from_slice(b"--innerB\r\nContent-Type: image/png\r\nContent-ID: <img1>\r\nContent-Disposition: attachment; filename=\"a.png\"\r\n\r\n");
    inner.extend_from_slice(&image);
    inner.extend_from_slice(
        b"\r\n--innerB\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nhello caf\xc3\xa9\r\n--innerB--\r\n",
    );
    let root = json!({"object": {"parentFolderPath": "/mms", "attributes": {"attribute": [
        {"name": "Date", "value": ["2024-01-02T03:04:05Z"]}, {"name": "Message-Context", "value": ["multimedia-message"]}]},
        "flags": {"flag": []}}});
    let body = multipart_body("outerB", &root, &inner, "multipart/mixed; boundary=innerB");
    let r = env
        .req(Method::POST, "objects")
        .header("content-type", "multipart/form-data; boundary=outerB")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    let id = id_of(v["reference"]["resourceURL"].as_str().unwrap());

    let o = env.get_json(&format!("objects/{id}")).await;
    let parts = o["object"]["payloadPart"].as_array().unwrap().clone();
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0]["contentType"], "image/png");
    assert_eq!(parts[0]["contentId"], "img1");
    assert_eq!(parts[0]["size"], image.len());
    assert_eq!(parts[1]["contentType"], "text/plain; charset=utf-8");
    assert!(o["object"]["payloadURL"].as_str().unwrap().ends_with("/payload"));

    let r = env.req(Method::GET, parts[0]["href"].as_str().unwrap()).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(r.bytes().await.unwrap().to_vec(), image);
    let r = env.req(Method::GET, parts[1]["href"].as_str().unwrap()).send().await.unwrap();
    assert_eq!(r.bytes().await.unwrap().to_vec(), "hello café".as_bytes());

    // The whole payload: multipart/related of both parts, parseable back to the same bytes.
    let r = env.req(Method::GET, o["object"]["payloadURL"].as_str().unwrap()).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let ct = r.headers()["content-type"].to_str().unwrap().to_string();
    assert!(ct.starts_with("multipart/related"));
    let body = r.bytes().await.unwrap();
    let back = cpmctl::wire::multipart::parse(&ct, &body).unwrap();
    assert_eq!(back.len(), 2);
    assert_eq!(back[0].body, image);

    let r = env.req(Method::GET, &format!("objects/{id}/payloadParts/part9")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(message_id(r).await, "SVC0004");
}

#[tokio::test]
async fn single_part_sms_payload_is_returned_as_is() {
    let env = start().await;
    let root = json!({"object": {"attributes": {"attribute": [{"name": "Message-Context", "value": ["pager-message"]}]}, "flags": {"flag": []}}});
    let body = multipart_body("B0", &root, b"Hi there", "text/plain");
    let r = env
        .req(Method::POST, "objects")
        .header("content-type", "multipart/form-data; boundary=B0")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let v: Value = r.json().await.unwrap();
    let id = id_of(v["reference"]["resourceURL"].as_str().unwrap());
    // No parent given: the root folder; no Date given: the server records one.
    assert_eq!(v["reference"]["path"], format!("/{id}"));
    let o = env.get_json(&format!("objects/{id}")).await;
    assert!(o["object"]["attributes"]["attribute"].as_array().unwrap().iter().any(|a| a["name"] == "Date"));
    let r = env.req(Method::GET, &format!("objects/{id}/payload")).send().await.unwrap();
    assert_eq!(r.headers()["content-type"], "text/plain");
    assert_eq!(r.headers()["content-disposition"], "attachment; filename=\"x.bin\"");
    assert_eq!(r.text().await.unwrap(), "Hi there");
}

#[tokio::test]
async fn flags_single_and_whole_set() {
    let env = start().await;
    let id = env.create_simple("/f", "2024-01-01T00:00:00Z", "x").await;
    let seq0 = env.get_json(&format!("objects/{id}")).await["object"]["lastModSeq"].as_u64().unwrap();

    let flag = |f: &str| format!("objects/{id}/flags/{f}");
    let r = env.req(Method::GET, &flag("%5CSeen")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    // Empty body (Samsung) → 201 newly set.
    let r = env.req(Method::PUT, &flag("%5CSeen")).header("content-type", "application/json").send().await.unwrap();
    assert_eq!(r.status(), 201);
    assert!(r.headers()["location"].to_str().unwrap().ends_with("/flags/%5CSeen"));
    // {"empty":null} and lower-case escape → 204 already set.
    let r = env.req(Method::PUT, &flag("%5cseen")).json(&json!({"empty": null})).send().await.unwrap();
    assert_eq!(r.status(), 204);
    let r = env.req(Method::GET, &flag("%5CSeen")).send().await.unwrap();
    assert_eq!(r.status(), 204);
    let o = env.get_json(&format!("objects/{id}")).await;
    let seq1 = o["object"]["lastModSeq"].as_u64().unwrap();
    assert!(seq1 > seq0);
    assert_eq!(o["object"]["flags"]["flag"], json!(["\\Seen"]));

    let r = env.req(Method::PUT, &flag("%24Forwarded")).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let v = env.get_json(&format!("objects/{id}/flags")).await;
    assert_eq!(v["flagList"]["flag"], json!(["\\Seen", "$Forwarded"]));
    assert!(v["flagList"]["resourceURL"].as_str().unwrap().ends_with("/flags"));

    let r = env.req(Method::DELETE, &flag("%5CSeen")).send().await.unwrap();
    assert_eq!(r.status(), 204);
    let r = env.req(Method::DELETE, &flag("%5CSeen")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(message_id(r).await, "SVC0004");

    // Whole set: bare (Samsung) and wrapped bodies.
    let r = env
        .req(Method::PUT, &format!("objects/{id}/flags"))
        .json(&json!({"flag": ["\\Flagged", "\\flagged"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["flagList"]["flag"], json!(["\\Flagged"]));
    let r = env
        .req(Method::PUT, &format!("objects/{id}/flags"))
        .json(&json!({"flagList": {"flag": []}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v = env.get_json(&format!("objects/{id}/flags")).await;
    assert_eq!(v["flagList"]["flag"], json!([]));

    // Reading never changes flags.
    env.get_json(&format!("objects/{id}")).await;
    let r = env.req(Method::GET, &format!("objects/{id}/payload")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    let v = env.get_json(&format!("objects/{id}/flags")).await;
    assert_eq!(v["flagList"]["flag"], json!([]));

    let r = env.req(Method::PUT, "objects/nope/flags/%5CSeen").send().await.unwrap();
    assert_eq!(r.status(), 404);
    let r = env
        .req(Method::PUT, &flag("%5CSeen"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(message_id(r).await, "SVC0002");
}

#[tokio::test]
async fn object_error_paths() {
    let env = start().await;
    let id = env.create_simple("/f", "2024-01-01T00:00:00Z", "x").await;
    // PUT/POST on an object: 405 with Allow.
    for m in [Method::PUT, Method::POST] {
        let r = env.req(m, &format!("objects/{id}")).json(&json!({})).send().await.unwrap();
        assert_eq!(r.status(), 405);
        let allow = r.headers()["allow"].to_str().unwrap().to_string();
        assert!(allow.contains("GET") && allow.contains("DELETE"), "{allow}");
        assert_eq!(message_id(r).await, "SVC0001");
    }
    // Bad JSON, wrong media type, bad multipart, unknown parent folder.
    let r = env.req(Method::POST, "objects").header("content-type", "application/json").body("{").send().await.unwrap();
    assert_eq!(r.status(), 400);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["requestError"]["serviceException"]["messageId"], "SVC0002");
    assert_eq!(v["requestError"]["serviceException"]["variables"][0], "object");
    let r = env
        .req(Method::POST, "objects")
        .header("content-type", "application/xml")
        .body("<object/>")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 415);
    let r =
        env.req(Method::POST, "objects").header("content-type", "multipart/form-data").body("x").send().await.unwrap();
    assert_eq!(r.status(), 400);
    let r = env.post_json("objects", &json!({"object": {"parentFolder": format!("{}/folders/nope", env.base), "attributes": {"attribute": [{"name": "Subject", "value": ["x"]}]}, "flags": {"flag": []}}})).await;
    assert_eq!(r.status(), 404);
    let r = env
        .post_json("objects", &json!({"object": {"parentFolderPath": "/a//b\u{0}", "attributes": {"attribute": []}}}))
        .await;
    assert_eq!(r.status(), 400);
    assert_eq!(message_id(r).await, "SVC0002");
    // Unknown route under the box.
    let r = env.req(Method::GET, "nothing/here").send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(message_id(r).await, "SVC0004");
}

#[tokio::test]
async fn object_path_to_id() {
    let env = start().await;
    let id = env.create_simple("/a/b", "2024-01-01T00:00:00Z", "x").await;
    let v = env.get_json(&format!("objects/operations/pathToId?path=/a/b/{id}")).await;
    assert_eq!(id_of(v["reference"]["resourceURL"].as_str().unwrap()), id);
    assert_eq!(v["reference"]["path"], format!("/a/b/{id}"));
    let r = env.req(Method::GET, "objects/operations/pathToId?path=/a/nope").send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(message_id(r).await, "SVC0004");
    let r = env.req(Method::GET, "objects/operations/pathToId").send().await.unwrap();
    assert_eq!(r.status(), 400);
    let r = env.post_json("objects/operations/pathToId", &json!({"path": [format!("/a/b/{id}"), "/zz/top"]})).await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    let resp = v["bulkResponseList"]["response"].as_array().unwrap();
    assert_eq!(resp[0]["code"], 200);
    assert_eq!(id_of(resp[0]["success"]["resourceURL"].as_str().unwrap()), id);
    assert_eq!(resp[1]["code"], 400);
    assert_eq!(resp[1]["failure"]["serviceException"]["messageId"], "SVC0002");
}

/// An attachment's file name survives a `;` inside its quotes and an RFC 2231 `filename*=`
/// (the hand-written parameter splitter cut the first at the `;` and dropped the second).
#[tokio::test]
async fn attachment_filenames_with_semicolons_and_rfc2231() {
    let env = start().await;
    let root = json!({"object": {"attributes": {"attribute": [{"name": "Message-Context", "value": ["pager-message"]}]}, "flags": {"flag": []}}});
    for (disposition, want_header, want_name) in [
        ("filename=\"a;b.png\"", "attachment; filename=\"a;b.png\"", "a;b.png"),
        ("filename*=UTF-8''caf%C3%A9%20menu.png", "attachment; filename*=UTF-8''caf%C3%A9%20menu.png", "café menu.png"),
    ] {
        let mut body = Vec::new();
        body.extend_from_slice(
            b"--B1\r\nContent-Disposition: form-data; name=\"root-fields\"\r\nContent-Type: application/json\r\n\r\n",
        );
        body.extend_from_slice(root.to_string().as_bytes());
        body.extend_from_slice(
            format!("\r\n--B1\r\nContent-Disposition: form-data; name=\"attachments\"; {disposition}\r\nContent-Type: image/png\r\n\r\nPNG\r\n--B1--\r\n")
                .as_bytes(),
        );
        let r = env
            .req(Method::POST, "objects")
            .header("content-type", "multipart/form-data; boundary=B1")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{disposition}");
        let v: Value = r.json().await.unwrap();
        let id = id_of(v["reference"]["resourceURL"].as_str().unwrap());
        let r = env.req(Method::GET, &format!("objects/{id}/payload")).send().await.unwrap();
        let got = r.headers().get("content-disposition").map(|h| h.to_str().unwrap().to_string());
        assert_eq!(got.as_deref(), Some(want_header), "{disposition}");
        assert_eq!(cpmctl::wire::multipart::param(want_header, "filename").as_deref(), Some(want_name));
    }
}
