//! The pull: the store's folders and objects into the mirror, reconciling against the index
//! (first time and every later run alike: a full listing, streamed page by page). Each page (or
//! batch of pages of small objects) is one index transaction, written after its files (file
//! first, then row), so a crash at any point leaves files the next run adopts or replaces, never
//! a row without its file.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;

use super::downloads::{AbortOnDrop, Downloads, PageDownloads};
use super::fsio::{self, abs};
use super::index::{FolderRow, Index, ObjectRow};
use super::layout::is_safe_rel;
use super::objects::{Work, attr, intact, known_of, local_parts, remote_of};
use super::plan::{self, Action};
use super::replay;
use super::store::{self, Tree};
use super::sweep::sweep;
use super::writer::{Batch, PreparedPage, Staging, WRITERS, Writing};
use super::{MirrorError, SyncOptions, SyncReporter, SyncSummary};
use crate::nms::{NmsClient, id_from_url};
use crate::wire::{Object, SelectionCriteria, names};

/// The NMS base a mirror belongs to, without credentials.
pub fn mirror_identity(client: &NmsClient) -> String {
    let mut u = client.base_url().clone();
    // Best effort: URLs that cannot carry credentials have none to strip.
    let _ = u.set_username("");
    let _ = u.set_password(None);
    u.to_string()
}

/// Refuses a mirror of another server, store or box.
pub(crate) fn check_identity(index: &Index, dir: &Path, want: &str) -> Result<(), MirrorError> {
    match index.meta("nms_base")? {
        Some(have) if have != want => {
            Err(MirrorError::WrongBox { dir: dir.display().to_string(), have, want: want.to_string() })
        }
        _ => Ok(()),
    }
}

/// Runs one sync of `opts.dir` against the client's box.
pub async fn sync(client: &NmsClient, opts: &SyncOptions, rep: &dyn SyncReporter) -> Result<SyncSummary, MirrorError> {
    sync_until(client, opts, rep, None).await
}

