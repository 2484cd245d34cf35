//! The export engine: conversation histories from the store into a directory that support
//! staff can hand over and tools can read (issue 12).
//!
//! Two phases keep memory flat in the number of messages:
//! 1. [`fetch`]: one pass of `conversations::list` finds the conversations, then one search of
//!    the selection sorted by Date ascending streams every object page by page; each object's
//!    payload parts are downloaded concurrently (bounded) into its conversation's
//!    `attachments/`, and its full-fidelity record is appended to that conversation's
//!    `messages.jsonl` (still under a temp name).
//! 2. [`render`]: each conversation's records are read back, in date order, one line at a time,
//!    to write `transcript.html` (piece by piece from templates), `transcript.txt`, the rows of
//!    `index.csv` and the other formats. With `--update` the old records are merged in here.
//!
//! Finally [`manifest`] hashes every file written and `manifest.json` is put in place (and
//! [`archive`] zips the directory when asked). Progress goes through [`Reporter`]; nothing here
//! prints.

pub mod archive;
mod fetch;
mod mailbox;
pub mod manifest;
pub mod names;
mod render;
pub mod source;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::Serialize;

use crate::formats::transcript::{TemplateError, Templates};
use crate::message::conversations::{self, Kind, Query, Summary as ConvSummary};
use crate::nms;
use crate::wire::{Reference, SearchCriteria};
pub use source::{Mirror, OfflineFilter, Source};

/// Where the engine reports progress (the CLI draws a bar or log lines from it).
pub trait Reporter: Send + Sync {
    /// The number of objects the export will write, once known.
    fn total(&self, objects: u64);
    /// One object written, with the payload bytes it brought.
    fn object_done(&self, bytes: u64);
    /// Something the user should know (a part that could not be downloaded, say).
    fn note(&self, message: &str);
}

/// A [`Reporter`] that reports nothing.
pub struct Silent;

impl Reporter for Silent {
    fn total(&self, _: u64) {}
    fn object_done(&self, _: u64) {}
    fn note(&self, _: &str) {}
}

/// Which objects to export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Select {
    /// Every object of the box (or of the folder scope), those of no conversation in `unsorted/`.
    All,
    /// These conversations: short ids, prefixes of at least 6 digits, or full keys.
    Conversations(Vec<String>),
    /// Every conversation this normalised address takes part in.
    Participant(String),
}

/// The output formats.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Formats {
    pub html: bool,
    pub txt: bool,
    pub jsonl: bool,
    pub eml: bool,
    pub mbox: bool,
    pub csv: bool,
    pub smsbr: bool,
}

impl Formats {
    /// The formats written without `--format`.
    pub const DEFAULT: &'static str = "html,txt,jsonl";
    /// Every format name.
    pub const ALL: [&'static str; 7] = ["html", "txt", "jsonl", "eml", "mbox", "csv", "smsbr"];

    /// Reads a comma-separated list such as `html,txt,jsonl`.
    pub fn parse(list: &str) -> Result<Formats, String> {
        let mut f = Formats::default();
        for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            match name.to_ascii_lowercase().as_str() {
                "html" => f.html = true,
                "txt" => f.txt = true,
                "jsonl" => f.jsonl = true,
                "eml" => f.eml = true,
                "mbox" => f.mbox = true,
                "csv" => f.csv = true,
                "smsbr" => f.smsbr = true,
                other => return Err(format!("unknown format {other:?} (one of {})", Formats::ALL.join(", "))),
            }
        }
        if f == Formats::default() {
            return Err("no format given".into());
        }
        Ok(f)
    }

    /// The names of the formats chosen, in the order of [`Formats::ALL`].
    pub fn names(&self) -> Vec<&'static str> {
        let on = [self.html, self.txt, self.jsonl, self.eml, self.mbox, self.csv, self.smsbr];
        Formats::ALL.iter().zip(on).filter(|(_, on)| *on).map(|(n, _)| *n).collect()
    }
}

/// What to export and how.
#[derive(Debug, Clone)]
pub struct Options {
    pub out: PathBuf,
    pub select: Select,
    /// Only objects below this folder.
    pub scope: Option<Reference>,
    /// Server-side criteria (dates); `None` reads every object.
    pub criteria: Option<SearchCriteria>,
    pub formats: Formats,
    /// The zone transcripts show times in.
    pub tz: TimeZone,
    /// Its name as the manifest and pages show it.
    pub tz_name: String,
    /// Merge into an existing export instead of refusing a non-empty directory.
    pub update: bool,
    /// Messages per transcript page; `None` writes one page.
    pub split: Option<u64>,
    /// Also write `<out>.zip` holding the same files.
    pub zip: bool,
    /// A directory whose `*.html` files replace the default transcript templates.
    pub template_dir: Option<PathBuf>,
    /// Payload parts downloaded at once.
    pub concurrency: usize,
    /// Objects per search request.
    pub page_size: u64,
    /// The query as the user gave it, recorded in the manifest.
    pub query: serde_json::Value,
    pub tool_version: String,
    pub now: Timestamp,
}

/// Why an export stopped.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{0} is not empty")]
    NotEmpty(PathBuf),
    #[error("{0}")]
    Usage(String),
    #[error("no conversation matches {0:?}")]
    NoSuchConversation(String),
    /// Boxed: the client's error is large and every function here returns this type.
    #[error(transparent)]
    Nms(Box<nms::Error>),
    #[error(transparent)]
    Template(#[from] TemplateError),
    #[error("{context}: {source}")]
    Io { context: String, source: std::io::Error },
    #[error("{0}")]
    Failed(String),
}

