//! The import engine: message histories from the files people hold (SMS Backup & Restore XML,
//! mbox, EML, Maildir, cpmctl's own `messages.jsonl`) into a box, idempotent and resumable.
//!
//! Shape of a run ([`run`]): a reader thread walks the inputs and turns every record into a
//! prepared object (or a rejection) in bounded memory; the engine drops records the ledger or an
//! earlier record of the same run already has, groups the rest into bulkCreation batches of up to
//! 100, checks each window of up to 10 batches against the store (one Date-range search compared
//! by content key), writes each batch to the ledger as *pending*, sends it, and marks each
//! created record *done* with its object id. A crash between the create and the ledger update leaves pending rows; the next run
//! re-checks those records against the store before sending, so nothing is created twice.
//! Progress goes through [`ImportReporter`]; nothing here prints.

mod engine;
pub mod key;
pub mod ledger;
mod mail;
mod placement;
pub mod put;
mod records;
mod rejects;
mod source;

use std::path::PathBuf;

use serde::Serialize;

pub use engine::run;
pub use ledger::Ledger;
pub use put::{PutOptions, put};
pub use source::Format;

/// What one run is asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// Files or directories; `-` is stdin.
    pub inputs: Vec<PathBuf>,
    pub format: Format,
    /// One folder for everything (a path starting with `/`, or a folder id); `None` places each
    /// message in its conversation folder under `/RCSMessageStore`.
    pub folder: Option<String>,
    /// Parse and map everything, report what would be created, write nothing at all.
    pub dry_run: bool,
    /// bulkCreation requests in flight.
    pub concurrency: usize,
    /// Objects per bulkCreation request (at most 100).
    pub batch_size: usize,
    /// The ledger file (SQLite); the CLI puts it in the data directory.
    pub ledger: PathBuf,
    /// Where `rejects.<ext>` and `rejects.log` go when something is rejected.
    pub rejects_dir: PathBuf,
    /// The box's own address (the other side of every SMS).
    pub own_address: String,
}

/// How one record ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Outcome {
    /// A new object was created.
    Created,
    /// The ledger, the store or an earlier record of this run already has it.
    Present,
    /// `--dry-run`: it would be created.
    WouldCreate,
    /// It could not be read or mapped; it went to the rejects file.
    Rejected,
    /// The server refused it (it is not in the ledger; a re-run tries again).
    Failed,
}

/// The result of one source record (`-o json|ndjson` prints these).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordResult {
    /// The new object's id (or the one already holding it, when known).
    pub id: Option<String>,
    pub outcome: Outcome,
    /// The input file (`-` for stdin).
    pub source: String,
    /// Where in it: `line N`, a message number or a file name.
    pub position: String,
    pub context: Option<String>,
    pub date: Option<String>,
    pub folder: Option<String>,
    /// Why it was rejected or failed.
    pub reason: Option<String>,
}

/// Counts of a finished run.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub dry_run: bool,
    pub imported: u64,
    pub already_present: u64,
    pub rejected: u64,
    pub failed: u64,
    pub seconds: f64,
    /// The rejects file and its log, when anything was rejected (and not a dry run).
    pub rejects: Option<String>,
    pub rejects_log: Option<String>,
}

/// Where the engine reports progress; the CLI draws a bar or log lines from it.
pub trait ImportReporter: Sync {
    /// How many records the inputs announce (an SMS Backup & Restore `count`), a hint only.
    fn total_hint(&self, records: u64);
    /// One record finished (any outcome).
    fn record(&self, result: &RecordResult);
    /// A note about the run as a whole.
    fn note(&self, message: &str);
}

/// Why a run could not start or had to stop.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Bad inputs or options (exit 2).
    #[error("{0}")]
    Usage(String),
    /// The ledger or the rejects files could not be used.
    #[error("{0}")]
    Local(String),
    /// A request failed in a way that stops the run (authentication).
    #[error(transparent)]
    Nms(Box<crate::nms::Error>),
}

impl From<crate::nms::Error> for ImportError {
    fn from(e: crate::nms::Error) -> Self {
        ImportError::Nms(Box::new(e))
    }
}
