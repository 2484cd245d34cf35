//! The local mirror of one box (`cpmctl sync DIR`, `cpmctl check DIR`): every NMS folder a
//! Maildir at its path under `DIR`, every object one file in the CPM IMAP form, and an SQLite
//! index in `DIR/.cpmctl/` holding identity, flags, lastModSeq and file hashes. No terminal:
//! progress goes through [`SyncReporter`], the CLI renders it.
//!
//! A sync pushes the mirror's own changes first (`push.rs`), then pulls the store's (a replay of
//! the change log, or a reconciling listing); `--watch` then follows the notification channel.

// `MirrorError::Nms` carries the client's error (with the server's `requestError`) inline, as
// `nms` does; errors end a run, so their size does not matter.
#![allow(clippy::result_large_err)]

pub mod check;
mod downloads;
mod folders;
mod fsio;
pub mod index;
pub mod layout;
mod leftovers;
pub mod lock;
mod objects;
pub mod plan;
mod pull;
pub mod push;
mod replay;
mod store;
mod sweep;
mod writer;

use std::path::PathBuf;

use serde::Serialize;

pub use check::{CheckReport, Difference, check};
pub use pull::{sync, sync_until};

/// How a sync runs.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    pub dir: PathBuf,
    /// Objects fetched at once (object + payload downloads in flight).
    pub concurrency: usize,
    /// Plan and count only; write nothing at all.
    pub dry_run: bool,
    /// Forget what the index says of the store and reconcile from a full listing (files that
    /// match by object id are kept).
    pub resync: bool,
    /// Delete files of objects gone from the store instead of moving them to `.cpmctl/trash/`.
    pub no_trash: bool,
    /// Objects per search page (the index commits once per page, or per batch of pages of small
    /// objects: up to 5 pages or 8 MiB of payload, written after 250 ms at most).
    pub page_size: u64,
    /// How long a steady-state replay waits after the last change list for another (ms).
    pub quiet_ms: u64,
    /// The delete guard of a reconciling listing: more deletions than this refuse the run.
    pub max_delete: DeleteLimit,
    /// Files deleted in the mirror are deleted on the store (without it they come back).
    pub delete: bool,
    /// Only store → mirror.
    pub pull_only: bool,
    /// Only mirror → store.
    pub push_only: bool,
    /// After catching up, stay on the notification channel (see [`sync_until`]).
    pub watch: bool,
}

/// How many of the mirror's objects one reconciling listing may delete (rclone bisync's
/// `--max-delete`): a listing that comes back short — a server bug, a wrong box — must not
/// empty the mirror. The change-log replay is not limited: each deletion there is reported by
/// the store one by one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeleteLimit {
    Count(u64),
    Percent(u8),
}

impl Default for DeleteLimit {
    fn default() -> Self {
        DeleteLimit::Percent(50)
    }
}

impl DeleteLimit {
    /// `N` (objects) or `P%` (of the mirror, 0 to 100).
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let bad = || format!("{s:?} is not a count or a percentage (e.g. 100 or 50%)");
        match s.strip_suffix('%') {
            Some(p) => match p.trim().parse::<u8>() {
                Ok(p) if p <= 100 => Ok(DeleteLimit::Percent(p)),
                _ => Err(bad()),
            },
            None => s.parse::<u64>().map(DeleteLimit::Count).map_err(|_| bad()),
        }
    }

    /// Deletions allowed in a mirror of `total` objects.
    pub fn allowed(self, total: u64) -> u64 {
        match self {
            DeleteLimit::Count(n) => n,
            DeleteLimit::Percent(p) => total.saturating_mul(u64::from(p)) / 100,
        }
    }
}

impl SyncOptions {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        SyncOptions {
            dir: dir.into(),
            concurrency: 8,
            dry_run: false,
            resync: false,
            no_trash: false,
            page_size: 200,
            quiet_ms: 1000,
            max_delete: DeleteLimit::default(),
            delete: false,
            pull_only: false,
            push_only: false,
            watch: false,
        }
    }
}

