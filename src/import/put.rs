//! `put` with the guarantees of `import`: files become objects through the same batches, ledger
//! and results, so a re-run of an interrupted `put` creates nothing twice.
//!
//! A file's ledger key is its name, its bytes' SHA-256 and everything the command line adds (the
//! compose flags and the template object): the same command over the same files maps to the same
//! keys, and a changed file or flag is a new object. A put object's Date is "now" unless given,
//! so only the ledger can recognise what an earlier run stored; the store is searched only for
//! records an interrupted run left pending, and those are sent again with the Date they were
//! first sent with, so the search finds them if the first attempt got through.

use std::sync::Arc;

use sha2::{Digest, Sha256};
use tokio::sync::mpsc;

use crate::message::create::{Input, Plan};
use crate::nms::NmsClient;
use crate::wire::multipart::media_type;
use crate::wire::names;

use super::engine::{Work, drive, open_ledger};
use super::ledger::Entry;
use super::rejects::Rejects;
use super::source::{Format, Item, Prepared, Rejected};
use super::{ImportError, ImportReporter, RecordResult, Summary};

/// How one `put` run is sent.
#[derive(Debug, Clone)]
pub struct PutOptions {
    pub ledger: std::path::PathBuf,
    /// Objects per bulkCreation request (1: one POST each).
    pub per: usize,
    pub concurrency: usize,
    /// `put --json`: one object with every input as a part, instead of one object per input.
    pub combined: bool,
}

/// What the command line adds to every file, for the ledger key.
fn fingerprint(plan: &Plan) -> String {
    let template = serde_json::to_string(&plan.template).unwrap_or_default();
    format!("{:?}\u{0}{template}", plan.compose)
}

fn source_key(fingerprint: &str, input: &Input, bytes: &[u8]) -> String {
    let mut h = Sha256::new();
    for field in [b"put/1".as_slice(), fingerprint.as_bytes(), input.label().as_bytes()] {
        h.update((field.len() as u64).to_le_bytes());
        h.update(field);
    }
    h.update(Sha256::digest(bytes));
    hex::encode(h.finalize())
}

/// The ledger key of a `put --json` object: the command line, then every input's name and the
/// SHA-256 of its bytes, in order (another version tag, so it never meets a one-file key).
fn combined_key(fingerprint: &str, inputs: &[Input], parts: &[crate::wire::multipart::Part]) -> String {
    let mut h = Sha256::new();
    for field in [b"put-json/1".as_slice(), fingerprint.as_bytes()] {
        h.update((field.len() as u64).to_le_bytes());
        h.update(field);
    }
    for (input, part) in inputs.iter().zip(parts) {
        let label = input.label();
        h.update((label.len() as u64).to_le_bytes());
        h.update(label.as_bytes());
        h.update(Sha256::digest(&part.body));
    }
    hex::encode(h.finalize())
}

