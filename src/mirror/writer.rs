//! The page writer of a listing: a page's files (or a batch of pages of small objects) written
//! and made durable, then its rows committed as one index transaction, on the blocking pool;
//! pages commit in listing order, and none after a page that failed.

use std::collections::HashMap;
use std::path::Path;

use super::fsio::abs;
use super::index::Index;
use super::objects::{Work, write_page};
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

/// Pages of the listing gathered to be written as one: each write costs a flush of the file
/// system, a sync of each directory it named files in, and an index commit whose WAL frames are
/// the index pages it touched (with random ids, most of them), so a first-time sync of 10,000
/// small objects written page by page (200 objects) wrote 35 MB of WAL for a 4 MB index.
///
/// The first batches of a listing are smaller ([`Batch::new`]): while the first one gathers,
/// nothing is being written, and the core the writer would use is idle.
pub(super) struct Batch {
    page: PreparedPage,
    pages: usize,
    /// Pages at which it is full.
    want: usize,
    bytes: usize,
    since: std::time::Instant,
}

impl Batch {
    /// The listing's batch number `nth` (from 0), starting with `page`: the first is written
    /// with one page, the next with two, and so on up to [`BATCH_PAGES`].
    pub(super) fn new(page: PreparedPage, nth: usize) -> Batch {
        let bytes = payload_bytes(&page);
        let want = nth.saturating_add(1).min(BATCH_PAGES);
        Batch { page, pages: 1, want, bytes, since: std::time::Instant::now() }
    }

    /// Takes in the next page of the listing.
    pub(super) fn absorb(&mut self, next: PreparedPage) {
        self.pages += 1;
        self.bytes += payload_bytes(&next);
        self.page.keep.extend(next.keep);
        self.page.write.extend(next.write);
        self.page.matched.extend(next.matched);
    }

    /// Whether to write it now: its pages (see [`Batch::new`]), [`BATCH_BYTES`] of payload
    /// (which bounds the memory batching adds: pages of big objects are written one at a time),
    /// or its first page waited [`BATCH_WAIT`] (a slow listing is written, and shown, page by
    /// page).
    pub(super) fn is_full(&self) -> bool {
        self.pages >= self.want || self.bytes >= BATCH_BYTES || self.since.elapsed() >= BATCH_WAIT
    }

    pub(super) fn into_page(self) -> PreparedPage {
        self.page
    }

    /// The last batch of a listing, in up to `n` parts of at least [`MIN_PART`] objects, to be
    /// written at once: nothing is listed or downloaded any more, and one writer alone would
    /// leave the other cores idle while the run waits for it.
    pub(super) fn into_parts(self, n: usize) -> Vec<PreparedPage> {
        let PreparedPage { keep, mut write, mut matched } = self.page;
        let n = n.clamp(1, (write.len() / MIN_PART).max(1));
        let size = write.len().div_ceil(n).max(1);
        let mut parts = Vec::with_capacity(n);
        while write.len() > size {
            let rest = write.split_off(size);
            parts.push(std::mem::replace(&mut write, rest));
        }
        parts.push(write);
        let mut keep = Some(keep);
        parts
            .into_iter()
            .map(|write| {
                // Each part's correlation matches go with its objects (a match is committed, and
                // its old row deleted, with the object it matched).
                let mine = write.iter().filter_map(|(w, ..)| matched.remove_entry(&w.id)).collect();
                PreparedPage { keep: keep.take().unwrap_or_default(), write, matched: mine }
            })
            .collect()
    }
}

/// The fewest objects a part of [`Batch::into_parts`] has: below it, a second flush and commit
/// cost more than a second writer saves.
const MIN_PART: usize = 100;

fn payload_bytes(page: &PreparedPage) -> usize {
    page.write.iter().flat_map(|(_, parts, _)| parts).map(|p| p.bytes.len()).sum()
}

/// Most pages written as one batch (1,000 objects at the default page size).
pub(super) const BATCH_PAGES: usize = 5;

/// Payload bytes from which a batch is written, however few pages it has.
pub(super) const BATCH_BYTES: usize = 8 << 20;

/// How long a batch's first page waits for more pages at most.
pub(super) const BATCH_WAIT: std::time::Duration = std::time::Duration::from_millis(250);

/// Pages whose files are being written at once. A page's write is mostly waiting on the disk
/// (its flush, then the sync of the directories it named files in), and it took longer than
/// listing and downloading the next page: with one writer the downloads waited for the disk.
/// Two let the next page's files be written while the disk flushes this one's.
pub(super) const WRITERS: usize = 2;

/// A page whose files are being written, then its rows committed, on the blocking pool.
pub(super) struct Writing {
    writer: tokio::task::JoinHandle<Result<Committed, MirrorError>>,
}

/// A page whose files are durable under their final names and whose rows are committed.
struct Committed {
    written: super::objects::Written,
    /// Objects only marked as seen.
    kept: usize,
    /// New id → the index row it was matched to by correlation (deleted in the same commit).
    matched: HashMap<String, String>,
}

impl Writing {
    /// Starts writing a page's files and committing its rows, on the blocking pool. The commit
    /// waits for `previous` (the page before it): pages commit in listing order. `done` says
    /// whether this one committed, for the page after it.
    pub(super) fn start(
        dir: &Path,
        dirs: &HashMap<String, String>,
        index: &Index,
        run: u64,
        page: PreparedPage,
        previous: Option<tokio::sync::oneshot::Receiver<bool>>,
        done: tokio::sync::oneshot::Sender<bool>,
    ) -> Writing {
        let (dir, dirs, index) = (dir.to_path_buf(), dirs.clone(), index.clone());
        let PreparedPage { keep, write, matched } = page;
        let writer = tokio::task::spawn_blocking(move || {
            let written = write_page(&dir, &dirs, write);
            // A page commits after the one before it, and not at all when that one failed (the
            // run ends with that page's error; this page's files are adopted by the next run).
            let in_order = previous.is_none_or(|p| p.blocking_recv().unwrap_or(false));
            let committed = match written {
                Ok(_) if !in_order => Err(MirrorError::Invalid("an earlier page was not committed".into())),
                Ok(written) => commit_page(&dir, &index, run, &keep, &matched, &written).map(|()| Committed {
                    written,
                    kept: keep.len(),
                    matched,
                }),
                Err(e) => Err(e),
            };
            let _ = done.send(committed.is_ok());
            committed
        });
        Writing { writer }
    }

