//! The NMS client against wiremock: request shapes, spec and carrier answer shapes, retries,
//! redirects and error mapping.

use std::time::Duration;

use cpmctl::nms::{Auth, ClientConfig, Error, FolderListFilter, NewObject, NmsClient, id_from_url};
use cpmctl::wire::multipart::{self, Part};
use cpmctl::wire::{
    Attribute, AttributeList, BulkDelete, BulkOperation, BulkUpdate, FlagList, Object, ObjectReferenceList, Reference,
    ReferenceList, SelectionCriteria, TargetSourceRef,
};
use futures::StreamExt;
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const BOX: &str = "tel:+15550001111";
const BASE: &str = "/pfx/nms/v1/cpm/tel%3A%2B15550001111";

fn config(server: &MockServer) -> ClientConfig {
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

async fn setup() -> (MockServer, NmsClient) {
    let server = MockServer::start().await;
    let client = NmsClient::new(config(&server)).unwrap();
    (server, client)
}

fn p(rest: &str) -> String {
    format!("{BASE}/{rest}")
}

fn body_value(req: &Request) -> Value {
    serde_json::from_slice(&req.body).unwrap()
}

fn root_key(v: &Value) -> String {
    let m = v.as_object().unwrap();
    assert_eq!(m.len(), 1, "one root element: {v}");
    m.keys().next().unwrap().clone()
}

fn content_type(req: &Request) -> String {
    req.headers.get("content-type").unwrap().to_str().unwrap().to_string()
}

fn json_response(status: u16, v: Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(serde_json::to_vec(&v).unwrap(), "application/json")
}

fn spec_object(server_uri: &str, id: &str) -> Value {
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

const RELAY: &str = "https://wsg.example:443/phone20/mStoreRelay?path=http://wsg.mstore.example:8082/oemclient/nms/v1/ums/tel%3A%2B15550001111";

fn carrier_object(id: &str) -> Value {
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

// ---------------------------------------------------------------- config and URLs

#[test]
fn from_base_url_splits_prefix_store_and_box() {
    let cfg = ClientConfig::from_base_url("http://h:8080/a/b/nms/v1/ums/tel%3a%2B1555/", Auth::None).unwrap();
    assert_eq!(cfg.server.as_str(), "http://h:8080/a/b");
    assert_eq!(cfg.store, "ums");
    assert_eq!(cfg.box_id, "tel:+1555");
    assert_eq!(cfg.retries, 4);
    let client = NmsClient::new(cfg).unwrap();
    assert_eq!(client.base_url().as_str(), "http://h:8080/a/b/nms/v1/ums/tel%3A%2B1555");
    assert_eq!(client.box_id(), "tel:+1555");
    assert_eq!(client.object_url("f:1").as_str(), "http://h:8080/a/b/nms/v1/ums/tel%3A%2B1555/objects/f%3A1");
    assert_eq!(client.folder_url("x y").as_str(), "http://h:8080/a/b/nms/v1/ums/tel%3A%2B1555/folders/x%20y");
    assert_eq!(client.nc_base_url().as_str(), "http://h:8080/a/b/notificationchannel/v1/tel%3A%2B1555");

    let raw = ClientConfig::from_base_url("https://u:p%40ss@h/nms/v1/cpm/tel:+1555", Auth::None).unwrap();
    assert_eq!(raw.server.as_str(), "https://h/");
    assert_eq!(raw.box_id, "tel:+1555");
    assert_eq!(raw.auth, Auth::Basic { user: "u".into(), password: "p@ss".into() });

    for bad in ["http://h/cpm/tel", "ftp://h/nms/v1/cpm/b", "not a url", "http://h/nms/v2/cpm/b"] {
        assert!(matches!(ClientConfig::from_base_url(bad, Auth::None), Err(Error::Invalid(_))), "{bad}");
    }
}

#[test]
fn auth_debug_never_shows_secrets() {
    let basic = Auth::Basic { user: "demo".into(), password: "hunter2".into() };
    let bearer = Auth::Bearer("tok-123".into());
    let text = format!("{basic:?} {bearer:?}");
    assert!(!text.contains("hunter2") && !text.contains("tok-123"), "{text}");
    assert!(text.contains("demo") && text.contains("redacted"));
    let cfg = ClientConfig::from_base_url("http://h/nms/v1/cpm/b", basic).unwrap();
    let client = NmsClient::new(cfg).unwrap();
    assert!(!format!("{client:?}").contains("hunter2"));
}

#[test]
fn ids_from_urls() {
    assert_eq!(id_from_url("http://h/nms/v1/cpm/tel%3A%2B1/objects/abc%3A12"), "abc:12");
    assert_eq!(id_from_url(&format!("{RELAY}/objects/f%3a7")), "f:7");
    assert_eq!(id_from_url("/nms/v1/cpm/b/folders/f1/"), "f1");
}

// ---------------------------------------------------------------- objects

#[tokio::test]
async fn get_object_spec_shape_resolves_relative_urls() {
    let (server, client) = setup().await;
    let body = spec_object(&server.uri(), "abc");
    Mock::given(method("GET"))
        .and(path(p("objects/abc")))
        .and(header("authorization", "Basic ZGVtbzpzM2NyZXQ="))
        .and(header("accept", "application/json"))
        .respond_with(json_response(200, body))
        .expect(1)
        .mount(&server)
        .await;
    let o = client.get_object("abc").await.unwrap();
    assert_eq!(o.resource_url.as_deref(), Some(format!("{}{BASE}/objects/abc", server.uri()).as_str()));
    assert_eq!(o.payload_url.as_deref(), Some(format!("{}{BASE}/objects/abc/payload", server.uri()).as_str()));
    assert_eq!(o.payload_part[0].href, format!("{}{BASE}/objects/abc/payloadParts/part1", server.uri()));
    assert_eq!(o.payload_part[0].size, Some(5));
    assert_eq!(o.attributes.first("message-context"), Some("pager-message"));
    assert!(o.flags.contains("\\seen"));
    assert_eq!(o.last_mod_seq, Some(7));
}

#[tokio::test]
async fn get_object_carrier_shape_rewrites_relay_urls() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path(p("objects/f%3A12")))
        .respond_with(json_response(200, carrier_object("f%3A12")))
        .mount(&server)
        .await;
    let o = client.get_object("f:12").await.unwrap();
    let base = format!("{}{BASE}", server.uri());
    assert_eq!(o.resource_url.as_deref(), Some(format!("{base}/objects/f%3A12").as_str()));
    assert_eq!(o.parent_folder.as_deref(), Some(format!("{base}/folders/27a29814").as_str()));
    assert_eq!(o.flags.resource_url.as_deref(), Some(format!("{base}/objects/f%3A12/flags").as_str()));
    assert_eq!(o.payload_part[0].href, format!("{base}/objects/f%3A12/payloadParts/part1"));
    assert_eq!(o.payload_part[0].size, Some(1234));
    assert_eq!(o.attributes.first("From"), Some("11234567890@tmo.com"));
    assert_eq!(o.attributes.first("Date"), Some("2024-01-01T00:00:00Z"));
    assert_eq!(id_from_url(o.resource_url.as_deref().unwrap()), "f:12");
    // The rewritten part URL is usable as is.
    Mock::given(method("GET"))
        .and(path(p("objects/f%3A12/payloadParts/part1")))
        .respond_with(ResponseTemplate::new(200).set_body_raw(b"AMR".to_vec(), "audio/amr"))
        .mount(&server)
        .await;
    let d = client.download(&o.payload_part[0].href).await.unwrap();
    assert_eq!(d.content_type, "audio/amr");
    assert_eq!(d.bytes().await.unwrap(), b"AMR");
}

fn sms_object() -> Object {
    Object {
        parent_folder_path: Some("/RCSMessageStore".into()),
        attributes: AttributeList {
            attribute: vec![Attribute::new("Message-Context", "pager-message"), Attribute::new("From", "tel:+1")],
        },
        flags: FlagList::new(["\\Seen"]),
        ..Default::default()
    }
}

#[tokio::test]
async fn create_object_without_parts_posts_json() {
    let (server, client) = setup().await;
    let uri = server.uri();
    Mock::given(method("POST"))
        .and(path(p("objects")))
        .and(header("content-type", "application/json"))
        .and(|req: &Request| {
            let v = body_value(req);
            root_key(&v) == "object" && v["object"]["parentFolderPath"] == "/RCSMessageStore"
        })
        .respond_with(json_response(
            201,
            json!({"reference": {"resourceURL": format!("{BASE}/objects/new1"), "path": "/RCSMessageStore/new1"}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let r = client.create_object(&NewObject { object: sms_object(), parts: vec![] }).await.unwrap();
    assert_eq!(r.resource_url, format!("{uri}{BASE}/objects/new1"));
    assert_eq!(r.path.as_deref(), Some("/RCSMessageStore/new1"));
}

#[tokio::test]
async fn create_object_with_one_part_sends_form_data() {
    let (server, client) = setup().await;
    let seen = std::sync::Arc::new(std::sync::Mutex::new(None::<(String, Vec<u8>)>));
    let s2 = seen.clone();
    Mock::given(method("POST"))
        .and(path(p("objects")))
        .respond_with(move |req: &Request| {
            *s2.lock().unwrap() = Some((content_type(req), req.body.clone()));
            json_response(201, json!({"reference": {"resourceURL": "objects/x1"}}))
        })
        .mount(&server)
        .await;
    let payload = vec![0u8, 1, 2, 255, b'\r', b'\n', 7];
    let part = Part::new("image/jpeg", payload.clone())
        .with_header("content-disposition", "attachment; filename=\"photo.jpg\"");
    let r = client.create_object(&NewObject { object: sms_object(), parts: vec![part] }).await.unwrap();
    // A relative reference resolves against the request URL (…/objects).
    assert_eq!(r.resource_url, format!("{}{BASE}/objects/x1", server.uri()));

    let (ctype, body) = seen.lock().unwrap().clone().unwrap();
    assert!(ctype.starts_with("multipart/form-data"), "{ctype}");
    let parts = multipart::parse(&ctype, &body).unwrap();
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0].form_name().as_deref(), Some("root-fields"));
    assert_eq!(parts[0].media_type(), "application/json");
    let root: Value = serde_json::from_slice(&parts[0].body).unwrap();
    assert_eq!(root_key(&root), "object");
    assert_eq!(parts[1].form_name().as_deref(), Some("attachments"));
    assert_eq!(parts[1].filename().as_deref(), Some("photo.jpg"));
    assert_eq!(parts[1].media_type(), "image/jpeg");
    assert_eq!(parts[1].body, payload);
}

#[tokio::test]
async fn create_object_with_several_parts_nests_multipart_mixed() {
    let (server, client) = setup().await;
    let seen = std::sync::Arc::new(std::sync::Mutex::new(None::<(String, Vec<u8>)>));
    let s2 = seen.clone();
    Mock::given(method("POST"))
        .and(path(p("objects")))
        // MCS answers a copy of the object instead of a reference.
        .respond_with(move |req: &Request| {
            *s2.lock().unwrap() = Some((content_type(req), req.body.clone()));
            json_response(201, json!({"object": {"resourceURL": format!("{BASE}/objects/m1"), "path": "/p/m1"}}))
        })
        .mount(&server)
        .await;
    let parts = vec![
        Part::new("image/jpeg", b"JPEGDATA".to_vec())
            .with_header("content-disposition", "attachment; filename=\"a.jpg\"")
            .with_header("file-icon", "cid:thumbnail"),
        Part::new("image/jpeg", b"THUMB".to_vec())
            .with_header("content-disposition", "icon; filename=\"thumbnail_a.jpg\"")
            .with_header("content-id", "thumbnail"),
    ];
    let r = client.create_object(&NewObject { object: sms_object(), parts }).await.unwrap();
    assert_eq!(id_from_url(&r.resource_url), "m1");
    let (ctype, body) = seen.lock().unwrap().clone().unwrap();
    let outer = multipart::parse(&ctype, &body).unwrap();
    assert_eq!(outer.len(), 2);
    assert_eq!(outer[1].form_name().as_deref(), Some("attachments"));
    assert_eq!(outer[1].media_type(), "multipart/mixed");
    let inner = outer[1].subparts().unwrap();
    assert_eq!(inner.len(), 2);
    assert_eq!(inner[0].filename().as_deref(), Some("a.jpg"));
    assert_eq!(inner[0].header("file-icon"), Some("cid:thumbnail"));
    assert_eq!(inner[0].body, b"JPEGDATA");
    assert_eq!(inner[1].content_id().as_deref(), Some("thumbnail"));
    assert_eq!(inner[1].body, b"THUMB");
}

#[tokio::test]
async fn create_object_location_only_answer() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path(p("objects")))
        .respond_with(ResponseTemplate::new(201).insert_header("location", format!("{BASE}/objects/loc1")))
        .mount(&server)
        .await;
    let r = client.create_object(&NewObject { object: sms_object(), parts: vec![] }).await.unwrap();
    assert_eq!(r.resource_url, format!("{}{BASE}/objects/loc1", server.uri()));
}

#[tokio::test]
async fn delete_object_and_object_urls_as_ids() {
    let (server, client) = setup().await;
    Mock::given(method("DELETE"))
        .and(path(p("objects/abc")))
        .respond_with(ResponseTemplate::new(204))
        .expect(2)
        .mount(&server)
        .await;
    client.delete_object("abc").await.unwrap();
    // A full URL (as found in resourceURL) works where an id is expected.
    client.delete_object(&format!("{}{BASE}/objects/abc", server.uri())).await.unwrap();
}

#[tokio::test]
async fn flags_calls() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path(p("objects/o1/flags")))
        .respond_with(json_response(
            200,
            json!({"flagList": {"flag": ["\\Seen", "\\Flagged"], "resourceURL": "flags"}}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path(p("objects/o1/flags")))
        .and(body_json(json!({"flagList": {"flag": ["\\Flagged"]}})))
        .respond_with(json_response(200, json!({"flagList": {"flag": ["\\Flagged"]}})))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path(p("objects/o1/flags/%5CSeen")))
        .and(body_json(json!({"empty": null})))
        .respond_with(json_response(201, json!({"empty": null})))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path(p("objects/o1/flags/%24CNS-Greeting-On")))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(p("objects/o1/flags/%5CSeen")))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(p("objects/o1/flags/%5CFlagged")))
        .respond_with(json_response(404, json!({"empty": null})))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(p("objects/gone/flags/%5CSeen")))
        .respond_with(json_response(
            404,
            json!({"requestError": {"serviceException": {"messageId": "SVC0004", "text": "No valid addresses provided in message part %1", "variables": ["objectId"]}}}),
        ))
        .mount(&server)
        .await;

    let f = client.get_flags("o1").await.unwrap();
    assert_eq!(f.flag, vec!["\\Seen", "\\Flagged"]);
    assert_eq!(f.resource_url.as_deref(), Some(format!("{}{BASE}/objects/o1/flags", server.uri()).as_str()));
    let set = client.set_flags("o1", &FlagList::new(["\\Flagged"])).await.unwrap();
    assert_eq!(set.flag, vec!["\\Flagged"]);
    assert!(client.add_flag("o1", "\\Seen").await.unwrap());
    assert!(!client.add_flag("o1", "$CNS-Greeting-On").await.unwrap());
    assert!(client.remove_flag("o1", "\\Seen").await.unwrap());
    assert!(!client.remove_flag("o1", "\\Flagged").await.unwrap());
    let err = client.remove_flag("gone", "\\Seen").await.unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(err.message_id(), Some("SVC0004"));
}