/// [`sync`], then with `opts.watch` (and a `stop`) stays on the notification channel, applying
/// each change list as it arrives, until `stop` is notified: the list in hand is finished and
/// committed first (`interrupted` is then set in the summary). The lock is held throughout.
pub async fn sync_until(
    client: &NmsClient,
    opts: &SyncOptions,
    rep: &dyn SyncReporter,
    stop: Option<&tokio::sync::Notify>,
) -> Result<SyncSummary, MirrorError> {
    let started = Instant::now();
    let dir = opts.dir.as_path();
    let identity = mirror_identity(client);
    let mut summary = SyncSummary { dry_run: opts.dry_run, ..Default::default() };
    if opts.dry_run {
        let index = Index::open_read_only(dir)?;
        if let Some(ix) = &index {
            check_identity(ix, dir, &identity)?;
        }
        summary.first_time = index.is_none() || opts.resync;
        if let Some(ix) = index.as_ref().filter(|_| !opts.pull_only) {
            let changes = super::push::scan(dir, ix, &replay::tree_of(ix)?)?;
            super::push::plan_counts(&changes, opts, ix.count_objects()?, &mut summary)?;
        }
        if !opts.push_only {
            dry_run(client, index.as_ref(), opts, &mut summary).await?;
        }
        summary.seconds = started.elapsed().as_secs_f64();
        return Ok(summary);
    }
    let meta_dir = dir.join(".cpmctl");
    std::fs::create_dir_all(&meta_dir)
        .map_err(|e| MirrorError::io(format!("cannot create {}", meta_dir.display()), e))?;
    let _lock = super::lock::Lock::acquire(dir)?;
    // A killed run's channel and subscription count against the user's limit until they
    // expire: ours are deleted before this run makes its own (the lock says none is in use).
    let swept = super::leftovers::sweep(client, &super::leftovers::correlator(dir)).await;
    if swept > 0 {
        rep.note(&format!("deleted {swept} notification channel(s) and subscription(s) an interrupted run left"));
    }
    let fresh = !super::index::path_in(dir).exists();
    let index = Index::open(dir)?;
    check_identity(&index, dir, &identity)?;
    index.set_meta("nms_base", &identity)?;
    once(client, opts, rep, &index, fresh, opts.resync, &mut summary).await?;
    let (Some(stop), true) = (stop, opts.watch) else {
        summary.seconds = started.elapsed().as_secs_f64();
        return Ok(summary);
    };
    let mut escapes = 0u32;
    loop {
        let held = held_back(dir, &index, opts, rep)?;
        match replay::follow(client, &index, opts, rep, &mut summary, stop, &held).await? {
            replay::Followed::Stopped => break,
            replay::Followed::Escape(reason) => {
                // Caught up again the way a plain run would (a replay, or a reconciling listing),
                // after a pause that grows while escapes keep coming (no busy loop against a
                // store that keeps refusing), cut short by a stop.
                escapes = escapes.saturating_add(1);
                rep.note(&format!("{reason}: catching up before watching again"));
                let pause = Duration::from_millis(250u64.saturating_mul(1 << escapes.min(7)));
                tokio::select! {
                    _ = stop.notified() => break,
                    _ = tokio::time::sleep(pause) => {}
                }
                once(client, opts, rep, &index, false, false, &mut summary).await?;
            }
        }
    }
    summary.interrupted = true;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// One catch-up with the index open and the lock held: push, then replay or list.
async fn once(
    client: &NmsClient,
    opts: &SyncOptions,
    rep: &dyn SyncReporter,
    index: &Index,
    fresh: bool,
    resync: bool,
    summary: &mut SyncSummary,
) -> Result<(), MirrorError> {
    let dir = opts.dir.as_path();
    summary.first_time |= fresh || resync || index.meta("complete")?.is_none();
    let first_time = fresh || resync || index.meta("complete")?.is_none();
    // Every run has its own number; rows not stamped with it by the end are gone from the store.
    let run = index.meta("run")?.and_then(|r| r.parse::<u64>().ok()).unwrap_or(0) + 1;
    index.set_meta("run", &run.to_string())?;
    // Temp files of a run killed part-way (every run, not only listings: a killed replay leaves
    // them too, and a replay does not visit the folders).
    for f in index.folders()? {
        if is_safe_rel(&f.dir) {
            fsio::clean_tmp(&abs(dir, &f.dir));
        }
    }

    // `--pull-only`: files renamed in the mirror stay as they are, for a later push.
    let held = if fresh { HashSet::new() } else { held_back(dir, index, opts, rep)? };
    // The mirror's own changes go first: the pull after them then sees the merged state.
    if !opts.pull_only && !fresh {
        let tree = replay::tree_of(index)?;
        super::push::push(client, index, &tree, opts, run, rep, summary).await?;
    }
    if opts.push_only {
        summary.mode = "push";
        return Ok(());
    }
    // Steady state: replay the change log since the stored token; on anything it cannot follow
    // exactly, escape to the reconciling listing below (no manual --resync, nothing wiped).
    if !first_time && let Some(token) = index.meta("restart_token")? {
        let quiet = Duration::from_millis(opts.quiet_ms);
        match replay::replay(client, index, opts, token, quiet, rep, summary, &held).await? {
            replay::Outcome::Applied => {
                summary.mode = "replay";
                // A killed run may have left an old name behind (its row already names the
                // new one) or a file whose row it never committed: the replay does not visit
                // the folders, so they are swept here as after a listing.
                sweep(dir, index, &replay::tree_of(index)?.folders, opts, rep, summary, &held)?;
                return Ok(());
            }
            replay::Outcome::Escape(reason) => {
                rep.note(&format!("{reason}: falling back to a full reconciling sync (local files are kept)"));
                summary.escaped = true;
            }
        }
    }
    summary.mode = "listing";
    // The position before the listing: changes made while it runs are replayed next time.
    let token = replay::current_token(client, opts).await?;
    // The listing's first pages are read while the folder tree is walked (both after the token:
    // an object in a folder the walk missed is skipped, and the run is not complete).
    let criteria = SelectionCriteria { max_entries: opts.page_size.max(1), ..Default::default() };
    let pages = ahead(client.search_stream(criteria), PAGES_AHEAD);
    let tree = store::folder_tree(client).await?;
    let created = apply_folders(dir, index, &tree, run, summary)?;
    // A re-listing visits every object the mirror has: its size is the best total known (a
    // first listing has none; the store does not say how many objects a search will return).
    let known = index.count_objects()?;
    if known > 0 {
        rep.expect(known);
    }

    let complete = pull_objects(client, dir, index, &tree, pages, opts, run, rep, summary, &held).await?;
    if plan::deletions_allowed(complete, 1) > 0 {
        // The guard runs before anything is deleted; a refused run keeps every file and does
        // not store the token, so the next run reconciles again.
        let (would, total) = (index.count_unseen(run)?, index.count_objects()?);
        let allowed = opts.max_delete.allowed(total);
        if would > allowed {
            return Err(MirrorError::DeleteGuard { would, allowed, total, side: "store no longer has" });
        }
        delete_unseen(dir, index, &tree, opts, run, summary)?;
        // A complete listing fetched every object it does not hold: none of those is stale.
        let stale: Vec<String> = index.stale()?.into_iter().filter(|id| !held.contains(id)).collect();
        index.clear_stale(&stale)?;
        index.set_meta("complete", &jiff::Timestamp::now().to_string())?;
        match &token {
            Some(t) => index.set_meta("restart_token", t)?,
            None => index.delete_meta("restart_token")?,
        }
    }
    // A folder whose `cur/` this run made holds only the files it wrote (each named by a row)
    // and any a user dropped in meanwhile (left for the next run's push): nothing to sweep, and
    // on a first sync that is every folder (a read of every file name of the mirror saved).
    let old = tree.folders.iter().filter(|f| !created.contains(&f.id));
    sweep(dir, index, old, opts, rep, summary, &held)?;
    Ok(())
}

/// With `--pull-only`, the objects whose file was renamed in the mirror (a mail client changing
/// its flags): the pull leaves those files as they are (no push now, no rewrite under the
/// store's letters, no sweep into the trash), so the next sync that pushes still sees the
/// rename and pushes it. Empty without `--pull-only`.
fn held_back(
    dir: &Path,
    index: &Index,
    opts: &SyncOptions,
    rep: &dyn SyncReporter,
) -> Result<HashSet<String>, MirrorError> {
    if !opts.pull_only {
        return Ok(HashSet::new());
    }
    let renamed = super::push::scan(dir, index, &replay::tree_of(index)?)?.renamed;
    if !renamed.is_empty() {
        rep.note(&format!(
            "{} file(s) renamed in the mirror kept as they are; --pull-only: their flags are pushed by a later sync",
            renamed.len()
        ));
    }
    Ok(renamed.into_iter().map(|r| r.row.id).collect())
}

/// Creates, moves and records the folder directories; folders gone from the store are removed
/// after the objects (their files may move elsewhere first). Returns the folders whose `cur/`
/// it made.
fn apply_folders(
    dir: &Path,
    index: &Index,
    tree: &Tree,
    run: u64,
    summary: &mut SyncSummary,
) -> Result<HashSet<String>, MirrorError> {
    let mut created = HashSet::new();
    let mut known: HashMap<String, FolderRow> = index.folders()?.into_iter().map(|f| (f.id.clone(), f)).collect();
    index.begin()?;
    for f in &tree.folders {
        if !is_safe_rel(&f.dir) {
            return Err(MirrorError::Invalid(format!("unsafe directory {:?} for folder {}", f.dir, f.path)));
        }
        let target = abs(dir, &f.dir);
        fsio::refuse_symlinks(dir, &f.dir)?;
        match known.get(&f.id).map(|k| k.dir.clone()) {
            Some(old) if old != f.dir && is_safe_rel(&old) && !old.is_empty() && abs(dir, &old).is_dir() => {
                if target.exists() {
                    return Err(MirrorError::Invalid(format!(
                        "cannot move folder {} to {}: the directory is taken",
                        old, f.dir
                    )));
                }
                if let Some(parent) = target.parent() {
                    std::fs::create_dir_all(parent).map_err(|e| MirrorError::io("cannot create a folder", e))?;
                }
                std::fs::rename(abs(dir, &old), &target)
                    .map_err(|e| MirrorError::io(format!("cannot move {old} to {}", f.dir), e))?;
                index.move_files_prefix(&old, &f.dir)?;
                // Descendants moved with it: their recorded dirs follow.
                let prefix = format!("{old}/");
                for k in known.values_mut() {
                    if let Some(rest) = k.dir.strip_prefix(&prefix) {
                        k.dir = format!("{}/{rest}", f.dir);
                    }
                }
                summary.folders_moved += 1;
            }
            Some(_) => {}
            None => summary.folders_created += u64::from(!f.dir.is_empty()),
        }
        if fsio::make_maildir(&target)? {
            created.insert(f.id.clone());
        }
        fsio::clean_tmp(&target);
        let row = FolderRow {
            id: f.id.clone(),
            dir: f.dir.clone(),
            parent: f.parent.clone(),
            name: f.name.clone(),
            path: f.path.clone(),
            last_mod_seq: None,
        };
        // A folder that moved away frees its old dir: drop rows that would clash on `dir`.
        for (id, k) in &known {
            if k.dir == f.dir && *id != f.id && tree.get(id).is_none() {
                index.delete_folder(id)?;
            }
        }
        index.upsert_folder(&row, run)?;
    }
    index.commit()?;
    Ok(created)
}

/// Search pages requested ahead of the one being downloaded (each is a few hundred objects'
/// metadata in memory): the listing's round trips overlap the downloads instead of separating
/// them.
const PAGES_AHEAD: usize = 2;

/// `pages` read by a task of its own, up to `depth` pages ahead of the consumer; the task ends
/// when the returned stream is dropped (its channel closes, or it is aborted then).
fn ahead<T: Send + 'static>(
    mut pages: impl futures::Stream<Item = T> + Send + Unpin + 'static,
    depth: usize,
) -> impl futures::Stream<Item = T> + Unpin {
    let (tx, mut rx) = tokio::sync::mpsc::channel(depth.max(1));
    let task = tokio::spawn(async move {
        while let Some(p) = pages.next().await {
            if tx.send(p).await.is_err() {
                break;
            }
        }
    });
    let guard = AbortOnDrop(task);
    futures::stream::poll_fn(move |cx| {
        // The guard lives as long as the stream.
        let _ = &guard;
        rx.poll_recv(cx)
    })
}

