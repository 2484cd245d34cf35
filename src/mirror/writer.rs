//! The page writer of a listing: each page's files rendered and staged as soon as its payloads
//! are in, then (a batch of pages at a time) made durable, named, and their rows committed as
//! one index transaction, on the blocking pool; batches commit in listing order, and none after
//! a batch that failed.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use super::fsio::abs;
use super::index::Index;
use super::objects::{StagedObject, Work, finish_staged, stage_page};
use super::plan::Action;
use super::{MirrorError, SyncReporter, SyncSummary};
use crate::formats::PartBytes;

/// One page of the listing, decided and with its payloads in memory, ready to be written.
pub(super) struct PreparedPage {
    /// Objects already in the mirror as the store has them: only marked as seen.
    pub keep: Vec<String>,
    /// Objects to write, each with its payload parts and whether they were downloaded.
    pub write: Vec<(Work, Vec<PartBytes>, bool)>,
    /// New id → the id of the index row it was matched to by correlation (that row goes when
    /// the page is committed).
    pub matched: HashMap<String, String>,
}

/// A page's files being rendered and staged on the blocking pool (written, not yet durable nor
/// named), started as soon as the page's payloads are in: while pages gather into a batch, the
/// CPU work of their files is done instead of waiting for the batch to be full (when it all
/// came at once, competing with the downloads, and the last batch's came after the last
/// download, with the run waiting for it). A page with more files than may be staged at once
/// is staged in several parts.
pub(super) struct Staging {
    task: tokio::task::JoinHandle<Result<Vec<StagedObject>, MirrorError>>,
    keep: Vec<String>,
    matched: HashMap<String, String>,
    /// Files it stages (each holds a descriptor until it is named).
    files: usize,
    /// Payload bytes of its files.
    bytes: usize,
}

impl Staging {
    /// Starts staging `page`'s files, in parts of at most `budget` files (see
    /// [`super::fsio::max_open_staged`]); a page with no file to write is one part that only
    /// carries what to mark as seen.
    pub(super) fn start(
        dir: &Path,
        dirs: &Arc<HashMap<String, String>>,
        page: PreparedPage,
        budget: usize,
    ) -> Vec<Staging> {
        let PreparedPage { keep, mut write, mut matched } = page;
        let budget = budget.max(1);
        let mut parts = Vec::with_capacity(write.len().div_ceil(budget).max(1));
        let mut keep = Some(keep);
        loop {
            let rest = if write.len() > budget { write.split_off(budget) } else { Vec::new() };
            // Each part's correlation matches go with its objects (a match is committed, and its
            // old row deleted, with the object it matched).
            let mine = write.iter().filter_map(|(w, ..)| matched.remove_entry(&w.id)).collect();
            let bytes = write.iter().flat_map(|(_, parts, _)| parts).map(|p| p.bytes.len()).sum();
            let files = write.len();
            let (dir, dirs) = (dir.to_path_buf(), Arc::clone(dirs));
            let task = tokio::task::spawn_blocking(move || stage_page(&dir, &dirs, write));
            parts.push(Staging { task, keep: keep.take().unwrap_or_default(), matched: mine, files, bytes });
            if rest.is_empty() {
                break;
            }
            write = rest;
        }
        parts
    }
}

/// Staged pages gathered to be made durable, named and committed as one: each batch costs a
/// flush of the file system, a sync of each directory it named files in, and an index commit
/// whose WAL frames are the index pages it touched (with random ids, most of them), so a
/// first-time sync of 10,000 small objects committed page by page (200 objects) wrote 35 MB of
/// WAL for a 4 MB index.
///
/// The first batches of a listing are smaller ([`Batch::new`]): the first files are durable,
/// named and shown sooner.
pub(super) struct Batch {
    parts: Vec<Staging>,
    pages: usize,
    /// Pages at which it is full.
    want: usize,
    files: usize,
    bytes: usize,
    /// Most files it may stage (see [`Staging::start`]).
    budget: usize,
    since: std::time::Instant,
}

