//! The NMS client against wiremock: config and URLs, objects, flags, downloads, retries,
//! redirects and error mapping.

use crate::nms_support;

use std::time::Duration;

use cpmctl::nms::{Auth, ClientConfig, Error, NewObject, NmsClient, id_from_url};
use cpmctl::wire::FlagList;
use cpmctl::wire::multipart::{self, Part};
use futures::StreamExt;
use nms_support::*;
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

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
async fn remove_absent_flag_answered_with_request_error() {
    let (server, client) = setup().await;
    let not_set = json!({"requestError": {"serviceException": {"messageId": "SVC0004", "text": "no %1", "variables": ["flag \\Seen"]}}});
    Mock::given(method("DELETE"))
        .and(path(p("objects/o2/flags/%5CSeen")))
        .respond_with(json_response(404, not_set))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(p("objects/o2/flags")))
        .respond_with(json_response(200, json!({"flagList": {"flag": ["\\Flagged"]}})))
        .expect(1)
        .mount(&server)
        .await;
    assert!(!client.remove_flag("o2", "\\Seen").await.unwrap());
    server.verify().await;
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
async fn redirect_302_is_followed_with_the_same_request_but_no_credentials_to_another_origin() {
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
        // Another port is another origin: the credentials stay behind.
        .and(|req: &Request| !req.headers.contains_key("authorization"))
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
    assert!(err.to_string().contains(&format!("cannot connect to 127.0.0.1:{port}")), "{err}");
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
