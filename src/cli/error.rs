//! `CliError`: the one error type every command returns, its exit code, and how it is printed on stderr.

use std::fmt;
use std::io::Write;

use crate::config;
use crate::credentials;
use crate::nms;
use crate::nms::urls::redact_userinfo;

/// What went wrong, as a script sees it: each kind is one exit code (../shared/docs/DESIGN.md "Exit codes").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// 1: the operation failed.
    Failure,
    /// 2: usage or configuration error.
    Usage,
    /// 3: authentication or authorization failed, or no credentials.
    Auth,
    /// 4: not found.
    NotFound,
    /// 5: network, timeout, or retries exhausted.
    Network,
    /// 6: some items of a bulk operation failed (each one already reported).
    Partial,
    /// 7: refused by a safety rule (confirmation declined, delete guard, lock held).
    Refused,
    /// 130: interrupted by SIGINT.
    Interrupted,
    /// 0, printed nothing: stdout was a pipe whose reader went away (`cpmctl search | head -1`).
    PipeClosed,
}

impl ErrorKind {
    /// The process exit code of this kind.
    pub fn exit_code(self) -> u8 {
        match self {
            ErrorKind::Failure => 1,
            ErrorKind::Usage => 2,
            ErrorKind::Auth => 3,
            ErrorKind::NotFound => 4,
            ErrorKind::Network => 5,
            ErrorKind::Partial => 6,
            ErrorKind::Refused => 7,
            ErrorKind::Interrupted => 130,
            ErrorKind::PipeClosed => 0,
        }
    }

    /// A stable lower-case name, used in JSON error objects.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Failure => "failure",
            ErrorKind::Usage => "usage",
            ErrorKind::Auth => "auth",
            ErrorKind::NotFound => "not_found",
            ErrorKind::Network => "network",
            ErrorKind::Partial => "partial",
            ErrorKind::Refused => "refused",
            ErrorKind::Interrupted => "interrupted",
            ErrorKind::PipeClosed => "pipe_closed",
        }
    }
}

/// An error on its way to the user: a message, the chain of causes, and hints on what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    pub kind: ErrorKind,
    pub message: String,
    pub causes: Vec<String>,
    pub hints: Vec<String>,
    /// The server's OMA `messageId` (`SVC0004`, `POL1001`, …) when the error came from one.
    pub message_id: Option<String>,
    /// The HTTP status when the error was a server's answer, so that the CLI can explain it
    /// in words that name the user, server and box (see `Ctx::explain`).
    pub status: Option<u16>,
    /// The reason a server's policy refusal gave (POL0001's `%1`), so a 403 that is a limit
    /// is not explained as a box the user may not open.
    pub policy_reason: Option<Box<str>>,
}

impl CliError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        CliError {
            kind,
            message: message.into(),
            causes: Vec::new(),
            hints: Vec::new(),
            message_id: None,
            status: None,
            policy_reason: None,
        }
    }

    /// Exit 1.
    pub fn failure(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Failure, message)
    }

    /// Exit 2: bad flags or values, missing configuration.
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Usage, message)
    }

    /// Exit 3.
    pub fn auth(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Auth, message)
    }

    /// Exit 4.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotFound, message)
    }

    /// Exit 5.
    pub fn network(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Network, message)
    }

    /// Exit 6: use after a bulk operation whose failed items were already reported one by one.
    pub fn partial(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Partial, message)
    }

    /// Exit 7.
    pub fn refused(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Refused, message)
    }

    /// Exit 130.
    pub fn interrupted() -> Self {
        Self::new(ErrorKind::Interrupted, "interrupted")
    }

    /// Exit 130 without an error line: Ctrl-C was the way to stop that the command itself
    /// announced (`demo --serve`'s "press Ctrl-C to stop").
    pub fn stopped_as_announced() -> Self {
        Self::new(ErrorKind::Interrupted, "")
    }

    /// Whether nothing is to be printed for this error.
    fn is_silent(&self) -> bool {
        self.kind == ErrorKind::PipeClosed || (self.kind == ErrorKind::Interrupted && self.message.is_empty())
    }

    /// Exit 0 quietly: the reader of stdout went away.
    pub fn pipe_closed() -> Self {
        Self::new(ErrorKind::PipeClosed, "stdout closed")
    }

    /// Adds a `hint: …` line.
    #[must_use]
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    /// Adds a `caused by: …` line.
    #[must_use]
    pub fn cause(mut self, cause: impl Into<String>) -> Self {
        self.causes.push(cause.into());
        self
    }

    /// Replaces the kind, keeping message, causes and hints.
    #[must_use]
    pub fn with_kind(mut self, kind: ErrorKind) -> Self {
        self.kind = kind;
        self
    }

    /// Puts `context` in front: the old message becomes the first cause.
    #[must_use]
    pub fn context(mut self, context: impl Into<String>) -> Self {
        let old = std::mem::replace(&mut self.message, context.into());
        self.causes.insert(0, old);
        self
    }

    pub fn exit_code(&self) -> u8 {
        self.kind.exit_code()
    }

    /// The text printed on stderr: `error: …`, `  caused by: …`, `hint: …`, each on its own line.
    /// User info in any URL is redacted: an error may quote a URL the user typed with a password.
    pub fn render(&self) -> String {
        let mut s = format!("error: {}\n", shown(&self.message));
        for cause in &self.causes {
            s.push_str(&format!("  caused by: {}\n", shown(cause)));
        }
        for hint in &self.hints {
            s.push_str(&format!("hint: {}\n", shown(hint)));
        }
        s
    }

    /// The error as one JSON object, for `-o json|ndjson` users who parse stderr (redacted
    /// like [`CliError::render`]).
    pub fn to_json(&self) -> serde_json::Value {
        let redact = |v: &[String]| v.iter().map(|s| redact_userinfo(s)).collect::<Vec<_>>();
        serde_json::json!({"error": {
            "kind": self.kind.name(),
            "exit_code": self.exit_code(),
            "message": redact_userinfo(&self.message),
            "message_id": self.message_id,
            "causes": redact(&self.causes),
            "hints": redact(&self.hints),
        }})
    }

    /// Writes [`CliError::render`] to `w`; nothing at all for [`ErrorKind::PipeClosed`].
    pub fn print_to(&self, w: &mut dyn Write) {
        if self.is_silent() {
            return;
        }
        // Nothing sensible is left to do when stderr itself is gone.
        let _ = w.write_all(self.render().as_bytes());
        let _ = w.flush();
    }

    /// Writes [`CliError::to_json`] as one line to `w` (for `-o json|ndjson`, so a script that
    /// parses stdout can parse stderr too); nothing for [`ErrorKind::PipeClosed`].
    pub fn print_json_to(&self, w: &mut dyn Write) {
        if self.is_silent() {
            return;
        }
        let _ = w.write_all(format!("{}\n", self.to_json()).as_bytes());
        let _ = w.flush();
    }
}