#[tokio::test]
async fn download_streams_payload_with_content_type() {
    let (server, client) = setup().await;
    let big: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    Mock::given(method("GET"))
        .and(path(p("objects/abc/payload")))
        .respond_with(ResponseTemplate::new(200).set_body_raw(big.clone(), "multipart/related; boundary=b1"))
        .mount(&server)
        .await;
    // Root-relative (as in spec examples) and box-relative forms both resolve.
    for url in [format!("{BASE}/objects/abc/payload"), "objects/abc/payload".to_string()] {
        let d = client.download(&url).await.unwrap();
        assert_eq!(d.content_type, "multipart/related; boundary=b1");
        assert_eq!(d.content_length, Some(big.len() as u64));
        let mut stream = d.stream;
        let mut got = Vec::new();
        while let Some(chunk) = stream.next().await {
            got.extend_from_slice(&chunk.unwrap());
        }
        assert_eq!(got, big);
    }
}

// ---------------------------------------------------------------- search

fn criteria(max: u64) -> SelectionCriteria {
    SelectionCriteria { max_entries: max, ..Default::default() }
}

#[tokio::test]
async fn search_page_request_and_answer() {
    let (server, client) = setup().await;
    let uri = server.uri();
    Mock::given(method("POST"))
        .and(path(p("objects/operations/search")))
        .and(header("content-type", "application/json"))
        .and(|req: &Request| {
            let v = body_value(req);
            root_key(&v) == "selectionCriteria" && v["selectionCriteria"]["maxEntries"] == 10
        })
        .respond_with(json_response(
            200,
            json!({"objectList": {"object": [spec_object(&uri, "a")["object"].clone()], "cursor": "c1"}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let page = client.search_page(&criteria(10)).await.unwrap();
    assert_eq!(page.object.len(), 1);
    assert_eq!(page.cursor.as_deref(), Some("c1"));
}

#[tokio::test]
async fn search_stream_follows_cursors_until_none() {
    let (server, client) = setup().await;
    let uri = server.uri();
    Mock::given(method("POST"))
        .and(path(p("objects/operations/search")))
        .respond_with(move |req: &Request| {
            let v = body_value(req);
            let (ids, next) = match v["selectionCriteria"]["fromCursor"].as_str() {
                None => (vec!["a", "b"], Some("c1")),
                Some("c1") => (vec!["c", "d"], Some("c2")),
                Some("c2") => (vec!["e"], None),
                other => panic!("unexpected cursor {other:?}"),
            };
            let objs: Vec<Value> = ids.iter().map(|id| spec_object(&uri, id)["object"].clone()).collect();
            let mut list = json!({"object": objs});
            if let Some(n) = next {
                list["cursor"] = json!(n);
            }
            json_response(200, json!({"objectList": list}))
        })
        .expect(3)
        .mount(&server)
        .await;
    let pages: Vec<_> = client.search_stream(criteria(2)).collect().await;
    let ids: Vec<String> = pages
        .into_iter()
        .flat_map(|p| p.unwrap().object)
        .map(|o| id_from_url(o.resource_url.as_deref().unwrap()))
        .collect();
    assert_eq!(ids, vec!["a", "b", "c", "d", "e"]);
}

#[tokio::test]
async fn search_stream_accepts_204_and_stops() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path(p("objects/operations/search")))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let pages: Vec<_> = client.search_stream(criteria(10)).collect().await;
    assert_eq!(pages.len(), 1);
    assert!(pages[0].as_ref().unwrap().object.is_empty());
}

#[tokio::test]
async fn search_stream_stops_on_repeated_or_empty_cursor() {
    let (server, client) = setup().await;
    let uri = server.uri();
    Mock::given(method("POST"))
        .and(path(p("objects/operations/search")))
        .respond_with(move |_: &Request| {
            json_response(
                200,
                json!({"objectList": {"object": [spec_object(&uri, "a")["object"].clone()], "cursor": "same"}}),
            )
        })
        .expect(2)
        .mount(&server)
        .await;
    let pages: Vec<_> = client.search_stream(criteria(1)).collect().await;
    assert_eq!(pages.len(), 2);

    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path(p("objects/operations/search")))
        .respond_with(json_response(200, json!({"objectList": {"object": [], "cursor": ""}})))
        .expect(1)
        .mount(&server)
        .await;
    let pages: Vec<_> = client.search_stream(criteria(1)).collect().await;
    assert_eq!(pages.len(), 1);
}

#[tokio::test]
async fn search_carrier_answer_without_cursor() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path(p("objects/operations/search")))
        .respond_with(json_response(
            200,
            json!({"objectList": {"object": [carrier_object("v%3A1")["object"].clone(), carrier_object("v%3A2")["object"].clone()]}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let pages: Vec<_> = client.search_stream(criteria(10)).collect().await;
    assert_eq!(pages.len(), 1);
    let page = pages.into_iter().next().unwrap().unwrap();
    let ids: Vec<String> = page.object.iter().map(|o| id_from_url(o.resource_url.as_deref().unwrap())).collect();
    assert_eq!(ids, vec!["v:1", "v:2"]);
    assert!(page.object[0].resource_url.as_deref().unwrap().starts_with(&server.uri()));
}

#[tokio::test]
async fn search_answer_as_object_reference_list() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path(p("objects/operations/search")))
        .respond_with(json_response(
            200,
            json!({"objectReferenceList": {"objectReference": [{"resourceURL": format!("{BASE}/objects/r1")}]}}),
        ))
        .mount(&server)
        .await;
    let page = client.search_page(&criteria(10)).await.unwrap();
    assert_eq!(page.object.len(), 1);
    assert_eq!(page.object[0].resource_url.as_deref(), Some(format!("{}{BASE}/objects/r1", server.uri()).as_str()));
}

// ---------------------------------------------------------------- bulk

#[tokio::test]
async fn bulk_create_sends_object_list_then_attachments_in_order() {
    let (server, client) = setup().await;
    let seen = std::sync::Arc::new(std::sync::Mutex::new(None::<(String, Vec<u8>)>));
    let s2 = seen.clone();
    Mock::given(method("POST"))
        .and(path(p("objects/operations/bulkCreation")))
        .respond_with(move |req: &Request| {
            *s2.lock().unwrap() = Some((content_type(req), req.body.clone()));
            json_response(
                200,
                json!({"bulkResponseList": {"response": [
                    {"code": 201, "reason": "Created", "success": {"resourceURL": format!("{BASE}/objects/b1")}},
                    {"code": "403", "reason": "Forbidden", "failure": {"policyException": {"messageId": "POL0001", "text": "no"}}},
                    {"code": 201, "reason": "Created", "success": {"resourceURL": format!("{BASE}/objects/b3")}}]}}),
            )
        })
        .expect(1)
        .mount(&server)
        .await;
    let objs = vec![
        NewObject {
            object: sms_object(),
            parts: vec![
                Part::new("text/plain", b"one".to_vec())
                    .with_header("content-disposition", "attachment; filename=\"sms.txt\""),
            ],
        },
        NewObject { object: sms_object(), parts: vec![] },
        NewObject {
            object: sms_object(),
            parts: vec![Part::new("text/plain", b"three-a".to_vec()), Part::new("image/png", b"three-b".to_vec())],
        },
    ];
    let res = client.bulk_create(&objs).await.unwrap();
    assert_eq!(res.response.len(), 3);
    assert_eq!(res.response[1].code, 403);
    assert_eq!(res.response[0].success.as_ref().unwrap().resource_url, format!("{}{BASE}/objects/b1", server.uri()));

    let (ctype, body) = seen.lock().unwrap().clone().unwrap();
    let parts = multipart::parse(&ctype, &body).unwrap();
    assert_eq!(parts.len(), 4);
    assert_eq!(parts[0].form_name().as_deref(), Some("root-fields"));
    let root: Value = serde_json::from_slice(&parts[0].body).unwrap();
    assert_eq!(root["objectList"]["object"].as_array().unwrap().len(), 3);
    assert!(parts[1..].iter().all(|p| p.form_name().as_deref() == Some("attachments")));
    assert_eq!(parts[1].body, b"one");
    assert!(parts[2].body.is_empty());
    let nested = parts[3].subparts().unwrap();
    assert_eq!(
        nested.iter().map(|p| p.body.clone()).collect::<Vec<_>>(),
        vec![b"three-a".to_vec(), b"three-b".to_vec()]
    );
}

fn refs(ids: &[&str]) -> ObjectReferenceList {
    ObjectReferenceList {
        object_reference: ids.iter().map(|i| Reference::new(format!("{BASE}/objects/{i}"))).collect(),
    }
}

#[tokio::test]
async fn bulk_update_posts_bulk_update_and_reads_string_codes() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path(p("objects/operations/bulkUpdate")))
        .and(|req: &Request| {
            let v = body_value(req);
            root_key(&v) == "bulkUpdate" && v["bulkUpdate"]["operation"] == "AddFlag" && v["bulkUpdate"]["flags"]["flag"][0] == "\\Seen"
        })
        .respond_with(json_response(
            200,
            json!({"bulkResponseList": {"response": [
                {"code": "200", "reason": "OK", "success": {"resourceURL": format!("{RELAY}/objects/a")}},
                {"code": "400", "reason": "Internal server error", "failure": {"serviceException": {"messageId": "SVC3000", "text": "Internal Server Error for %1 Address", "variables": ["x"]}}}]}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let u = BulkUpdate {
        objects: Some(refs(&["a", "b"])),
        selection_criteria: None,
        operation: BulkOperation::AddFlag,
        flags: FlagList::new(["\\Seen"]),
    };
    let res = client.bulk_update(&u).await.unwrap();
    assert_eq!(res.response[0].code, 200);
    assert_eq!(res.response[0].success.as_ref().unwrap().resource_url, format!("{}{BASE}/objects/a", server.uri()));
    assert_eq!(res.response[1].code, 400);
    assert_eq!(res.response[1].failure.as_ref().unwrap().message_id(), Some("SVC3000"));
}

#[tokio::test]
async fn bulk_delete_uses_delete_with_body_and_falls_back_to_post() {
    let (server, client) = setup().await;
    let d = BulkDelete { objects: Some(refs(&["a"])), selection_criteria: None };
    Mock::given(method("DELETE"))
        .and(path(p("objects/operations/bulkDelete")))
        .and(|req: &Request| root_key(&body_value(req)) == "bulkDelete")
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    assert!(client.bulk_delete(&d).await.unwrap().response.is_empty());

    let (server, client) = setup().await;
    Mock::given(method("DELETE"))
        .and(path(p("objects/operations/bulkDelete")))
        .respond_with(ResponseTemplate::new(405).insert_header("allow", "POST"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(p("objects/operations/bulkDelete")))
        .and(|req: &Request| root_key(&body_value(req)) == "bulkDelete")
        .respond_with(json_response(
            200,
            json!({"bulkResponseList": {"response": [{"code": 200, "success": {"resourceURL": "x"}}]}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    assert_eq!(client.bulk_delete(&d).await.unwrap().response.len(), 1);
}

#[tokio::test]
async fn bulk_nwk_rsp_error_body_is_unpacked() {
    let (server, client) = setup().await;
    let inner = json!({"bulkResponseList": {"response": [{"code": "200", "reason": "OK", "success": {"resourceURL": "objects/a"}}]}});
    Mock::given(method("DELETE"))
        .and(path(p("objects/operations/bulkDelete")))
        .respond_with(json_response(500, json!({"NWK_RSP": inner.to_string()})))
        .expect(1)
        .mount(&server)
        .await;
    let res = client.bulk_delete(&BulkDelete { objects: Some(refs(&["a"])), selection_criteria: None }).await.unwrap();
    assert_eq!(res.response.len(), 1);
    assert_eq!(res.response[0].code, 200);
}

// ---------------------------------------------------------------- folders

fn folder_json(uri: &str, id: &str, extra: Value) -> Value {
    let mut f = json!({"resourceURL": format!("{uri}{BASE}/folders/{id}"), "name": id,
        "attributes": {"attribute": [{"name": "Name", "value": [id]}]}});
    if let (Some(m), Some(e)) = (f.as_object_mut(), extra.as_object()) {
        m.extend(e.clone());
    }
    f
}

#[tokio::test]
async fn root_folder_by_search() {
    let (server, client) = setup().await;
    let uri = server.uri();
    Mock::given(method("POST"))
        .and(path(p("folders/operations/search")))
        .and(|req: &Request| {
            let v = body_value(req);
            let c = &v["selectionCriteria"]["searchCriteria"]["criterion"][0];
            c["type"] == "Attribute" && c["name"] == "Root" && c["value"] == "Yes"
        })
        .respond_with(json_response(200, json!({"folderList": {"folder": [folder_json(&uri, "root", json!({}))]}})))
        .expect(1)
        .mount(&server)
        .await;
    let root = client.root_folder().await.unwrap();
    assert_eq!(id_from_url(root.resource_url.as_deref().unwrap()), "root");
}

#[tokio::test]
async fn root_folder_falls_back_to_path_to_id() {
    let (server, client) = setup().await;
    let uri = server.uri();
    Mock::given(method("POST"))
        .and(path(p("folders/operations/search")))
        .respond_with(ResponseTemplate::new(405))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(p("folders/operations/pathToId")))
        .and(|req: &Request| req.url.query().is_none())
        .respond_with(json_response(
            200,
            json!({"reference": {"resourceURL": format!("{BASE}/folders/r0"), "path": null}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(p("folders/r0")))
        .respond_with(json_response(200, json!({"folder": folder_json(&uri, "r0", json!({}))})))
        .expect(1)
        .mount(&server)
        .await;
    let root = client.root_folder().await.unwrap();
    assert_eq!(id_from_url(root.resource_url.as_deref().unwrap()), "r0");
}

#[tokio::test]
async fn root_folder_does_not_hide_auth_errors() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path(p("folders/operations/search")))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    assert!(client.root_folder().await.unwrap_err().is_auth());
}

#[tokio::test]
async fn get_folder_query_and_folder_pages() {
    let (server, client) = setup().await;
    let uri = server.uri();
    Mock::given(method("GET"))
        .and(path(p("folders/f1")))
        .and(query_param("listFilter", "All"))
        .and(query_param("maxEntries", "2"))
        .respond_with(move |req: &Request| {
            let cursor = req.url.query_pairs().find(|(k, _)| k == "fromCursor").map(|(_, v)| v.into_owned());
            let (objs, next) = match cursor.as_deref() {
                None => (vec!["o1", "o2"], Some("abc?cur&194")),
                Some("abc?cur&194") => (vec!["o3"], None),
                other => panic!("cursor {other:?}"),
            };
            let list: Vec<Value> = objs.iter().map(|o| json!({"resourceURL": format!("{BASE}/objects/{o}")})).collect();
            let mut extra = json!({"objects": {"objectReference": list}, "subFolders": {"folderReference": []}});
            if let Some(n) = next {
                extra["cursor"] = json!(n);
            }
            json_response(200, json!({"folder": folder_json(&uri, "f1", extra)}))
        })
        .expect(3)
        .mount(&server)
        .await;
    let one = client.get_folder("f1", FolderListFilter::All, None, Some(2)).await.unwrap();
    assert_eq!(one.cursor.as_deref(), Some("abc?cur&194"));
    let pages: Vec<_> = client.folder_pages("f1", FolderListFilter::All, 2).collect().await;
    let objs: Vec<String> = pages
        .into_iter()
        .flat_map(|p| p.unwrap().objects.unwrap().object_reference)
        .map(|r| {
            assert!(r.resource_url.starts_with("http://"));
            id_from_url(&r.resource_url)
        })
        .collect();
    assert_eq!(objs, vec!["o1", "o2", "o3"]);
}

#[tokio::test]
async fn carrier_folder_with_url_inside_attributes() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path(p("folders/27a29814")))
        .and(query_param("listFilter", "Subfolders"))
        .respond_with(json_response(
            200,
            json!({"folder": {"parentFolder": format!("{RELAY}/folders/27a29814"), "attributes": {
                "attribute": [{"name": "OccupiedStorage", "value": ["0"]}, {"name": "TotalStorage", "value": ["167770"]}],
                "resourceURL": format!("{RELAY}/folders/27a29814")}}}),
        ))
        .mount(&server)
        .await;
    let f = client.get_folder("27a29814", FolderListFilter::Subfolders, None, None).await.unwrap();
    assert_eq!(f.resource_url.as_deref(), Some(format!("{}{BASE}/folders/27a29814", server.uri()).as_str()));
    assert_eq!(f.attributes.first("totalstorage"), Some("167770"));
}

#[tokio::test]
async fn folder_create_rename_delete_search_move_copy_path_to_id() {
    let (server, client) = setup().await;
    let uri = server.uri();
    Mock::given(method("POST"))
        .and(path(p("folders")))
        .and(|req: &Request| {
            let v = body_value(req);
            root_key(&v) == "folder"
                && v["folder"]["name"] == "conv-1"
                && v["folder"]["parentFolder"].as_str().unwrap().ends_with("/folders/root")
        })
        .respond_with(
            json_response(201, json!({"reference": {"resourceURL": format!("{BASE}/folders/n1"), "path": "/conv-1"}}))
                .insert_header("location", format!("{BASE}/folders/n1")),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(p("folders")))
        .and(|req: &Request| body_value(req)["folder"]["parentFolderPath"] == "/RCSMessageStore")
        .respond_with(json_response(201, json!({"folder": {"resourceURL": format!("{BASE}/folders/n2")}})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path(p("folders/n1/folderName")))
        .and(body_json(json!({"name": "renamed"})))
        .respond_with(json_response(200, json!({"name": "renamed"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(p("folders/n1")))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(p("folders/operations/search")))
        .and(|req: &Request| root_key(&body_value(req)) == "selectionCriteria")
        .respond_with(json_response(
            200,
            json!({"folderList": {"folder": [folder_json(&uri, "a", json!({})), folder_json(&uri, "b", json!({}))]}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    for op in ["moveToFolder", "copyToFolder"] {
        Mock::given(method("POST"))
            .and(path(p(&format!("folders/operations/{op}"))))
            .and(|req: &Request| {
                let v = body_value(req);
                root_key(&v) == "targetSourceRef" && v["targetSourceRef"]["sourceRefs"]["objects"]["objectReference"][0]["resourceURL"] == "u1"
            })
            .respond_with(json_response(200, json!({"bulkResponseList": {"response": [{"code": 200, "success": {"resourceURL": format!("{BASE}/objects/z")}}]}})))
            .expect(1)
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path(p("objects/operations/pathToId")))
        .and(query_param("path", "/RCSMessageStore/a b"))
        .respond_with(json_response(
            200,
            json!({"reference": {"resourceURL": format!("{BASE}/objects/q"), "path": "/RCSMessageStore/a b"}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(p("folders/operations/pathToId")))
        .and(query_param("path", "/RCSMessageStore"))
        .respond_with(json_response(200, json!({"reference": {"resourceURL": format!("{BASE}/folders/rcs")}})))
        .expect(1)
        .mount(&server)
        .await;

    let r = client.create_folder(Some("root"), None, "conv-1").await.unwrap();
    assert_eq!(r.resource_url, format!("{uri}{BASE}/folders/n1"));
    let r2 = client.create_folder(None, Some("/RCSMessageStore"), "x").await.unwrap();
    assert_eq!(id_from_url(&r2.resource_url), "n2");
    assert!(matches!(client.create_folder(None, None, "x").await, Err(Error::Invalid(_))));
    client.rename_folder("n1", "renamed").await.unwrap();
    client.delete_folder("n1").await.unwrap();
    let list = client.search_folders(&criteria(10)).await.unwrap();
    assert_eq!(list.folder.len(), 2);
    let t = TargetSourceRef {
        target_ref: Reference::new("t"),
        source_refs: ReferenceList {
            objects: ObjectReferenceList { object_reference: vec![Reference::new("u1")] },
            ..Default::default()
        },
    };
    assert_eq!(client.move_to_folder(&t).await.unwrap().response.len(), 1);
    assert_eq!(client.copy_to_folder(&t).await.unwrap().response.len(), 1);
    let o = client.object_path_to_id("/RCSMessageStore/a b").await.unwrap();
    assert_eq!(id_from_url(&o.resource_url), "q");
    let f = client.folder_path_to_id(Some("/RCSMessageStore")).await.unwrap();
    assert_eq!(f.resource_url, format!("{uri}{BASE}/folders/rcs"));
}

// ---------------------------------------------------------------- retries, redirects, errors

#[tokio::test]
async fn retry_after_on_429_then_success() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path(p("objects/abc")))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(p("objects/abc")))
        .respond_with(json_response(200, spec_object(&server.uri(), "abc")))
        .expect(1)
        .mount(&server)
        .await;
    let o = client.get_object("abc").await.unwrap();
    assert_eq!(id_from_url(o.resource_url.as_deref().unwrap()), "abc");
}

#[tokio::test]
async fn post_is_retried_on_429_but_not_on_500() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path(p("objects")))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(p("objects")))
        .respond_with(ResponseTemplate::new(500))
        .expect(1)
        .mount(&server)
        .await;
    let err = client.create_object(&NewObject { object: sms_object(), parts: vec![] }).await.unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert!(err.is_network());
    server.verify().await;
}

#[tokio::test]
async fn get_retried_after_500_then_success() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path(p("objects/abc")))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(2)
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(p("objects/abc")))
        .respond_with(json_response(200, spec_object(&server.uri(), "abc")))
        .expect(1)
        .mount(&server)
        .await;
    assert!(client.get_object("abc").await.is_ok());
}

#[tokio::test]
async fn search_post_is_retried_on_503() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path(p("objects/operations/search")))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(p("objects/operations/search")))
        .respond_with(json_response(200, json!({"objectList": {"object": []}})))
        .expect(1)
        .mount(&server)
        .await;
    assert!(client.search_page(&criteria(5)).await.unwrap().object.is_empty());
}

#[tokio::test]
async fn retries_exhausted_is_network() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path(p("objects/abc")))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0"))
        .expect(4) // the first attempt and `retries` = 3 more
        .mount(&server)
        .await;
    let err = client.get_object("abc").await.unwrap_err();
    assert!(err.is_network(), "{err}");
    assert_eq!(err.status(), Some(503));
    server.verify().await;
}

#[tokio::test]
async fn redirect_302_is_followed_with_the_same_request() {
    let (server, client) = setup().await;
    let other = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(p("objects/operations/search")))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", format!("{}/moved{BASE}/objects/operations/search", other.uri())),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/moved{BASE}/objects/operations/search")))
        .and(header("authorization", "Basic ZGVtbzpzM2NyZXQ="))
        .and(|req: &Request| root_key(&body_value(req)) == "selectionCriteria")
        .respond_with(json_response(200, json!({"objectList": {"object": [{"resourceURL": "../../objects/rel"}]}})))
        .expect(1)
        .mount(&other)
        .await;
    let page = client.search_page(&criteria(5)).await.unwrap();
    // URLs in the answer resolve against the URL that answered.
    assert_eq!(
        page.object[0].resource_url.as_deref(),
        Some(format!("{}/moved{BASE}/objects/rel", other.uri()).as_str())
    );
}