/// Stores `inputs`, one object each; `emit` sees every result (created, already present, failed).
pub async fn put<R: ImportReporter + ?Sized>(
    client: &NmsClient,
    plan: Arc<Plan>,
    inputs: Vec<Input>,
    opts: &PutOptions,
    reporter: &R,
    emit: impl FnMut(&RecordResult) -> bool,
) -> Result<Summary, ImportError> {
    let started = std::time::Instant::now();
    let ledger = open_ledger(client, &opts.ledger, false, reporter).await?;
    let (tx, rx) = mpsc::channel(256);
    // Only a record an interrupted run left pending needs its own lookup (to be sent with the
    // Date it was first sent with); with no pending rows at all, the per-file lookups are skipped
    // (the engine still looks every window up, for the records already done).
    let producer_ledger = match &ledger {
        Some(l) if l.pending().map_err(|e| ImportError::Local(e.to_string()))?.0 > 0 => Some(Arc::clone(l)),
        _ => None,
    };
    let combined = if opts.combined {
        // Read before anything is sent: an input that cannot be read is a usage error.
        let object = plan.combined(&inputs).await.map_err(ImportError::Usage)?;
        let key = combined_key(&fingerprint(&plan), &inputs, &object.parts);
        let label = inputs.first().map(Input::label).unwrap_or_else(|| "json".into());
        Some(record(label, key, object, producer_ledger.as_deref()))
    } else {
        None
    };
    // Files are read, hashed and looked up in the ledger on a thread of their own, with blocking
    // reads: an async read per file hands each one to the blocking pool and back, and for many
    // small files those thread switches cost more than everything else the client does. It
    // stops when the engine drops its end of the channel.
    let producer = tokio::task::spawn_blocking(move || {
        if let Some(item) = combined {
            let _ = tx.blocking_send(item);
            return;
        }
        let print = fingerprint(&plan);
        let mut noted = false;
        for input in inputs {
            let item = prepare(&plan, &print, producer_ledger.as_deref(), &input, &mut noted);
            for i in item {
                if tx.blocking_send(i).is_err() {
                    return;
                }
            }
        }
    });
    let work = Work {
        ledger,
        dry_run: false,
        per: opts.per,
        concurrency: opts.concurrency,
        single: std::sync::atomic::AtomicBool::new(opts.per <= 1),
    };
    let mut no_rejects = Rejects::disabled();
    let (mut summary, stop) = drive(client, &work, rx, reporter, emit, &mut no_rejects).await?;
    // The receiver is gone: the producer ends at its next send (a blocking task cannot be aborted).
    drop(producer);
    summary.seconds = started.elapsed().as_secs_f64();
    match stop {
        Some(e) => Err(e),
        None => Ok(summary),
    }
}

/// One file → the items to send (a note the first time a context is assumed, then the record).
fn prepare(plan: &Plan, print: &str, ledger: Option<&super::Ledger>, input: &Input, noted: &mut bool) -> Vec<Item> {
    let label = input.label();
    let reject = |reason: String| Rejected {
        source: label.clone(),
        position: "file".into(),
        reason,
        format: Format::Eml,
        raw: Vec::new(),
    };
    let payload = match plan.payload_blocking(input) {
        Ok(p) => p,
        Err(e) => return vec![Item::Reject(reject(e))],
    };
    let key = source_key(print, input, &payload.bytes);
    let media = media_type(&payload.content_type);
    let visual = media.starts_with("image/") || media.starts_with("video/");
    let mut object = match plan.object_from(payload) {
        Ok(o) => o,
        Err(e) => return vec![Item::Reject(reject(e))],
    };
    let mut items = Vec::new();
    let attrs = &mut object.object.attributes;
    if visual && plan.compose.context.is_none() && attrs.first(names::MESSAGE_CONTEXT).is_none() {
        // Without a context a photo or video would be a message of no kind; an RCS file
        // transfer is what a phone makes of one, and the user is told.
        attrs.set(names::MESSAGE_CONTEXT, vec!["file-message".into()]);
        if !*noted {
            *noted = true;
            items.push(Item::Note(
                "no --context given: image and video files are stored as file-message (an RCS file transfer); give --context to choose"
                    .into(),
            ));
        }
    }
    items.push(record(label, key, object, ledger));
    items
}

/// The record of one object to store under ledger `key`. One an interrupted run sent without
/// an answer is sent exactly as then (its Date), after a store check.
fn record(label: String, key: String, mut object: crate::nms::NewObject, ledger: Option<&super::Ledger>) -> Item {
    let mut check_store = false;
    if let Some(l) = ledger
        && let Ok(mut found) = l.lookup(&[key.as_str()])
        && let Some(Entry::Pending(date)) = found.remove(&key)
    {
        check_store = true;
        if let Some(d) = date {
            object.object.attributes.set(names::DATE, vec![d]);
        }
    }
    let names: Vec<Option<String>> = object.parts.iter().map(|p| p.filename()).collect();
    let parts = object.parts.iter().zip(&names).map(|(p, n)| (p.body.len() as u64, n.as_deref()));
    let match_key = super::key::sized_key(&super::key::content_key(&object.object), parts);
    let bytes = object.parts.iter().map(|p| p.body.len() as u64).sum();
    Item::Record(Box::new(Prepared {
        source: label,
        position: "file".into(),
        key,
        match_key,
        check_store,
        object,
        bytes,
    }))
}
