//! Folder changes of the change log applied in place (steady-state replay and `--watch`): a
//! folder created, renamed, moved or deleted on the store becomes the same change of its
//! directory and index rows, without a full listing.
//!
//! Crash safety: each list's folder changes are committed in their own transaction, before the
//! list's objects and its restartToken; applying one again (a crash before the token was
//! committed replays the list) finds it done and changes nothing, so the token still covers
//! every change exactly once. A directory renamed before a crash and not yet recorded is
//! recognised by its old path being gone and its new one present.

use std::collections::HashSet;
use std::path::Path;

use super::fsio::{self, abs};
use super::index::{FolderRow, Index};
use super::layout::{child_dir, is_safe_rel};
use super::{MirrorError, SyncOptions, SyncSummary};
use crate::nms::id_from_url;
use crate::wire::NmsEvent;

/// One folder change of a list, in list order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum FolderChange {
    /// Created, renamed or moved: the folder now has this parent and name.
    Changed { id: String, parent: String, name: String },
    /// Deleted (or expired) with everything in it.
    Deleted { id: String },
}

/// The folder change an event carries, if any.
pub(super) fn folder_change(ev: &NmsEvent) -> Option<FolderChange> {
    if let Some(c) = &ev.changed_folder {
        let parent = if c.parent_folder.trim().is_empty() { String::new() } else { id_from_url(&c.parent_folder) };
        return Some(FolderChange::Changed { id: id_from_url(&c.resource_url), parent, name: c.name.clone() });
    }
    ev.deleted_folder
        .as_ref()
        .or(ev.expired_folder.as_ref())
        .map(|d| FolderChange::Deleted { id: id_from_url(&d.resource_url) })
}

/// Applies `changes` in order, in one index transaction of its own. `Some(reason)` when one
/// cannot be applied exactly (the caller escapes to a listing; what was done is committed and
/// is what the listing would have done too).
pub(super) fn apply_folder_changes(
    index: &Index,
    opts: &SyncOptions,
    changes: &[FolderChange],
    summary: &mut SyncSummary,
) -> Result<Option<String>, MirrorError> {
    if changes.is_empty() {
        return Ok(None);
    }
    let dir = opts.dir.as_path();
    index.begin()?;
    let mut outcome = None;
    for c in changes {
        let step = match c {
            FolderChange::Changed { id, parent, name } => changed(dir, index, id, parent, name, summary),
            FolderChange::Deleted { id } => deleted(dir, index, opts, id, summary),
        };
        match step {
            Ok(None) => {}
            Ok(Some(reason)) => {
                outcome = Some(reason);
                break;
            }
            Err(e) => {
                // Rows of a half-applied list are not committed; the directories changed so far
                // are recognised when the list is applied again (see the module doc).
                let _ = index.rollback();
                return Err(e);
            }
        }
    }
    index.commit()?;
    Ok(outcome)
}

/// A folder created, renamed or moved.
fn changed(
    dir: &Path,
    index: &Index,
    id: &str,
    parent: &str,
    name: &str,
    summary: &mut SyncSummary,
) -> Result<Option<String>, MirrorError> {
    let folders = index.folders()?;
    let known = folders.iter().find(|f| f.id == id).cloned();
    if parent.is_empty() {
        // The root (it has no parent and never moves), or a folder without its parent named.
        return Ok(match known {
            Some(k) if k.dir.is_empty() => None,
            _ => Some(format!("folder {id} changed without a parent folder")),
        });
    }
    if name.is_empty() || id.is_empty() {
        return Ok(Some(format!("folder {id} changed without a name")));
    }
    let Some(p) = folders.iter().find(|f| f.id == parent) else {
        return Ok(Some(format!("folder {id} is now under a folder the mirror does not know")));
    };
    let path = crate::nms::items::join_path(&p.path, name);
    if let Some(k) = &known
        && k.parent.as_deref() == Some(parent)
        && k.name == name
    {
        return Ok(None);
    }
    // A folder never moves under itself; the store refuses it, and so does the mirror.
    if let Some(k) = &known
        && (p.id == k.id || p.dir.starts_with(&format!("{}/", k.dir)))
    {
        return Ok(Some(format!("folder {id} moved under itself")));
    }
    // The directory names other folders hold (this folder's own old one is free for it).
    let taken: HashSet<String> = folders.iter().filter(|f| f.id != id).map(|f| f.dir.to_lowercase()).collect();
    let new_dir = child_dir(&p.dir, name, id, &taken);
    if !is_safe_rel(&new_dir) || new_dir.is_empty() {
        return Err(MirrorError::Invalid(format!("unsafe directory {new_dir:?} for folder {path}")));
    }
    fsio::refuse_symlinks(dir, &new_dir)?;
    let target = abs(dir, &new_dir);
    let Some(k) = known else {
        fsio::make_maildir(&target)?;
        // Its `cur/ new/ tmp/` entries and its own entry are durable before its row is.
        fsio::sync_dir(&target)?;
        sync_parent(&target)?;
        let row = FolderRow {
            id: id.to_string(),
            dir: new_dir,
            parent: Some(parent.to_string()),
            name: name.to_string(),
            path,
            last_mod_seq: None,
        };
        index.upsert_folder(&row, current_run(index)?)?;
        summary.folders_created += 1;
        return Ok(None);
    };
    if !is_safe_rel(&k.dir) || k.dir.is_empty() {
        return Ok(Some(format!("folder {id} has no directory of its own to move")));
    }
    if k.dir != new_dir {
        let source = abs(dir, &k.dir);
        if source.is_dir() {
            if target.exists() {
                return Ok(Some(format!("cannot move folder {} to {new_dir}: the directory is taken", k.dir)));
            }
            if let Some(up) = target.parent() {
                std::fs::create_dir_all(up).map_err(|e| MirrorError::io("cannot create a folder", e))?;
            }
            std::fs::rename(&source, &target)
                .map_err(|e| MirrorError::io(format!("cannot move {} to {new_dir}", k.dir), e))?;
            sync_parent(&source)?;
            sync_parent(&target)?;
        } else if !target.is_dir() {
            // Neither there: the folder's directory was removed locally; it is made again and
            // its objects' files are fetched again by the replay's repair of missing files.
            fsio::make_maildir(&target)?;
        }
        index.move_files_prefix(&k.dir, &new_dir)?;
    }
    // The folder and every folder below it: new directory and path prefixes.
    let run = current_run(index)?;
    let (old_dir_p, old_path_p) = (format!("{}/", k.dir), format!("{}/", k.path.trim_end_matches('/')));
    for f in &folders {
        if f.id == id {
            continue;
        }
        if let Some(rest) = f.dir.strip_prefix(&old_dir_p) {
            let sub_path = match f.path.strip_prefix(&old_path_p) {
                Some(p_rest) => format!("{}/{p_rest}", path.trim_end_matches('/')),
                None => f.path.clone(),
            };
            index.upsert_folder(&FolderRow { dir: format!("{new_dir}/{rest}"), path: sub_path, ..f.clone() }, run)?;
        }
    }
    let row = FolderRow { dir: new_dir, parent: Some(parent.to_string()), name: name.to_string(), path, ..k };
    index.upsert_folder(&row, run)?;
    summary.folders_moved += 1;
    Ok(None)
}

