//! Folder rows: the tree, paths, implicit creation, rename, move, copy, recursive delete, counts.

use std::collections::HashSet;

use rusqlite::{Connection, OptionalExtension, params};

use super::changes::{self, Change, ChangeKind};
use super::objects::{self, unique_id};
use super::{Tx, now_string};
use crate::server::error::{ApiError, ApiResult};
use crate::wire::AttributeList;

/// A stored folder.
#[derive(Debug, Clone)]
pub struct FolderRow {
    pub id: String,
    pub parent_id: Option<String>,
    pub name: String,
    pub attributes: AttributeList,
    pub last_mod_seq: u64,
}

impl FolderRow {
    pub fn is_root(&self) -> bool {
        self.parent_id.is_none()
    }
}

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<FolderRow> {
    let attrs: String = r.get(3)?;
    Ok(FolderRow {
        id: r.get(0)?,
        parent_id: r.get(1)?,
        name: r.get(2)?,
        attributes: serde_json::from_str(&attrs).unwrap_or_default(),
        last_mod_seq: r.get::<_, i64>(4)? as u64,
    })
}

const COLUMNS: &str = "id, parent_id, name, attributes, last_mod_seq";

/// Id order for the rows of one parent. `+id` is an expression, so SQLite cannot take the order
/// from the (box, id) key: with plain `id` it walks every folder of the box in key order to
/// skip a sort, which makes each tree step linear in the box and deep trees quadratic (a
/// 3,000-level path held the writer for 37 s). With it, the parent index finds the few rows
/// and they are sorted.
pub const BY_ID: &str = "ORDER BY +id";

pub fn get(c: &Connection, box_id: &str, id: &str) -> ApiResult<Option<FolderRow>> {
    let mut st = c.prepare_cached(&format!("SELECT {COLUMNS} FROM folders WHERE box = ?1 AND id = ?2"))?;
    Ok(st.query_row(params![box_id, id], from_row).optional()?)
}

/// One folder or 404 SVC0004.
pub fn require(c: &Connection, box_id: &str, id: &str) -> ApiResult<FolderRow> {
    get(c, box_id, id)?.ok_or_else(|| ApiError::not_found(format!("folder {id}")))
}

/// Direct sub-folders, ordered by id.
pub fn children(c: &Connection, box_id: &str, parent: &str) -> ApiResult<Vec<FolderRow>> {
    let mut st =
        c.prepare_cached(&format!("SELECT {COLUMNS} FROM folders WHERE box = ?1 AND parent_id = ?2 {BY_ID}"))?;
    let rows = st.query_map(params![box_id, parent], from_row)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Every folder of the box.
pub fn all(c: &Connection, box_id: &str) -> ApiResult<Vec<FolderRow>> {
    let mut st = c.prepare_cached(&format!("SELECT {COLUMNS} FROM folders WHERE box = ?1 ORDER BY id"))?;
    let rows = st.query_map(params![box_id], from_row)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

pub fn find_child(c: &Connection, box_id: &str, parent: &str, name: &str) -> ApiResult<Option<FolderRow>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM folders WHERE box = ?1 AND parent_id = ?2 AND name = ?3 {BY_ID} LIMIT 1"
    ))?;
    Ok(st.query_row(params![box_id, parent, name], from_row).optional()?)
}

/// The folder's path: names from the root joined by `/` (the root's path is empty). Walked
/// upwards in a loop, whole however deep the tree is; a cycle (a corrupt store) is an error,
/// not a hang or a cut path.
pub fn path_of(c: &Connection, box_id: &str, id: &str) -> ApiResult<String> {
    let mut names = Vec::new();
    let mut seen = HashSet::new();
    let mut cur = require(c, box_id, id)?;
    while let Some(parent) = cur.parent_id.clone() {
        if !seen.insert(cur.id.clone()) {
            return Err(ApiError::internal(format!("folder {id}: its ancestors form a cycle")));
        }
        names.push(std::mem::take(&mut cur.name));
        cur = require(c, box_id, &parent)?;
    }
    names.reverse();
    Ok(names.iter().map(|n| format!("/{n}")).collect())
}

/// The folder's level: 0 for the root, 1 for its children, ….
pub fn depth_of(c: &Connection, box_id: &str, id: &str) -> ApiResult<usize> {
    let mut seen = HashSet::new();
    let mut cur = require(c, box_id, id)?;
    while let Some(parent) = cur.parent_id.clone() {
        if !seen.insert(cur.id.clone()) {
            return Err(ApiError::internal(format!("folder {id}: its ancestors form a cycle")));
        }
        cur = require(c, box_id, &parent)?;
    }
    Ok(seen.len())
}

