//! The run: records from the reader thread → dedupe (this run, the ledger, the store) →
//! bulkCreation batches with bounded concurrency → ledger → per-record results.
//!
//! Exactly-once across crashes: before a batch is sent its keys are committed to the ledger as
//! pending; the answer turns them into done rows (with the object ids) or, for items the server
//! refused, removes them. A batch whose request failed without an answer (network, timeout,
//! a killed process) stays pending. Every window of up to 10 batches is checked against the store
//! before it is sent (one search over its Date range, compared by content key), so a record whose
//! create reached the store but not the ledger is found and recorded instead of created again.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use tokio::sync::mpsc;

use crate::nms::items::batch::{MAX_BULK, MAX_BULK_BYTES};
use crate::nms::items::bulk::bulk_refused;
use crate::nms::items::id_of;
use crate::nms::{NewObject, NmsClient};
use crate::wire::{SearchCriteria, SearchCriterion, SelectionCriteria, names};

use super::key::{content_key, date_ms, sized_key_of};
use super::ledger::{Entry, Ledger};
use super::placement::{Folder, Placement};
use super::rejects::Rejects;
use super::source::{self, Item, Prepared, Rejected};
use super::{ImportError, ImportReporter, Options, Outcome, RecordResult, Summary};

/// Records read ahead of the batches being sent.
const CHANNEL: usize = 256;
/// Batches per window: the records checked against the store with one search.
const WINDOW_BATCHES: usize = 10;
/// Payload bytes of one window held in memory at most.
const WINDOW_BYTES: u64 = 2 * MAX_BULK_BYTES;
/// Store objects looked at per window check (a batch spanning a crowded Date range is compared
/// against at most this many; beyond it the check stops and the ledger alone decides).
const MAX_CHECKED: usize = 100_000;

/// A finished record: its result, and the ledger key when one applies.
struct Done {
    result: RecordResult,
    /// A note about the run that came with this result (falling back to single creates).
    note: Option<String>,
}

fn result(p: &Prepared, outcome: Outcome, id: Option<String>, reason: Option<String>) -> RecordResult {
    let a = &p.object.object.attributes;
    RecordResult {
        id,
        outcome,
        source: p.source.clone(),
        position: p.position.clone(),
        context: a.first(names::MESSAGE_CONTEXT).map(str::to_string),
        date: a.first(names::DATE).map(str::to_string),
        folder: p.object.object.parent_folder_path.clone().or_else(|| p.object.object.parent_folder.clone()),
        reason,
    }
}

fn rejected_result(r: &Rejected) -> RecordResult {
    RecordResult {
        id: None,
        outcome: Outcome::Rejected,
        source: r.source.clone(),
        position: r.position.clone(),
        context: None,
        date: None,
        folder: None,
        reason: Some(r.reason.clone()),
    }
}

/// Short form of a key for the in-run duplicate set (the first 128 bits of the SHA-256).
fn short(key: &str) -> u128 {
    key.get(..32).and_then(|h| u128::from_str_radix(h, 16).ok()).unwrap_or(0)
}

fn local(e: String) -> ImportError {
    ImportError::Local(e)
}

/// How long requests of an interrupted run are given to reach the store before it is searched
/// for them. A killed client does not stop a server that already has the whole request: it may
/// store the batch a moment later, after the next run's search would have missed it.
const SETTLE_SECS: i64 = 5;

/// Opens the ledger for the box of `client` (read-only, or none yet, for a dry run) and says
/// when an interrupted run left pending rows; when those were sent moments ago, waits until
/// they are [`SETTLE_SECS`] old.
pub(super) async fn open_ledger<R: ImportReporter + ?Sized>(
    client: &NmsClient,
    path: &std::path::Path,
    dry_run: bool,
    reporter: &R,
) -> Result<Option<Arc<Ledger>>, ImportError> {
    let scope = format!("{}", client.base_url());
    let ledger = if dry_run {
        Ledger::open_read_only(path, &scope).map_err(local)?
    } else {
        Some(Ledger::open(path, &scope).map_err(local)?)
    };
    if let Some(l) = &ledger {
        let (pending, newest) = l.pending().map_err(local)?;
        if pending > 0 {
            reporter.note(&format!(
                "{pending} records of an interrupted run are pending: they are checked against the store before anything is created"
            ));
            let age = newest.map(|t| jiff::Timestamp::now().as_second().saturating_sub(t)).unwrap_or(SETTLE_SECS);
            if (0..SETTLE_SECS).contains(&age) {
                let wait = SETTLE_SECS - age;
                reporter.note(&format!("waiting {wait}s for the interrupted run's last requests to settle"));
                tokio::time::sleep(std::time::Duration::from_secs(u64::try_from(wait).unwrap_or(0))).await;
            }
        }
    }
    Ok(ledger.map(Arc::new))
}

