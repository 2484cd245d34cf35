//! HTTP Digest authentication end to end (issue 9, item 4). The reference server speaks Basic
//! and Bearer only, so a small Digest-checking proxy in this file stands in front of it: it
//! challenges, verifies each answer by hand (RFC 7616 §3.4.1, checked against the RFC's own
//! vectors below), enforces increasing nonce counts, can declare its nonce stale, and forwards
//! good requests to the real server with Basic credentials.

use crate::cmd_support;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use cmd_support::Fixture;
use cpmctl::nms::{Auth, ClientConfig, NmsClient};
use md5::Digest as _;

// ---------------------------------------------------------------- the hand-checked verifier

fn hex_hash(algorithm: &str, data: &str) -> String {
    if algorithm == "MD5" {
        hex::encode(md5::Md5::digest(data.as_bytes()))
    } else {
        hex::encode(sha2::Sha256::digest(data.as_bytes()))
    }
}

/// `name=value` pairs of a `Digest …` header (quoted values unquoted; no escapes needed here).
fn digest_params(value: &str) -> Option<HashMap<String, String>> {
    let rest = value.strip_prefix("Digest ")?;
    let mut out = HashMap::new();
    let mut chars = rest.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| *c == ',' || c.is_whitespace()) {
            chars.next();
        }
        let name: String = std::iter::from_fn(|| chars.next_if(|c| *c != '=')).collect();
        if name.is_empty() {
            break;
        }
        chars.next()?; // '='
        let value: String = if chars.peek() == Some(&'"') {
            chars.next();
            let v = std::iter::from_fn(|| chars.next_if(|c| *c != '"')).collect();
            chars.next();
            v
        } else {
            std::iter::from_fn(|| chars.next_if(|c| *c != ',')).collect()
        };
        out.insert(name.trim().to_ascii_lowercase(), value.trim().to_string());
    }
    Some(out)
}

/// The expected `response` for qop=auth (RFC 7616 §3.4.1).
fn expected(algorithm: &str, p: &HashMap<String, String>, password: &str, method: &str) -> Option<String> {
    let get = |k: &str| p.get(k).map(String::as_str);
    let ha1 = hex_hash(algorithm, &format!("{}:{}:{password}", get("username")?, get("realm")?));
    let ha2 = hex_hash(algorithm, &format!("{method}:{}", get("uri")?));
    Some(hex_hash(
        algorithm,
        &format!("{ha1}:{}:{}:{}:{}:{ha2}", get("nonce")?, get("nc")?, get("cnonce")?, get("qop")?),
    ))
}

#[test]
fn the_verifier_agrees_with_rfc7616_section_3_9_1() {
    let header = "Digest username=\"Mufasa\", realm=\"http-auth@example.org\", uri=\"/dir/index.html\", \
        algorithm=SHA-256, nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", nc=00000001, \
        cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\", qop=auth";
    let p = digest_params(header).unwrap();
    assert_eq!(
        expected("SHA-256", &p, "Circle of Life", "GET").unwrap(),
        "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"
    );
    assert_eq!(expected("MD5", &p, "Circle of Life", "GET").unwrap(), "8ca523f5e9506fed4657c9700eebdbec");
}

// ---------------------------------------------------------------- the Digest proxy

#[derive(Default)]
struct Proxy {
    algorithm: &'static str,
    user: String,
    password: String,
    /// Where good requests go, and the Basic credentials they go with.
    upstream: String,
    nonce_serial: u32,
    /// Live nonces (a fresh one per challenge) and the last nonce count seen for each.
    nonces: HashMap<String, u32>,
    /// Nonces declared stale.
    expired: Vec<String>,
    /// Declare every live nonce stale at the next request.
    expire_next: bool,
    /// (nonce, nc) of every accepted request, in order.
    accepted: Vec<(String, u32)>,
    basic_seen: usize,
    challenges_sent: usize,
    /// T-Mobile style: `uri` is the percent-decoded target, and a nonce is good for one
    /// request only (a reuse gets a plain, not stale, challenge).
    tmobile: bool,
}

type Shared = Arc<Mutex<Proxy>>;

impl Proxy {
    fn new_nonce(&mut self) -> String {
        self.nonce_serial += 1;
        let nonce = format!("nonce-{}-{}", self.nonce_serial, self.algorithm);
        self.nonces.insert(nonce.clone(), 0);
        nonce
    }