impl Batch {
    /// The listing's batch number `nth` (from 0), of at most `budget` staged files: it is full
    /// with one page, the next with two, and so on up to [`BATCH_PAGES`].
    pub(super) fn new(nth: usize, budget: usize) -> Batch {
        let want = nth.saturating_add(1).min(BATCH_PAGES);
        Batch { parts: Vec::new(), pages: 0, want, files: 0, bytes: 0, budget, since: std::time::Instant::now() }
    }

    /// Whether `part` can join it without more than its budget of files staged at once.
    pub(super) fn fits(&self, part: &Staging) -> bool {
        self.parts.is_empty() || self.files + part.files <= self.budget
    }

    /// Takes in a part of the next page.
    pub(super) fn absorb(&mut self, part: Staging) {
        self.files += part.files;
        self.bytes += part.bytes;
        self.parts.push(part);
    }

    /// Counts a page whose parts it took in (the last of them, when a page was split).
    pub(super) fn end_page(&mut self) {
        self.pages += 1;
    }

    /// Whether to write it now: its pages (see [`Batch::new`]), its budget of files,
    /// [`BATCH_BYTES`] of payload (which bounds the data a flush has to write: pages of big
    /// objects are written one at a time), or its first page waited [`BATCH_WAIT`] (a slow
    /// listing is written, and shown, page by page).
    pub(super) fn is_full(&self) -> bool {
        self.pages >= self.want
            || self.files >= self.budget
            || self.bytes >= BATCH_BYTES
            || self.since.elapsed() >= BATCH_WAIT
    }
}

/// Most pages written as one batch (1,000 objects at the default page size).
pub(super) const BATCH_PAGES: usize = 5;

/// Payload bytes from which a batch is written, however few pages it has.
pub(super) const BATCH_BYTES: usize = 8 << 20;

/// How long a batch's first page waits for more pages at most.
pub(super) const BATCH_WAIT: std::time::Duration = std::time::Duration::from_millis(250);

/// Batches being made durable and committed at once. A batch's write is mostly waiting on the
/// disk (its flush, then the sync of the directories it named files in): two let the next
/// batch's files be flushed while the disk syncs this one's.
pub(super) const WRITERS: usize = 2;

/// A batch whose files are being staged, made durable and named, then its rows committed.
pub(super) struct Writing {
    writer: tokio::task::JoinHandle<Result<Committed, MirrorError>>,
}

/// A batch whose files are durable under their final names and whose rows are committed.
struct Committed {
    written: super::objects::Written,
    /// Objects only marked as seen.
    kept: usize,
    /// New id → the index row it was matched to by correlation (deleted in the same commit).
    matched: HashMap<String, String>,
}

impl Writing {
    /// Once its pages are staged, makes a batch's files durable and named and commits its rows,
    /// on the blocking pool. The commit waits for `previous` (the batch before it): batches
    /// commit in listing order. `done` says whether this one committed, for the batch after it.
    pub(super) fn start(
        dir: &Path,
        index: &Index,
        run: u64,
        batch: Batch,
        previous: Option<tokio::sync::oneshot::Receiver<bool>>,
        done: tokio::sync::oneshot::Sender<bool>,
    ) -> Writing {
        let (dir, index) = (dir.to_path_buf(), index.clone());
        let files = batch.files;
        let writer = tokio::spawn(async move {
            let (mut staged, mut keep, mut matched, mut failed) =
                (Vec::with_capacity(files), Vec::new(), HashMap::new(), None);
            // Every part is waited for, also after one failed: a part's files are closed (and,
            // unnamed, gone) when it ends, not while it is still writing them.
            for part in batch.parts {
                keep.extend(part.keep);
                matched.extend(part.matched);
                match part.task.await {
                    Ok(Ok(s)) => staged.extend(s),
                    Ok(Err(e)) => failed = failed.or(Some(e)),
                    Err(e) => failed = failed.or(Some(MirrorError::Invalid(format!("the file writer failed: {e}")))),
                }
            }
            let finish =
                tokio::task::spawn_blocking(move || {
                    let written = match failed {
                        Some(e) => Err(e),
                        None => finish_staged(staged),
                    };
                    // A batch commits after the one before it, and not at all when that one failed
                    // (the run ends with that batch's error; this one's files are adopted next run).
                    let in_order = previous.is_none_or(|p| p.blocking_recv().unwrap_or(false));
                    let committed =
                        match written {
                            Ok(_) if !in_order => Err(MirrorError::Invalid("an earlier page was not committed".into())),
                            Ok(written) => commit_page(&dir, &index, run, &keep, &matched, &written)
                                .map(|()| Committed { written, kept: keep.len(), matched }),
                            Err(e) => Err(e),
                        };
                    let _ = done.send(committed.is_ok());
                    committed
                });
            finish.await.map_err(|e| MirrorError::Invalid(format!("the file writer failed: {e}")))?
        });
        Writing { writer }
    }

