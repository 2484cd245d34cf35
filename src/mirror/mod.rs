//! The local mirror of one box (`cpmctl sync DIR`, `cpmctl check DIR`): every NMS folder a
//! Maildir at its path under `DIR`, every object one file in the CPM IMAP form, and an SQLite
//! index in `DIR/.cpmctl/` holding identity, flags, lastModSeq and file hashes. No terminal:
//! progress goes through [`SyncReporter`], the CLI renders it.
//!
//! This first step pulls (store → mirror) and checks; pushing local changes and `--watch` come
//! next (issue 11).

// `MirrorError::Nms` carries the client's error (with the server's `requestError`) inline, as
// `nms` does; errors end a run, so their size does not matter.
#![allow(clippy::result_large_err)]

pub mod check;
mod fsio;
pub mod index;
pub mod layout;
pub mod lock;
pub mod plan;
mod pull;
mod replay;
mod store;

use std::path::PathBuf;

use serde::Serialize;

pub use check::{CheckReport, Difference, check};
pub use pull::sync;

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
    /// Objects per search page (the index commits once per page).
    pub page_size: u64,
    /// How long a steady-state replay waits after the last change list for another (ms).
    pub quiet_ms: u64,
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
    pub folders_created: u64,
    pub folders_moved: u64,
    pub folders_deleted: u64,
    /// Files in the mirror the index does not know (left alone: pushing them is a later step).
    pub untracked: u64,
    pub bytes: u64,
    pub seconds: f64,
}

/// Where a sync reports progress; called from the task that runs it.
pub trait SyncReporter: Send + Sync {
    /// One object of the store handled (`bytes` downloaded for it, 0 when none).
    fn object_done(&self, bytes: u64);
    /// Something the user should know (a fallback taken, a file left alone).
    fn note(&self, message: &str);
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
}

impl MirrorError {
    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        MirrorError::Io { context: context.into(), source }
    }
}
