//! Shared wiremock fixtures for the NMS client tests.
#![allow(dead_code)]

use std::time::Duration;

use cpmctl::nms::{Auth, ClientConfig, NmsClient};
use cpmctl::wire::{Attribute, AttributeList, FlagList, Object, ObjectReferenceList, Reference, SelectionCriteria};
use serde_json::{Value, json};
use wiremock::{MockServer, Request, ResponseTemplate};

pub const BOX: &str = "tel:+15550001111";
pub const BASE: &str = "/pfx/nms/v1/cpm/tel%3A%2B15550001111";

pub fn config(server: &MockServer) -> ClientConfig {
    let mut cfg = ClientConfig::from_base_url(
        &format!("{}{BASE}", server.uri()),
        Auth::Basic { user: "demo".into(), password: "s3cret".into() },
    )
    .unwrap();
    cfg.retries = 3;
    cfg.backoff_base = Duration::from_millis(2);
    cfg.max_backoff = Duration::from_millis(20);
    cfg.timeout = Duration::from_secs(10);
    cfg
}

pub async fn setup() -> (MockServer, NmsClient) {
    let server = MockServer::start().await;
    let client = NmsClient::new(config(&server)).unwrap();
    (server, client)
}

pub fn p(rest: &str) -> String {
    format!("{BASE}/{rest}")
}

pub fn body_value(req: &Request) -> Value {
    serde_json::from_slice(&req.body).unwrap()
}

pub fn root_key(v: &Value) -> String {
    let m = v.as_object().unwrap();
    assert_eq!(m.len(), 1, "one root element: {v}");
    m.keys().next().unwrap().clone()
}

pub fn content_type(req: &Request) -> String {
    req.headers.get("content-type").unwrap().to_str().unwrap().to_string()
}

pub fn json_response(status: u16, v: Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(serde_json::to_vec(&v).unwrap(), "application/json")
}

pub fn spec_object(server_uri: &str, id: &str) -> Value {
    json!({"object": {
        "resourceURL": format!("{server_uri}{BASE}/objects/{id}"),
        "parentFolder": format!("{server_uri}{BASE}/folders/f1"),
        "path": format!("/RCSMessageStore/{id}"),
        "lastModSeq": 7,
        "attributes": {"attribute": [
            {"name": "Date", "value": ["2024-05-01T10:00:00Z"]},
            {"name": "From", "value": ["tel:+15550002222"]},
            {"name": "Message-Context", "value": ["pager-message"]}]},
        "flags": {"flag": ["\\Seen"]},
        "payloadURL": format!("{BASE}/objects/{id}/payload"),
        "payloadPart": [{"contentType": "text/plain", "size": 5, "href": format!("{BASE}/objects/{id}/payloadParts/part1")}]
    }})
}

pub const RELAY: &str = "https://wsg.example:443/phone20/mStoreRelay?path=http://wsg.mstore.example:8082/oemclient/nms/v1/ums/tel%3A%2B15550001111";

pub fn carrier_object(id: &str) -> Value {
    json!({"object": {
        "parentFolder": format!("{RELAY}/folders/27a29814"),
        "attributes": {"attribute": [
            {"name": "content-duration", "value": ["5"]},
            {"name": "date", "value": ["2024-01-01T00:00:00Z"]},
            {"name": "from", "value": ["11234567890@tmo.com"]},
            {"name": "message-context", "value": ["voice-message"]}]},
        "flags": {"flag": ["\\Seen"], "resourceURL": format!("{RELAY}/objects/{id}/flags")},
        "resourceURL": format!("{RELAY}/objects/{id}"),
        "path": format!("/VV-Mail/Inbox/{id}"),
        "payloadURL": format!("{RELAY}/objects/{id}"),
        "payloadPart": [{"contentType": "audio/amr", "size": "1234", "contentEncoding": "base64",
            "contentDisposition": "attachment; filename=\"vm.amr\"",
            "href": format!("{RELAY}/objects/{id}/payloadParts/part1")}],
        "correlationId": "2024-01-01T00:00:00Z-conn:0123"
    }})
}

pub fn sms_object() -> Object {
    Object {
        parent_folder_path: Some("/RCSMessageStore".into()),
        attributes: AttributeList {
            attribute: vec![Attribute::new("Message-Context", "pager-message"), Attribute::new("From", "tel:+1")],
        },
        flags: FlagList::new(["\\Seen"]),
        ..Default::default()
    }
}

pub fn criteria(max: u64) -> SelectionCriteria {
    SelectionCriteria { max_entries: max, ..Default::default() }
}

pub fn refs(ids: &[&str]) -> ObjectReferenceList {
    ObjectReferenceList {
        object_reference: ids.iter().map(|i| Reference::new(format!("{BASE}/objects/{i}"))).collect(),
    }
}

pub fn folder_json(uri: &str, id: &str, extra: Value) -> Value {
    let mut f = json!({"resourceURL": format!("{uri}{BASE}/folders/{id}"), "name": id,
        "attributes": {"attribute": [{"name": "Name", "value": [id]}]}});
    if let (Some(m), Some(e)) = (f.as_object_mut(), extra.as_object()) {
        m.extend(e.clone());
    }
    f
}