/// Levels of the subtree at `id` (1 for a folder without sub-folders), walked breadth-first.
pub fn height(c: &Connection, box_id: &str, id: &str) -> ApiResult<usize> {
    let mut level = vec![id.to_string()];
    let mut levels = 0;
    while !level.is_empty() {
        levels += 1;
        let mut next = Vec::new();
        for f in &level {
            next.extend(children(c, box_id, f)?.into_iter().map(|k| k.id));
        }
        level = next;
    }
    Ok(levels)
}

/// 400 SVC0002 when a folder would sit at `level` (root = 0), past the configured depth.
fn check_depth(t: &Tx<'_>, field: &str, level: usize) -> ApiResult<()> {
    let max = t.limits.max_folder_depth;
    if level > max {
        return Err(ApiError::invalid_because(
            field,
            format!("a folder would be {level} levels deep; at most {max} are allowed"),
        ));
    }
    Ok(())
}

/// 403 POL1031 when the folder `id` is, or lies below, a protected folder (create, move or copy into it).
pub fn check_not_protected(t: &Tx<'_>, id: &str) -> ApiResult<()> {
    if t.policy.protected.is_empty() {
        return Ok(());
    }
    let path = path_of(&t.tx, &t.box_id, id)?;
    check_path_not_protected(t, &path)
}

/// [`check_not_protected`] for a path that may not exist yet (an object's parentFolderPath).
pub fn check_path_not_protected(t: &Tx<'_>, path: &str) -> ApiResult<()> {
    match t.policy.protecting(path) {
        Some(p) => Err(ApiError::create_forbidden(p.to_string())),
        None => Ok(()),
    }
}

fn segments(path: &str) -> Vec<&str> {
    path.split('/').filter(|s| !s.is_empty()).collect()
}

/// The folder at `path` (`""` and `"/"` are the root), if it exists.
pub fn resolve_path(c: &Connection, box_id: &str, root: &str, path: &str) -> ApiResult<Option<String>> {
    // An empty segment inside the path (`/a//b`) names nothing: the spec answers 404 (D.24).
    let inner = path.strip_prefix('/').unwrap_or(path);
    let inner = inner.strip_suffix('/').unwrap_or(inner);
    if !inner.is_empty() && inner.split('/').any(str::is_empty) {
        return Ok(None);
    }
    let mut cur = root.to_string();
    for seg in segments(path) {
        match find_child(c, box_id, &cur, seg)? {
            Some(f) => cur = f.id,
            None => return Ok(None),
        }
    }
    Ok(Some(cur))
}

/// The folder at `path`, creating missing folders on the way (TS 5.3.2.1: parentFolderPath).
/// A path deeper than the limit is refused before anything is created.
pub fn ensure_path(t: &mut Tx<'_>, path: &str) -> ApiResult<String> {
    let segs = segments(path);
    check_depth(t, "parentFolderPath", segs.len())?;
    check_path_not_protected(t, path)?;
    let mut cur = t.root_id.clone();
    for seg in segs {
        cur = match find_child(&t.tx, &t.box_id, &cur, seg)? {
            Some(f) => f.id,
            None => create_checked_depth(t, &cur, Some(seg), AttributeList::default())?.id,
        };
    }
    Ok(cur)
}

/// Rejects names the tree cannot hold.
pub fn check_name(name: &str) -> ApiResult<()> {
    if name.contains('/') || name.trim().is_empty() || name.len() > 255 || name.chars().any(char::is_control) {
        return Err(ApiError::invalid_because("name", "a folder name must be non-empty and must not contain '/'"));
    }
    Ok(())
}

fn generated_name(c: &Connection, box_id: &str, parent: &str) -> ApiResult<String> {
    for n in 1u32.. {
        let name = format!("folder-{n}");
        if find_child(c, box_id, parent, &name)?.is_none() {
            return Ok(name);
        }
    }
    Err(ApiError::internal("no free folder name"))
}

/// Attributes stored for a folder: the client's, minus the server-maintained ones.
fn stored_attributes(attrs: &AttributeList) -> AttributeList {
    let mut out = objects::canonical_attributes(attrs);
    out.attribute.retain(|a| !crate::wire::names::is_folder_computed(&a.name));
    out
}