/// What a sync did (or, with `--dry-run`, would do).
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct SyncSummary {
    pub first_time: bool,
    pub dry_run: bool,
    /// `replay` (the change log since the stored restartToken) or `listing` (a full reconcile).
    pub mode: &'static str,
    /// The replay could not be followed and the run fell back to a listing.
    pub escaped: bool,
    pub downloaded: u64,
    /// Files rewritten in place for a flags or lastModSeq change (no download).
    pub updated: u64,
    pub moved: u64,
    pub deleted: u64,
    pub unchanged: u64,
    /// Objects with a new id matched to a file of the mirror by correlationId, or correlationTag
    /// plus Date (re-created on the store): the file was kept, not downloaded again.
    pub rematched: u64,
    pub folders_created: u64,
    pub folders_moved: u64,
    pub folders_deleted: u64,
    /// Files in the mirror the index does not know and that were not uploaded (left alone).
    pub untracked: u64,
    /// Files renamed in the mirror whose flag change was pushed (bulkUpdate).
    pub flags_pushed: u64,
    /// Files dropped into the mirror and created on the store (bulkCreation).
    pub uploaded: u64,
    /// Files dropped into the mirror that the store already had (matched, not created again).
    pub adopted: u64,
    /// Files deleted in the mirror and then on the store (`--delete`).
    pub deleted_on_store: u64,
    /// Files deleted in the mirror that come back (no `--delete`, or changed on the store).
    pub restored: u64,
    pub bytes: u64,
    pub seconds: f64,
    /// `--watch` was stopped (Ctrl-C) after committing the change list in hand.
    pub interrupted: bool,
}

/// Where a sync reports progress; called from the task that runs it.
pub trait SyncReporter: Send + Sync {
    /// One object of the store handled (`bytes` downloaded for it, 0 when none).
    fn object_done(&self, bytes: u64);
    /// Something the user should know (a fallback taken, a file left alone).
    fn note(&self, message: &str);
    /// How many objects the run expects to handle, once it knows (for a rate's ETA).
    fn expect(&self, _total: u64) {}
}

/// A reporter that reports nothing.
pub struct Quiet;

impl SyncReporter for Quiet {
    fn object_done(&self, _: u64) {}
    fn note(&self, _: &str) {}
}

/// Why a sync or check did not finish.
#[derive(Debug, thiserror::Error)]
pub enum MirrorError {
    #[error(transparent)]
    Locked(#[from] lock::LockError),
    #[error("{dir} mirrors {have}, not {want}")]
    WrongBox { dir: String, have: String, want: String },
    #[error("{0} is not a mirror (no .cpmctl/index.sqlite): run `cpmctl sync` on it first")]
    NotAMirror(String),
    #[error(transparent)]
    Nms(#[from] crate::nms::Error),
    #[error("{context}: {source}")]
    Io { context: String, source: std::io::Error },
    #[error("the mirror index: {0}")]
    Index(#[from] rusqlite::Error),
    #[error("{0}")]
    Invalid(String),
    #[error("the {side} {would} of the mirror's {total} objects; deleting more than {allowed} needs --max-delete")]
    DeleteGuard { would: u64, allowed: u64, total: u64, side: &'static str },
}

impl MirrorError {
    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        MirrorError::Io { context: context.into(), source }
    }
}

#[cfg(test)]
mod tests {
    use super::DeleteLimit;

    #[test]
    fn delete_limits() {
        assert_eq!(DeleteLimit::parse("50%"), Ok(DeleteLimit::Percent(50)));
        assert_eq!(DeleteLimit::parse("12"), Ok(DeleteLimit::Count(12)));
        assert!(DeleteLimit::parse("101%").is_err());
        assert!(DeleteLimit::parse("-1").is_err());
        assert_eq!(DeleteLimit::Percent(50).allowed(407), 203);
        assert_eq!(DeleteLimit::Percent(100).allowed(7), 7);
        assert_eq!(DeleteLimit::Count(3).allowed(1_000), 3);
    }
}