    fn challenge(&mut self, stale: bool) -> Response {
        self.challenges_sent += 1;
        let nonce = self.new_nonce();
        let value = format!(
            "Digest realm=\"nms@test\", qop=\"auth\", algorithm={}, nonce=\"{}\", opaque=\"op\"{}",
            self.algorithm,
            nonce,
            if stale { ", stale=true" } else { "" }
        );
        (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, value)]).into_response()
    }

    /// `Ok(())` when the request's Digest answer is right, else the 401 to send (a test
    /// helper on a cold path, so the size of the error does not matter).
    #[allow(clippy::result_large_err)]
    fn check(&mut self, method: &Method, uri: &Uri, headers: &HeaderMap) -> Result<(), Response> {
        let auth = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).unwrap_or("");
        if auth.starts_with("Basic ") {
            self.basic_seen += 1;
        }
        let Some(p) = digest_params(auth) else { return Err(self.challenge(false)) };
        let target = uri.path_and_query().map(|pq| pq.as_str()).unwrap_or("/");
        let target = if self.tmobile {
            percent_encoding::percent_decode_str(target).decode_utf8_lossy().into_owned()
        } else {
            target.to_string()
        };
        let nonce = p.get("nonce").cloned().unwrap_or_default();
        let nc = p.get("nc").and_then(|n| u32::from_str_radix(n, 16).ok()).unwrap_or(0);
        let good = p.get("username") == Some(&self.user)
            && p.get("uri") == Some(&target)
            && p.get("qop").map(String::as_str) == Some("auth")
            && p.get("algorithm").map(String::as_str) == Some(self.algorithm)
            && expected(self.algorithm, &p, &self.password, method.as_str()) == p.get("response").cloned();
        if !good {
            return Err(self.challenge(false));
        }
        if self.expire_next {
            self.expire_next = false;
            self.expired.extend(self.nonces.drain().map(|(n, _)| n));
        }
        if self.expired.contains(&nonce) {
            // Right password, but an old nonce: ask again with a fresh one.
            return Err(self.challenge(true));
        }
        match self.nonces.get(&nonce).copied() {
            Some(last) if nc > last && !(self.tmobile && last > 0) => {
                self.nonces.insert(nonce.clone(), nc);
                self.accepted.push((nonce, nc));
                Ok(())
            }
            // A replayed or non-increasing nonce count, or a nonce never issued.
            _ => Err(self.challenge(false)),
        }
    }
}

async fn handle(State(st): State<Shared>, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let (upstream, user, password) = {
        let mut p = st.lock().unwrap();
        if let Err(r) = p.check(&method, &uri, &headers) {
            return r;
        }
        (p.upstream.clone(), p.user.clone(), p.password.clone())
    };
    let target = uri.path_and_query().map(|pq| pq.as_str()).unwrap_or("/");
    let mut rb = reqwest::Client::new()
        .request(method, format!("{upstream}{target}"))
        .basic_auth(user, Some(password))
        .body(body.to_vec());
    // The real server builds its URLs from Host: keep them pointing at the proxy.
    for name in [header::HOST, header::CONTENT_TYPE, header::ACCEPT] {
        if let Some(v) = headers.get(&name) {
            rb = rb.header(name, v.clone());
        }
    }
    let resp = rb.send().await.unwrap();
    let status = resp.status();
    let ctype = resp.headers().get(header::CONTENT_TYPE).cloned();
    let location = resp.headers().get(header::LOCATION).cloned();
    let bytes = resp.bytes().await.unwrap();
    let mut out = (status, bytes).into_response();
    if let Some(c) = ctype {
        out.headers_mut().insert(header::CONTENT_TYPE, c);
    }
    if let Some(l) = location {
        out.headers_mut().insert(header::LOCATION, l);
    }
    out
}

/// Starts the proxy in front of the fixture's server; answers (state, NMS base via the proxy).
fn start_proxy(fx: &Fixture, algorithm: &'static str) -> (Shared, String) {
    let upstream = url::Url::parse(&fx.info.base_url).unwrap();
    let proxy = Proxy {
        algorithm,
        user: fx.info.user.clone(),
        password: fx.info.password.clone(),
        upstream: upstream.origin().ascii_serialization(),
        ..Default::default()
    };
    let st: Shared = Arc::new(Mutex::new(proxy));
    let app = axum::Router::new().fallback(handle).with_state(st.clone());
    let addr = fx.rt.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        addr
    });
    let base = format!("http://{addr}{}", upstream.path());
    (st, base)
}

fn client(base: &str, auth: Auth) -> NmsClient {
    let mut cfg = ClientConfig::from_base_url(base, auth).unwrap();
    cfg.retries = 0;
    NmsClient::new(cfg).unwrap()
}

// ---------------------------------------------------------------- the nms client