/// Imports `opts.inputs` into the box of `client`. `emit` sees every record's result as it is
/// known and returns false to stop the run (a closed output).
pub async fn run<R: ImportReporter + ?Sized>(
    client: &NmsClient,
    opts: &Options,
    reporter: &R,
    emit: impl FnMut(&RecordResult) -> bool,
) -> Result<Summary, ImportError> {
    let started = Instant::now();
    let ledger = open_ledger(client, &opts.ledger, opts.dry_run, reporter).await?;
    let folder = opts.folder.as_ref().map(|f| {
        if f.starts_with('/') {
            Folder::Path(f.trim_end_matches('/').to_string()).normalise()
        } else {
            Folder::Url(client.folder_url(f).to_string())
        }
    });
    let place = Placement { folder, own: opts.own_address.clone() };
    let (tx, rx) = mpsc::channel(CHANNEL);
    source::spawn(opts.inputs.clone(), opts.format, place, tx).map_err(|e| local(format!("reader thread: {e}")))?;
    let mut rejects = Rejects::new(&opts.rejects_dir);
    let work = Work {
        ledger,
        dry_run: opts.dry_run,
        per: opts.batch_size,
        concurrency: opts.concurrency,
        single: AtomicBool::new(opts.batch_size <= 1),
    };
    let (mut summary, stop_error) = drive(client, &work, rx, reporter, emit, &mut rejects).await?;
    if !opts.dry_run && rejects.count > 0 {
        let (file, log) = rejects.finish().map_err(local)?;
        summary.rejects = file.map(|p| p.display().to_string());
        summary.rejects_log = log.map(|p| p.display().to_string());
    }
    summary.seconds = started.elapsed().as_secs_f64();
    match stop_error {
        Some(e) => Err(e),
        None => Ok(summary),
    }
}

/// How the prepared records of a run are sent.
pub(super) struct Work {
    pub ledger: Option<Arc<Ledger>>,
    pub dry_run: bool,
    /// Objects per bulkCreation request.
    pub per: usize,
    /// Requests in flight.
    pub concurrency: usize,
    /// Set once the server refused a bulk request: one POST per object from then on.
    pub single: AtomicBool,
}

/// One step of the pipeline finished: a window checked against the ledger and the store
/// (its present records, and the chunks to send), or a chunk sent.
enum Step {
    Checked(Result<(Vec<Done>, Vec<Vec<Prepared>>), ImportError>),
    Sent(Result<Vec<Done>, ImportError>),
}