    /// [`Writing::start`] for the last batch of a listing: no batch waits for it.
    pub(super) fn last(
        dir: &Path,
        index: &Index,
        run: u64,
        batch: Batch,
        previous: Option<tokio::sync::oneshot::Receiver<bool>>,
    ) -> Writing {
        let (done, _) = tokio::sync::oneshot::channel();
        Writing::start(dir, index, run, batch, previous, done)
    }

    /// Waits for the batch's files and rows, then counts them in the summary.
    pub(super) async fn store(self, rep: &dyn SyncReporter, summary: &mut SyncSummary) -> Result<(), MirrorError> {
        let c = self.writer.await.map_err(|e| MirrorError::Invalid(format!("the file writer failed: {e}")))??;
        for note in &c.written.notes {
            rep.note(note);
        }
        for _ in 0..c.kept {
            summary.unchanged += 1;
            rep.object_done(0);
        }
        for (row, bytes, downloaded, action) in &c.written.rows {
            summary.bytes += bytes;
            rep.object_done(*bytes);
            if c.matched.contains_key(&row.id) {
                summary.rematched += 1;
                continue;
            }
            match (downloaded, action) {
                (_, Action::Rewrite { moved: true }) => summary.moved += 1,
                (true, _) => summary.downloaded += 1,
                _ => summary.updated += 1,
            }
        }
        Ok(())
    }
}