/// The listing, page by page, pipelined: as soon as a page's payloads are in, its files are
/// rendered and staged on the blocking pool (see [`Staging`]) while the next page is listed and
/// its payloads downloaded (by a task of their own, see [`Downloads`]); pages gather into
/// batches (see [`Batch`]), each made durable, named and committed as one index transaction
/// on the blocking pool, up to [`WRITERS`] at once, in listing order, after its files are
/// durable under their final names. The listing reads the index through a connection of its
/// own: it sees committed pages only, and never waits for a commit.
#[allow(clippy::too_many_arguments)]
async fn pull_objects(
    client: &NmsClient,
    dir: &Path,
    index: &Index,
    tree: &Tree,
    mut pages: impl futures::Stream<Item = Result<crate::wire::ObjectList, crate::nms::Error>> + Unpin,
    opts: &SyncOptions,
    run: u64,
    rep: &dyn SyncReporter,
    summary: &mut SyncSummary,
    held: &HashSet<String>,
) -> Result<bool, MirrorError> {
    let reader = index.reader()?;
    let mut lister = Lister {
        client,
        dir,
        index: &reader,
        tree,
        run,
        rep,
        complete: true,
        matched_old: Default::default(),
        held,
        any_unseen: reader.any_unseen(run)?,
        downloads: Downloads::start(client, opts.concurrency),
        ahead: None,
        started: false,
        failed: None,
    };
    // The directory of every folder, for the writers (which run off this task).
    let dirs: Arc<HashMap<String, String>> =
        Arc::new(tree.folders.iter().map(|f| (f.id.clone(), f.dir.clone())).collect());
    // Files staged at once per batch (each holds a descriptor until it is named).
    let budget = fsio::max_open_staged();
    let mut writing: std::collections::VecDeque<Writing> = std::collections::VecDeque::new();
    let mut previous = None;
    // Each page's files are staged as soon as it is in; pages gather into a batch (see
    // [`Batch`]) that is made durable, named and committed as one.
    let mut batch: Option<Batch> = None;
    let mut batches = 0;
    let mut current = lister.next_page(&mut pages).await?;
    while let Some(page) = current.take() {
        let mut full = Vec::new();
        for part in Staging::start(dir, &dirs, page, budget) {
            if batch.as_ref().is_some_and(|b| !b.fits(&part)) {
                full.extend(batch.take());
            }
            batch
                .get_or_insert_with(|| {
                    batches += 1;
                    Batch::new(batches - 1, budget)
                })
                .absorb(part);
        }
        if let Some(b) = batch.as_mut() {
            b.end_page();
        }
        if batch.as_ref().is_some_and(Batch::is_full) {
            full.extend(batch.take());
        }
        // The oldest batches once WRITERS are in hand, while the next page is listed and
        // downloaded: neither holds up the downloads.
        let mut oldest = Vec::new();
        for b in full {
            let (done, next_waits) = tokio::sync::oneshot::channel();
            writing.push_back(Writing::start(dir, index, run, b, previous.replace(next_waits), done));
            while writing.len() >= WRITERS {
                oldest.extend(writing.pop_front());
            }
        }
        let store = async {
            for w in oldest {
                w.store(rep, summary).await?;
            }
            Ok::<(), MirrorError>(())
        };
        let (stored, next) = futures::join!(store, lister.next_page(&mut pages));
        stored?;
        // A failure of the next page ends the run only after the pages in hand are written and
        // committed: their files are durable, and the next run need not redo them.
        if next.is_err() {
            if let Some(b) = batch.take() {
                writing.push_back(Writing::last(dir, index, run, b, previous.take()));
            }
            while let Some(w) = writing.pop_front() {
                w.store(rep, summary).await?;
            }
        }
        current = next?;
    }
    if let Some(b) = batch.take() {
        writing.push_back(Writing::last(dir, index, run, b, previous.take()));
    }
    while let Some(w) = writing.pop_front() {
        w.store(rep, summary).await?;
    }
    Ok(lister.complete)
}