impl From<nms::Error> for ExportError {
    fn from(e: nms::Error) -> Self {
        ExportError::Nms(Box::new(e))
    }
}

/// An I/O error with what was being done.
pub(crate) fn io_err(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> ExportError {
    let context = context.into();
    move |source| ExportError::Io { context, source }
}

/// What one export wrote.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub out: String,
    pub conversations: u64,
    pub objects: u64,
    pub messages: u64,
    /// Payload part files written (downloaded or, on `--update`, kept).
    pub parts: u64,
    pub bytes: u64,
    /// Objects of no conversation (in `unsorted/`).
    pub unsorted: u64,
    /// On `--update`: objects new since the last run, and records marked deleted.
    pub added: u64,
    pub marked_deleted: u64,
    /// Parts that could not be downloaded (each reported through the reporter).
    pub failed_parts: u64,
    pub files: u64,
    pub zip: Option<String>,
    pub seconds: f64,
}

/// One conversation of the export as the manifest lists it.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConvEntry {
    pub key: String,
    pub id: String,
    pub folder: String,
    #[serde(rename = "type")]
    pub conversation_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(default)]
    pub peers: Vec<String>,
    #[serde(default)]
    pub objects: u64,
    #[serde(default)]
    pub messages: u64,
    #[serde(default)]
    pub attachments: u64,
    #[serde(default)]
    pub deleted: u64,
    /// Objects per Message-Context.
    #[serde(default)]
    pub by_kind: BTreeMap<String, u64>,
}

/// The key of the conversation that holds objects of no conversation.
pub const UNSORTED_KEY: &str = "unsorted";

/// Runs an export.
pub async fn run(source: &Source<'_>, opts: &Options, reporter: &dyn Reporter) -> Result<Summary, ExportError> {
    let started = std::time::Instant::now();
    let previous = check_dir(&opts.out, opts.update)?;
    let templates = if opts.formats.html { Some(Templates::load(opts.template_dir.as_deref())?) } else { None };
    let (selected, with_unsorted) = select(source, opts).await?;
    // Created only now, so a refused or failed selection leaves nothing behind.
    std::fs::create_dir_all(&opts.out).map_err(io_err(format!("creating {}", opts.out.display())))?;
    let mut plan = fetch::Plan::new(source.box_id(), &selected, with_unsorted, previous.as_ref());
    reporter.total(plan.expected_objects());
    let mut summary = fetch::run(source, opts, &mut plan, reporter).await?;
    let ctx = render::Context { source, opts, templates: templates.as_ref(), reporter };
    let entries = render::all(&ctx, &mut plan, previous.as_ref(), &mut summary).await?;
    let files = manifest::write(&opts.out, opts, source, &entries, &summary)?;
    summary.files = files;
    if opts.zip {
        summary.zip = Some(archive::zip_dir(&opts.out)?.display().to_string());
    }
    summary.out = opts.out.display().to_string();
    summary.conversations = entries.iter().filter(|e| e.key != UNSORTED_KEY).count() as u64;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// Refuses a non-empty output directory unless updating; on update, the previous manifest
/// (which must be there).
fn check_dir(out: &Path, update: bool) -> Result<Option<manifest::Previous>, ExportError> {
    let non_empty = match std::fs::read_dir(out) {
        Ok(mut entries) => entries.next().is_some(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => return Err(io_err(format!("reading {}", out.display()))(e)),
    };
    if non_empty && !update {
        return Err(ExportError::NotEmpty(out.to_path_buf()));
    }
    if non_empty { manifest::Previous::read(out).map(Some) } else { Ok(None) }
}

/// The conversations to export (pass 1) and whether objects of no conversation go too.
async fn select(source: &Source<'_>, opts: &Options) -> Result<(Vec<ConvSummary>, bool), ExportError> {
    let participant = match &opts.select {
        Select::Participant(p) => Some(p.clone()),
        _ => None,
    };
    let query =
        Query { scope: opts.scope.clone(), criteria: opts.criteria.clone(), participant, page_size: opts.page_size };
    let listing = source::list(source, query).await?;
    let (selected, with_unsorted) = match &opts.select {
        Select::All => (listing.conversations, true),
        Select::Participant(_) => (listing.conversations, false),
        Select::Conversations(wanted) => {
            let mut out: Vec<ConvSummary> = Vec::new();
            for w in wanted {
                let hits: Vec<&ConvSummary> =
                    listing.conversations.iter().filter(|s| conversations::key_matches(w, &s.key)).collect();
                match hits.as_slice() {
                    [] => return Err(ExportError::NoSuchConversation(w.clone())),
                    [one] => {
                        if !out.iter().any(|s| s.key == one.key) {
                            out.push((*one).clone());
                        }
                    }
                    _ => {
                        return Err(ExportError::Usage(format!(
                            "{w:?} matches several conversations: give more digits"
                        )));
                    }
                }
            }
            (out, false)
        }
    };
    Ok((selected, with_unsorted))
}

/// The label of a conversation type in pages and the manifest.
pub fn kind_label(kind: Kind) -> &'static str {
    match kind {
        Kind::Chat => "Chat",
        Kind::GroupChat => "Group chat",
        Kind::SmsMms => "SMS/MMS",
    }
}
