//! Client hardening (issue 9, items 1–3): credentials stay on their origin, nothing secret is
//! echoed, and answers are read in bounded memory. Hostile servers are wiremock instances or
//! tiny TCP servers in the test, since the reference server never misbehaves this way.

use crate::nms_support;

use cpmctl::nms::{Auth, ClientConfig, Error, NmsClient};
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

// ---------------------------------------------------------------- item 3: bounded reads

/// A hostile HTTP server on port 0: answers every connection with `head` and then `total`
/// body bytes (`prefix` first, then `fill`), counting what it managed to write.
struct Hostile {
    uri: String,
    written: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

async fn hostile(head: String, prefix: Vec<u8>, fill: u8, total: u64) -> Hostile {
    use std::sync::atomic::Ordering;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    let written = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let count = written.clone();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let count = count.clone();
            let (head, prefix) = (head.clone(), prefix.clone());
            tokio::spawn(async move {
                // Read the request head (bounded), then answer whatever it was.
                let mut req = Vec::new();
                let mut buf = [0u8; 4096];
                while !req.windows(4).any(|w| w == b"\r\n\r\n") && req.len() < 65536 {
                    match sock.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => req.extend_from_slice(&buf[..n]),
                    }
                }
                if sock.write_all(head.as_bytes()).await.is_err() || sock.write_all(&prefix).await.is_err() {
                    return;
                }
                let chunk = vec![fill; 64 * 1024];
                let mut sent = prefix.len() as u64;
                while sent < total {
                    let n = chunk.len().min((total - sent) as usize);
                    if sock.write_all(&chunk[..n]).await.is_err() {
                        return;
                    }
                    sent += n as u64;
                    count.fetch_add(n as u64, Ordering::Relaxed);
                }
            });
        }
    });
    Hostile { uri, written }
}

fn hostile_client(h: &Hostile, max_body: u64) -> NmsClient {
    let mut cfg = ClientConfig::from_base_url(
        &format!("{}{BASE}", h.uri),
        Auth::Basic { user: "demo".into(), password: "s3cret".into() },
    )
    .unwrap();
    cfg.retries = 1;
    cfg.backoff_base = std::time::Duration::from_millis(2);
    cfg.timeout = std::time::Duration::from_secs(20);
    cfg.max_body = max_body;
    NmsClient::new(cfg).unwrap()
}

const MIB: u64 = 1024 * 1024;

#[tokio::test]
async fn an_endless_json_answer_stops_at_the_cap() {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n".to_string();
    let h = hostile(head, br#"{"object":{"path":""#.to_vec(), b'a', 4096 * MIB).await;
    let client = hostile_client(&h, MIB);
    let started = std::time::Instant::now();
    let err = client.get_object("abc").await.unwrap_err();
    assert!(matches!(err, Error::TooLarge { limit, .. } if limit == MIB), "{err:?}");
    assert!(err.to_string().contains("larger than the limit"), "{err}");
    // The client stopped reading: only the cap plus socket buffers ever left the server.
    let written = h.written.load(std::sync::atomic::Ordering::Relaxed);
    assert!(written < 64 * MIB, "{written} bytes were sent before the client gave up");
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}

#[tokio::test]
async fn a_declared_length_over_the_cap_is_refused_before_reading() {
    let head = format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n", 100 * MIB);
    let h = hostile(head, b"{".to_vec(), b' ', 100 * MIB).await;
    let err = hostile_client(&h, MIB).get_object("abc").await.unwrap_err();
    assert!(matches!(err, Error::TooLarge { .. }), "{err:?}");
    // The default cap is generous: the same answer is read in full under it (and fails to decode).
    let h = hostile(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2097152\r\n\r\n".into(),
        b"[".to_vec(),
        b' ',
        2 * MIB,
    )
    .await;
    let cfg = ClientConfig::from_base_url(&format!("{}{BASE}", h.uri), Auth::None).unwrap();
    assert_eq!(cfg.max_body, 64 * MIB);
    let err = NmsClient::new(cfg).unwrap().get_object("abc").await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
}

#[tokio::test]
async fn a_huge_error_answer_is_cut_short_and_its_text_truncated() {
    // 256 MiB of "error text": the client reads a few KiB and shows less.
    let prefix = br#"{"requestError":{"serviceException":{"messageId":"SVC0001","text":""#.to_vec();
    let head =
        format!("HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n", 256 * MIB);
    let h = hostile(head, prefix, b'A', 256 * MIB).await;
    let err = hostile_client(&h, 64 * MIB).get_object("abc").await.unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert!(err.to_string().len() < 4096, "{} bytes of error text", err.to_string().len());
    let written = h.written.load(std::sync::atomic::Ordering::Relaxed);
    assert!(written < 64 * MIB, "{written} bytes of an error body were read");

    // A well-formed requestError with a long text: shown, but only its start.
    let text = "B".repeat(12 * 1024);
    let body =
        serde_json::to_vec(&json!({"requestError": {"serviceException": {"messageId": "SVC0001", "text": text}}}))
            .unwrap();
    let head =
        format!("HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n", body.len());
    let total = body.len() as u64;
    let h = hostile(head, body, b' ', total).await;
    let err = hostile_client(&h, 64 * MIB).get_object("abc").await.unwrap_err();
    assert_eq!(err.message_id(), Some("SVC0001"));
    let shown = err.to_string();
    assert!(shown.len() < 2048 && shown.contains("BBBB") && shown.contains('…'), "{} bytes: {shown:.80}", shown.len());
}
