//! Running item-wise work (delete, flag, move) as bulk requests of at most 100 references,
//! several in flight, with per-item results: a failed item never stops the others.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use futures::{Stream, StreamExt};

use crate::nms;
use crate::wire::{BulkResponseList, Reference};

use super::resolve::Item;
use super::{Error, Reporter, id_of};

/// What kind of failure an item met; the CLI turns each into its exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FailureKind {
    /// Anything not below.
    Failure,
    /// 401/403: authentication or authorization.
    Auth,
    /// 404/410: the item is not there.
    NotFound,
    /// Network, timeout, 429 or 5xx.
    Network,
}

impl FailureKind {
    /// The class of an NMS error.
    pub fn of(e: &nms::Error) -> FailureKind {
        if e.is_auth() {
            FailureKind::Auth
        } else if e.is_not_found() {
            FailureKind::NotFound
        } else if e.is_network() {
            FailureKind::Network
        } else {
            FailureKind::Failure
        }
    }
}

/// A failed item: its message and the class of failure it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub message: String,
    pub kind: FailureKind,
    /// The server's OMA messageId (`SVC0004`, …), kept for `-v` and JSON errors.
    pub message_id: Option<String>,
}

impl Failure {
    pub fn item(message: impl Into<String>) -> Self {
        Failure { message: message.into(), kind: FailureKind::Failure, message_id: None }
    }

    /// Whether the item is simply not there, with nothing more specific from the server
    /// (no text, or SVC0004's stock text): then plain words name it (`no object X in box Y`).
    pub fn is_plain_not_found(&self) -> bool {
        self.kind == FailureKind::NotFound && generic_text(self.message_id.as_deref())
    }
}

impl From<&nms::Error> for Failure {
    fn from(e: &nms::Error) -> Self {
        let kind = FailureKind::of(e);
        // The spec's text for a missing resource is SVC0004's "No valid addresses provided
        // in message part …", which misleads more than it tells; say what happened.
        let message = match (kind, e.status()) {
            (FailureKind::NotFound, Some(code)) if generic_text(e.message_id()) => not_found(code),
            _ => e.to_string(),
        };
        Failure { message, kind, message_id: e.message_id().map(str::to_string) }
    }
}

fn not_found(code: u16) -> String {
    format!("not found on the server (HTTP {code})")
}

/// Whether a requestError carries only the spec's stock text (SVC0004), or none.
fn generic_text(message_id: Option<&str>) -> bool {
    message_id.is_none_or(|id| id.eq_ignore_ascii_case("SVC0004"))
}

/// `no object X in box tel:+1…`: a missing item in plain words, the box read from its URL
/// (the segment before `objects`/`folders`), or without it when the URL does not say.
pub fn not_there(item: &Item) -> String {
    let segments: Vec<&str> = item.url.split('/').collect();
    let boxed = segments
        .iter()
        .position(|s| *s == "objects" || *s == "folders")
        .and_then(|i| i.checked_sub(1))
        .and_then(|i| segments.get(i))
        .map(|s| percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned())
        .filter(|b| !b.is_empty());
    match boxed {
        Some(b) => format!("no {} {} in box {b}", item.kind.name(), item.label),
        None => format!("no {} {}", item.kind.name(), item.label),
    }
}

/// Failure classes seen during a run, for the final exit code.
#[derive(Debug, Default)]
pub struct Tally {
    pub done: u64,
    pub failed: u64,
    first: Option<String>,
    first_message_id: Option<String>,
    kinds: Vec<FailureKind>,
}

impl Tally {
    pub fn ok(&mut self) {
        self.done += 1;
    }

    pub fn fail(&mut self, f: &Failure) {
        self.failed += 1;
        if self.first.is_none() {
            self.first = Some(f.message.clone());
            self.first_message_id.clone_from(&f.message_id);
        }
        if !self.kinds.contains(&f.kind) {
            self.kinds.push(f.kind);
        }
    }

    /// Adds another run's counts.
    pub fn merge(&mut self, other: Tally) {
        self.done += other.done;
        self.failed += other.failed;
        if self.first.is_none() {
            self.first = other.first;
            self.first_message_id = other.first_message_id;
        }
        for k in other.kinds {
            if !self.kinds.contains(&k) {
                self.kinds.push(k);
            }
        }
    }

    /// The message of the first failure.
    pub fn first_failure(&self) -> Option<&str> {
        self.first.as_deref()
    }

    /// The server's messageId of the first failure, when it had one.
    pub fn first_message_id(&self) -> Option<&str> {
        self.first_message_id.as_deref()
    }

    /// The classes of failure seen, each once, in the order first seen.
    pub fn failure_kinds(&self) -> &[FailureKind] {
        &self.kinds
    }
}