/// Sends everything `rx` delivers: dedupe, batches, results. Returns the counts and the error
/// that stopped the run early, if any (after every batch in flight was settled).
///
/// A pipeline in one task: records fill a window; a window is checked (ledger, then one store
/// search) while the chunks of the window before it are still being sent; chunks go out
/// `work.concurrency` at a time across window boundaries, so the server always has that many
/// requests to work on (waiting for a whole window to finish left it idle at every boundary).
/// At most one full window waits and one is checked while a window's worth of chunks is queued
/// or in flight, so memory stays bounded whatever the input's size.
pub(super) async fn drive<R: ImportReporter + ?Sized>(
    client: &NmsClient,
    work: &Work,
    mut rx: mpsc::Receiver<Item>,
    reporter: &R,
    mut emit: impl FnMut(&RecordResult) -> bool,
    rejects: &mut Rejects,
) -> Result<(Summary, Option<ImportError>), ImportError> {
    let per = work.per.clamp(1, MAX_BULK);
    let concurrency = work.concurrency.max(1);
    let mut summary = Summary { dry_run: work.dry_run, ..Summary::default() };
    let mut seen: HashSet<u128> = HashSet::new();
    let mut batch: Vec<Prepared> = Vec::new();
    let mut batch_bytes = 0u64;
    // Full windows waiting for their check (at most one), chunks checked and waiting to be sent.
    let mut windows: VecDeque<Vec<Prepared>> = VecDeque::new();
    let mut chunks: VecDeque<Vec<Prepared>> = VecDeque::new();
    let mut tasks: FuturesUnordered<futures::future::BoxFuture<'_, Step>> = FuturesUnordered::new();
    let (mut checking, mut sending) = (false, 0usize);
    let mut input_open = true;
    let mut stopped = false;
    let mut stop_error: Option<ImportError> = None;

    let mut finish = |done: Vec<Done>, summary: &mut Summary, stopped: &mut bool| {
        for d in done {
            if let Some(note) = &d.note {
                reporter.note(note);
            }
            match d.result.outcome {
                Outcome::Created | Outcome::WouldCreate => summary.imported += 1,
                Outcome::Present => summary.already_present += 1,
                Outcome::Rejected => summary.rejected += 1,
                Outcome::Failed => summary.failed += 1,
            }
            reporter.record(&d.result);
            if !*stopped && !emit(&d.result) {
                *stopped = true;
            }
        }
    };

    loop {
        if stopped || stop_error.is_some() {
            // Nothing new starts; what is in flight settles below.
            chunks.clear();
            windows.clear();
            batch.clear();
            input_open = false;
        }
        while sending < concurrency
            && let Some(c) = chunks.pop_front()
        {
            sending += 1;
            tasks.push(Box::pin(async move { Step::Sent(send_chunk(client, &work.ledger, c, &work.single).await) }));
        }
        // The next window is checked once the chunks queued before it are about to run out.
        if !checking
            && chunks.len() < concurrency
            && let Some(w) = windows.pop_front()
        {
            checking = true;
            tasks.push(Box::pin(async move { Step::Checked(check_window(client, work, w).await) }));
        }
        let read = input_open && windows.is_empty();
        if !read && tasks.is_empty() {
            break;
        }
        tokio::select! {
            item = rx.recv(), if read => {
                let Some(item) = item else {
                    input_open = false;
                    if !batch.is_empty() {
                        windows.push_back(std::mem::take(&mut batch));
                    }
                    continue;
                };
                match item {
                    Item::Hint(n) => reporter.total_hint(n),
                    Item::Note(m) => reporter.note(&m),
                    Item::Reject(r) => {
                        if !work.dry_run {
                            rejects.add(&r).map_err(local)?;
                        }
                        finish(vec![Done { note: None, result: rejected_result(&r) }], &mut summary, &mut stopped);
                    }
                    Item::Record(p) => {
                        let p = *p;
                        if !seen.insert(short(&p.key)) {
                            let reason = Some("the same message appears earlier in the input".to_string());
                            finish(
                                vec![Done { note: None, result: result(&p, Outcome::Present, None, reason) }],
                                &mut summary,
                                &mut stopped,
                            );
                            continue;
                        }
                        if batch.len() >= per * WINDOW_BATCHES
                            || (batch_bytes + p.bytes > WINDOW_BYTES && !batch.is_empty())
                        {
                            windows.push_back(std::mem::take(&mut batch));
                            batch_bytes = 0;
                        }
                        batch_bytes += p.bytes;
                        batch.push(p);
                    }
                }
            }
            Some(step) = tasks.next(), if !tasks.is_empty() => {
                let r = match step {
                    Step::Checked(r) => {
                        checking = false;
                        r.map(|(done, more)| {
                            chunks.extend(more);
                            done
                        })
                    }
                    Step::Sent(r) => {
                        sending -= 1;
                        r
                    }
                };
                match r {
                    Ok(done) => finish(done, &mut summary, &mut stopped),
                    Err(e) => {
                        stop_error.get_or_insert(e);
                    }
                }
            }
        }
    }
    drop(rx);
    Ok((summary, stop_error))
}

impl Folder {
    /// `--folder /` means the root: no path at all.
    fn normalise(self) -> Folder {
        match self {
            Folder::Path(p) if p.is_empty() => Folder::Path("/".into()),
            f => f,
        }
    }
}