/// The listing side of [`pull_objects`]: what it works with, and remembers across pages.
struct Lister<'a> {
    client: &'a NmsClient,
    dir: &'a Path,
    /// The listing's own connection to the index (see [`pull_objects`]).
    index: &'a Index,
    tree: &'a Tree,
    run: u64,
    rep: &'a dyn SyncReporter,
    complete: bool,
    /// Objects whose renamed file `--pull-only` leaves alone (see [`held_back`]).
    held: &'a HashSet<String>,
    /// Index rows already matched by correlation to an object of this run (not shared).
    matched_old: HashSet<String>,
    /// Whether the index had rows not seen in this run when the listing began: without any
    /// (a first sync) nothing can match by correlation, and no object is looked up for it.
    any_unseen: bool,
    /// The payload downloads, `--concurrency` at a time across pages.
    downloads: Downloads,
    /// The page after the one being finished, decided, its downloads queued behind that one's.
    ahead: Option<Decided>,
    /// Whether the first page was read.
    started: bool,
    /// A failure of the page ahead, returned after the page before it is finished.
    failed: Option<MirrorError>,
}

/// A page of the listing decided against the index, its downloads started.
struct Decided {
    work: Vec<Work>,
    matched: HashMap<String, String>,
    /// Its downloads' outcomes, once all are in.
    downloads: PageDownloads,
}