#[tokio::test]
async fn garbage_body_is_a_decode_error() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path(p("objects/abc")))
        .respond_with(ResponseTemplate::new(200).set_body_raw(b"<html>oops</html>".to_vec(), "text/html"))
        .mount(&server)
        .await;
    match client.get_object("abc").await.unwrap_err() {
        Error::Decode { context, message } => {
            assert!(context.contains("GET") && context.contains("objects/abc"), "{context}");
            assert!(message.contains("oops"), "{message}");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    Mock::given(method("GET"))
        .and(path(p("objects/wrong")))
        .respond_with(json_response(200, json!({"object": {"attributes": 5}})))
        .mount(&server)
        .await;
    assert!(matches!(client.get_object("wrong").await.unwrap_err(), Error::Decode { .. }));
}

#[tokio::test]
async fn connection_refused_is_transport_and_network() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let mut cfg = ClientConfig::from_base_url(&format!("http://127.0.0.1:{port}/nms/v1/cpm/b"), Auth::None).unwrap();
    cfg.retries = 2;
    cfg.backoff_base = Duration::from_millis(1);
    let client = NmsClient::new(cfg).unwrap();
    let err = client.get_object("x").await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert!(err.is_network());
    assert!(!err.is_auth() && !err.is_not_found());
}