#[test]
fn basic_credentials_switch_to_digest_on_the_challenge_and_count_the_nonce() {
    for algorithm in ["SHA-256", "MD5"] {
        let fx = Fixture::demo();
        let (st, base) = start_proxy(&fx, algorithm);
        let c = client(&base, Auth::Basic { user: fx.info.user.clone(), password: fx.info.password.clone() });
        assert_eq!(c.auth_scheme(), "basic");
        fx.rt.block_on(c.root_folder()).unwrap();
        assert_eq!(c.auth_scheme(), "digest");
        // Later requests answer the same challenge preemptively, counting up; a clone shares it.
        fx.rt.block_on(c.root_folder()).unwrap();
        fx.rt.block_on(c.clone().root_folder()).unwrap();
        // A stale nonce: one retry with the new nonce, its count starting again at 1.
        st.lock().unwrap().expire_next = true;
        fx.rt.block_on(c.root_folder()).unwrap();
        fx.rt.block_on(c.root_folder()).unwrap();
        let p = st.lock().unwrap();
        let first = format!("nonce-1-{algorithm}");
        let second = format!("nonce-2-{algorithm}");
        assert_eq!(
            p.accepted,
            vec![(first.clone(), 1), (first.clone(), 2), (first, 3), (second.clone(), 1), (second, 2)],
            "{algorithm}"
        );
        // The first Basic try, the stale one: nothing else was refused.
        assert_eq!((p.basic_seen, p.challenges_sent), (1, 2), "{algorithm}");
    }
}

#[test]
fn a_digest_profile_never_sends_basic_and_a_wrong_password_fails_once() {
    let fx = Fixture::demo();
    let (st, base) = start_proxy(&fx, "SHA-256");
    let c = client(&base, Auth::Digest { user: fx.info.user.clone(), password: fx.info.password.clone() });
    fx.rt.block_on(c.root_folder()).unwrap();
    assert_eq!(st.lock().unwrap().basic_seen, 0);

    let bad = client(&base, Auth::Digest { user: fx.info.user.clone(), password: "wrong".into() });
    let before = st.lock().unwrap().challenges_sent;
    let err = fx.rt.block_on(bad.root_folder()).unwrap_err();
    assert!(err.is_auth(), "{err}");
    // The bare request, one Digest answer, and one with the decoded `uri` form (the URL has
    // escapes): no loop on a wrong password.
    assert_eq!(st.lock().unwrap().challenges_sent - before, 3);
}

#[test]
fn a_tmobile_style_server_gets_the_decoded_uri_and_fresh_nonces() {
    let fx = Fixture::demo();
    let (st, base) = start_proxy(&fx, "MD5");
    st.lock().unwrap().tmobile = true;
    let c = client(&base, Auth::Digest { user: fx.info.user.clone(), password: fx.info.password.clone() });
    for _ in 0..3 {
        fx.rt.block_on(c.root_folder()).unwrap();
    }
    let p = st.lock().unwrap();
    assert_eq!(p.accepted.len(), 3);
    assert!(p.accepted.iter().all(|(_, nc)| *nc == 1), "{:?}", p.accepted);
    // First call: bare, encoded uri, decoded uri. Later calls: the reused nonce is refused
    // and the fresh challenge answered at once in the decoded form.
    assert_eq!(p.challenges_sent, 2 + 2);
}

// ---------------------------------------------------------------- the binary

#[test]
fn login_saves_digest_and_ls_uses_it() {
    let fx = Fixture::demo();
    let (st, base) = start_proxy(&fx, "SHA-256");
    let logged = fx
        .cmd()
        .env_remove("CPMCTL_SERVER")
        .env_remove("CPMCTL_USER")
        .env_remove("CPMCTL_PASSWORD")
        .env("CPMCTL_NO_KEYRING", "1")
        .args(["login", "--server", &base, "--user", &fx.info.user, "--password-stdin", "--credential-store", "file"])
        .write_stdin(format!("{}\n", fx.info.password))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&logged.stderr);
    assert!(logged.status.success(), "{stderr}");
    assert!(stderr.contains("digest auth"), "{stderr}");
    let config = std::fs::read_to_string(fx.dir.path().join("config").join("config.toml")).unwrap();
    assert!(config.contains("auth = \"digest\""), "{config}");
    let basic_at_login = st.lock().unwrap().basic_seen;
    assert!(basic_at_login <= 1);

    let ls = fx
        .cmd()
        .env_remove("CPMCTL_SERVER")
        .env_remove("CPMCTL_USER")
        .env_remove("CPMCTL_PASSWORD")
        .env("CPMCTL_NO_KEYRING", "1")
        .args(["-o", "json", "ls", "/"])
        .output()
        .unwrap();
    assert!(ls.status.success(), "{}", String::from_utf8_lossy(&ls.stderr));
    let rows: serde_json::Value = serde_json::from_slice(&ls.stdout).unwrap();
    assert!(!rows.as_array().unwrap().is_empty(), "{rows}");
    let p = st.lock().unwrap();
    // `ls` answered the challenge it met and never sent the password Basic-encoded.
    assert_eq!(p.basic_seen, basic_at_login);
    assert!(p.accepted.len() >= 2);
}
