//! What the everyday commands share on the terminal side: the clap forms of message fields,
//! listing rows and the page-by-page sink, and the mapping of the library's item errors and
//! tallies onto exit codes. The domain itself is in `message` and `nms::items`.

pub mod args;
pub mod changes;
pub mod rows;
pub mod sink;

use crate::cli::error::{CliError, ErrorKind};
use crate::cli::output::Progress;
use crate::nms::items::bulk::{FailureKind, Tally};
use crate::nms::items::{self, Item};

pub use crate::nms::items::id_of;

/// The exit-code class of an item's failure.
pub fn error_kind(kind: FailureKind) -> ErrorKind {
    match kind {
        FailureKind::Failure => ErrorKind::Failure,
        FailureKind::Auth => ErrorKind::Auth,
        FailureKind::NotFound => ErrorKind::NotFound,
        FailureKind::Network => ErrorKind::Network,
    }
}

/// Success; the shared error class when nothing worked and every failure was of one
/// non-generic class (a stopped server is exit 5, not 6); else a partial failure (6).
pub fn outcome(tally: &Tally, what: &str) -> Result<(), CliError> {
    if tally.failed == 0 {
        return Ok(());
    }
    let first = tally.first_failure().unwrap_or_default().to_string();
    if tally.done == 0
        && let [k] = tally.failure_kinds()
        && *k != FailureKind::Failure
    {
        // Each failure was already printed with its item (`error: ID: REASON`): repeating the
        // reason here made one unknown id read as two errors (issue 14, item 11).
        let _ = first;
        let items = if tally.failed == 1 { "the item".to_string() } else { format!("all {} items", tally.failed) };
        let mut err = CliError::new(error_kind(*k), format!("{what}: nothing done, {items} failed (see above)"));
        err.message_id = tally.first_message_id().map(str::to_string);
        return Err(err);
    }
    let total = tally.done + tally.failed;
    let mut err = CliError::partial(format!("{what}: {} of {total} items failed", tally.failed)).cause(first);
    // The server's messageId stays available to `-v` and JSON errors.
    err.message_id = tally.first_message_id().map(str::to_string);
    Err(err)
}

/// The error of a feed or run that met a folder where it takes only objects, in the words
/// of the command (`refuse`); any other error as usual.
pub fn refuse_folder(e: items::Error, refuse: fn(&Item) -> CliError) -> CliError {
    match e {
        items::Error::Folder(item) => refuse(&item),
        other => CliError::from(other),
    }
}

impl From<items::Error> for CliError {
    fn from(e: items::Error) -> Self {
        match e {
            items::Error::Usage(m) => CliError::usage(m),
            items::Error::Failure(m) => CliError::failure(m),
            items::Error::NotFound { what, name, source } => {
                let mut err = CliError::not_found(format!("no {what} {name}"));
                // SVC0004's stock "No valid addresses provided in message part …" misleads more
                // than it tells; its messageId still reaches the JSON error.
                if source.message_id().is_none_or(|id| !id.eq_ignore_ascii_case("SVC0004")) {
                    err = err.cause(source.to_string());
                }
                err.message_id = source.message_id().map(str::to_string);
                err
            }
            items::Error::NoSuchPath(p) => CliError::not_found(format!("no object or folder at {p}")),
            items::Error::Request { context, source } => CliError::from(source).context(context),
            items::Error::Stopped(source) => CliError::from(source),
            items::Error::Folder(item) => CliError::usage(format!("{} is a folder", item.label)),
        }
    }
}

/// Bars or log lines for the library's item runs.
impl items::Reporter for Progress {
    fn item_done(&self) {
        self.inc();
    }

    fn item_failed(&self, label: &str, message: &str) {
        self.fail(label, message);
    }

    fn item_failed_in_words(&self, sentence: &str) {
        self.fail_in_words(sentence);
    }

    fn note(&self, message: &str) {
        self.println(message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nms::items::bulk::Failure;

    #[test]
    fn outcomes() {
        let mut t = Tally::default();
        assert!(outcome(&t, "rm").is_ok());
        t.fail(&Failure { message: "down".into(), kind: FailureKind::Network, message_id: None });
        assert_eq!(outcome(&t, "rm").unwrap_err().kind, ErrorKind::Network);
        t.ok();
        assert_eq!(outcome(&t, "rm").unwrap_err().kind, ErrorKind::Partial);
    }

    #[test]
    fn item_errors_keep_their_exit_codes() {
        let http = |status| crate::nms::Error::Http { status, snippet: String::new() };
        let nf = items::resolve::not_found(http(404), "folder", "/x");
        let e = CliError::from(nf);
        assert_eq!((e.kind, e.message.as_str()), (ErrorKind::NotFound, "no folder /x"));
        let e = CliError::from(items::resolve::not_found(http(503), "folder", "/x"));
        assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Network, "cannot look up folder /x"));
        assert_eq!(CliError::from(items::Error::Stopped(http(401))).kind, ErrorKind::Auth);
    }
}
