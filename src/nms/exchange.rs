//! The request engine of [`NmsClient`]: one call made with retries, manual redirects, Digest
//! challenges and credentials kept to their origin, its answer read within size and time
//! limits, and non-2xx answers mapped to errors.

use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue, LOCATION};
use url::Url;

use super::client::{Auth, Call, NmsClient, Reply, RequestLog, RetryNotice};
use super::digest::{Answered, OnUnauthorized};
use super::error::Error;
use super::urls;

/// How much of an error answer is read: enough for any `requestError`, and what is shown of
/// it is shorter still (see `error::snippet`).
const MAX_ERROR_BODY: u64 = 16 * 1024;

enum Got {
    Streaming(reqwest::Response, Url),
    Buffered(Reply),
}

const MAX_REDIRECTS: u32 = 10;

impl NmsClient {
    /// Makes the call and reads the whole answer; non-2xx answers become errors.
    pub(crate) async fn execute(&self, call: Call) -> Result<Reply, Error> {
        match self.send(&call, false).await? {
            Got::Buffered(reply) => Ok(reply),
            Got::Streaming(..) => Err(Error::Invalid("internal: a buffered call answered with a stream".into())),
        }
    }

    /// Makes the call and hands back the streaming answer (downloads).
    pub(crate) async fn execute_stream(&self, call: Call) -> Result<(reqwest::Response, Url), Error> {
        match self.send(&call, true).await? {
            Got::Streaming(resp, url) => Ok((resp, url)),
            // Only produced for NWK_RSP bulk answers, which downloads never ask for.
            Got::Buffered(reply) => Err(Error::decode(reply.context, "unexpected buffered answer")),
        }
    }

    /// Reads a body chunk by chunk, at most `max` bytes, within the call's timeout. A longer
    /// body is [`Error::TooLarge`] when `truncate` is false, and cut at `max` when it is (error
    /// answers, of which only the start is ever shown).
    async fn read_body(
        &self,
        mut resp: reqwest::Response,
        timeout: Option<Duration>,
        max: u64,
        truncate: bool,
    ) -> Result<Bytes, Error> {
        let limit = timeout.unwrap_or(self.inner.cfg.timeout);
        let too_large = |url: &Url| Error::TooLarge { url: urls::redact_userinfo(url.as_str()), limit: max };
        let url = resp.url().clone();
        // A declared length over the limit is refused before a byte is read.
        if !truncate && resp.content_length().is_some_and(|n| n > max) {
            return Err(too_large(&url));
        }
        let cap = usize::try_from(max).unwrap_or(usize::MAX);
        let read = async {
            // A small answer usually arrives as one chunk: it is kept as it is, not copied.
            let mut first: Option<Bytes> = None;
            let mut body = bytes::BytesMut::new();
            while let Some(chunk) = resp.chunk().await.map_err(|e| Error::from_reqwest(&e))? {
                let held = first.as_ref().map_or(0, Bytes::len) + body.len();
                if held + chunk.len() > cap {
                    if let Some(f) = first.take() {
                        body.extend_from_slice(&f);
                    }
                    if truncate {
                        body.extend_from_slice(&chunk[..cap - body.len()]);
                        break;
                    }
                    return Err(too_large(&url));
                }
                if first.is_none() && body.is_empty() {
                    first = Some(chunk);
                    continue;
                }
                if let Some(f) = first.take() {
                    body.extend_from_slice(&f);
                }
                body.extend_from_slice(&chunk);
            }
            Ok(match first {
                Some(only) => only,
                None => body.freeze(),
            })
        };
        match tokio::time::timeout(limit, read).await {
            Ok(result) => result,
            Err(_) => Err(Error::Timeout),
        }
    }

    /// The `Authorization` value for one request to `url`: a Digest answer once the server
    /// challenged with Digest, else the configured preemptive header.
    fn authorization(&self, call: &Call, url: &Url) -> Option<HeaderValue> {
        let auth = &self.inner.cfg.auth;
        if let Some((user, password)) = auth.password()
            && let Some(h) = self.inner.digest.header(user, password, call.method.as_str(), url)
        {
            return Some(h);
        }
        self.inner.auth_header.clone()
    }

