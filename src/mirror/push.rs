//! The push: changes made inside the mirror reach the store (the CPM profile's client uploads).
//! A file renamed to other Maildir letters → bulkUpdate of the flags; a new RFC 5322 file in a
//! folder's `new/` or `cur/` → bulkCreation in that folder, then the file is replaced by the
//! object's own file and indexed; a file deleted locally → deleted on the store only with
//! `--delete`. Plan first ([`scan`], pure reads), then apply; the decisions are in `plan.rs`.
//!
//! Crash safety: a flag push is idempotent (add/remove), so a crash before the index commit
//! pushes it again. An upload searches the store for the object first (by correlationId, by
//! correlationTag plus Date, or an identical object in the folder), so a crash between the
//! creation and the index commit adopts the object instead of creating it twice.

use std::path::Path;

use super::fsio::{self, abs};
use super::index::{Index, ObjectRow};
use super::layout::{self, is_safe_rel};
use super::objects::{Work, write_object};
use super::plan::{self, LocalDelete};
use super::store::{self, Tree};
use super::sweep::for_each_unknown;
use super::{MirrorError, SyncOptions, SyncReporter, SyncSummary};
use crate::formats::{self, PartBytes};
use crate::nms::{NewObject, NmsClient, id_from_url};
use crate::wire::multipart::Part;
use crate::wire::{
    BulkDelete, BulkOperation, BulkUpdate, FlagList, Object, ObjectReferenceList, Reference, SearchCriteria,
    SearchCriterion, SelectionCriteria, names,
};

/// Objects per bulk request (well under what servers accept in one call).
const BULK: usize = 100;
/// Objects per bulkCreation (each carries its payload in the request body).
const BULK_CREATE: usize = 20;
/// Most local files looked at in one folder in one run (more wait for the next run).
const MAX_LOCAL_FILES: usize = 1_000_000;
/// Candidates compared when looking for an identical object already on the store.
const MAX_CANDIDATES: u64 = 50;

/// A file renamed to other letters: its row and its new name.
#[derive(Debug, Clone)]
pub struct Renamed {
    pub row: ObjectRow,
    /// The file's path now, relative to the mirror.
    pub file: String,
    pub push: plan::FlagPush,
}

/// A file the index does not know, in a folder's `new/` or `cur/`.
#[derive(Debug, Clone)]
pub struct NewFile {
    pub folder: String,
    pub file: String,
}

/// What the mirror changed since the last sync.
#[derive(Debug, Default)]
pub struct LocalChanges {
    pub renamed: Vec<Renamed>,
    pub deleted: Vec<ObjectRow>,
    pub new_files: Vec<NewFile>,
}

/// Reads the mirror against the index (nothing written): renamed files, new files, files gone.
pub fn scan(dir: &Path, index: &Index, tree: &Tree) -> Result<LocalChanges, MirrorError> {
    let mut out = LocalChanges::default();
    let mut renamed_ids = std::collections::HashSet::new();
    for f in &tree.folders {
        if !is_safe_rel(&f.dir) {
            continue;
        }
        for sub in ["cur", "new"] {
            let Ok(entries) = std::fs::read_dir(abs(dir, &f.dir).join(sub)) else { continue };
            // Names that are not UTF-8 or are hidden are not mail files of ours to push.
            let files = entries.flatten().take(MAX_LOCAL_FILES).filter_map(|e| {
                let name = e.file_name().to_str().filter(|n| !n.starts_with('.'))?.to_string();
                if !e.file_type().is_ok_and(|t| t.is_file()) {
                    return None;
                }
                let rel = if f.dir.is_empty() { format!("{sub}/{name}") } else { format!("{}/{sub}/{name}", f.dir) };
                Some((name, rel, e))
            });
            // Files a row names are as the index has them; the others are looked at one by one.
            for_each_unknown(
                index,
                files,
                |(_, rel, _)| rel.clone(),
                |(name, rel, e)| {
                    let base = layout::base_of(&name);
                    match index.object_by_base(base)? {
                        // Our file under other letters (in the same folder; a file moved to another
                        // folder by hand is not a move on the store: the pull puts it back).
                        Some(row) if sub == "cur" && row.folder == f.id => {
                            if abs(dir, &row.file).exists() || !renamed_ids.insert(row.id.clone()) {
                                // The indexed name is still there: this is an older copy (the pull's
                                // sweep removes it), or a second renamed copy.
                                return Ok(());
                            }
                            let letters = name.split_once(":2,").map_or("", |(_, l)| l);
                            let push = plan::flag_push(&row.flags, letters);
                            out.renamed.push(Renamed { row, file: rel, push });
                        }
                        Some(_) => {}
                        // A file sync itself wrote whose row a killed run never committed: the pull
                        // adopts or replaces it; uploading it would delete the file it then writes.
                        None if sub == "cur" && written_by_sync(&e.path(), base) => {}
                        None => out.new_files.push(NewFile { folder: f.id.clone(), file: rel }),
                    }
                    Ok(())
                },
            )?;
        }
    }
    let mut after = String::new();
    loop {
        let rows = index.objects_after(&after, 1000)?;
        let Some(last) = rows.last() else { break };
        after = last.id.clone();
        for row in rows {
            if is_safe_rel(&row.file) && !abs(dir, &row.file).exists() && !renamed_ids.contains(&row.id) {
                out.deleted.push(row);
            }
        }
    }
    Ok(out)
}

