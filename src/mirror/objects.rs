//! One object of the store as a file of the mirror: what to do with it ([`Work`]), its file in
//! the CPM IMAP form and its index row, written alone (a replay) or a page at a time (made
//! durable together), and whether an indexed file still has the bytes written for it. Shared by
//! the listing (`pull.rs`), the replay (`replay.rs`) and the push (`push.rs`).

use std::collections::HashMap;
use std::path::Path;

use super::MirrorError;
use super::fsio::{self, abs};
use super::index::ObjectRow;
use super::layout;
use super::plan::{self, Action, Known, Remote};
use super::store::Tree;
use crate::formats::{self, PartBytes};
use crate::wire::{Object, names};

/// One object of a page and what to do with it.
pub(super) struct Work {
    pub id: String,
    pub object: Object,
    pub folder: String,
    pub known: Option<ObjectRow>,
    pub action: Action,
}

/// What writing one page did, per object in page order: its new row, the old file it replaces
/// (removed once the row is committed), and a note for the user.
pub(super) struct Written {
    /// The row, payload bytes downloaded for it, whether they were downloaded, what was done.
    pub rows: Vec<(ObjectRow, u64, bool, Action)>,
    pub old_files: Vec<String>,
    pub notes: Vec<String>,
}

/// Renders and stages the files of part of a page (blocking: run on the blocking pool), in
/// page order: written, not yet durable nor named (see [`finish_staged`]). The caller bounds
/// how many files are staged at once: each holds an open descriptor until it is named (a
/// batch of 1,000 files failed with "Too many open files" under the usual limit of 1,024).
///
/// One thread per page: pages are staged while the next ones download, and a second thread
/// per page (as whole batches had) left more threads runnable than the 2 cores of the bench
/// machine, with the downloads waiting for a core: 5 of 14 paired runs faster, against 10 of
/// 14 with one thread.
pub(super) fn stage_page(
    dir: &Path,
    dirs: &HashMap<String, String>,
    items: Vec<(Work, Vec<PartBytes>, bool)>,
) -> Result<Vec<StagedObject>, MirrorError> {
    items.into_iter().map(|item| stage_one(dir, dirs, item)).collect()
}

/// Makes staged files durable together and names them, in order (blocking); returns their
/// rows, not yet in the index.
pub(super) fn finish_staged(staged: Vec<StagedObject>) -> Result<Written, MirrorError> {
    let mut out = Written { rows: Vec::with_capacity(staged.len()), old_files: Vec::new(), notes: Vec::new() };
    if staged.is_empty() {
        return Ok(out);
    }
    fsio::write_batch(staged.len(), |stage| staged.into_iter().try_for_each(|one| one.record(stage, &mut out)))?;
    Ok(out)
}

/// One object's file of a page, rendered and staged (not yet durable nor named).
pub(super) struct StagedObject {
    staged: fsio::Staged,
    pub(super) row: ObjectRow,
    /// Payload bytes downloaded for it.
    payload: u64,
    downloaded: bool,
    action: Action,
    /// The file it replaces, removed once its row is committed.
    old_file: Option<String>,
    note: Option<String>,
}

impl StagedObject {
    /// Hands the file to the batch (in page order) and its row and note to `out`.
    fn record(
        self,
        stage: &mut dyn FnMut(fsio::Staged) -> Result<(), MirrorError>,
        out: &mut Written,
    ) -> Result<(), MirrorError> {
        stage(self.staged)?;
        out.notes.extend(self.note);
        out.old_files.extend(self.old_file);
        out.rows.push((self.row, self.payload, self.downloaded, self.action));
        Ok(())
    }
}