    fn build(
        &self,
        call: &Call,
        url: &Url,
        authorization: Option<HeaderValue>,
        streaming: bool,
    ) -> reqwest::RequestBuilder {
        let mut rb = self.inner.http.request(call.method.clone(), url.clone()).header(ACCEPT, call.accept);
        if let Some(h) = authorization {
            rb = rb.header(AUTHORIZATION, h);
        }
        if let Some((ctype, body)) = &call.body {
            rb = rb.header(CONTENT_TYPE, ctype.as_str()).body(body.clone());
        }
        // A download's body may legitimately take long: its chunks are timed individually.
        if !streaming {
            rb = rb.timeout(call.timeout.unwrap_or(self.inner.cfg.timeout));
        }
        rb
    }

    async fn send(&self, call: &Call, streaming: bool) -> Result<Got, Error> {
        let policy = self.inner.policy;
        let mut url = without_userinfo(&call.url);
        let mut attempt: u32 = 0;
        let mut redirects: u32 = 0;
        // Digest challenges taken in this call: a first one, then at most two renewals (stale
        // nonce, decoded `uri` form), so a server cannot keep a request in a 401 loop.
        let mut challenges: u32 = 0;
        loop {
            let context = format!("{} {}", call.method, url.path());
            // Credentials go only to the origin (scheme, host, port) they were configured for:
            // a redirect or an absolute href elsewhere is followed without them.
            let send_auth = self.same_origin(&url);
            let authorization = if send_auth { self.authorization(call, &url) } else { None };
            let answered = match authorization.as_ref().is_some_and(|h| h.as_bytes().starts_with(b"Digest ")) {
                false => Answered::No,
                true if challenges == 0 => Answered::Reused,
                true => Answered::Fresh,
            };
            if let Some(l) = &self.inner.limiter {
                l.acquire().await;
            }
            let started = std::time::Instant::now();
            let result = self.build(call, &url, authorization, streaming).send().await;
            self.observe(
                call,
                &url,
                result.as_ref().ok().map(|r| r.status().as_u16()),
                started,
                attempt + redirects + challenges,
            );
            let resp = match result {
                Ok(r) => r,
                Err(e) => {
                    let err = Error::from_reqwest(&e);
                    let verdict = policy.on_transport(e.is_connect(), call.idempotent);
                    match policy.delay(verdict, attempt) {
                        Some(d) if attempt < policy.retries => {
                            attempt += 1;
                            self.notify_retry(call, &url, &err, attempt, d);
                            tokio::time::sleep(d).await;
                            continue;
                        }
                        _ => return Err(err),
                    }
                }
            };
            let status = resp.status();
            if status.is_success() {
                if streaming {
                    return Ok(Got::Streaming(resp, url));
                }
                let mut resp = resp;
                // Moved out, not cloned: the body is read without them.
                let headers = std::mem::take(resp.headers_mut());
                let read = match self.read_body(resp, call.timeout, self.inner.cfg.max_body, false).await {
                    Ok(body) if cut_short(&headers, &body) => Err(Error::Transport(format!(
                        "the answer broke off after {} bytes (its JSON ends early) ({})",
                        body.len(),
                        urls::redact_userinfo(url.as_str())
                    ))),
                    other => other,
                };
                match read {
                    Ok(body) => return Ok(Got::Buffered(Reply { status, headers, url, body, context })),
                    // Asking again would get the same oversized answer.
                    Err(e @ Error::TooLarge { .. }) => return Err(e),
                    // The answer broke off: a repeatable request is simply made again.
                    Err(e) => match policy.delay(policy.on_transport(false, call.idempotent), attempt) {
                        Some(d) if attempt < policy.retries => {
                            attempt += 1;
                            self.notify_retry(call, &url, &e, attempt, d);
                            tokio::time::sleep(d).await;
                            continue;
                        }
                        _ => return Err(e),
                    },
                }
            }
            if status.is_redirection()
                && status != StatusCode::NOT_MODIFIED
                && let Some(next) = resp.headers().get(LOCATION).and_then(|v| v.to_str().ok())
            {
                redirects += 1;
                if redirects > MAX_REDIRECTS {
                    return Err(Error::Http { status: status.as_u16(), snippet: "too many redirects".into() });
                }
                let next = url.join(next).map_err(|e| Error::decode(context.clone(), format!("bad Location: {e}")))?;
                // A Location with user info would make reqwest send those as Basic credentials.
                url = without_userinfo(&next);
                continue;
            }
            if status == StatusCode::UNAUTHORIZED && !send_auth && self.inner.cfg.auth != Auth::None {
                return Err(self.foreign_401(&url));
            }
            if status == StatusCode::UNAUTHORIZED
                && send_auth
                && challenges < 3
                && self.inner.cfg.auth.password().is_some()
                && self.inner.digest.on_unauthorized(resp.headers(), answered, &url) == OnUnauthorized::Retry
            {
                challenges += 1;
                continue;
            }
            let headers = resp.headers().clone();
            // An NWK_RSP error wraps a whole bulk answer; any other error body is only shown.
            let max = if call.nwk_rsp { self.inner.cfg.max_body } else { MAX_ERROR_BODY };
            let body = self.read_body(resp, call.timeout, max, true).await.unwrap_or_default();
            if call.nwk_rsp
                && status.is_server_error()
                && let Some(inner) = nwk_rsp(&body)
            {
                return Ok(Got::Buffered(Reply { status: StatusCode::OK, headers, url, body: inner, context }));
            }
            let verdict = policy.on_status(status, &headers, call.idempotent);
            match policy.delay(verdict, attempt) {
                Some(d) if attempt < policy.retries => {
                    attempt += 1;
                    if self.inner.cfg.on_retry.is_some() {
                        self.notify_retry(call, &url, &Error::from_answer(status.as_u16(), &body), attempt, d);
                    }
                    tokio::time::sleep(d).await;
                }
                _ => return Err(Error::from_answer(status.as_u16(), &body)),
            }
        }
    }