/// An error text as the terminal gets it: user info redacted, and line by line without escape
/// sequences or control characters (server texts and variables end up in errors).
fn shown(text: &str) -> String {
    let redacted = redact_userinfo(text);
    redacted.split('\n').map(|l| crate::cli::output::sanitize(l).into_owned()).collect::<Vec<_>>().join("\n")
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redact_userinfo(&self.message))?;
        for cause in &self.causes {
            write!(f, ": {}", redact_userinfo(cause))?;
        }
        Ok(())
    }
}

impl std::error::Error for CliError {}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return CliError::pipe_closed();
        }
        CliError::failure(e.to_string())
    }
}

impl From<anyhow::Error> for CliError {
    fn from(e: anyhow::Error) -> Self {
        for cause in e.chain() {
            if let Some(io) = cause.downcast_ref::<std::io::Error>()
                && io.kind() == std::io::ErrorKind::BrokenPipe
            {
                return CliError::pipe_closed();
            }
            if let Some(cli) = cause.downcast_ref::<CliError>() {
                return cli.clone();
            }
        }
        let mut chain = e.chain().map(|c| c.to_string());
        let mut err = CliError::failure(chain.next().unwrap_or_default());
        err.causes.extend(chain);
        err
    }
}

impl From<serde_json::Error> for CliError {
    fn from(e: serde_json::Error) -> Self {
        if e.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe) {
            return CliError::pipe_closed();
        }
        CliError::failure(format!("cannot write JSON: {e}"))
    }
}

impl From<config::Error> for CliError {
    fn from(e: config::Error) -> Self {
        // `InvalidServer` quotes the URL as given, which may carry a password.
        let mut err = CliError::usage(redact_userinfo(&e.to_string()));
        if let Some(hint) = e.hint() {
            err = err.hint(hint);
        }
        err
    }
}

impl From<credentials::Error> for CliError {
    fn from(e: credentials::Error) -> Self {
        let kind = match &e {
            credentials::Error::KeyringUnavailable(_) | credentials::Error::Timeout => ErrorKind::Usage,
            _ => ErrorKind::Failure,
        };
        let mut err = CliError::new(kind, e.to_string());
        if let Some(hint) = e.hint() {
            err = err.hint(hint);
        }
        err
    }
}

impl From<nms::Error> for CliError {
    fn from(e: nms::Error) -> Self {
        let message_id = e.message_id().map(str::to_string);
        let status = e.status();
        let policy_reason = e.policy_reason().map(Box::from);
        let mut err = CliError::from_nms(e);
        err.message_id = message_id;
        err.status = status;
        err.policy_reason = policy_reason;
        err
    }
}

