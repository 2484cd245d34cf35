//! Client hardening (issue 9, items 1–3): credentials stay on their origin, nothing secret is
//! echoed, and answers are read in bounded memory. Hostile servers are wiremock instances or
//! tiny TCP servers in the test, since the reference server never misbehaves this way.

mod nms_support;

use nms_support::*;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// How many requests `server` received with an `Authorization` header.
async fn with_auth(server: &MockServer) -> usize {
    let reqs = server.received_requests().await.unwrap_or_default();
    reqs.iter().filter(|r| r.headers.contains_key("authorization")).count()
}

// ---------------------------------------------------------------- item 1: origins

#[tokio::test]
async fn redirect_to_another_origin_goes_without_credentials_and_its_401_names_both_hosts() {
    let (server, client) = setup().await;
    let hostile = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(p("objects/abc")))
        .respond_with(ResponseTemplate::new(302).insert_header("location", format!("{}/steal", hostile.uri())))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/steal"))
        .respond_with(ResponseTemplate::new(401).insert_header("www-authenticate", "Basic realm=\"x\""))
        .mount(&hostile)
        .await;
    let err = client.get_object("abc").await.unwrap_err();
    assert_eq!(hostile.received_requests().await.unwrap_or_default().len(), 1);
    assert_eq!(with_auth(&hostile).await, 0, "credentials leaked to another origin");
    assert!(err.is_auth(), "{err}");
    let text = err.to_string();
    assert!(text.contains(&hostile.uri()) && text.contains(&server.uri()), "{text}");
}

#[tokio::test]
async fn redirect_within_the_origin_keeps_credentials() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path(p("objects/abc")))
        .respond_with(ResponseTemplate::new(302).insert_header("location", p("objects/def")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(p("objects/def")))
        .respond_with(json_response(200, spec_object(&server.uri(), "def")))
        .mount(&server)
        .await;
    client.get_object("abc").await.unwrap();
    assert_eq!(with_auth(&server).await, 2);
}

#[tokio::test]
async fn absolute_href_on_another_host_is_fetched_without_credentials() {
    let (server, client) = setup().await;
    let hostile = MockServer::start().await;
    let mut body = spec_object(&server.uri(), "abc");
    body["object"]["payloadPart"][0]["href"] = json!(format!("{}/parts/p1", hostile.uri()));
    Mock::given(method("GET")).and(path(p("objects/abc"))).respond_with(json_response(200, body)).mount(&server).await;
    Mock::given(method("GET"))
        .and(path("/parts/p1"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(b"hello".to_vec(), "text/plain"))
        .mount(&hostile)
        .await;
    let o = client.get_object("abc").await.unwrap();
    let href = o.payload_part[0].href.clone();
    assert!(href.starts_with(&hostile.uri()), "{href}");
    let got = client.download(&href).await.unwrap().bytes().await.unwrap();
    assert_eq!(got, b"hello");
    assert_eq!(with_auth(&hostile).await, 0, "credentials leaked to the href's host");
    assert_eq!(with_auth(&server).await, 1);
}