/// Renders one object of a page and stages its file in its folder.
fn stage_one(
    dir: &Path,
    dirs: &HashMap<String, String>,
    (w, parts, downloaded): (Work, Vec<PartBytes>, bool),
) -> Result<StagedObject, MirrorError> {
    // A file edited locally is not overwritten silently: it goes to the trash first (pushing
    // local edits is not a thing the store allows; objects are immutable).
    let mut note = None;
    if let Some(k) = &w.known
        && abs(dir, &k.file).is_file()
        && !intact(dir, k)
    {
        note = Some(format!("{}: edited locally; the edited copy is in .cpmctl/trash/", k.file));
        fsio::discard(dir, &abs(dir, &k.file), false)?;
    }
    let folder_dir = dirs.get(&w.folder).ok_or_else(|| MirrorError::Invalid(format!("unknown folder {}", w.folder)))?;
    let (name, bytes, row) = render_object(folder_dir, &w, &parts)?;
    let payload = if downloaded { parts.iter().map(|p| p.bytes.len() as u64).sum() } else { 0 };
    let staged = fsio::stage_message(&abs(dir, folder_dir), &name, &bytes)?;
    let old_file = w.known.as_ref().filter(|k| k.file != row.file).map(|k| k.file.clone());
    Ok(StagedObject { staged, row, payload, downloaded, action: w.action, old_file, note })
}

pub(super) fn known_of(dir: &Path, k: &ObjectRow) -> Known {
    Known { folder: k.folder.clone(), flags: k.flag_set(), last_mod_seq: k.last_mod_seq, file_intact: intact(dir, k) }
}

/// Whether an indexed object's file still has the bytes written for it (hashing costs a read of
/// the mirror per run; it is what lets a run repair a file edited or truncated locally).
pub(super) fn intact(dir: &Path, k: &ObjectRow) -> bool {
    std::fs::read(abs(dir, &k.file)).is_ok_and(|b| fsio::sha256_hex(&b) == k.sha256)
}

pub(super) fn remote_of(o: &Object, folder: &str) -> Remote {
    Remote { folder: folder.to_string(), flags: plan::flag_set(&o.flags.flag), last_mod_seq: o.last_mod_seq }
}

/// The payload parts of an indexed object's file, when the file still has the bytes the index
/// recorded (an edited or unreadable file gives `None`: download instead).
pub(super) fn local_parts(dir: &Path, known: Option<&ObjectRow>) -> Option<Vec<PartBytes>> {
    let k = known?;
    let bytes = std::fs::read(abs(dir, &k.file)).ok()?;
    if fsio::sha256_hex(&bytes) != k.sha256 {
        return None;
    }
    formats::read(&bytes).ok().map(|p| p.parts)
}

pub(super) fn attr<'a>(o: &'a Object, name: &str) -> Option<&'a str> {
    o.attributes
        .attribute
        .iter()
        .find(|a| a.name.eq_ignore_ascii_case(name))
        .and_then(|a| a.value.first())
        .map(String::as_str)
}

/// Writes one object's file into its folder (durable, see [`fsio::write_message`]) and returns
/// its index row.
pub(super) fn write_object(dir: &Path, tree: &Tree, w: &Work, parts: &[PartBytes]) -> Result<ObjectRow, MirrorError> {
    let folder = tree.get(&w.folder).ok_or_else(|| MirrorError::Invalid(format!("unknown folder {}", w.folder)))?;
    let (name, bytes, row) = render_object(&folder.dir, w, parts)?;
    fsio::write_message(&abs(dir, &folder.dir), &name, &bytes)?;
    Ok(row)
}

/// One object's file in the CPM IMAP form, for the folder directory `folder_dir`: its file
/// name, its bytes and its index row.
fn render_object(folder_dir: &str, w: &Work, parts: &[PartBytes]) -> Result<(String, Vec<u8>, ObjectRow), MirrorError> {
    let mut portable = formats::portable(&w.object);
    // The folder is where the file is: not written into it, so moving or renaming a folder on
    // the store moves one directory instead of rewriting every file below it.
    portable.parent_folder_path = None;
    let bytes = formats::cpm_imap::to_vec(Some(&w.id), &portable, parts)
        .map_err(|e| MirrorError::Invalid(format!("object {}: {e}", w.id)))?;
    let name = layout::object_file_name(&w.id, &w.object.flags.flag);
    let row = ObjectRow {
        id: w.id.clone(),
        file: layout::object_rel_path(folder_dir, &name),
        folder: w.folder.clone(),
        flags: w.object.flags.flag.clone(),
        last_mod_seq: w.object.last_mod_seq,
        sha256: fsio::sha256_hex(&bytes),
        correlation_id: w.object.correlation_id.clone(),
        correlation_tag: w.object.correlation_tag.clone(),
        date: attr(&w.object, names::DATE).map(str::to_string),
    };
    Ok((name, bytes, row))
}