/// The store's objects in the Date range of the batch's records that need a check, by content
/// key (and by sized key) → object id. Empty when none needs one or none has a date.
async fn store_keys(client: &NmsClient, batch: &[Prepared]) -> Result<HashMap<String, String>, crate::nms::Error> {
    let dates: Vec<i64> = batch.iter().filter(|p| p.check_store).filter_map(|p| date_ms(&p.object.object)).collect();
    let (Some(min), Some(max)) = (dates.iter().min(), dates.iter().max()) else { return Ok(HashMap::new()) };
    let stamp =
        |ms: i64| jiff::Timestamp::from_millisecond(ms).map(|t| t.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()).ok();
    let (Some(lo), Some(hi)) = (stamp(*min), stamp(max.saturating_add(1))) else { return Ok(HashMap::new()) };
    let c = SelectionCriteria {
        max_entries: 1000,
        search_criteria: Some(SearchCriteria {
            criterion: vec![SearchCriterion::new("Date", None, format!("minDate={lo}&maxDate={hi}"))],
            operator: None,
        }),
        ..Default::default()
    };
    let mut out = HashMap::new();
    let mut seen = 0usize;
    let mut pages = client.search_stream(c);
    while let Some(page) = pages.next().await {
        for o in page?.object {
            seen += 1;
            if let Some(url) = &o.resource_url {
                out.insert(content_key(&o), id_of(url));
                out.insert(sized_key_of(&o), id_of(url));
            }
        }
        if seen >= MAX_CHECKED {
            break;
        }
    }
    Ok(out)
}

/// Checks a window of records against the ledger (one lookup for all of them) and the store
/// (one search over its Date range: a search costs about as much as a bulkCreation, so one per
/// window instead of one per batch). Returns the results of what is already there and the
/// chunks of what is new, as bulkCreation requests to send.
async fn check_window(
    client: &NmsClient,
    work: &Work,
    batch: Vec<Prepared>,
) -> Result<(Vec<Done>, Vec<Vec<Prepared>>), ImportError> {
    let ledger = &work.ledger;
    let mut done = Vec::with_capacity(batch.len());
    let batch = match ledger {
        Some(l) => {
            let keys: Vec<&str> = batch.iter().map(|p| p.key.as_str()).collect();
            let mut known = l.lookup(&keys).map_err(local)?;
            let mut rest = Vec::with_capacity(batch.len());
            for p in batch {
                match known.remove(&p.key) {
                    Some(Entry::Done(id)) => {
                        done.push(Done { note: None, result: result(&p, Outcome::Present, Some(id), None) })
                    }
                    _ => rest.push(p),
                }
            }
            rest
        }
        None => batch,
    };
    if batch.is_empty() {
        return Ok((done, Vec::new()));
    }
    let found = match store_keys(client, &batch).await {
        Ok(f) => f,
        Err(e) if e.is_auth() => return Err(e.into()),
        Err(e) => {
            // Unchecked records are not sent: one of them may be in the store already.
            let reason = format!("could not check the store for it: {e}");
            done.extend(
                batch
                    .iter()
                    .map(|p| Done { note: None, result: result(p, Outcome::Failed, None, Some(reason.clone())) }),
            );
            return Ok((done, Vec::new()));
        }
    };
    let mut send: Vec<Prepared> = Vec::with_capacity(batch.len());
    let mut present: Vec<(String, String)> = Vec::new();
    // A store object stands for one record only (two pending copies of one file are two objects).
    let mut claimed: HashSet<String> = HashSet::new();
    for p in batch {
        match found.get(&p.match_key).filter(|id| p.check_store && claimed.insert((*id).clone())) {
            Some(id) => {
                present.push((p.key.clone(), id.clone()));
                done.push(Done { note: None, result: result(&p, Outcome::Present, Some(id.clone()), None) });
            }
            None => send.push(p),
        }
    }
    if let Some(l) = &ledger {
        let rows: Vec<(&str, &str)> = present.iter().map(|(k, i)| (k.as_str(), i.as_str())).collect();
        l.settle(&rows, &[]).map_err(local)?;
    }
    if work.dry_run {
        done.extend(send.iter().map(|p| Done { note: None, result: result(p, Outcome::WouldCreate, None, None) }));
        return Ok((done, Vec::new()));
    }
    let sizes: Vec<u64> = send.iter().map(|p| p.bytes).collect();
    let mut rest = send.into_iter();
    let chunks: Vec<Vec<Prepared>> =
        crate::nms::items::batch::plan(&sizes, work.per.clamp(1, MAX_BULK), MAX_BULK_BYTES)
            .into_iter()
            .map(|r| rest.by_ref().take(r.len()).collect())
            .collect();
    Ok((done, chunks))
}