/// A folder deleted with everything in it: its objects' files go to the trash (or away with
/// `--no-trash`), then its directories, deepest first (a directory holding something sync did
/// not write goes to the trash whole).
fn deleted(
    dir: &Path,
    index: &Index,
    opts: &SyncOptions,
    id: &str,
    summary: &mut SyncSummary,
) -> Result<Option<String>, MirrorError> {
    let folders = index.folders()?;
    let Some(k) = folders.iter().find(|f| f.id == id) else { return Ok(None) };
    if k.dir.is_empty() || !is_safe_rel(&k.dir) {
        return Ok(Some(format!("folder {id} (the root, or an unsafe directory) was deleted")));
    }
    let prefix = format!("{}/", k.dir);
    let mut gone: Vec<&FolderRow> = folders.iter().filter(|f| f.id == id || f.dir.starts_with(&prefix)).collect();
    for f in &gone {
        loop {
            let rows = index.objects_in_folder(&f.id, 500)?;
            if rows.is_empty() {
                break;
            }
            for o in rows {
                if is_safe_rel(&o.file) {
                    fsio::discard(dir, &abs(dir, &o.file), opts.no_trash)?;
                }
                index.delete_object(&o.id)?;
                summary.deleted += 1;
            }
        }
    }
    gone.sort_by_key(|f| std::cmp::Reverse(f.dir.matches('/').count()));
    for f in gone {
        let path = abs(dir, &f.dir);
        if path.is_dir() {
            if fsio::is_empty_maildir(&path) {
                std::fs::remove_dir_all(&path).map_err(|e| MirrorError::io(format!("cannot remove {}", f.dir), e))?;
            } else if !folders.iter().any(|o| o.id != f.id && o.dir.starts_with(&format!("{}/", f.dir))) {
                fsio::discard(dir, &path, opts.no_trash)?;
            } else {
                // Only child folders' directories left, already handled deeper: the Maildir
                // subdirectories go, the directory with whatever else is in it to the trash.
                for sub in ["cur", "new", "tmp"] {
                    let _ = std::fs::remove_dir(path.join(sub));
                }
                if std::fs::remove_dir(&path).is_err() {
                    fsio::discard(dir, &path, opts.no_trash)?;
                }
            }
        }
        index.delete_folder(&f.id)?;
        summary.folders_deleted += 1;
    }
    sync_parent(&abs(dir, &k.dir))?;
    Ok(None)
}

fn current_run(index: &Index) -> Result<u64, MirrorError> {
    Ok(index.meta("run")?.and_then(|r| r.parse::<u64>().ok()).unwrap_or(0))
}

/// Makes a directory's creation, removal or rename durable: its parent's entry is synced.
fn sync_parent(path: &Path) -> Result<(), MirrorError> {
    match path.parent() {
        Some(p) if p.is_dir() => fsio::sync_dir(p),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{ChangedFolder, DeletedFolder};

    #[test]
    fn events_give_folder_changes() {
        let ev = NmsEvent {
            changed_folder: Some(ChangedFolder {
                parent_folder: "http://h/nms/v1/cpm/b/folders/p1".into(),
                resource_url: "http://h/nms/v1/cpm/b/folders/f1".into(),
                name: "Inbox".into(),
                last_mod_seq: Some(3),
            }),
            ..Default::default()
        };
        assert_eq!(
            folder_change(&ev),
            Some(FolderChange::Changed { id: "f1".into(), parent: "p1".into(), name: "Inbox".into() })
        );
        let ev = NmsEvent {
            expired_folder: Some(DeletedFolder {
                resource_url: "http://h/nms/v1/cpm/b/folders/f2".into(),
                last_mod_seq: None,
            }),
            ..Default::default()
        };
        assert_eq!(folder_change(&ev), Some(FolderChange::Deleted { id: "f2".into() }));
        assert_eq!(folder_change(&NmsEvent::default()), None);
    }
}