/// Whether a whole bulk request was refused in a way that single requests may get past.
pub fn bulk_refused(e: &nms::Error) -> bool {
    matches!(e.status(), Some(403 | 404 | 405 | 501 | 503)) && !matches!(e.status(), Some(401))
}

/// Maps a bulk answer onto the request's items: by position when the counts match (the
/// spec's order), else by the ids of the success references.
pub fn match_responses(items: &[Item], list: &BulkResponseList) -> Vec<Result<(), Failure>> {
    if list.response.len() == items.len() {
        return list
            .response
            .iter()
            .map(|r| {
                if r.is_success() {
                    Ok(())
                } else {
                    let kind = status_kind(r.code);
                    let msg = r.failure.as_ref().map(|f| f.message()).filter(|m| !m.is_empty());
                    let stock = generic_text(r.failure.as_ref().and_then(|f| f.message_id()));
                    let text = match msg {
                        _ if kind == FailureKind::NotFound && stock => not_found(r.code),
                        Some(m) => m,
                        None => format!("{} {}", r.code, r.reason).trim().to_string(),
                    };
                    let message_id = r.failure.as_ref().and_then(|f| f.message_id()).map(str::to_string);
                    Err(Failure { message: text, kind, message_id })
                }
            })
            .collect();
    }
    let ok: std::collections::HashSet<String> = list
        .response
        .iter()
        .filter(|r| r.is_success())
        .filter_map(|r| r.success.as_ref().map(|s| id_of(&s.resource_url)))
        .collect();
    items
        .iter()
        .map(|i| if ok.contains(&i.id) { Ok(()) } else { Err(Failure::item("the server reported no success for it")) })
        .collect()
}

fn status_kind(code: u16) -> FailureKind {
    match code {
        401 | 403 => FailureKind::Auth,
        404 | 410 => FailureKind::NotFound,
        429 | 500..=599 => FailureKind::Network,
        _ => FailureKind::Failure,
    }
}

/// Splits `items` into batches of at most `per`, lazily: each batch is moved out of the list
/// only when the runner asks for it, so no second copy of the whole list is ever built.
pub fn chunks(items: Vec<Item>, per: usize) -> impl Stream<Item = Vec<Item>> {
    let per = per.max(1);
    let mut rest = items.into_iter();
    futures::stream::iter(std::iter::from_fn(move || {
        let batch: Vec<Item> = rest.by_ref().take(per).collect();
        (!batch.is_empty()).then_some(batch)
    }))
}

