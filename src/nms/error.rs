//! Typed errors of the NMS client: server `requestError`s, bare HTTP statuses, transport, decode.

use crate::wire::{self, RequestError};

/// Everything an NMS call can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The server answered with an OMA `requestError` body.
    #[error("{}", api_message(*.status, .error))]
    Api { status: u16, error: RequestError },
    /// The server answered with an error status and no usable `requestError`.
    #[error("HTTP {status}{}", snippet_suffix(.snippet))]
    Http { status: u16, snippet: String },
    /// The request never got an answer (connection refused, reset, DNS, TLS…).
    #[error("network error: {0}")]
    Transport(String),
    /// A body could not be decoded; `context` names the call and the expected shape.
    #[error("cannot decode the answer to {context}: {message}")]
    Decode { context: String, message: String },
    /// The request or the connection timed out.
    #[error("the request timed out")]
    Timeout,
    /// The caller gave something unusable (bad URL, bad id…).
    #[error("{0}")]
    Invalid(String),
    /// An answer was longer than [`crate::nms::ClientConfig::max_body`]; nothing past the
    /// limit was read.
    #[error("the answer from {url} is larger than the limit of {} bytes", .limit)]
    TooLarge { url: String, limit: u64 },
}

/// The most of a server's error text shown in a message.
const MAX_SHOWN: usize = 1024;

fn api_message(status: u16, error: &RequestError) -> String {
    let id = error.message_id().unwrap_or("");
    let text = error.message();
    // A hostile or broken server may send megabytes of "text": show the start only.
    let text = if text.chars().count() > MAX_SHOWN {
        format!("{}…", text.chars().take(MAX_SHOWN).collect::<String>())
    } else {
        text
    };
    match (id.is_empty(), text.is_empty()) {
        (false, false) => format!("{text} ({id}, HTTP {status})"),
        (false, true) => format!("{id} (HTTP {status})"),
        _ => format!("HTTP {status}"),
    }
}

fn snippet_suffix(snippet: &str) -> String {
    if snippet.is_empty() { String::new() } else { format!(": {snippet}") }
}

impl Error {
    /// The HTTP status of a server answer, if this error is one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. } | Error::Http { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// 401, or a 403 that is not one of the NMS-specific policy refusals (`POL1xxx`,
    /// e.g. POL1030 "renaming not allowed"), which are refusals rather than bad credentials.
    pub fn is_auth(&self) -> bool {
        match self.status() {
            Some(401) => true,
            Some(403) => !self.message_id().is_some_and(|id| id.starts_with("POL1")),
            _ => false,
        }
    }

    /// 404 (or 410) from the server.
    pub fn is_not_found(&self) -> bool {
        matches!(self.status(), Some(404 | 410))
    }

    /// Transport failures, timeouts, and 429/5xx answers (those are what is left after
    /// the retries are exhausted, or what a non-idempotent call does not retry).
    pub fn is_network(&self) -> bool {
        match self {
            Error::Transport(_) | Error::Timeout => true,
            _ => matches!(self.status(), Some(s) if s == 429 || s >= 500),
        }
    }

    /// The OMA message id (`SVC0004`, `POL1030`, …) of a `requestError` answer.
    pub fn message_id(&self) -> Option<&str> {
        match self {
            Error::Api { error, .. } => error.message_id().filter(|s| !s.is_empty()),
            _ => None,
        }
    }

    /// The reason a policy refusal gives (`POL0001` "A policy error occurred. Error code is
    /// %1": the `%1`), when the server gave one: a limit reached, a box of another user.
    pub fn policy_reason(&self) -> Option<&str> {
        match self {
            Error::Api { error, .. } => error
                .policy_exception
                .as_ref()
                .and_then(|d| d.variables.first())
                .map(|v| v.trim())
                .filter(|v| !v.is_empty()),
            _ => None,
        }
    }

    /// Whether a `requestError` answer names `part` (case-insensitive) among its variables:
    /// the OMA errors carry the offending message part there (SVC0002 "Invalid input value
    /// for message part %1"), whatever language or wording the text uses.
    pub fn names_part(&self, part: &str) -> bool {
        match self {
            Error::Api { error, .. } => error
                .service_exception
                .iter()
                .chain(error.policy_exception.iter())
                .flat_map(|d| d.variables.iter())
                .any(|v| v.trim().eq_ignore_ascii_case(part)),
            _ => false,
        }
    }

    pub(crate) fn decode(context: impl Into<String>, message: impl std::fmt::Display) -> Self {
        Error::Decode { context: context.into(), message: message.to_string() }
    }

    /// Maps a reqwest error without leaking anything but its kind, its causes and the
    /// URL (which never carries credentials: they travel in headers).
    pub(crate) fn from_reqwest(e: &reqwest::Error) -> Self {
        if e.is_timeout() {
            return Error::Timeout;
        }
        let mut causes: Vec<String> = Vec::new();
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            let text = s.to_string();
            // hyper's wrapper ("client error (Connect)") says nothing the causes do not.
            if !text.starts_with("client error (") && !causes.iter().any(|c| c.contains(&text)) {
                causes.push(text);
            }
            source = s.source();
        }
        let cause = causes.last().cloned().unwrap_or_else(|| e.to_string());
        let msg = match e.url() {
            Some(url) if e.is_connect() => {
                let host = url.host_str().unwrap_or("?");
                let port = url.port_or_known_default().map(|p| format!(":{p}")).unwrap_or_default();
                format!("cannot connect to {host}{port}: {cause}")
            }
            Some(url) => format!("{cause} ({})", redact_url(url)),
            None => cause,
        };
        Error::Transport(msg)
    }

    /// Builds the error for a non-success answer from its status and body.
    pub(crate) fn from_answer(status: u16, body: &[u8]) -> Self {
        if let Ok(value) = serde_json::from_slice::<serde_json::Value>(body)
            && let Some(error) = request_error(value)
        {
            return Error::Api { status, error };
        }
        Error::Http { status, snippet: snippet(body) }
    }
}

/// A `requestError` from a wrapped or bare body, only when it names an exception.
fn request_error(value: serde_json::Value) -> Option<RequestError> {
    let error: RequestError = wire::decode_value(value).ok()?;
    (error.service_exception.is_some() || error.policy_exception.is_some()).then_some(error)
}

/// The first characters of a body, on one line, for error messages.
pub(crate) fn snippet(body: &[u8]) -> String {
    const MAX: usize = 200;
    let text = String::from_utf8_lossy(&body[..body.len().min(MAX * 4)]);
    let mut out: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).take(MAX).collect();
    if text.chars().count() > MAX {
        out.push('…');
    }
    out.trim().to_string()
}

/// A URL without user info, for messages.
pub(crate) fn redact_url(url: &url::Url) -> String {
    super::urls::redact_userinfo(url.as_str())
}