/// One written page into the index, as one transaction (its files are durable already), then
/// the old names its files replace are removed (only once the rows naming the new ones are).
/// Runs on the blocking pool; the listing reads through its own connection, so it never sees
/// half a page.
fn commit_page(
    dir: &Path,
    index: &Index,
    run: u64,
    keep: &[String],
    matched: &HashMap<String, String>,
    written: &super::objects::Written,
) -> Result<(), MirrorError> {
    index.begin()?;
    let rows = || -> Result<(), MirrorError> {
        for id in keep {
            index.mark_seen(id, run)?;
        }
        for (row, ..) in &written.rows {
            index.upsert_object(row, run)?;
            if let Some(old) = matched.get(&row.id) {
                index.delete_object(old)?;
            }
        }
        Ok(())
    };
    if let Err(e) = rows() {
        // The connection is the run's own: leave it without half a page.
        let _ = index.rollback();
        return Err(e);
    }
    index.commit()?;
    for rel in &written.old_files {
        match std::fs::remove_file(abs(dir, rel)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(MirrorError::io(format!("cannot remove {rel}"), e)),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Object;

    /// A page of one new object (`id`) in `folder`, with a one-line text part.
    fn page(id: &str, folder: &str) -> PreparedPage {
        page_of(&[id], folder)
    }

    /// A page of new objects `ids` in `folder`, each with a one-line text part.
    fn page_of(ids: &[&str], folder: &str) -> PreparedPage {
        let write = ids
            .iter()
            .map(|id| {
                let work = Work {
                    id: (*id).into(),
                    object: Object::default(),
                    folder: folder.into(),
                    known: None,
                    action: Action::Download,
                };
                let part =
                    PartBytes { content_type: "text/plain".into(), bytes: b"hello".to_vec(), ..PartBytes::default() };
                (work, vec![part], true)
            })
            .collect();
        PreparedPage { keep: Vec::new(), write, matched: HashMap::new() }
    }

    fn dirs() -> Arc<HashMap<String, String>> {
        Arc::new([("F".to_string(), "f".to_string())].into())
    }

    /// A mirror with folder `F` in directory `f`, and its index.
    fn mirror() -> (tempfile::TempDir, Index) {
        let dir = tempfile::tempdir().expect("tempdir");
        super::super::fsio::make_maildir(&dir.path().join("f")).expect("maildir");
        std::fs::create_dir(dir.path().join(".cpmctl")).expect("meta dir");
        let index = Index::open(dir.path()).expect("index");
        (dir, index)
    }

    /// A batch of `pages`, each staged as it is taken in.
    fn batch_of(dir: &Path, pages: Vec<PreparedPage>) -> Batch {
        let mut batch = Batch::new(BATCH_PAGES, 1024);
        for p in pages {
            for part in Staging::start(dir, &dirs(), p, 1024) {
                batch.absorb(part);
            }
            batch.end_page();
        }
        batch
    }

    /// Starts one batch per page, chained as a listing does: each commits after the one before.
    fn start_all(dir: &Path, index: &Index, pages: Vec<PreparedPage>) -> Vec<Writing> {
        let mut previous = None;
        pages
            .into_iter()
            .map(|p| {
                let (done, next) = tokio::sync::oneshot::channel();
                Writing::start(dir, index, 1, batch_of(dir, vec![p]), previous.replace(next), done)
            })
            .collect()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn pages_commit_in_order_and_none_after_a_page_that_failed() {
        let (dir, index) = mirror();
        let mut summary = SyncSummary::default();
        for w in start_all(dir.path(), &index, vec![page("a", "F"), page("b", "F")]) {
            w.store(&super::super::Quiet, &mut summary).await.expect("stored");
        }
        assert_eq!(summary.downloaded, 2);
        assert!(index.object("a").expect("read").is_some() && index.object("b").expect("read").is_some());

        // The first page cannot be written (its folder is unknown): the one after it, written
        // fine, is not committed either, and says why.
        let pages = start_all(dir.path(), &index, vec![page("c", "nowhere"), page("d", "F")]);
        let results: Vec<_> = futures::future::join_all(pages.into_iter().map(|w| async {
            let mut s = SyncSummary::default();
            w.store(&super::super::Quiet, &mut s).await.map_err(|e| e.to_string())
        }))
        .await;
        assert!(results[0].as_ref().is_err_and(|e| e.contains("unknown folder")), "{results:?}");
        assert!(results[1].as_ref().is_err_and(|e| e.contains("earlier page")), "{results:?}");
        assert!(index.object("d").expect("read").is_none(), "a page after a failed one was committed");
    }

    /// A page's files are staged as soon as it is taken in, before its batch is full: they
    /// exist (unnamed) while the batch gathers, and are named, with their rows committed,
    /// only when the batch is written.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_page_is_staged_before_its_batch_is_written() {
        let (dir, index) = mirror();
        let mut parts = Staging::start(dir.path(), &dirs(), page_of(&["a", "b"], "F"), 1024);
        assert_eq!(parts.len(), 1);
        let part = parts.remove(0);
        let staged = part.task.await.expect("joined").expect("staged");
        assert_eq!(staged.len(), 2, "staged while no batch is written");
        let cur = dir.path().join("f/cur");
        assert_eq!(std::fs::read_dir(&cur).expect("cur").count(), 0, "named before the batch is written");
        assert!(index.object("a").expect("read").is_none());

        let part = Staging {
            task: tokio::task::spawn_blocking(move || Ok(staged)),
            keep: Vec::new(),
            matched: HashMap::new(),
            files: 2,
            bytes: 10,
        };
        let mut batch = Batch::new(0, 1024);
        batch.absorb(part);
        batch.end_page();
        let mut summary = SyncSummary::default();
        Writing::last(dir.path(), &index, 1, batch, None)
            .store(&super::super::Quiet, &mut summary)
            .await
            .expect("stored");
        assert_eq!(std::fs::read_dir(&cur).expect("cur").count(), 2);
        assert!(index.object("a").expect("read").is_some() && index.object("b").expect("read").is_some());
    }

    /// Pages gather into one batch up to BATCH_PAGES pages, or fewer when their payloads reach
    /// BATCH_BYTES or their files the budget of staged files; a batch keeps every page's objects.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn pages_gather_into_a_batch_until_it_has_enough_pages_bytes_or_files() {
        let (dir, _index) = mirror();
        let take = |batch: &mut Batch, p: PreparedPage| {
            for part in Staging::start(dir.path(), &dirs(), p, 1024) {
                batch.absorb(part);
            }
            batch.end_page();
        };
        let mut batch = Batch::new(BATCH_PAGES, 1024);
        let mut n = 0;
        while !batch.is_full() {
            take(&mut batch, page(&format!("p{n}"), "F"));
            n += 1;
        }
        assert_eq!(n, BATCH_PAGES);
        assert_eq!(batch.files, BATCH_PAGES);

        let big = |id: &str| {
            let mut p = page(id, "F");
            p.write[0].1[0].bytes = vec![0; BATCH_BYTES / 2];
            p
        };
        let mut batch = Batch::new(BATCH_PAGES, 1024);
        take(&mut batch, big("b0"));
        assert!(!batch.is_full());
        take(&mut batch, big("b1"));
        assert!(batch.is_full(), "two halves of the byte budget");
        assert_eq!(batch.files, 2);

        let mut batch = Batch::new(BATCH_PAGES, 3);
        take(&mut batch, page_of(&["f0", "f1"], "F"));
        assert!(!batch.is_full());
        let next = Staging::start(dir.path(), &dirs(), page_of(&["f2", "f3"], "F"), 3);
        assert!(!batch.fits(&next[0]), "four staged files in a batch of at most three");
        take(&mut batch, page("f4", "F"));
        assert!(batch.is_full(), "three files, its budget");
    }

    /// The first batches of a listing are full sooner: the first files are named and shown
    /// instead of waiting for five pages.
    #[test]
    fn the_first_batches_of_a_listing_are_smaller() {
        let pages_until_full = |nth: usize| {
            let mut batch = Batch::new(nth, 1024);
            let mut n = 0;
            while !batch.is_full() {
                batch.end_page();
                n += 1;
            }
            n
        };
        let sizes: Vec<usize> = (0..7).map(pages_until_full).collect();
        assert_eq!(sizes, [1, 2, 3, 4, 5, 5, 5]);
    }

    /// A page with more files than may be staged at once is staged in parts that together hold
    /// every object once, in order, each with the correlation matches of its own objects; what
    /// is only marked as seen goes with the first part, and a page with nothing to write is one
    /// part.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_page_over_the_budget_is_staged_in_parts_that_keep_every_object_and_its_match() {
        let (dir, _index) = mirror();
        let ids: Vec<String> = (0..251).map(|i| format!("o{i}")).collect();
        let mut p = page_of(&ids.iter().map(String::as_str).collect::<Vec<_>>(), "F");
        p.keep = vec!["kept".into()];
        p.matched = [("o7".to_string(), "old7".to_string()), ("o240".to_string(), "old240".to_string())].into();
        let parts = Staging::start(dir.path(), &dirs(), p, 100);
        assert_eq!(parts.iter().map(|s| s.files).collect::<Vec<_>>(), [100, 100, 51]);
        assert_eq!(parts.iter().map(|s| s.keep.len()).collect::<Vec<_>>(), [1, 0, 0]);
        assert_eq!(parts[0].matched.get("o7").map(String::as_str), Some("old7"));
        assert_eq!(parts[2].matched.get("o240").map(String::as_str), Some("old240"));
        assert_eq!(parts.iter().map(|s| s.matched.len()).sum::<usize>(), 2);
        let mut staged_ids = Vec::new();
        for part in parts {
            let staged = part.task.await.expect("joined").expect("staged");
            staged_ids.extend(staged.iter().map(|s| s.row.id.clone()));
        }
        assert_eq!(staged_ids, ids);

        let empty = PreparedPage { keep: vec!["k".into()], write: Vec::new(), matched: HashMap::new() };
        let parts = Staging::start(dir.path(), &dirs(), empty, 100);
        assert_eq!((parts.len(), parts[0].files, parts[0].keep.len()), (1, 0, 1));
    }
}