/// Records one batch as pending, sends it and settles the ledger.
async fn send_chunk(
    client: &NmsClient,
    ledger: &Option<Arc<Ledger>>,
    send: Vec<Prepared>,
    single: &AtomicBool,
) -> Result<Vec<Done>, ImportError> {
    let mut done = Vec::with_capacity(send.len());
    if let Some(l) = &ledger {
        let keys: Vec<(&str, Option<&str>)> =
            send.iter().map(|p| (p.key.as_str(), p.object.object.attributes.first(names::DATE))).collect();
        l.mark_pending(&keys).map_err(local)?;
    }
    let (answers, note) = create(client, &send, single).await?;
    let mut ok: Vec<(String, String)> = Vec::new();
    let mut refused: Vec<String> = Vec::new();
    for (p, answer) in send.iter().zip(answers) {
        match answer {
            Answer::Created(id) => {
                ok.push((p.key.clone(), id.clone()));
                done.push(Done { note: None, result: result(p, Outcome::Created, Some(id), None) });
            }
            Answer::Refused(why) => {
                refused.push(p.key.clone());
                done.push(Done { note: None, result: result(p, Outcome::Failed, None, Some(why)) });
            }
            Answer::Unknown(why) => done.push(Done { note: None, result: result(p, Outcome::Failed, None, Some(why)) }),
        }
    }
    if let Some(l) = &ledger {
        let rows: Vec<(&str, &str)> = ok.iter().map(|(k, i)| (k.as_str(), i.as_str())).collect();
        let gone: Vec<&str> = refused.iter().map(String::as_str).collect();
        l.settle(&rows, &gone).map_err(local)?;
    }
    if let (Some(n), Some(first)) = (note, done.first_mut()) {
        first.note = Some(n);
    }
    Ok(done)
}

/// What the server said about one object.
enum Answer {
    Created(String),
    /// Refused with an answer: certainly not created.
    Refused(String),
    /// No answer (the request failed): it may or may not have been created; stays pending.
    Unknown(String),
}

/// bulkCreation of the batch (one POST each for a single object or when the server refuses
/// bulk requests); one answer per object, in order. Only an auth failure is an error.
async fn create(
    client: &NmsClient,
    send: &[Prepared],
    single: &AtomicBool,
) -> Result<(Vec<Answer>, Option<String>), ImportError> {
    let objects: Vec<NewObject> = send.iter().map(|p| p.object.clone()).collect();
    let mut note = None;
    if objects.len() > 1 && !single.load(Ordering::Relaxed) {
        match client.bulk_create(&objects).await {
            Ok(list) if list.response.len() == objects.len() => {
                let answers = list
                    .response
                    .iter()
                    .map(|r| match (&r.success, r.is_success()) {
                        (Some(s), true) if !s.resource_url.is_empty() => Answer::Created(id_of(&s.resource_url)),
                        (_, true) => Answer::Unknown("created, but the server sent no reference".into()),
                        _ => Answer::Refused(
                            r.failure
                                .as_ref()
                                .map(|f| f.message())
                                .filter(|m| !m.is_empty())
                                .unwrap_or_else(|| format!("{} {}", r.code, r.reason)),
                        ),
                    })
                    .collect();
                return Ok((answers, None));
            }
            Ok(list) => {
                let why = format!("the server answered {} results for {} objects", list.response.len(), objects.len());
                return Ok((objects.iter().map(|_| Answer::Unknown(why.clone())).collect(), None));
            }
            Err(e) if e.is_auth() => return Err(e.into()),
            Err(e) if bulk_refused(&e) => {
                if !single.swap(true, Ordering::Relaxed) {
                    note = Some(format!("bulk creation refused ({e}); storing objects one by one"));
                }
            }
            Err(e) => return Ok((objects.iter().map(|_| Answer::Unknown(e.to_string())).collect(), None)),
        }
    }
    let mut out = Vec::with_capacity(objects.len());
    for o in &objects {
        match client.create_object(o).await {
            Ok(r) => out.push(Answer::Created(id_of(&r.resource_url))),
            Err(e) if e.is_auth() => return Err(e.into()),
            Err(e) if e.status().is_some_and(|s| (400..500).contains(&s)) => out.push(Answer::Refused(e.to_string())),
            Err(e) => out.push(Answer::Unknown(e.to_string())),
        }
    }
    Ok((out, note))
}
