//! `NmsClient`: configuration, authentication, URLs and decoding with URL resolution; the
//! request engine every call goes through (retries, redirects, limits) is in `exchange`.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderValue, LOCATION};
use reqwest::{Method, StatusCode};
use url::Url;

use super::digest::DigestState;
use super::error::Error;
use super::resolve::ResolveUrls;
use super::retry::Policy;
use super::urls;
use crate::wire::{self, Root};

/// Credentials sent with every request. `Debug` never shows the secret.
#[derive(Clone, Default, PartialEq, Eq)]
pub enum Auth {
    #[default]
    None,
    Basic {
        user: String,
        password: String,
    },
    Bearer(String),
    /// HTTP Digest (RFC 7616) with user + password: nothing is sent until the server's
    /// challenge, which is then answered (and reused, counting the nonce up). A `Basic`
    /// client also switches to Digest when a server challenges with it.
    Digest {
        user: String,
        password: String,
    },
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::None => f.write_str("None"),
            Auth::Basic { user, .. } => {
                f.debug_struct("Basic").field("user", user).field("password", &"<redacted>").finish()
            }
            Auth::Bearer(_) => f.debug_tuple("Bearer").field(&"<redacted>").finish(),
            Auth::Digest { user, .. } => {
                f.debug_struct("Digest").field("user", user).field("password", &"<redacted>").finish()
            }
        }
    }
}

impl Auth {
    /// The preemptive header: Basic and Bearer go with every request, Digest only answers.
    fn header(&self) -> Option<HeaderValue> {
        let raw = match self {
            Auth::None | Auth::Digest { .. } => return None,
            Auth::Basic { user, password } => {
                format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}")))
            }
            Auth::Bearer(token) => format!("Bearer {token}"),
        };
        let mut value = HeaderValue::from_str(&raw).ok()?;
        value.set_sensitive(true);
        Some(value)
    }

    /// User and password, for the schemes that have them (answering a Digest challenge).
    pub(crate) fn password(&self) -> Option<(&str, &str)> {
        match self {
            Auth::Basic { user, password } | Auth::Digest { user, password } => Some((user, password)),
            Auth::None | Auth::Bearer(_) => None,
        }
    }
}

/// One HTTP attempt as the engine saw it, handed to [`ClientConfig::observer`] (a `-v` trace).
/// It carries no credentials: the URL has no user info and headers are not included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestLog {
    pub method: String,
    pub url: String,
    /// `None` when no answer came (connection error, timeout).
    pub status: Option<u16>,
    /// From sending the request to the answer's headers.
    pub millis: u64,
    /// 0 for the first attempt, then 1, 2, … for retries and redirects.
    pub attempt: u32,
}

/// A callback that sees every HTTP attempt; the client itself never prints.
pub type RequestObserver = Arc<dyn Fn(&RequestLog) + Send + Sync>;

/// A retry about to be waited for, handed to [`ClientConfig::on_retry`]: without it a refused
/// connection looks like a hang for the whole backoff (issue 14, item 12).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryNotice {
    pub method: String,
    /// Without user info.
    pub url: String,
    /// What failed, as the final error would say it.
    pub reason: String,
    /// 1 for the first retry.
    pub retry: u32,
    /// The most retries this call makes.
    pub retries: u32,
    /// The wait before this retry.
    pub delay: Duration,
}

/// A callback told before each retry; the client itself never prints.
pub type RetryObserver = Arc<dyn Fn(&RetryNotice) + Send + Sync>;

/// Where and how to talk to one box.
#[derive(Clone)]
pub struct ClientConfig {
    /// Server root (`http://host:port`), possibly with a path prefix.
    pub server: Url,
    pub store: String,
    /// The box id as a plain string (`tel:+15550001111`); encoded when building URLs.
    pub box_id: String,
    pub auth: Auth,
    /// Retries after the first attempt for retryable failures.
    pub retries: u32,
    /// Per-request timeout (for downloads: the longest wait for the next chunk).
    pub timeout: Duration,
    pub user_agent: String,
    /// First backoff delay; doubles per retry (jittered). Tests set it tiny.
    pub backoff_base: Duration,
    pub max_backoff: Duration,
    /// A `Retry-After` longer than this is surfaced as an error instead of waited for.
    pub max_retry_after: Duration,
    /// Called after every HTTP attempt (for request traces); `None`: nobody listens.
    pub observer: Option<RequestObserver>,
    /// Called before each retry (so a user hears what is retried); `None`: nobody listens.
    pub on_retry: Option<RetryObserver>,
    /// The largest JSON answer read into memory; a longer one is an error, not an
    /// out-of-memory abort. Downloads are streamed and not limited by this.
    pub max_body: u64,
    /// At most this many HTTP requests per second, retries and redirects included
    /// (`--tps-limit`); `None`: no cap.
    pub tps_limit: Option<u32>,
}