/// Whether a file is one sync writes: named `<safe id>:2,…` after the object id its own
/// `X-NMS-Object-Id` header names.
pub(super) fn written_by_sync(path: &Path, base: &str) -> bool {
    let Ok(meta) = std::fs::metadata(path) else { return false };
    if meta.len() > formats::cpm_imap::MAX_MESSAGE_BYTES as u64 {
        return false;
    }
    let Ok(bytes) = std::fs::read(path) else { return false };
    formats::read(&bytes).ok().and_then(|p| p.id).is_some_and(|id| formats::safe_file_name(&id) == base)
}

/// Counts what a push would do (`--dry-run`) and applies the delete guard.
pub fn plan_counts(
    changes: &LocalChanges,
    opts: &SyncOptions,
    total: u64,
    summary: &mut SyncSummary,
) -> Result<(), MirrorError> {
    guard(changes, opts, total)?;
    summary.flags_pushed = changes.renamed.iter().filter(|r| !r.push.is_empty()).count() as u64;
    summary.uploaded = changes.new_files.len() as u64;
    if opts.delete {
        summary.deleted_on_store = changes.deleted.len() as u64;
    } else {
        summary.restored = changes.deleted.len() as u64;
    }
    Ok(())
}

/// The delete guard covers pushed deletions too.
fn guard(changes: &LocalChanges, opts: &SyncOptions, total: u64) -> Result<(), MirrorError> {
    let would = if opts.delete { changes.deleted.len() as u64 } else { 0 };
    let allowed = opts.max_delete.allowed(total);
    if would > allowed {
        return Err(MirrorError::DeleteGuard { would, allowed, total, side: "mirror no longer has" });
    }
    Ok(())
}

/// Pushes the mirror's changes to the store.
pub async fn push(
    client: &NmsClient,
    index: &Index,
    tree: &Tree,
    opts: &SyncOptions,
    run: u64,
    rep: &dyn SyncReporter,
    summary: &mut SyncSummary,
) -> Result<(), MirrorError> {
    let dir = opts.dir.as_path();
    let changes = scan(dir, index, tree)?;
    guard(&changes, opts, index.count_objects()?)?;
    push_flags(client, index, &changes.renamed, run, rep, summary).await?;
    push_deletes(client, index, &changes.deleted, opts, rep, summary).await?;
    upload(client, index, tree, opts, &changes.new_files, run, rep, summary).await?;
    Ok(())
}

/// Flag changes: one bulkUpdate per (operation, flag) for up to [`BULK`] objects, then the rows
/// take the new file name and the merged flags (the pull then rewrites the file's X-NMS block).
async fn push_flags(
    client: &NmsClient,
    index: &Index,
    renamed: &[Renamed],
    run: u64,
    rep: &dyn SyncReporter,
    summary: &mut SyncSummary,
) -> Result<(), MirrorError> {
    let mut ops: std::collections::BTreeMap<(u8, String), Vec<&str>> = Default::default();
    for r in renamed {
        for f in &r.push.add {
            ops.entry((0, f.clone())).or_default().push(&r.row.id);
        }
        for f in &r.push.remove {
            ops.entry((1, f.clone())).or_default().push(&r.row.id);
        }
    }
    let mut failed = std::collections::HashSet::new();
    for ((op, flag), ids) in &ops {
        for chunk in ids.chunks(BULK) {
            let u = BulkUpdate {
                objects: Some(refs(client, chunk)),
                selection_criteria: None,
                operation: if *op == 0 { BulkOperation::AddFlag } else { BulkOperation::RemoveFlag },
                flags: FlagList { flag: vec![flag.clone()], resource_url: None },
            };
            let answer = client.bulk_update(&u).await?;
            failed.extend(failures(&answer, chunk));
        }
    }
    index.begin()?;
    for r in renamed {
        if failed.contains(r.row.id.as_str()) {
            rep.note(&format!("object {}: the store refused its flag change; it is retried next run", r.row.id));
            continue;
        }
        let mut row = r.row.clone();
        let mut flags: Vec<String> =
            row.flags.iter().filter(|f| !r.push.remove.iter().any(|x| x.eq_ignore_ascii_case(f))).cloned().collect();
        flags.extend(r.push.add.iter().cloned());
        row.flags = flags;
        row.file = r.file.clone();
        // Stamped as not yet seen by this run: a listing after the push still decides whether
        // the store has it.
        index.upsert_object(&row, run.saturating_sub(1))?;
        summary.flags_pushed += u64::from(!r.push.is_empty());
        rep.object_done(0);
    }
    index.commit()?;
    Ok(())
}