    /// Whether `url` is on the configured server's origin (scheme, host and port).
    fn same_origin(&self, url: &Url) -> bool {
        // Field by field rather than through `Url::origin`, which copies the host each call.
        let server = &self.inner.cfg.server;
        url.scheme() == server.scheme()
            && url.host() == server.host()
            && url.port_or_known_default() == server.port_or_known_default()
    }

    /// The error for a 401 from an origin that was (deliberately) not sent the credentials.
    fn foreign_401(&self, url: &Url) -> Error {
        Error::Http {
            status: 401,
            snippet: format!(
                "{} asks for credentials, but they are only sent to {} (the request was redirected or linked to another origin)",
                url.origin().ascii_serialization(),
                self.inner.cfg.server.origin().ascii_serialization()
            ),
        }
    }

    /// Tells the retry observer, if any, that retry number `retry` follows after `delay`.
    fn notify_retry(&self, call: &Call, url: &Url, reason: &Error, retry: u32, delay: Duration) {
        let Some(on_retry) = &self.inner.cfg.on_retry else {
            return;
        };
        on_retry(&RetryNotice {
            method: call.method.to_string(),
            url: urls::redact_userinfo(url.as_str()),
            reason: reason.to_string(),
            retry,
            retries: self.inner.policy.retries,
            delay,
        });
    }

    /// Tells the observer, if any, about one attempt. User info never leaves in the URL.
    fn observe(&self, call: &Call, url: &Url, status: Option<u16>, started: std::time::Instant, attempt: u32) {
        let Some(observer) = &self.inner.cfg.observer else {
            return;
        };
        observer(&RequestLog {
            method: call.method.to_string(),
            url: urls::redact_userinfo(url.as_str()),
            status,
            millis: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            attempt,
        });
    }
}

/// Whether a JSON answer ended early where only its JSON can tell: a body with neither a
/// Content-Length nor chunked framing ends with the connection, so a connection that broke
/// reads as a shorter, complete answer (framed bodies cut short are read errors already).
/// Only a body that stops mid-value counts (not one that is wrong in another way).
fn cut_short(headers: &HeaderMap, body: &[u8]) -> bool {
    let framed = headers.contains_key(reqwest::header::CONTENT_LENGTH)
        || headers.contains_key(reqwest::header::TRANSFER_ENCODING);
    let json = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
        .is_some_and(|t| t == "application/json" || t.ends_with("+json"));
    if framed || !json || body.iter().all(u8::is_ascii_whitespace) {
        return false;
    }
    serde_json::from_slice::<serde::de::IgnoredAny>(body).is_err_and(|e| e.is_eof())
}

/// `url` without user name and password.
fn without_userinfo(url: &Url) -> Url {
    let mut u = url.clone();
    let _ = u.set_username("");
    let _ = u.set_password(None);
    u
}

/// The inner JSON of a T-Mobile `{"NWK_RSP": "<stringified JSON>"}` error body.
fn nwk_rsp(body: &[u8]) -> Option<Bytes> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let inner = value.get("NWK_RSP")?;
    match inner {
        serde_json::Value::String(s) => Some(Bytes::from(s.clone().into_bytes())),
        serde_json::Value::Object(_) => serde_json::to_vec(inner).ok().map(Bytes::from),
        _ => None,
    }
}