/// Creates a folder under `parent`; a missing name is generated, a taken one is a 409, one
/// past the depth limit a 400.
pub fn create(t: &mut Tx<'_>, parent: &str, name: Option<&str>, attrs: AttributeList) -> ApiResult<FolderRow> {
    let level = depth_of(&t.tx, &t.box_id, parent)? + 1;
    check_depth(t, "parentFolder", level)?;
    check_not_protected(t, parent)?;
    create_checked_depth(t, parent, name, attrs)
}

/// [`create`] for callers that checked the depth of everything they create beforehand.
fn create_checked_depth(
    t: &mut Tx<'_>,
    parent: &str,
    name: Option<&str>,
    attrs: AttributeList,
) -> ApiResult<FolderRow> {
    require(&t.tx, &t.box_id, parent)?;
    let name = match name.map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) => {
            check_name(n)?;
            if find_child(&t.tx, &t.box_id, parent, n)?.is_some() {
                return Err(ApiError::conflict(format!("a folder named {n:?} already exists there")));
            }
            n.to_string()
        }
        None => generated_name(&t.tx, &t.box_id, parent)?,
    };
    let id = unique_id(&t.tx, &t.box_id)?;
    let seq = t.next_seq()?;
    let row = FolderRow {
        id,
        parent_id: Some(parent.to_string()),
        name,
        attributes: stored_attributes(&attrs),
        last_mod_seq: seq,
    };
    t.tx.execute(
        "INSERT INTO folders (box, id, parent_id, name, attributes, last_mod_seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            t.box_id,
            row.id,
            row.parent_id,
            row.name,
            serde_json::to_string(&row.attributes).unwrap_or_default(),
            seq as i64
        ],
    )?;
    record(t, seq, ChangeKind::Created, &row)?;
    Ok(row)
}

fn record(t: &mut Tx<'_>, seq: u64, kind: ChangeKind, row: &FolderRow) -> ApiResult<()> {
    let ch =
        Change::folder(&t.box_id, seq, kind, &row.id, row.parent_id.as_deref(), Some(row.name.clone()), now_string());
    changes::append(&t.tx, &t.box_id.clone(), &ch)
}

/// Renames a folder. The root, and folders the policy fixes or protects, keep their names: 403 POL1030.
pub fn rename(t: &mut Tx<'_>, id: &str, name: &str) -> ApiResult<FolderRow> {
    let mut row = require(&t.tx, &t.box_id, id)?;
    let Some(parent) = row.parent_id.clone() else { return Err(ApiError::rename_forbidden()) };
    if !t.policy.is_empty() && t.policy.name_is_fixed(&path_of(&t.tx, &t.box_id, id)?) {
        return Err(ApiError::rename_forbidden());
    }
    check_name(name)?;
    if row.name == name {
        return Ok(row);
    }
    if find_child(&t.tx, &t.box_id, &parent, name)?.is_some() {
        return Err(ApiError::conflict(format!("a folder named {name:?} already exists there")));
    }
    let seq = t.next_seq()?;
    row.name = name.to_string();
    row.last_mod_seq = seq;
    t.tx.execute(
        "UPDATE folders SET name = ?3, last_mod_seq = ?4 WHERE box = ?1 AND id = ?2",
        params![t.box_id, id, name, seq as i64],
    )?;
    record(t, seq, ChangeKind::Changed, &row)?;
    Ok(row)
}

/// The folder and all folders below it (the folder first).
pub fn subtree(c: &Connection, box_id: &str, id: &str) -> ApiResult<Vec<String>> {
    let mut out = vec![id.to_string()];
    let mut i = 0;
    while i < out.len() {
        let kids = children(c, box_id, &out[i])?;
        out.extend(kids.into_iter().map(|k| k.id));
        i += 1;
    }
    Ok(out)
}

/// Deletes a folder and everything below it (the root: 403).
pub fn delete(t: &mut Tx<'_>, id: &str) -> ApiResult<()> {
    let row = require(&t.tx, &t.box_id, id)?;
    if row.is_root() {
        return Err(ApiError::forbidden("the root folder cannot be deleted"));
    }
    let folders = subtree(&t.tx, &t.box_id, id)?;
    // Children before parents, objects before their folder, so replayed events stay consistent.
    for fid in folders.iter().rev() {
        for oid in objects::ids_in_folder(&t.tx, &t.box_id, fid)? {
            objects::delete(t, &oid)?;
        }
        let f = require(&t.tx, &t.box_id, fid)?;
        let seq = t.next_seq()?;
        t.tx.execute("DELETE FROM folders WHERE box = ?1 AND id = ?2", params![t.box_id, fid])?;
        t.tx.execute(
            "INSERT OR REPLACE INTO tombstones (box, id, resource, last_mod_seq) VALUES (?1, ?2, 'folder', ?3)",
            params![t.box_id, fid, seq as i64],
        )?;
        record(t, seq, ChangeKind::Deleted, &f)?;
    }
    Ok(())
}

