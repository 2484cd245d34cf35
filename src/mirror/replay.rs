//! Steady-state sync: replay the changes since the stored restartToken through a subscription
//! (the strict-sync watcher `subscribe` uses: index gaps, duplicates, resetBox), apply each to
//! the mirror and commit the token of every list in the same transaction as the rows it covers.
//! Folder changes are applied in place (`folders.rs`). Anything it cannot apply exactly (a
//! resetBox, a refused token, an object in a folder the index does not know) is an escape: the
//! caller falls back to the reconciling listing, which keeps every file it can match by id.

use std::collections::HashSet;
use std::time::Duration;

use futures::StreamExt;

use super::folders::{FolderChange, apply_folder_changes, folder_change};
use super::fsio::{self, abs};
use super::index::Index;
use super::layout::is_safe_rel;
use super::objects::{Work, intact, known_of, local_parts, remote_of, write_object};
use super::plan::{self, Action};
use super::store::{self, StoreFolder, Tree};
use super::{MirrorError, SyncOptions, SyncReporter, SyncSummary};
use crate::nms::notify::{WatchEvent, WatchOptions, watch};
use crate::nms::{NmsClient, id_from_url};
use crate::wire::NmsEvent;

/// How long the replay waits for the channel and subscription to exist.
const START_TIMEOUT: Duration = Duration::from_secs(30);
/// Most events applied in one index transaction (a list's worth is committed with its token).
const MAX_PENDING: usize = 10_000;

/// One changed object ready to write: its work, its payload parts, whether they were downloaded.
type Prepared = (Work, Vec<crate::formats::PartBytes>, bool);

/// Whether an event changes an object `--pull-only` leaves alone (its file renamed in the
/// mirror): that object's current state is fetched by the run that pushes the rename (its
/// flag update is itself a change the replay then sees). Deletions are applied all the same.
fn is_held(event: &NmsEvent, held: &HashSet<String>) -> bool {
    !held.is_empty() && event.changed_object.as_ref().is_some_and(|c| held.contains(&id_from_url(&c.resource_url)))
}

/// Queues `event` for the next list, or, when it changes a held object, notes the object in
/// `passed`: its change is not applied now, and the push of its rename may change nothing on
/// the store (the store set the same flag), so no later event would bring it. Stored as stale
/// before the list's token (see [`Index::mark_stale`]), it is fetched again once not held.
fn queue(event: NmsEvent, held: &HashSet<String>, pending: &mut Vec<NmsEvent>, passed: &mut Vec<String>) {
    match &event.changed_object {
        Some(c) if is_held(&event, held) => passed.push(id_from_url(&c.resource_url)),
        _ => pending.push(event),
    }
}

/// How a replay ended.
#[derive(Debug)]
pub enum Outcome {
    /// Every change up to the stored token was applied.
    Applied,
    /// The change log cannot be followed exactly; the reason, for the user.
    Escape(String),
}

/// The restartToken of "now": a subscription made without one answers it; it is closed again.
pub async fn current_token(client: &NmsClient, opts: &SyncOptions) -> Result<Option<String>, MirrorError> {
    let opts = WatchOptions {
        tail_check: None,
        duration: Some(300),
        channel_lifetime: Some(300),
        client_correlator: Some(super::leftovers::correlator(&opts.dir)),
        ..Default::default()
    };
    let mut w = watch(client, opts);
    let token = match tokio::time::timeout(START_TIMEOUT, w.next()).await {
        Ok(Some(Ok(WatchEvent::Subscribed { from_token, .. }))) => from_token,
        Ok(Some(Err(e))) => return Err(e.into()),
        _ => None,
    };
    // Best effort: a subscription left behind expires on its own.
    let _ = w.close().await;
    Ok(token)
}

/// The folder tree as the index knows it (folder changes are applied to the index as they come).
pub(super) fn tree_of(index: &Index) -> Result<Tree, MirrorError> {
    let mut tree = Tree { folders: Vec::new(), by_id: Default::default(), by_path: Default::default() };
    for f in index.folders()? {
        if !is_safe_rel(&f.dir) {
            return Err(MirrorError::Invalid(format!("unsafe directory {:?} in the index", f.dir)));
        }
        let at = tree.folders.len();
        tree.by_id.insert(f.id.clone(), at);
        tree.by_path.insert(f.path.trim_end_matches('/').to_string(), at);
        let depth = f.dir.matches('/').count();
        tree.folders.push(StoreFolder { id: f.id, parent: f.parent, name: f.name, path: f.path, dir: f.dir, depth });
    }
    Ok(tree)
}