impl CliError {
    fn from_nms(e: nms::Error) -> Self {
        let message = e.to_string();
        if e.is_auth() {
            return CliError::auth(message)
                .hint("check the credentials: `cpmctl login`, or CPMCTL_USER + CPMCTL_PASSWORD / CPMCTL_TOKEN");
        }
        if e.is_not_found() {
            return CliError::not_found(message);
        }
        if e.is_network() {
            let err = CliError::network(message);
            // rustls' words for a plain-HTTP answer to its TLS hello: an `https://` URL for a
            // server that only speaks HTTP.
            if matches!(&e, nms::Error::Transport(t) if t.contains("InvalidContentType") || t.contains("corrupt message"))
            {
                return err.hint("the server answered in plain HTTP, not TLS: try http:// instead of https://");
            }
            return err;
        }
        match e {
            nms::Error::Invalid(_) => CliError::usage(message),
            nms::Error::TooLarge { .. } => CliError::failure(message).hint(
                "raise the cap with CPMCTL_MAX_BODY_MIB or `max_body_mib` in the profile, if the server is trusted",
            ),
            _ => CliError::failure(message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_follow_design() {
        let pairs = [
            (ErrorKind::Failure, 1),
            (ErrorKind::Usage, 2),
            (ErrorKind::Auth, 3),
            (ErrorKind::NotFound, 4),
            (ErrorKind::Network, 5),
            (ErrorKind::Partial, 6),
            (ErrorKind::Refused, 7),
            (ErrorKind::Interrupted, 130),
            (ErrorKind::PipeClosed, 0),
        ];
        for (kind, code) in pairs {
            assert_eq!(kind.exit_code(), code, "{kind:?}");
        }
    }

    #[test]
    fn render_has_error_causes_and_hints() {
        let e = CliError::auth("login failed").cause("401 Unauthorized").hint("check the password");
        assert_eq!(e.render(), "error: login failed\n  caused by: 401 Unauthorized\nhint: check the password\n");
    }

    #[test]
    fn broken_pipe_anywhere_in_the_chain_is_quiet_success() {
        let io = std::io::Error::new(std::io::ErrorKind::BrokenPipe, "pipe");
        let e = anyhow::Error::new(io).context("writing rows");
        let cli = CliError::from(e);
        assert_eq!(cli.kind, ErrorKind::PipeClosed);
        let mut buf = Vec::new();
        cli.print_to(&mut buf);
        assert!(buf.is_empty());
    }

    #[test]
    fn anyhow_chain_becomes_causes() {
        let e = anyhow::anyhow!("disk full").context("saving state");
        let cli = CliError::from(e);
        assert_eq!(cli.kind, ErrorKind::Failure);
        assert_eq!(cli.message, "saving state");
        assert_eq!(cli.causes, vec!["disk full".to_string()]);
    }

    #[test]
    fn nms_errors_map_to_exit_codes() {
        let http = |status| nms::Error::Http { status, snippet: String::new() };
        assert_eq!(CliError::from(http(401)).exit_code(), 3);
        assert_eq!(CliError::from(http(403)).exit_code(), 3);
        assert_eq!(CliError::from(http(404)).exit_code(), 4);
        assert_eq!(CliError::from(http(503)).exit_code(), 5);
        assert_eq!(CliError::from(http(429)).exit_code(), 5);
        assert_eq!(CliError::from(http(400)).exit_code(), 1);
        assert_eq!(CliError::from(nms::Error::Timeout).exit_code(), 5);
        assert_eq!(CliError::from(nms::Error::Transport("refused".into())).exit_code(), 5);
        assert_eq!(CliError::from(nms::Error::Invalid("bad id".into())).exit_code(), 2);
    }

    #[test]
    fn json_form_carries_kind_code_and_message_id() {
        let api = nms::Error::Api {
            status: 404,
            error: crate::wire::RequestError::service("SVC0004", "No valid addresses", vec![]),
        };
        let e = CliError::from(api).hint("check the id");
        let v = e.to_json();
        assert_eq!(v["error"]["kind"], "not_found");
        assert_eq!(v["error"]["exit_code"], 4);
        assert_eq!(v["error"]["message_id"], "SVC0004");
        assert_eq!(v["error"]["hints"][0], "check the id");
        assert_eq!(CliError::usage("bad").to_json()["error"]["message_id"], serde_json::Value::Null);
        let mut buf = Vec::new();
        e.print_json_to(&mut buf);
        let line = String::from_utf8(buf).unwrap();
        assert_eq!(line.lines().count(), 1);
        assert_eq!(serde_json::from_str::<serde_json::Value>(&line).unwrap(), v);
    }

    #[test]
    fn context_moves_message_to_causes() {
        let e = CliError::network("connection refused").context("cannot reach the server");
        assert_eq!(e.message, "cannot reach the server");
        assert_eq!(e.causes, vec!["connection refused".to_string()]);
        assert_eq!(e.kind, ErrorKind::Network);
    }
}