impl Lister<'_> {
    /// The next page of the listing, decided against the index, with every payload it needs
    /// downloaded; `None` after the last page. The page after it is decided first, so that its
    /// downloads start while this page's last ones are still in flight: the downloads do not
    /// drain to none at every page boundary.
    async fn next_page(
        &mut self,
        pages: &mut (impl futures::Stream<Item = Result<crate::wire::ObjectList, crate::nms::Error>> + Unpin),
    ) -> Result<Option<PreparedPage>, MirrorError> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        if !self.started {
            self.started = true;
            self.ahead = self.decide(pages).await?;
        }
        let Some(current) = self.ahead.take() else { return Ok(None) };
        // A failure of the next page is returned by the next call: this page is finished (and
        // then written) first.
        match self.decide(pages).await {
            Ok(next) => self.ahead = next,
            Err(e) => self.failed = Some(e),
        }
        self.finish(current).await.map(Some)
    }

    /// Reads the next page of the listing and decides each object against the index, starting
    /// its download when it needs one; `None` after the last page.
    async fn decide(
        &mut self,
        pages: &mut (impl futures::Stream<Item = Result<crate::wire::ObjectList, crate::nms::Error>> + Unpin),
    ) -> Result<Option<Decided>, MirrorError> {
        let (client, dir, index, tree, run, rep) = (self.client, self.dir, self.index, self.tree, self.run, self.rep);
        let Some(page) = pages.next().await else { return Ok(None) };
        let page = page?;
        let mut work = Vec::with_capacity(page.object.len());
        let mut matched = HashMap::new();
        let ids: Vec<String> = page.object.iter().filter_map(|o| o.resource_url.as_deref().map(id_from_url)).collect();
        let rows = index.objects_by_id(&ids)?;
        for o in page.object {
            let Some(url) = o.resource_url.as_deref() else { continue };
            let id = id_from_url(url);
            let Some(folder) = tree.folder_of(&o) else {
                rep.note(&format!(
                    "object {id}: its folder is not in the folder tree; skipped, nothing deleted this run"
                ));
                self.complete = false;
                continue;
            };
            let known = rows.get(&id).filter(|k| is_safe_rel(&k.file)).cloned();
            if known.is_some() && self.held.contains(&id) {
                work.push(Work { id, object: o, folder, known, action: Action::Keep });
                continue;
            }
            if known.is_none()
                && self.any_unseen
                && let Some(old) = match_by_correlation(client, dir, index, &o, run, &self.matched_old).await?
            {
                // The same message under a new id (re-created after a resetBox): its file is
                // kept (rewritten from its own payload under the new id), not downloaded again.
                matched.insert(id.clone(), old.id.clone());
                self.matched_old.insert(old.id.clone());
                let moved = old.folder != folder;
                work.push(Work { id, object: o, folder, known: Some(old), action: Action::Rewrite { moved } });
                continue;
            }
            let action = plan::decide(known.as_ref().map(|k| known_of(dir, k)).as_ref(), &remote_of(&o, &folder));
            work.push(Work { id, object: o, folder, known, action });
        }
        // Queued behind the page before (whose last downloads may still be in flight). Each
        // owns what it needs (its parts' references, not a copy of the whole object).
        let downloads = self.downloads.queue(
            work.iter()
                .filter(|w| w.action == Action::Download)
                .map(|w| (w.id.clone(), store::PayloadRefs::of(&w.object)))
                .collect(),
        );
        Ok(Some(Decided { work, matched, downloads }))
    }

    /// Waits for a decided page's downloads and gathers what is to be written.
    async fn finish(&mut self, page: Decided) -> Result<PreparedPage, MirrorError> {
        let (client, dir, rep) = (self.client, self.dir, self.rep);
        let Decided { work, matched, downloads } = page;
        // Closed only if the download task is gone: the page's objects are then fetched below.
        let mut downloads = downloads.await.unwrap_or_default();
        let mut out = PreparedPage { keep: Vec::new(), write: Vec::with_capacity(work.len()), matched };
        for w in work {
            let parts = match w.action {
                Action::Keep => {
                    out.keep.push(w.id);
                    continue;
                }
                Action::Download => match downloads.remove(&w.id) {
                    Some(Ok(p)) => Some(p),
                    // Deleted between the listing and the download: the next run sees it gone.
                    Some(Err(MirrorError::Nms(e))) if e.is_not_found() => {
                        rep.note(&format!("object {} disappeared while syncing; nothing deleted this run", w.id));
                        self.complete = false;
                        continue;
                    }
                    // Anything else ends the run with its own kind (network errors exit 5); what
                    // earlier pages wrote is committed, what this one wrote is adopted next run.
                    Some(Err(e)) => return Err(e),
                    None => None,
                },
                Action::Rewrite { .. } => local_parts(dir, w.known.as_ref()),
            };
            match parts {
                Some(p) => {
                    let downloaded = w.action == Action::Download;
                    out.write.push((w, p, downloaded));
                }
                // The local file is gone or edited: fetch it after all.
                None => {
                    let p = store::payload(client, &w.object).await?;
                    out.write.push((w, p, true));
                }
            }
        }
        Ok(out)
    }
}