/// Default for [`ClientConfig::max_body`]: far above any real page of objects.
pub const DEFAULT_MAX_BODY: u64 = 64 * 1024 * 1024;

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("server", &self.server.as_str())
            .field("store", &self.store)
            .field("box_id", &self.box_id)
            .field("auth", &self.auth)
            .field("retries", &self.retries)
            .field("timeout", &self.timeout)
            .field("user_agent", &self.user_agent)
            .field("backoff_base", &self.backoff_base)
            .field("max_backoff", &self.max_backoff)
            .field("max_retry_after", &self.max_retry_after)
            .field("observer", &self.observer.as_ref().map(|_| "<fn>"))
            .field("on_retry", &self.on_retry.as_ref().map(|_| "<fn>"))
            .field("max_body", &self.max_body)
            .field("tps_limit", &self.tps_limit)
            .finish()
    }
}

impl ClientConfig {
    /// A configuration with the default retry, timeout and user agent settings.
    pub fn new(server: Url, store: impl Into<String>, box_id: impl Into<String>, auth: Auth) -> Self {
        ClientConfig {
            server,
            store: store.into(),
            box_id: box_id.into(),
            auth,
            retries: 4,
            timeout: Duration::from_secs(30),
            user_agent: format!("cpmctl/{}", env!("CARGO_PKG_VERSION")),
            backoff_base: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(120),
            observer: None,
            on_retry: None,
            max_body: DEFAULT_MAX_BODY,
            tps_limit: None,
        }
    }

    /// Splits a full NMS base URL `http://h:p[/prefix]/nms/v1/STORE/BOX` (box id
    /// percent-decoded). User info in the URL becomes Basic auth when `auth` is `None`.
    pub fn from_base_url(nms_base: &str, auth: Auth) -> Result<Self, Error> {
        let (root, store, box_id, url_auth) = split_base_url(nms_base)?;
        let auth = match auth {
            Auth::None => url_auth,
            other => other,
        };
        Ok(ClientConfig::new(root, store, box_id, auth))
    }

    fn policy(&self) -> Policy {
        Policy {
            retries: self.retries,
            base: self.backoff_base,
            max_backoff: self.max_backoff,
            max_retry_after: self.max_retry_after,
        }
    }
}

/// Splits a full NMS base URL into (root, store, box id, auth from user info).
pub fn split_base_url(nms_base: &str) -> Result<(Url, String, String, Auth), Error> {
    let bad = |why: &str| {
        Error::Invalid(format!("not an NMS base URL ({why}): expected http(s)://HOST[:PORT][/PREFIX]/nms/v1/STORE/BOX"))
    };
    let mut url = Url::parse(nms_base.trim()).map_err(|e| bad(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("scheme must be http or https"));
    }
    let auth = if url.username().is_empty() {
        Auth::None
    } else {
        Auth::Basic {
            user: urls::decode_segment(url.username()),
            password: urls::decode_segment(url.password().unwrap_or("")),
        }
    };
    let _ = url.set_username("");
    let _ = url.set_password(None);
    let segs: Vec<String> =
        url.path_segments().map(|s| s.filter(|s| !s.is_empty()).map(String::from).collect()).unwrap_or_default();
    let n = segs.len();
    if n < 4 || segs[n - 4] != "nms" || segs[n - 3] != "v1" {
        return Err(bad("the path does not end in /nms/v1/STORE/BOX"));
    }
    let store = urls::decode_segment(&segs[n - 2]);
    let box_id = urls::decode_segment(&segs[n - 1]);
    let prefix = segs[..n - 4].join("/");
    url.set_path(&format!("/{prefix}"));
    url.set_query(None);
    url.set_fragment(None);
    Ok((url, store, box_id, auth))
}

/// An async NMS client for one box. Cheap to clone; `Send + Sync`.
#[derive(Clone)]
pub struct NmsClient {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) cfg: ClientConfig,
    pub(crate) http: reqwest::Client,
    pub(crate) base: Url,
    pub(crate) policy: Policy,
    /// The Digest challenge being answered, once a server sent one.
    pub(crate) digest: DigestState,
    /// `--tps-limit`, shared by every clone of the client and every client made from it with
    /// [`NmsClient::for_box`]: the cap is global to a run, however many boxes it opens.
    pub(crate) limiter: Option<Arc<super::limiter::Limiter>>,
    /// The preemptive `Authorization` value (Basic, Bearer), encoded once rather than per
    /// request: a bulk `get` sends thousands.
    pub(crate) auth_header: Option<HeaderValue>,
}

