//! Working through lists of items (objects and folders named by id or path): reading the
//! lists, resolving them against the server, splitting them into bulk requests, and running
//! those requests with per-item results. Progress goes through [`Reporter`]; nothing here
//! prints, prompts or knows about exit codes (the CLI maps [`Error`] and
//! [`bulk::FailureKind`] onto its own).

pub mod batch;
pub mod bulk;
pub mod feed;
pub mod mkdir;
pub mod rename;
pub mod resolve;
pub mod targets;

use std::fmt;

pub use resolve::{FolderRef, Item, Kind};
pub use targets::Target;

use super::Error as NmsError;

/// The stable record id of a server URL: its last path segment, percent-decoded.
pub use crate::wire::segment::last_segment as id_of;

/// Folder paths as records show them: always starting with `/`; the root is `/`.
pub fn display_path(p: &str) -> String {
    if p.starts_with('/') { p.to_string() } else { format!("/{p}") }
}

/// `parent` + `/` + `name` without doubling the slash at the root.
pub fn join_path(parent: &str, name: &str) -> String {
    let parent = display_path(parent);
    if parent.ends_with('/') { format!("{parent}{name}") } else { format!("{parent}/{name}") }
}

/// How many objects the folders hold (recursively), counting up to `limit`; true when the
/// count stopped there (so a huge tree costs at most `limit / 1000` searches).
pub async fn count_objects(client: &super::NmsClient, folders: &[Item], limit: u64) -> Result<(u64, bool), NmsError> {
    use futures::StreamExt;
    let mut n = 0u64;
    for f in folders {
        let c = crate::wire::SelectionCriteria {
            max_entries: 1000,
            search_scope: Some(crate::wire::Reference::new(f.url.clone())),
            ..Default::default()
        };
        let mut pages = client.search_stream(c);
        while let Some(page) = pages.next().await {
            n += page?.object.len() as u64;
            if n >= limit {
                return Ok((n, true));
            }
        }
    }
    Ok((n, false))
}

/// Where work on items reports progress (as uv's `Reporter`): the CLI draws bars or log
/// lines from it, a library caller may ignore it. Called from the task that runs the work.
pub trait Reporter {
    /// One item succeeded.
    fn item_done(&self);
    /// One item failed; `label` is what the user named it by.
    fn item_failed(&self, label: &str, message: &str);
    /// One item failed, said in a whole sentence that names it (`no object X in box Y`).
    fn item_failed_in_words(&self, sentence: &str) {
        self.item_failed("", sentence);
    }
    /// A note about the run as a whole (e.g. falling back to one request per item).
    fn note(&self, message: &str);
}

/// A [`Reporter`] that reports nothing.
pub struct Silent;

impl Reporter for Silent {
    fn item_done(&self) {}
    fn item_failed(&self, _: &str, _: &str) {}
    fn note(&self, _: &str) {}
}

/// Why a list of items could not be read, resolved or worked through.
#[derive(Debug)]
pub enum Error {
    /// The list itself is wrong (a bad stdin line, `-` given twice): a usage error.
    Usage(String),
    /// Something local failed (a reader thread could not start or stopped).
    Failure(String),
    /// A lookup by id or path found nothing: `no {what} {name}`, with the server's answer.
    NotFound { what: String, name: String, source: NmsError },
    /// A path names neither an object nor a folder.
    NoSuchPath(String),
    /// A request failed; `context` says what was being done.
    Request { context: String, source: NmsError },
    /// The whole run stopped on this error (401 on a bulk or single request).
    Stopped(NmsError),
    /// A folder where the work takes only objects ([`feed::FolderRule::Refuse`]).
    Folder(Item),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Usage(m) | Error::Failure(m) => f.write_str(m),
            Error::NotFound { what, name, source } => write!(f, "no {what} {name}: {source}"),
            Error::NoSuchPath(p) => write!(f, "no object or folder at {p}"),
            Error::Request { context, source } => write!(f, "{context}: {source}"),
            Error::Stopped(e) => write!(f, "{e}"),
            Error::Folder(item) => write!(f, "{} is a folder", item.label),
        }
    }
}

impl std::error::Error for Error {}