/// An index row this object is, by correlation, when the store no longer has the row's own
/// object: the escape's second and third ways of matching (after the object id), by
/// correlationId, then correlationTag plus Date (a tag alone repeats for repeated texts). Only
/// a row whose file is intact and whose object is gone from the store is taken, so two objects
/// of one correlation on the store never share a file.
async fn match_by_correlation(
    client: &NmsClient,
    dir: &Path,
    index: &Index,
    o: &Object,
    run: u64,
    taken: &std::collections::HashSet<String>,
) -> Result<Option<ObjectRow>, MirrorError> {
    let date = attr(o, names::DATE);
    let candidates = if let Some(cid) = o.correlation_id.as_deref().filter(|c| !c.is_empty()) {
        index.unseen_by_correlation_id(cid, run)?
    } else if let (Some(tag), Some(date)) = (o.correlation_tag.as_deref().filter(|t| !t.is_empty()), date) {
        index.unseen_by_tag_and_date(tag, date, run)?
    } else {
        return Ok(None);
    };
    for row in candidates {
        // A row already matched to another object of this run is not shared.
        if !is_safe_rel(&row.file) || !intact(dir, &row) || taken.contains(&row.id) {
            continue;
        }
        match client.get_object(&row.id).await {
            Err(e) if e.is_not_found() => return Ok(Some(row)),
            Err(e) => return Err(e.into()),
            Ok(_) => {}
        }
    }
    Ok(None)
}