/// Files deleted in the mirror: with `--delete` deleted on the store (unless the store changed
/// the object since, which keeps it); without, they come back at the pull.
async fn push_deletes(
    client: &NmsClient,
    index: &Index,
    deleted: &[ObjectRow],
    opts: &SyncOptions,
    rep: &dyn SyncReporter,
    summary: &mut SyncSummary,
) -> Result<(), MirrorError> {
    if deleted.is_empty() {
        return Ok(());
    }
    if !opts.delete {
        summary.restored += deleted.len() as u64;
        let how = if opts.push_only { "at the next pull" } else { "from the store now" };
        rep.note(&format!(
            "{} file(s) deleted in the mirror come back {how}; `sync --delete` deletes them on the store",
            deleted.len()
        ));
        return Ok(());
    }
    let mut to_delete = Vec::new();
    let mut forget = Vec::new();
    for row in deleted {
        let store_seq = match client.get_object(&row.id).await {
            Ok(o) => Some(o.last_mod_seq),
            Err(e) if e.is_not_found() => None,
            Err(e) => return Err(e.into()),
        };
        match plan::local_delete(true, row.last_mod_seq, store_seq) {
            LocalDelete::Delete => to_delete.push(row.id.as_str()),
            LocalDelete::Forget => forget.push(row.id.as_str()),
            LocalDelete::KeepChanged => {
                summary.restored += 1;
                rep.note(&format!(
                    "object {}: deleted in the mirror but changed on the store since; kept, it comes back",
                    row.id
                ));
            }
            LocalDelete::Restore => summary.restored += 1,
        }
    }
    for chunk in to_delete.chunks(BULK) {
        let answer =
            client.bulk_delete(&BulkDelete { objects: Some(refs(client, chunk)), selection_criteria: None }).await?;
        let failed = failures(&answer, chunk);
        index.begin()?;
        for id in chunk {
            if failed.contains(id) {
                rep.note(&format!("object {id}: the store refused to delete it; it comes back"));
                continue;
            }
            index.delete_object(id)?;
            summary.deleted_on_store += 1;
            rep.object_done(0);
        }
        index.commit()?;
    }
    index.begin()?;
    for id in forget {
        index.delete_object(id)?;
    }
    index.commit()?;
    Ok(())
}

fn refs(client: &NmsClient, ids: &[&str]) -> ObjectReferenceList {
    ObjectReferenceList {
        object_reference: ids.iter().map(|id| Reference::new(client.object_url(id).to_string())).collect(),
    }
}

/// Ids whose item in a bulk answer failed: matched by URL, else by position.
fn failures<'a>(answer: &crate::wire::BulkResponseList, ids: &[&'a str]) -> std::collections::HashSet<&'a str> {
    let mut out = std::collections::HashSet::new();
    for (i, r) in answer.response.iter().enumerate() {
        if r.failure.is_none() && r.code < 300 {
            continue;
        }
        let named = r.success.as_ref().map(|s| id_from_url(&s.resource_url));
        match named.and_then(|n| ids.iter().find(|id| **id == n)) {
            Some(id) => out.insert(*id),
            None => ids.get(i).map(|id| out.insert(*id)).unwrap_or(false),
        };
    }
    out
}

/// One dropped-in file, parsed.
struct Upload {
    file: String,
    folder: String,
    object: Object,
    parts: Vec<PartBytes>,
}

