//! The end-of-run sweep of a sync: files in the folders' `cur/` the index does not name are
//! either older copies of indexed objects (removed) or the user's own (left alone, counted).

use std::collections::HashSet;
use std::path::Path;

use super::fsio;
use super::fsio::abs;
use super::index::Index;
use super::layout;
use super::store::StoreFolder;
use super::{MirrorError, SyncOptions, SyncReporter, SyncSummary};

/// Files in the folders' `cur/` the index does not name: an older copy of an indexed object (a
/// crash between writing a new name and removing the old one) is removed; anything else is a
/// local file, left alone and counted.
pub(super) fn sweep<'t>(
    dir: &Path,
    index: &Index,
    folders: impl IntoIterator<Item = &'t StoreFolder>,
    opts: &SyncOptions,
    rep: &dyn SyncReporter,
    summary: &mut SyncSummary,
    held: &HashSet<String>,
) -> Result<(), MirrorError> {
    for f in folders {
        let cur = abs(dir, &f.dir).join("cur");
        let Ok(entries) = std::fs::read_dir(&cur) else { continue };
        index.reading(|| sweep_folder(dir, index, f, entries, opts, summary, held))?;
    }
    if summary.untracked > 0 {
        rep.note(&format!(
            "{} local file(s) not from the store left alone (not uploaded: see the notes above)",
            summary.untracked
        ));
    }
    Ok(())
}

/// Entries of a folder's `cur/` the sweep checks against the index with one query: memory stays
/// bounded however big the folder is.
const SWEEP_BATCH: usize = 512;

/// [`sweep`] of one folder's `cur/`, whose entries are `entries`.
fn sweep_folder(
    dir: &Path,
    index: &Index,
    f: &StoreFolder,
    entries: std::fs::ReadDir,
    opts: &SyncOptions,
    summary: &mut SyncSummary,
    held: &HashSet<String>,
) -> Result<(), MirrorError> {
    let mut named = Vec::new();
    for e in entries.flatten() {
        match e.file_name().to_str() {
            Some(name) => named.push((name.to_string(), e.path())),
            None => summary.untracked += 1,
        }
        if named.len() == SWEEP_BATCH {
            sweep_batch(dir, index, f, named.drain(..), opts, summary, held)?;
        }
    }
    sweep_batch(dir, index, f, named.drain(..), opts, summary, held)
}

/// One batch of [`sweep_folder`]: files a row names stay; the others are looked at one by one.
fn sweep_batch(
    dir: &Path,
    index: &Index,
    f: &StoreFolder,
    batch: impl Iterator<Item = (String, std::path::PathBuf)>,
    opts: &SyncOptions,
    summary: &mut SyncSummary,
    held: &HashSet<String>,
) -> Result<(), MirrorError> {
    for_each_unknown(
        index,
        batch,
        |(name, _)| layout::object_rel_path(&f.dir, name),
        |(name, path)| {
            let base = layout::base_of(&name);
            if !held.is_empty() && index.object_by_base(base)?.is_some_and(|r| held.contains(&r.id)) {
                return Ok(());
            }
            // An older copy of an indexed object, or a file sync wrote for an object whose row a
            // killed run never committed (and that the store no longer has, or it would have
            // been indexed by now): ours, so it goes to the trash. Anything else is the user's.
            if index.base_known(base)? || super::push::written_by_sync(&path, base) {
                fsio::discard(dir, &path, opts.no_trash)?;
            } else {
                summary.untracked += 1;
            }
            Ok(())
        },
    )
}

/// Calls `each` with every item of `items` whose file (`rel`, relative to the mirror) no index
/// row names, checking [`SWEEP_BATCH`] of them with one query (the sweep, the push's scan and
/// `check` all walk every file of the mirror; a query per file was most of their time).
pub(super) fn for_each_unknown<T>(
    index: &Index,
    items: impl Iterator<Item = T>,
    rel: impl Fn(&T) -> String,
    mut each: impl FnMut(T) -> Result<(), MirrorError>,
) -> Result<(), MirrorError> {
    let (mut batch, mut rels) = (Vec::with_capacity(SWEEP_BATCH), Vec::with_capacity(SWEEP_BATCH));
    let mut items = items.peekable();
    while items.peek().is_some() {
        for t in items.by_ref().take(SWEEP_BATCH) {
            rels.push(rel(&t));
            batch.push(t);
        }
        let known = index.known_files(&rels)?;
        for (t, r) in batch.drain(..).zip(rels.drain(..)) {
            if !known.contains(&r) {
                each(t)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mirror::index::ObjectRow;

    fn row(id: &str, file: &str) -> ObjectRow {
        ObjectRow {
            id: id.into(),
            file: file.into(),
            folder: "f1".into(),
            flags: vec![],
            last_mod_seq: None,
            sha256: String::new(),
            correlation_id: None,
            correlation_tag: None,
            date: None,
        }
    }

    /// Over more files than one batch checks at once, wherever in the directory they come: an
    /// indexed file stays, an older name of an indexed object goes to the trash, a file of the
    /// user's stays and is counted.
    #[test]
    fn the_sweep_keeps_indexed_files_trashes_old_names_and_counts_the_users_across_batches() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let cur = dir.join("f/cur");
        std::fs::create_dir_all(&cur).unwrap();
        std::fs::create_dir_all(dir.join(".cpmctl")).unwrap();
        let index = Index::open(dir).unwrap();
        let n = SWEEP_BATCH * 2 + 7;
        index.begin().unwrap();
        for i in 0..n {
            let name = layout::object_file_name(&format!("id{i}"), &["\\Seen"]);
            std::fs::write(cur.join(&name), b"x").unwrap();
            index.upsert_object(&row(&format!("id{i}"), &layout::object_rel_path("f", &name)), 1).unwrap();
        }
        index.commit().unwrap();
        // Older names (no flags) of every 100th object, and files of the user's.
        let old: Vec<String> =
            (0..n).step_by(100).map(|i| layout::object_file_name(&format!("id{i}"), &[] as &[&str])).collect();
        for name in &old {
            std::fs::write(cur.join(name), b"x").unwrap();
        }
        let mine = ["notes.txt", "draft.eml", "zz-last"];
        for name in mine {
            std::fs::write(cur.join(name), b"mine").unwrap();
        }
        let folder = StoreFolder {
            id: "f1".into(),
            parent: None,
            name: "f".into(),
            path: "/f".into(),
            dir: "f".into(),
            depth: 1,
        };
        let mut summary = SyncSummary::default();
        let entries = std::fs::read_dir(&cur).unwrap();
        let opts = SyncOptions::new(dir);
        index.reading(|| sweep_folder(dir, &index, &folder, entries, &opts, &mut summary, &HashSet::new())).unwrap();

        assert_eq!(summary.untracked, mine.len() as u64);
        for name in mine {
            assert!(cur.join(name).exists(), "{name} is the user's");
        }
        for name in &old {
            assert!(!cur.join(name).exists(), "{name} is an old name");
        }
        let left = std::fs::read_dir(&cur).unwrap().count();
        assert_eq!(left, n + mine.len());
        let trashed = std::fs::read_dir(dir.join(".cpmctl/trash")).unwrap().count();
        assert_eq!(trashed, old.len());
    }
}