/// Objects and folders the finished listing did not see: gone from the store.
fn delete_unseen(
    dir: &Path,
    index: &Index,
    tree: &Tree,
    opts: &SyncOptions,
    run: u64,
    summary: &mut SyncSummary,
) -> Result<(), MirrorError> {
    loop {
        let batch = index.unseen_objects(run, 500)?;
        if batch.is_empty() {
            break;
        }
        index.begin()?;
        for o in &batch {
            if is_safe_rel(&o.file) {
                fsio::discard(dir, &abs(dir, &o.file), opts.no_trash)?;
            }
            index.delete_object(&o.id)?;
            summary.deleted += 1;
        }
        index.commit()?;
    }
    // Deepest first, so a parent is looked at after its children are gone.
    let mut gone: Vec<FolderRow> = index.folders()?.into_iter().filter(|f| tree.get(&f.id).is_none()).collect();
    gone.sort_by_key(|f| std::cmp::Reverse(f.dir.matches('/').count()));
    for f in gone {
        let live = tree.folders.iter().any(|t| t.dir == f.dir);
        if !f.dir.is_empty() && is_safe_rel(&f.dir) && !live {
            let path = abs(dir, &f.dir);
            if fsio::is_empty_maildir(&path) {
                std::fs::remove_dir_all(&path).map_err(|e| MirrorError::io(format!("cannot remove {}", f.dir), e))?;
            } else if !tree.folders.iter().any(|t| t.dir.starts_with(&format!("{}/", f.dir))) {
                // Something not ours is inside: keep it, in the trash.
                fsio::discard(dir, &path, opts.no_trash)?;
            }
        }
        index.delete_folder(&f.id)?;
        summary.folders_deleted += 1;
    }
    Ok(())
}

/// `--dry-run`: the same listing and decisions, counted, with nothing written.
async fn dry_run(
    client: &NmsClient,
    index: Option<&Index>,
    opts: &SyncOptions,
    summary: &mut SyncSummary,
) -> Result<(), MirrorError> {
    let dir = opts.dir.as_path();
    let tree = store::folder_tree(client).await?;
    let known_folders: HashMap<String, FolderRow> = match index {
        Some(ix) => ix.folders()?.into_iter().map(|f| (f.id.clone(), f)).collect(),
        None => HashMap::new(),
    };
    for f in &tree.folders {
        match known_folders.get(&f.id) {
            None => summary.folders_created += u64::from(!f.dir.is_empty()),
            Some(k) if k.dir != f.dir => summary.folders_moved += 1,
            Some(_) => {}
        }
    }
    summary.folders_deleted = known_folders.keys().filter(|id| tree.get(id).is_none()).count() as u64;
    let mut matched = 0u64;
    let criteria = SelectionCriteria { max_entries: opts.page_size.max(1), ..Default::default() };
    let mut pages = client.search_stream(criteria);
    while let Some(page) = pages.next().await {
        for o in page?.object {
            let Some(url) = o.resource_url.as_deref() else { continue };
            let id = id_from_url(url);
            let Some(folder) = tree.folder_of(&o) else { continue };
            let known = match index {
                Some(ix) => ix.object(&id)?,
                None => None,
            };
            matched += u64::from(known.is_some());
            match plan::decide(known.as_ref().map(|k| known_of(dir, k)).as_ref(), &remote_of(&o, &folder)) {
                Action::Keep => summary.unchanged += 1,
                Action::Download => summary.downloaded += 1,
                Action::Rewrite { moved: true } => summary.moved += 1,
                Action::Rewrite { moved: false } => summary.updated += 1,
            }
        }
    }
    let total = match index {
        Some(ix) => ix.count_objects()?,
        None => 0,
    };
    summary.deleted = total.saturating_sub(matched);
    Ok(())
}