impl fmt::Debug for NmsClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NmsClient")
            .field("base", &self.inner.base.as_str())
            .field("auth", &self.inner.cfg.auth)
            .finish()
    }
}

/// One request to make, with what the engine needs to retry it.
#[derive(Debug, Clone)]
pub(crate) struct Call {
    pub method: Method,
    pub url: Url,
    pub body: Option<(String, Bytes)>,
    /// Safe to repeat blindly after a 5xx or a transport failure.
    pub idempotent: bool,
    /// Overrides the configured timeout (long polls).
    pub timeout: Option<Duration>,
    pub accept: &'static str,
    /// T-Mobile answers some bulk failures with 5xx + `{"NWK_RSP": "<json>"}`: unpack it.
    pub nwk_rsp: bool,
}

impl Call {
    pub fn new(method: Method, url: Url) -> Self {
        let idempotent = matches!(method, Method::GET | Method::PUT | Method::DELETE | Method::HEAD);
        Call { method, url, body: None, idempotent, timeout: None, accept: "application/json", nwk_rsp: false }
    }

    pub fn json<T: Root>(mut self, body: &T) -> Self {
        self.body = Some(("application/json".into(), Bytes::from(wire::encode(body))));
        self
    }

    pub fn raw(mut self, content_type: impl Into<String>, body: impl Into<Bytes>) -> Self {
        self.body = Some((content_type.into(), body.into()));
        self
    }

    pub fn idempotent(mut self, yes: bool) -> Self {
        self.idempotent = yes;
        self
    }

    pub fn query(mut self, pairs: &[(&str, &str)]) -> Self {
        if !pairs.is_empty() {
            let mut q = self.url.query_pairs_mut();
            for (k, v) in pairs {
                q.append_pair(k, v);
            }
        }
        self
    }
}

/// A fully read answer.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// The URL that finally answered (after redirects): server URLs resolve against it.
    pub url: Url,
    pub body: Bytes,
    pub context: String,
}

impl Reply {
    /// No content to decode: 204, or an empty / whitespace body.
    pub fn is_empty(&self) -> bool {
        self.status == StatusCode::NO_CONTENT || self.body.iter().all(u8::is_ascii_whitespace)
    }

    pub fn json(&self) -> Result<serde_json::Value, Error> {
        serde_json::from_slice(&self.body).map_err(|e| {
            Error::decode(self.context.clone(), format!("{e} (body starts: {})", super::error::snippet(&self.body)))
        })
    }

    pub fn location(&self) -> Option<String> {
        self.headers.get(LOCATION).and_then(|v| v.to_str().ok()).map(|l| l.to_string())
    }
}

impl NmsClient {
    pub fn new(cfg: ClientConfig) -> Result<Self, Error> {
        if !matches!(cfg.server.scheme(), "http" | "https") {
            return Err(Error::Invalid(format!(
                "server URL must be http or https: {}",
                urls::redact_userinfo(cfg.server.as_str())
            )));
        }
        if cfg.box_id.is_empty() || cfg.store.is_empty() {
            return Err(Error::Invalid("the store name and the box id must not be empty".into()));
        }
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(cfg.timeout)
            .user_agent(cfg.user_agent.clone())
            .build()
            .map_err(|e| Error::Invalid(format!("cannot build the HTTP client: {e}")))?;
        let base = urls::join_segments(
            &cfg.server,
            &["nms", "v1", &urls::encode_segment(&cfg.store), &urls::encode_segment(&cfg.box_id)],
        );
        let policy = cfg.policy();
        let limiter = cfg.tps_limit.map(|n| Arc::new(super::limiter::Limiter::new(n)));
        let auth_header = cfg.auth.header();
        let digest = DigestState::default();
        Ok(NmsClient { inner: Arc::new(Inner { cfg, http, base, policy, digest, limiter, auth_header }) })
    }

    /// The same server, store, credentials and settings for another box. It shares this
    /// client's connection pool and its `--tps-limit` slots, so a survey of many boxes keeps
    /// one global request rate and reuses connections; the Digest state starts afresh.
    pub fn for_box(&self, box_id: &str) -> Result<NmsClient, Error> {
        if box_id.is_empty() {
            return Err(Error::Invalid("the box id must not be empty".into()));
        }
        let mut cfg = self.inner.cfg.clone();
        cfg.box_id = box_id.to_string();
        let base = urls::join_segments(
            &cfg.server,
            &["nms", "v1", &urls::encode_segment(&cfg.store), &urls::encode_segment(&cfg.box_id)],
        );
        let policy = cfg.policy();
        Ok(NmsClient {
            inner: Arc::new(Inner {
                cfg,
                http: self.inner.http.clone(),
                base,
                policy,
                digest: DigestState::default(),
                limiter: self.inner.limiter.clone(),
                auth_header: self.inner.auth_header.clone(),
            }),
        })
    }