/// Runs `batches` (each at most one bulk request's worth) through `bulk`, several in
/// flight, falling back to `single` per item when the server refuses bulk requests. The
/// batches may arrive over time (ids streamed from stdin): at most `concurrency` are in
/// flight and the next is taken only when one finishes. `report` sees every item's result
/// in the order they complete (and may stop the run with its own error `E`); an auth
/// failure of a whole request stops the run with [`Error::Stopped`].
pub async fn run<B, BF, S, SF, R, E>(
    batches: impl Stream<Item = Vec<Item>>,
    concurrency: usize,
    reporter: &R,
    bulk: B,
    single: S,
    mut report: impl FnMut(&Item, Result<(), &Failure>) -> Result<(), E>,
) -> Result<Tally, E>
where
    B: Fn(Vec<Reference>) -> BF + Clone,
    BF: Future<Output = Result<BulkResponseList, nms::Error>>,
    S: Fn(Item) -> SF + Clone,
    SF: Future<Output = Result<(), nms::Error>>,
    R: Reporter + ?Sized,
    E: From<Error>,
{
    let fallback = Arc::new(AtomicBool::new(false));
    let stream = batches
        .map(|batch| {
            let bulk = bulk.clone();
            let single = single.clone();
            let fallback = Arc::clone(&fallback);
            async move {
                if !fallback.load(Ordering::Relaxed) {
                    let refs = batch.iter().map(|i| Reference::new(i.url.clone())).collect();
                    match bulk(refs).await {
                        Ok(list) => {
                            let results = match_responses(&batch, &list);
                            return Ok(batch.into_iter().zip(results).collect::<Vec<_>>());
                        }
                        Err(e) if e.is_auth() && e.status() == Some(401) => return Err(Error::Stopped(e)),
                        Err(e) if bulk_refused(&e) => {
                            if !fallback.swap(true, Ordering::Relaxed) {
                                reporter.note(&format!("note: bulk request refused ({e}); going one by one"));
                            }
                        }
                        Err(e) => {
                            let f = Failure::from(&e);
                            return Ok(batch.into_iter().map(|i| (i, Err(f.clone()))).collect());
                        }
                    }
                }
                let mut out = Vec::with_capacity(batch.len());
                for item in batch {
                    let r = single(item.clone()).await;
                    match r {
                        Ok(()) => out.push((item, Ok(()))),
                        Err(e) if e.status() == Some(401) => return Err(Error::Stopped(e)),
                        Err(e) => out.push((item, Err(Failure::from(&e)))),
                    }
                }
                Ok(out)
            }
        })
        .buffer_unordered(concurrency.max(1));
    let mut stream = std::pin::pin!(stream);
    let mut tally = Tally::default();
    while let Some(batch) = stream.next().await {
        for (item, res) in batch.map_err(E::from)? {
            match &res {
                Ok(()) => {
                    tally.ok();
                    reporter.item_done();
                }
                Err(f) if f.is_plain_not_found() => {
                    tally.fail(f);
                    reporter.item_failed_in_words(&not_there(&item));
                }
                Err(f) => {
                    tally.fail(f);
                    reporter.item_failed(&item.label, &f.message);
                }
            }
            report(&item, res.as_ref().map(|_| ()))?;
        }
    }
    Ok(tally)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nms::items::Kind;
    use crate::wire::{BulkResponse, RequestError};

    fn item(id: &str) -> Item {
        Item { kind: Kind::Object, id: id.into(), url: format!("http://h/objects/{id}"), label: id.into() }
    }

    #[test]
    fn matching() {
        let items = [item("a"), item("b")];
        let list = BulkResponseList {
            response: vec![
                BulkResponse::ok(200, Reference::new("http://h/objects/a")),
                BulkResponse::err(404, RequestError::service("SVC0004", "No such object %1", vec!["b".into()])),
            ],
        };
        let r = match_responses(&items, &list);
        assert!(r[0].is_ok());
        let f = r[1].clone().unwrap_err();
        assert_eq!(f.kind, FailureKind::NotFound);
        // SVC0004's stock text says nothing useful about a missing object.
        assert_eq!(f.message, "not found on the server (HTTP 404)");
        let own = BulkResponseList {
            response: vec![BulkResponse::err(404, RequestError::service("SVC9404", "Gone: %1", vec!["a".into()]))],
        };
        assert_eq!(match_responses(&items[..1], &own)[0].clone().unwrap_err().message, "Gone: a");
        let short = BulkResponseList { response: vec![BulkResponse::ok(200, Reference::new("http://h/objects/b"))] };
        let r = match_responses(&items, &short);
        assert!(r[0].is_err() && r[1].is_ok());
    }

    #[test]
    fn lazy_chunks() {
        let items: Vec<Item> = (0..250).map(|i| item(&i.to_string())).collect();
        let sizes: Vec<usize> = futures::executor::block_on(chunks(items, 100).map(|b| b.len()).collect());
        assert_eq!(sizes, [100, 100, 50]);
        assert!(futures::executor::block_on(chunks(Vec::new(), 100).collect::<Vec<_>>()).is_empty());
    }

    /// A Reporter that remembers what it heard, as a library caller without a terminal might.
    #[derive(Default)]
    struct Recorder(std::sync::Mutex<Vec<String>>);

    impl Reporter for Recorder {
        fn item_done(&self) {
            self.0.lock().unwrap().push("done".into());
        }
        fn item_failed(&self, label: &str, message: &str) {
            self.0.lock().unwrap().push(format!("failed {label}: {message}"));
        }
        fn note(&self, message: &str) {
            self.0.lock().unwrap().push(message.into());
        }
    }

    #[test]
    fn a_refused_bulk_request_goes_one_by_one_and_reports_through_the_trait() {
        let items: Vec<Item> = ["a", "b", "c"].iter().map(|i| item(i)).collect();
        let rec = Recorder::default();
        let mut seen = Vec::new();
        let refused = || nms::Error::Http { status: 405, snippet: String::new() };
        let tally = futures::executor::block_on(run(
            chunks(items, 100),
            2,
            &rec,
            move |_refs| async move { Err::<BulkResponseList, _>(refused()) },
            |i: Item| async move {
                if i.id == "b" { Err(nms::Error::Http { status: 404, snippet: String::new() }) } else { Ok(()) }
            },
            |i, r| {
                seen.push((i.id.clone(), r.is_ok()));
                Ok::<(), Error>(())
            },
        ))
        .unwrap();
        assert_eq!((tally.done, tally.failed), (2, 1));
        assert_eq!(tally.failure_kinds(), [FailureKind::NotFound]);
        assert_eq!(seen, [("a".to_string(), true), ("b".to_string(), false), ("c".to_string(), true)]);
        let heard = rec.0.lock().unwrap().clone();
        assert!(heard[0].starts_with("note: bulk request refused"), "{heard:?}");
        // A plain "not there" is said in words that name the item (and the box in its URL).
        assert_eq!(heard[1..], ["done", "failed : no object b in box h", "done"]);
    }
}
