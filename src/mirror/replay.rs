//! Steady-state sync: replay the changes since the stored restartToken through a subscription
//! (the strict-sync watcher `subscribe` uses: index gaps, duplicates, resetBox), apply each to
//! the mirror and commit the token of every list in the same transaction as the rows it covers.
//! Anything it cannot apply exactly (a folder change, a resetBox, a refused token, an object in
//! a folder the index does not know) is an escape: the caller falls back to the reconciling
//! listing, which keeps every file it can match by id.

use std::time::Duration;

use futures::StreamExt;

use super::fsio::{self, abs};
use super::index::Index;
use super::layout::is_safe_rel;
use super::plan::{self, Action};
use super::pull::{Work, intact, known_of, local_parts, remote_of, write_object};
use super::store::{self, StoreFolder, Tree};
use super::{MirrorError, SyncOptions, SyncReporter, SyncSummary};
use crate::nms::notify::{WatchEvent, WatchOptions, watch};
use crate::nms::{NmsClient, id_from_url};
use crate::wire::NmsEvent;

/// How long the replay waits for the channel and subscription to exist.
const START_TIMEOUT: Duration = Duration::from_secs(30);
/// Most events applied in one index transaction (a list's worth is committed with its token).
const MAX_PENDING: usize = 10_000;

/// How a replay ended.
#[derive(Debug)]
pub enum Outcome {
    /// Every change up to the stored token was applied.
    Applied,
    /// The change log cannot be followed exactly; the reason, for the user.
    Escape(String),
}

/// The restartToken of "now": a subscription made without one answers it; it is closed again.
pub async fn current_token(client: &NmsClient) -> Result<Option<String>, MirrorError> {
    let opts =
        WatchOptions { tail_check: None, duration: Some(300), channel_lifetime: Some(300), ..Default::default() };
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

/// The folder tree as the index knows it (folder changes are escapes, so it is current).
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

/// Replays the changes after `token`, waiting `quiet` after the last list for more.
pub async fn replay(
    client: &NmsClient,
    index: &Index,
    opts: &SyncOptions,
    token: String,
    quiet: Duration,
    rep: &dyn SyncReporter,
    summary: &mut SyncSummary,
) -> Result<Outcome, MirrorError> {
    let tree = tree_of(index)?;
    let wopts = WatchOptions {
        restart_token: Some(token),
        tail_check: None,
        duration: Some(300),
        channel_lifetime: Some(300),
        hold: Duration::from_millis(500),
        ..Default::default()
    };
    let mut w = watch(client, wopts);
    let mut started = false;
    let mut pending: Vec<NmsEvent> = Vec::new();
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
            WatchEvent::Subscribed { .. } => started = true,
            WatchEvent::Reset { .. } => {
                break Outcome::Escape("the store reset the box or refused the restartToken".into());
            }
            WatchEvent::Event { event, .. } => {
                if event.changed_folder.is_some()
                    || event.deleted_folder.is_some()
                    || event.expired_folder.is_some()
                    || event.reset_box.is_some()
                {
                    break Outcome::Escape(format!("a {} event", event.kind()));
                }
                pending.push(event);
                if pending.len() > MAX_PENDING {
                    break Outcome::Escape("more changes in one list than are applied at once".into());
                }
            }
            WatchEvent::Checkpoint { restart_token: Some(t), .. } => {
                if let Some(reason) = apply(client, index, &tree, opts, &pending, &t, rep, summary).await? {
                    break Outcome::Escape(reason);
                }
                pending.clear();
            }
            WatchEvent::Checkpoint { .. } | WatchEvent::Recovered { .. } | WatchEvent::Retrying { .. } => {}
        }
    };
    // Best effort: a subscription left behind expires on its own (duration 300 s).
    let _ = w.close().await;
    if matches!(outcome, Outcome::Applied)
        && let Some(reason) = repair_local(client, index, &tree, opts, rep, summary).await?
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
) -> Result<Option<String>, MirrorError> {
    let dir = opts.dir.as_path();
    let Some(token) = index.meta("restart_token")? else { return Ok(None) };
    let mut after = String::new();
    loop {
        let rows = index.objects_after(&after, 500)?;
        let Some(last) = rows.last() else { return Ok(None) };
        after = last.id.clone();
        let damaged: Vec<NmsEvent> = rows
            .iter()
            .filter(|k| !is_safe_rel(&k.file) || !intact(dir, k))
            .map(|k| NmsEvent {
                changed_object: Some(crate::wire::ChangedObject {
                    resource_url: client.object_url(&k.id).to_string(),
                    ..Default::default()
                }),
                ..Default::default()
            })
            .collect();
        if !damaged.is_empty() {
            rep.note(&format!("{} file(s) missing or edited in the mirror: fetching them again", damaged.len()));
            if let Some(reason) = apply(client, index, tree, opts, &damaged, &token, rep, summary).await? {
                return Ok(Some(reason));
            }
        }
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
    // Fetch first (no transaction open across the network), then write files, then rows.
    let mut work = Vec::new();
    let mut deleted = Vec::new();
    for ev in events {
        if let Some(c) = &ev.changed_object {
            let id = id_from_url(&c.resource_url);
            // Several changes of one object in a list: its current state is fetched once.
            if work.iter().any(|w: &Work| w.id == id) {
                continue;
            }
            let object = match client.get_object(&id).await {
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
            work.push(Work { id, object, folder, known, action });
        } else if let Some(d) = ev.deleted_object.as_ref().or(ev.expired_object.as_ref()) {
            deleted.push(id_from_url(&d.resource_url));
        }
    }
    let mut prepared = Vec::new();
    for w in work {
        if w.action == Action::Keep {
            continue;
        }
        let local = match w.action {
            Action::Rewrite { .. } => local_parts(dir, w.known.as_ref()),
            _ => None,
        };
        let downloaded = local.is_none();
        let parts = match local {
            Some(p) => p,
            None => store::payload(client, &w.object).await?,
        };
        prepared.push((w, parts, downloaded));
    }
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