/// Replays the changes after `token` up to the store's position when the replay starts: it ends
/// as soon as a list brings the mirror there (at once when nothing changed), or else `quiet`
/// after the last list. Changes of the `held` objects (renamed in the mirror under
/// `--pull-only`) are left for a later run.
#[allow(clippy::too_many_arguments)]
pub async fn replay(
    client: &NmsClient,
    index: &Index,
    opts: &SyncOptions,
    token: String,
    quiet: Duration,
    rep: &dyn SyncReporter,
    summary: &mut SyncSummary,
    held: &HashSet<String>,
) -> Result<Outcome, MirrorError> {
    let mut tree = tree_of(index)?;
    // The store's position now, from a subscription of its own made and closed before the
    // replay's (both carry this mirror's clientCorrelator, which a store may take as "the same
    // request": they must not overlap). Tokens are opaque, but one position has one token on
    // any store that encodes positions in them: once the applied lists reach it, nothing older
    // is left to come, and waiting `quiet` for more (a second on every run) is not needed. A
    // store whose tokens never match ends the replay by the quiet spell, as before.
    let now = current_token(client, opts).await.ok().flatten();
    let mut at = token.clone();
    let wopts = WatchOptions {
        restart_token: Some(token),
        tail_check: None,
        duration: Some(300),
        channel_lifetime: Some(300),
        hold: Duration::from_millis(500),
        client_correlator: Some(super::leftovers::correlator(&opts.dir)),
        ..Default::default()
    };
    let mut w = watch(client, wopts);
    let mut started = false;
    let mut pending: Vec<NmsEvent> = Vec::new();
    let mut passed: Vec<String> = Vec::new();
    let outcome = loop {
        let wait = if started { quiet } else { START_TIMEOUT };
        let item = match tokio::time::timeout(wait, w.next()).await {
            Err(_) if started => break Outcome::Applied,
            Err(_) => break Outcome::Escape("the notification channel did not start".into()),
            Ok(None) => break Outcome::Escape("the notification stream ended".into()),
            Ok(Some(Err(e))) => break Outcome::Escape(format!("the change log cannot be followed: {e}")),
            Ok(Some(Ok(ev))) => ev,
        };
        match item {
            WatchEvent::Subscribed { .. } => {
                started = true;
                if now.as_deref() == Some(at.as_str()) {
                    break Outcome::Applied;
                }
            }
            WatchEvent::Reset { .. } => {
                break Outcome::Escape("the store reset the box or refused the restartToken".into());
            }
            WatchEvent::Event { event, .. } => {
                if event.reset_box.is_some() {
                    break Outcome::Escape(format!("a {} event", event.kind()));
                }
                queue(event, held, &mut pending, &mut passed);
                if pending.len() > MAX_PENDING {
                    break Outcome::Escape("more changes in one list than are applied at once".into());
                }
            }
            WatchEvent::Checkpoint { restart_token: Some(t), .. } => {
                // Before the token that passes over them is committed.
                if !passed.is_empty() {
                    index.mark_stale(&std::mem::take(&mut passed))?;
                }
                if let Some(reason) = apply(client, index, &tree, opts, &pending, &t, rep, summary).await? {
                    break Outcome::Escape(reason);
                }
                // Folders the list changed are in the index now: later lists resolve against them.
                if pending.iter().any(|e| folder_change(e).is_some()) {
                    tree = tree_of(index)?;
                }
                pending.clear();
                if now.as_deref() == Some(t.as_str()) {
                    break Outcome::Applied;
                }
                at = t;
            }
            WatchEvent::Checkpoint { .. } | WatchEvent::Recovered { .. } | WatchEvent::Retrying { .. } => {}
        }
    };
    // Best effort: a subscription left behind expires on its own (duration 300 s).
    let _ = w.close().await;
    if matches!(outcome, Outcome::Applied)
        && let Some(reason) = repair_local(client, index, &tree, opts, rep, summary, held).await?
    {
        return Ok(Outcome::Escape(reason));
    }
    Ok(outcome)
}

/// Files deleted or edited in the mirror are fetched again (the change log only knows the
/// store's side): every indexed file is hashed against its row, `page` rows at a time.
async fn repair_local(
    client: &NmsClient,
    index: &Index,
    tree: &Tree,
    opts: &SyncOptions,
    rep: &dyn SyncReporter,
    summary: &mut SyncSummary,
    held: &HashSet<String>,
) -> Result<Option<String>, MirrorError> {
    let dir = opts.dir.as_path();
    let Some(token) = index.meta("restart_token")? else { return Ok(None) };
    // Objects a `--pull-only` run passed over, now that they are no longer held.
    let stale: Vec<String> = index.stale()?.into_iter().filter(|id| !held.contains(id)).collect();
    if !stale.is_empty() {
        let events: Vec<NmsEvent> = stale.iter().map(|id| changed_event(client, id)).collect();
        if let Some(reason) = apply(client, index, tree, opts, &events, &token, rep, summary).await? {
            return Ok(Some(reason));
        }
        index.clear_stale(&stale)?;
    }
    let mut after = String::new();
    loop {
        let rows = index.objects_after(&after, 500)?;
        let Some(last) = rows.last() else { return Ok(None) };
        after = last.id.clone();
        let damaged: Vec<NmsEvent> = rows
            .iter()
            .filter(|k| !held.contains(&k.id) && (!is_safe_rel(&k.file) || !intact(dir, k)))
            .map(|k| changed_event(client, &k.id))
            .collect();
        if !damaged.is_empty() {
            rep.note(&format!("{} file(s) missing or edited in the mirror: fetching them again", damaged.len()));
            if let Some(reason) = apply(client, index, tree, opts, &damaged, &token, rep, summary).await? {
                return Ok(Some(reason));
            }
        }
    }
}