/// New files: parsed, looked up on the store, created (bulkCreation) when not there, then
/// replaced by the object's own file and indexed; the dropped-in file goes last.
#[allow(clippy::too_many_arguments)]
async fn upload(
    client: &NmsClient,
    index: &Index,
    tree: &Tree,
    opts: &SyncOptions,
    files: &[NewFile],
    run: u64,
    rep: &dyn SyncReporter,
    summary: &mut SyncSummary,
) -> Result<(), MirrorError> {
    let dir = opts.dir.as_path();
    let mut pending: Vec<(Upload, Option<String>)> = Vec::new();
    for nf in files {
        let Some(up) = read_upload(dir, nf, rep) else { continue };
        let found = find_existing(client, &up.object, &up.folder).await?;
        pending.push((up, found));
    }
    for batch in pending.chunks(BULK_CREATE) {
        let create: Vec<&Upload> = batch.iter().filter(|(_, f)| f.is_none()).map(|(u, _)| u).collect();
        let mut created = std::collections::HashMap::new();
        if !create.is_empty() {
            let objs: Vec<NewObject> = create
                .iter()
                .map(|u| NewObject { object: new_object(client, u), parts: u.parts.iter().map(wire_part).collect() })
                .collect();
            let answer = client.bulk_create(&objs).await?;
            for (i, u) in create.iter().enumerate() {
                match answer.response.get(i) {
                    Some(r) if r.failure.is_none() && r.code < 300 => match &r.success {
                        Some(s) if !s.resource_url.is_empty() => {
                            created.insert(u.file.clone(), id_from_url(&s.resource_url));
                        }
                        _ => rep.note(&format!("{:?}: the store created it without naming it", u.file)),
                    },
                    Some(r) => rep.note(&format!("{:?}: the store refused it ({} {})", u.file, r.code, r.reason)),
                    None => rep.note(&format!("{:?}: the store did not answer for it", u.file)),
                }
            }
        }
        for (up, found) in batch {
            let Some(id) = found.clone().or_else(|| created.get(&up.file).cloned()) else { continue };
            adopt(client, index, tree, dir, up, &id, run, rep).await?;
            if found.is_some() {
                summary.adopted += 1;
            } else {
                summary.uploaded += 1;
            }
            rep.object_done(0);
        }
    }
    Ok(())
}

/// Reads and parses a dropped-in file; a file that is too big or not a message is left alone
/// with a note (nothing changed).
fn read_upload(dir: &Path, nf: &NewFile, rep: &dyn SyncReporter) -> Option<Upload> {
    let path = abs(dir, &nf.file);
    let too_big = std::fs::metadata(&path).map_or(true, |m| m.len() > formats::cpm_imap::MAX_MESSAGE_BYTES as u64);
    if too_big {
        rep.note(&format!("{:?}: unreadable or larger than a message may be; left alone", nf.file));
        return None;
    }
    let parsed = match std::fs::read(&path)
        .map_err(|e| e.to_string())
        .and_then(|b| formats::read(&b).map_err(|e| e.to_string()))
    {
        Ok(p) => p,
        Err(e) => {
            rep.note(&format!("{:?}: not uploaded: {e}; left alone", nf.file));
            return None;
        }
    };
    let mut object = parsed.object;
    // Letters of a file in `cur/` are flags too (a mail client may have marked it already).
    if let Some((_, letters)) = nf.file.rsplit('/').next().and_then(|n| n.split_once(":2,")) {
        for f in formats::flags_from_maildir(letters) {
            if !object.flags.flag.iter().any(|x| x.eq_ignore_ascii_case(&f)) {
                object.flags.flag.push(f);
            }
        }
    }
    Some(Upload { file: nf.file.clone(), folder: nf.folder.clone(), object, parts: parsed.parts })
}

/// The object to create: what the file says, placed in the folder it was dropped into.
fn new_object(client: &NmsClient, u: &Upload) -> Object {
    let mut o = u.object.clone();
    o.parent_folder = Some(client.folder_url(&u.folder).to_string());
    o.parent_folder_path = None;
    o.last_mod_seq = None;
    o
}

/// A payload part as a multipart part of a creation request.
fn wire_part(p: &PartBytes) -> Part {
    let ctype = if p.content_type.trim().is_empty() { "application/octet-stream" } else { &p.content_type };
    let mut part = Part::new(ctype, p.bytes.clone());
    if let Some(id) = &p.content_id {
        part = part.with_header("content-id", &format!("<{id}>"));
    }
    if let Some(l) = &p.content_location {
        part = part.with_header("content-location", l);
    }
    let disposition = match (&p.disposition, &p.filename) {
        (d, Some(f)) => Some(format!(
            "{}; filename=\"{}\"",
            d.as_deref().unwrap_or("attachment"),
            f.replace(['"', '\\', '\r', '\n'], "_")
        )),
        (Some(d), None) => Some(d.clone()),
        (None, None) => None,
    };
    if let Some(d) = disposition {
        part = part.with_header("content-disposition", &d);
    }
    part
}