    /// [`Writing::start`] for the last page of a listing: no page waits for it.
    pub(super) fn last(
        dir: &Path,
        dirs: &HashMap<String, String>,
        index: &Index,
        run: u64,
        page: PreparedPage,
        previous: Option<tokio::sync::oneshot::Receiver<bool>>,
    ) -> Writing {
        let (done, _) = tokio::sync::oneshot::channel();
        Writing::start(dir, dirs, index, run, page, previous, done)
    }

    /// Waits for the page's files and rows, then counts them in the summary.
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
        let work = Work {
            id: id.into(),
            object: Object::default(),
            folder: folder.into(),
            known: None,
            action: Action::Download,
        };
        let part = PartBytes { content_type: "text/plain".into(), bytes: b"hello".to_vec(), ..PartBytes::default() };
        PreparedPage { keep: Vec::new(), write: vec![(work, vec![part], true)], matched: HashMap::new() }
    }

    /// Starts `pages` chained as a listing does: each commits after the one before it.
    fn start_all(dir: &Path, index: &Index, pages: Vec<PreparedPage>) -> Vec<Writing> {
        let dirs: HashMap<String, String> = [("F".to_string(), "f".to_string())].into();
        let mut previous = None;
        pages
            .into_iter()
            .map(|p| {
                let (done, next) = tokio::sync::oneshot::channel();
                Writing::start(dir, &dirs, index, 1, p, previous.replace(next), done)
            })
            .collect()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn pages_commit_in_order_and_none_after_a_page_that_failed() {
        let dir = tempfile::tempdir().expect("tempdir");
        super::super::fsio::make_maildir(&dir.path().join("f")).expect("maildir");
        std::fs::create_dir(dir.path().join(".cpmctl")).expect("meta dir");
        let index = Index::open(dir.path()).expect("index");
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

    /// Pages gather into one batch up to BATCH_PAGES pages, or fewer when their payloads reach
    /// BATCH_BYTES; a batch keeps every page's objects.
    #[test]
    fn pages_gather_into_a_batch_until_it_has_enough_pages_or_bytes() {
        let mut batch = Batch::new(page("p0", "F"), BATCH_PAGES);
        let mut n = 1;
        while !batch.is_full() {
            batch.absorb(page(&format!("p{n}"), "F"));
            n += 1;
        }
        assert_eq!(n, BATCH_PAGES);
        assert_eq!(batch.into_page().write.len(), BATCH_PAGES);

        let big = |id: &str| {
            let mut p = page(id, "F");
            p.write[0].1[0].bytes = vec![0; BATCH_BYTES / 2];
            p
        };
        let mut batch = Batch::new(big("b0"), BATCH_PAGES);
        assert!(!batch.is_full());
        batch.absorb(big("b1"));
        assert!(batch.is_full(), "two halves of the byte budget");
        assert_eq!(batch.into_page().write.len(), 2);
    }

    /// The first batches of a listing are full sooner: the writer starts with the first page
    /// instead of idling while five are listed and downloaded.
    #[test]
    fn the_first_batches_of_a_listing_are_smaller() {
        let pages_until_full = |nth: usize| {
            let mut batch = Batch::new(page("p0", "F"), nth);
            let mut n = 1;
            while !batch.is_full() {
                batch.absorb(page(&format!("p{n}"), "F"));
                n += 1;
            }
            n
        };
        let sizes: Vec<usize> = (0..7).map(pages_until_full).collect();
        assert_eq!(sizes, [1, 2, 3, 4, 5, 5, 5]);
    }

    /// The last batch splits into parts that together hold every object once, each with the
    /// correlation matches of its own objects; a small one stays whole.
    #[test]
    fn the_last_batch_splits_into_parts_that_keep_every_object_and_its_match() {
        let mut batch = Batch::new(page("o0", "F"), 0);
        for i in 1..250 {
            batch.absorb(page(&format!("o{i}"), "F"));
        }
        let mut extra = page("o250", "F");
        extra.keep = vec!["kept".into()];
        extra.matched = [("o7".to_string(), "old7".to_string()), ("o240".to_string(), "old240".to_string())].into();
        batch.absorb(extra);
        let parts = batch.into_parts(2);
        assert_eq!(parts.len(), 2);
        let ids: Vec<String> = parts.iter().flat_map(|p| p.write.iter().map(|(w, ..)| w.id.clone())).collect();
        assert_eq!(ids, (0..=250).map(|i| format!("o{i}")).collect::<Vec<_>>());
        for p in &parts {
            for (id, old) in &p.matched {
                assert!(p.write.iter().any(|(w, ..)| &w.id == id), "{id} -> {old} is in another part");
            }
        }
        assert_eq!(parts.iter().map(|p| p.matched.len()).sum::<usize>(), 2);
        assert_eq!(parts.iter().map(|p| p.keep.len()).sum::<usize>(), 1);

        let mut small = Batch::new(page("s0", "F"), 0);
        small.absorb(page("s1", "F"));
        assert_eq!(small.into_parts(2).len(), 1, "two objects are not worth a second flush");
    }
}