/// A change of object `id` whose current state is to be fetched, as the change log says one.
fn changed_event(client: &NmsClient, id: &str) -> NmsEvent {
    NmsEvent {
        changed_object: Some(crate::wire::ChangedObject {
            resource_url: client.object_url(id).to_string(),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// Applies one list's events and stores `token` in the same transaction. `Some(reason)` when an
/// event cannot be applied exactly (nothing of this list is then committed).
#[allow(clippy::too_many_arguments)]
async fn apply(
    client: &NmsClient,
    index: &Index,
    tree: &Tree,
    opts: &SyncOptions,
    events: &[NmsEvent],
    token: &str,
    rep: &dyn SyncReporter,
    summary: &mut SyncSummary,
) -> Result<Option<String>, MirrorError> {
    let dir = opts.dir.as_path();
    // Folder changes first, in list order, committed on their own (applying them again is a
    // no-op, see `folders.rs`): the list's objects may be in a folder it creates or moves.
    let folder_changes: Vec<FolderChange> = events.iter().filter_map(folder_change).collect();
    let fresh_tree;
    let tree = if folder_changes.is_empty() {
        tree
    } else {
        if let Some(reason) = apply_folder_changes(index, opts, &folder_changes, summary)? {
            return Ok(Some(reason));
        }
        fresh_tree = tree_of(index)?;
        &fresh_tree
    };
    // Fetch first (no transaction open across the network), then write files, then rows.
    let mut changed: Vec<String> = Vec::new();
    let mut seen_ids = std::collections::HashSet::new();
    let mut deleted = Vec::new();
    for ev in events {
        if let Some(c) = &ev.changed_object {
            let id = id_from_url(&c.resource_url);
            // Several changes of one object in a list: its current state is fetched once.
            if seen_ids.insert(id.clone()) {
                changed.push(id);
            }
        } else if let Some(d) = ev.deleted_object.as_ref().or(ev.expired_object.as_ref()) {
            deleted.push(id_from_url(&d.resource_url));
        }
    }
    // The objects' current states, `--concurrency` at a time, in the order of the list.
    let concurrency = opts.concurrency.max(1);
    let fetched: Vec<(String, Result<crate::wire::Object, crate::nms::Error>)> = futures::stream::iter(changed)
        .map(|id| {
            let c = client.clone();
            async move {
                let o = c.get_object(&id).await;
                (id, o)
            }
        })
        .buffered(concurrency)
        .collect()
        .await;
    let mut work = Vec::new();
    for (id, object) in fetched {
        let object = match object {
            Ok(o) => o,
            // Deleted since: its deletedObject event follows in the log.
            Err(e) if e.is_not_found() => continue,
            Err(e) => return Err(e.into()),
        };
        let Some(folder) = tree.folder_of(&object) else {
            return Ok(Some(format!("object {id} is in a folder the mirror does not know")));
        };
        let known = index.object(&id)?.filter(|k| is_safe_rel(&k.file));
        let action = plan::decide(known.as_ref().map(|k| known_of(dir, k)).as_ref(), &remote_of(&object, &folder));
        if action != Action::Keep {
            work.push(Work { id, object, folder, known, action });
        }
    }
    // Payloads likewise (a flags-only change reuses the local file's parts: no download).
    let prepared: Vec<Result<Prepared, MirrorError>> = futures::stream::iter(work)
        .map(|w| {
            let c = client.clone();
            let local = match w.action {
                Action::Rewrite { .. } => local_parts(dir, w.known.as_ref()),
                _ => None,
            };
            async move {
                match local {
                    Some(p) => Ok((w, p, false)),
                    None => store::payload(&c, &w.object).await.map(|p| (w, p, true)),
                }
            }
        })
        .buffered(concurrency)
        .collect()
        .await;
    let prepared: Vec<Prepared> = prepared.into_iter().collect::<Result<_, _>>()?;
    let mut old_files = Vec::new();
    index.begin()?;
    for (w, parts, downloaded) in &prepared {
        if let Some(k) = &w.known
            && abs(dir, &k.file).is_file()
            && !intact(dir, k)
        {
            rep.note(&format!("{}: edited locally; the edited copy is in .cpmctl/trash/", k.file));
            fsio::discard(dir, &abs(dir, &k.file), false)?;
        }
        let row = write_object(dir, tree, w, parts)?;
        fsio::sync_dir(&abs(dir, row.file.rsplit_once('/').map_or("", |(d, _)| d)))?;
        if let Some(k) = &w.known
            && k.file != row.file
        {
            old_files.push(k.file.clone());
        }
        let run = index.meta("run")?.and_then(|r| r.parse::<u64>().ok()).unwrap_or(0);
        index.upsert_object(&row, run)?;
        let bytes: u64 = if *downloaded { parts.iter().map(|p| p.bytes.len() as u64).sum() } else { 0 };
        match (downloaded, w.action) {
            (_, Action::Rewrite { moved: true }) => summary.moved += 1,
            (true, _) => summary.downloaded += 1,
            _ => summary.updated += 1,
        }
        summary.bytes += bytes;
        rep.object_done(bytes);
    }
    for id in &deleted {
        if let Some(k) = index.object(id)? {
            if is_safe_rel(&k.file) {
                fsio::discard(dir, &abs(dir, &k.file), opts.no_trash)?;
            }
            index.delete_object(id)?;
            summary.deleted += 1;
            rep.object_done(0);
        }
    }
    index.set_meta("restart_token", token)?;
    index.commit()?;
    for rel in old_files {
        match std::fs::remove_file(abs(dir, &rel)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(MirrorError::io(format!("cannot remove {rel}"), e)),
        }
    }
    Ok(None)
}

/// How following the notification channel ended.
#[derive(Debug)]
pub enum Followed {
    /// `stop` was notified; every list received whole was applied and committed.
    Stopped,
    /// The change log cannot be followed exactly (as in [`replay`]): catch up, then follow again.
    Escape(String),
}

/// `--watch`: follows the changes after the stored restartToken as they arrive, applying each
/// list with its token in one transaction, until `stop` is notified. A stop is only looked at
/// between lists, so the list in hand is always finished and committed.
pub async fn follow(
    client: &NmsClient,
    index: &Index,
    opts: &SyncOptions,
    rep: &dyn SyncReporter,
    summary: &mut SyncSummary,
    stop: &tokio::sync::Notify,
    held: &HashSet<String>,
) -> Result<Followed, MirrorError> {
    let mut tree = tree_of(index)?;
    let Some(token) = index.meta("restart_token")? else {
        return Ok(Followed::Escape("the mirror has no restartToken yet".into()));
    };
    let wopts = WatchOptions {
        restart_token: Some(token),
        // Lost trailing lists are asked for again after a quiet spell (dropped notifications).
        tail_check: Some(Duration::from_secs(5)),
        hold: Duration::from_millis(500),
        client_correlator: Some(super::leftovers::correlator(&opts.dir)),
        ..Default::default()
    };
    let mut w = watch(client, wopts);
    let mut pending: Vec<NmsEvent> = Vec::new();
    let mut passed: Vec<String> = Vec::new();
    let mut announced = false;
    let outcome = loop {
        let item = tokio::select! {
            _ = stop.notified() => break Followed::Stopped,
            item = w.next() => item,
        };
        let item = match item {
            None => break Followed::Escape("the notification stream ended".into()),
            Some(Err(e)) => break Followed::Escape(format!("the change log cannot be followed: {e}")),
            Some(Ok(ev)) => ev,
        };
        match item {
            WatchEvent::Subscribed { .. } if !announced => {
                announced = true;
                rep.note("watching for changes (Ctrl-C to stop)");
            }
            WatchEvent::Reset { .. } => break Followed::Escape("the store reset the box".into()),
            WatchEvent::Event { event, .. } => {
                if event.reset_box.is_some() {
                    break Followed::Escape(format!("a {} event", event.kind()));
                }
                queue(event, held, &mut pending, &mut passed);
                if pending.len() > MAX_PENDING {
                    break Followed::Escape("more changes in one list than are applied at once".into());
                }
            }
            WatchEvent::Checkpoint { restart_token: Some(t), .. } => {
                // Before the token that passes over them is committed.
                if !passed.is_empty() {
                    index.mark_stale(&std::mem::take(&mut passed))?;
                }
                if let Some(reason) = apply(client, index, &tree, opts, &pending, &t, rep, summary).await? {
                    break Followed::Escape(reason);
                }
                // Folders the list changed are in the index now: later lists resolve against them.
                if pending.iter().any(|e| folder_change(e).is_some()) {
                    tree = tree_of(index)?;
                }
                pending.clear();
            }
            _ => {}
        }
    };
    // Best effort: a subscription left behind expires on its own.
    let _ = w.close().await;
    Ok(outcome)
}