fn attr<'a>(o: &'a Object, name: &str) -> Option<&'a str> {
    o.attributes
        .attribute
        .iter()
        .find(|a| a.name.eq_ignore_ascii_case(name))
        .and_then(|a| a.value.first())
        .map(String::as_str)
        .filter(|v| !v.trim().is_empty())
}

/// The store's object this file already is, if any: by correlationId; else by correlationTag
/// plus Date (a tag alone repeats for repeated texts); else an object in the folder with the
/// same Date and the same attributes.
pub(super) async fn find_existing(client: &NmsClient, o: &Object, folder: &str) -> Result<Option<String>, MirrorError> {
    let date = attr(o, names::DATE);
    let by = |name: &str, value: &str, scope: Option<&str>| SelectionCriteria {
        max_entries: MAX_CANDIDATES,
        search_scope: scope.map(|f| Reference::new(client.folder_url(f).to_string())),
        search_criteria: Some(SearchCriteria {
            criterion: vec![SearchCriterion::new("Attribute", Some(name), value)],
            operator: None,
        }),
        ..Default::default()
    };
    let criteria = if let Some(cid) = o.correlation_id.as_deref().filter(|c| !c.is_empty()) {
        by("correlationId", cid, None)
    } else if let (Some(tag), Some(_)) = (o.correlation_tag.as_deref().filter(|t| !t.is_empty()), date) {
        by("correlationTag", tag, None)
    } else if let Some(d) = date {
        by(names::DATE, d, Some(folder))
    } else {
        return Ok(None);
    };
    let page = client.search_page(&criteria).await?;
    let want = attr_set(o);
    for c in page.object {
        let Some(url) = c.resource_url.as_deref() else { continue };
        let matches = if o.correlation_id.as_deref().is_some_and(|c| !c.is_empty()) {
            true
        } else if o.correlation_tag.as_deref().is_some_and(|t| !t.is_empty()) {
            attr(&c, names::DATE) == date
        } else {
            attr_set(&c) == want
        };
        if matches {
            return Ok(Some(id_from_url(url)));
        }
    }
    Ok(None)
}

/// Attributes compared as a set of (lower-case name, values).
fn attr_set(o: &Object) -> std::collections::BTreeSet<(String, Vec<String>)> {
    o.attributes.attribute.iter().map(|a| (a.name.to_ascii_lowercase(), a.value.clone())).collect()
}

/// The object `id` on the store becomes this file's object: its own file is written (from the
/// store, as the pull would) and indexed, then the dropped-in file is removed.
#[allow(clippy::too_many_arguments)]
async fn adopt(
    client: &NmsClient,
    index: &Index,
    tree: &Tree,
    dir: &Path,
    up: &Upload,
    id: &str,
    run: u64,
    rep: &dyn SyncReporter,
) -> Result<(), MirrorError> {
    let known = index.object(id)?.filter(|k| is_safe_rel(&k.file));
    let done = known.as_ref().is_some_and(|k| super::objects::intact(dir, k));
    if !done {
        let object = client.get_object(id).await?;
        let Some(folder) = tree.folder_of(&object) else {
            rep.note(&format!(
                "{:?} is object {id} in a folder the mirror does not know yet; the next run fetches it",
                up.file
            ));
            return Ok(());
        };
        let parts = store::payload(client, &object).await?;
        let w = Work { id: id.to_string(), object, folder, known: None, action: plan::Action::Download };
        let row = write_object(dir, tree, &w, &parts)?;
        fsio::sync_dir(&abs(dir, row.file.rsplit_once('/').map_or("", |(d, _)| d)))?;
        index.begin()?;
        index.upsert_object(&row, run.saturating_sub(1))?;
        index.commit()?;
    }
    // The object's own file is durable and indexed: the dropped-in copy can go (unless it is
    // that very file).
    let own = index.object(id)?.map(|k| k.file);
    if own.as_deref() == Some(up.file.as_str()) {
        return Ok(());
    }
    match std::fs::remove_file(abs(dir, &up.file)) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(MirrorError::io(format!("cannot remove {}", up.file), e)),
    }
}