    /// `{root}/nms/v1/{store}/{encoded box}`.
    pub fn base_url(&self) -> &Url {
        &self.inner.base
    }

    pub fn box_id(&self) -> &str {
        &self.inner.cfg.box_id
    }

    pub fn config(&self) -> &ClientConfig {
        &self.inner.cfg
    }

    /// The scheme the credentials are presented with: `digest` once the server challenged
    /// with Digest, else `basic`, `bearer` or `none` as configured (what `login` saves).
    pub fn auth_scheme(&self) -> &'static str {
        match &self.inner.cfg.auth {
            Auth::None => "none",
            Auth::Bearer(_) => "bearer",
            Auth::Digest { .. } => "digest",
            Auth::Basic { .. } if self.inner.digest.active() => "digest",
            Auth::Basic { .. } => "basic",
        }
    }

    /// The server root (with its path prefix, if any).
    pub fn root_url(&self) -> &Url {
        &self.inner.cfg.server
    }

    /// `{root}/notificationchannel/v1/{encoded box}`: the Notification Channel base.
    pub fn nc_base_url(&self) -> Url {
        urls::join_segments(
            &self.inner.cfg.server,
            &["notificationchannel", "v1", &urls::encode_segment(&self.inner.cfg.box_id)],
        )
    }

    pub fn object_url(&self, id: &str) -> Url {
        urls::join_segments(&self.inner.base, &["objects", &urls::encode_segment(id)])
    }

    pub fn folder_url(&self, id: &str) -> Url {
        urls::join_segments(&self.inner.base, &["folders", &urls::encode_segment(id)])
    }

    /// A URL below the base from already-encoded segments.
    pub(crate) fn url(&self, encoded: &[&str]) -> Url {
        urls::join_segments(&self.inner.base, encoded)
    }

    /// Resolves a URL given by the caller or the server (relative, relay form, or absolute)
    /// against the NMS base.
    pub fn resolve_url(&self, raw: &str) -> Result<Url, Error> {
        let base = &self.inner.base;
        // The usual case, an absolute URL the decoder already resolved: it parses to itself
        // (one parse, not three).
        if let Ok(u) = Url::parse(raw)
            && urls::resolve_changed(raw, &u, base).is_none()
        {
            return Ok(u);
        }
        // A bare relative path is taken relative to the box, not to the box's parent.
        let dir = Url::parse(&format!("{}/", base.as_str().trim_end_matches('/')))
            .map_err(|e| Error::Invalid(format!("bad base URL: {e}")))?;
        let resolved = urls::resolve(raw, &dir, base);
        Url::parse(&resolved)
            .map_err(|e| Error::Invalid(format!("not a usable URL {:?}: {e}", urls::redact_userinfo(raw))))
    }

    /// Decodes a JSON answer of root type `T` and resolves the URLs it carries.
    pub(crate) fn decode<T: Root + ResolveUrls>(&self, reply: &Reply) -> Result<T, Error> {
        if let Some(out) = self.decode_wrapped(reply) {
            return Ok(out);
        }
        let value = reply.json()?;
        self.decode_value(reply, value)
    }

    /// The usual answer, `{"<root>": {...}}`, straight into `T` with its URLs resolved; `None`
    /// for any other shape (the caller then takes the general path through a `Value`).
    pub(crate) fn decode_wrapped<T: Root + ResolveUrls>(&self, reply: &Reply) -> Option<T> {
        let mut out = wire::envelope::decode_wrapped::<T>(&reply.body)?;
        let base = &self.inner.base;
        out.resolve_urls(&|raw: &str| urls::resolve_changed(raw, &reply.url, base));
        Some(out)
    }

    pub(crate) fn decode_value<T: Root + ResolveUrls>(
        &self,
        reply: &Reply,
        value: serde_json::Value,
    ) -> Result<T, Error> {
        let mut out: T = wire::decode_value(value)
            .map_err(|e| Error::decode(reply.context.clone(), format!("expected {}: {e}", T::ROOT)))?;
        let base = &self.inner.base;
        out.resolve_urls(&|raw: &str| urls::resolve_changed(raw, &reply.url, base));
        Ok(out)
    }

    /// GET a JSON resource.
    pub(crate) async fn get_json<T: Root + ResolveUrls>(&self, url: Url) -> Result<T, Error> {
        let reply = self.execute(Call::new(Method::GET, url)).await?;
        self.decode(&reply)
    }
}