#[tokio::test]
async fn status_errors_are_typed() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path(p("objects/a401")))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(p("objects/a404")))
        .respond_with(json_response(
            404,
            json!({"requestError": {"serviceException": {"messageId": "SVC0004", "text": "No such object %1", "variables": ["a404"]}}}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path(p("folders/root/folderName")))
        .respond_with(json_response(
            403,
            json!({"requestError": {"policyException": {"messageId": "POL1030", "text": "rename not allowed"}}}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(p("objects/a400")))
        .respond_with(json_response(400, json!({"error": "MSTORE_RLY-MST_NWKERR"})))
        .mount(&server)
        .await;

    let e = client.get_object("a401").await.unwrap_err();
    assert!(e.is_auth() && !e.is_network() && !e.is_not_found());

    let e = client.get_object("a404").await.unwrap_err();
    assert!(e.is_not_found() && !e.is_auth());
    assert_eq!(e.message_id(), Some("SVC0004"));
    assert!(e.to_string().contains("No such object a404"), "{e}");

    let e = client.rename_folder("root", "x").await.unwrap_err();
    assert_eq!(e.message_id(), Some("POL1030"));
    assert!(!e.is_auth());

    match client.get_object("a400").await.unwrap_err() {
        Error::Http { status: 400, snippet } => assert!(snippet.contains("MSTORE_RLY-MST_NWKERR")),
        other => panic!("expected Http 400, got {other:?}"),
    }
}

#[tokio::test]
async fn bearer_auth_header() {
    let server = MockServer::start().await;
    let mut cfg = config(&server);
    cfg.auth = Auth::Bearer("tok".into());
    let client = NmsClient::new(cfg).unwrap();
    Mock::given(method("GET"))
        .and(path(p("objects/abc")))
        .and(header("authorization", "Bearer tok"))
        .respond_with(json_response(200, spec_object(&server.uri(), "abc")))
        .expect(1)
        .mount(&server)
        .await;
    client.get_object("abc").await.unwrap();
    assert_eq!(client.box_id(), BOX);
}

#[test]
fn client_is_clone_send_sync() {
    fn check<T: Clone + Send + Sync + 'static>() {}
    check::<NmsClient>();
    check::<ClientConfig>();
}

#[tokio::test]
async fn timeout_is_typed_and_network() {
    let server = MockServer::start().await;
    let mut cfg = config(&server);
    cfg.timeout = Duration::from_millis(100);
    cfg.retries = 1;
    let client = NmsClient::new(cfg).unwrap();
    Mock::given(method("GET"))
        .and(path(p("objects/slow")))
        .respond_with(json_response(200, json!({"object": {}})).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let err = client.get_object("slow").await.unwrap_err();
    assert!(matches!(err, Error::Timeout), "{err:?}");
    assert!(err.is_network());
}

#[tokio::test]
async fn auth_failure_is_not_retried() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path(p("objects/abc")))
        .respond_with(ResponseTemplate::new(401).insert_header("www-authenticate", "Basic realm=\"nms\""))
        .expect(1)
        .mount(&server)
        .await;
    assert!(client.get_object("abc").await.unwrap_err().is_auth());
    server.verify().await;
}