/// Moves a folder under `target` (not under itself, never the root).
pub fn move_to(t: &mut Tx<'_>, id: &str, target: &str) -> ApiResult<FolderRow> {
    let mut row = require(&t.tx, &t.box_id, id)?;
    if row.is_root() {
        return Err(ApiError::forbidden("the root folder cannot be moved"));
    }
    if subtree(&t.tx, &t.box_id, id)?.iter().any(|f| f == target) {
        return Err(ApiError::create_forbidden(target.to_string()));
    }
    if row.parent_id.as_deref() == Some(target) {
        return Ok(row);
    }
    let deepest = depth_of(&t.tx, &t.box_id, target)? + height(&t.tx, &t.box_id, id)?;
    check_depth(t, "targetRef", deepest)?;
    if find_child(&t.tx, &t.box_id, target, &row.name)?.is_some() {
        return Err(ApiError::conflict(format!("a folder named {:?} already exists there", row.name)));
    }
    let seq = t.next_seq()?;
    row.parent_id = Some(target.to_string());
    row.last_mod_seq = seq;
    t.tx.execute(
        "UPDATE folders SET parent_id = ?3, last_mod_seq = ?4 WHERE box = ?1 AND id = ?2",
        params![t.box_id, id, target, seq as i64],
    )?;
    record(t, seq, ChangeKind::Moved, &row)?;
    Ok(row)
}

/// Copies a folder with everything below it under `target`; a taken name gets a suffix.
pub fn copy_to(t: &mut Tx<'_>, id: &str, target: &str) -> ApiResult<FolderRow> {
    let row = require(&t.tx, &t.box_id, id)?;
    if subtree(&t.tx, &t.box_id, id)?.iter().any(|f| f == target) {
        return Err(ApiError::create_forbidden(target.to_string()));
    }
    let base = if row.is_root() { "root".to_string() } else { row.name.clone() };
    let mut name = base.clone();
    let mut n = 1;
    while find_child(&t.tx, &t.box_id, target, &name)?.is_some() {
        n += 1;
        name = format!("{base} ({n})");
    }
    let deepest = depth_of(&t.tx, &t.box_id, target)? + height(&t.tx, &t.box_id, id)?;
    check_depth(t, "targetRef", deepest)?;
    let copy = create_checked_depth(t, target, Some(&name), row.attributes.clone())?;
    copy_contents(t, id, &copy.id)?;
    Ok(copy)
}

/// Copies the objects and sub-folders of `from` into `to`, level by level with an explicit
/// work list: a deep tree must not grow the stack (the depth was checked by the caller).
fn copy_contents(t: &mut Tx<'_>, from: &str, to: &str) -> ApiResult<()> {
    let mut pending = vec![(from.to_string(), to.to_string())];
    while let Some((from, to)) = pending.pop() {
        for oid in objects::ids_in_folder(&t.tx, &t.box_id, &from)? {
            objects::copy_to(t, &oid, &to)?;
        }
        for kid in children(&t.tx, &t.box_id, &from)? {
            let c = create_checked_depth(t, &to, Some(&kid.name), kid.attributes.clone())?;
            pending.push((kid.id, c.id));
        }
    }
    Ok(())
}

/// (message count, unread count, payload bytes) of the objects directly in the folders given.
pub fn counts(c: &Connection, box_id: &str, folder_ids: &[String]) -> ApiResult<(u64, u64, u64)> {
    let mut st = c.prepare_cached("SELECT flags, size FROM objects WHERE box = ?1 AND folder_id = ?2")?;
    let (mut n, mut unread, mut size) = (0u64, 0u64, 0u64);
    for f in folder_ids {
        let mut rows = st.query(params![box_id, f])?;
        while let Some(r) = rows.next()? {
            let flags: String = r.get(0)?;
            let flags: Vec<String> = serde_json::from_str(&flags).unwrap_or_default();
            n += 1;
            if !flags.iter().any(|f| f.eq_ignore_ascii_case("\\Seen")) {
                unread += 1;
            }
            size += r.get::<_, i64>(1)? as u64;
        }
    }
    Ok((n, unread, size))
}
