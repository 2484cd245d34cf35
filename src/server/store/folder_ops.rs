//! SQLite implementations of the folder-side [`Store`](super::Store) operations: the visible
//! attributes (with counters), paged child listings, folder search, creation under a
//! reference or path, path lookups, and move/copy.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rusqlite::Connection;

use super::engine::{FolderEntry, FolderPage, FolderSearchPage, FolderView, Lists, Transfer, Transferred};
use super::folders::{self, FolderRow};
use super::objects as obj;
use super::ops::{PathCache, folder_from_ref};
use super::search::{View, compile};
use super::{Tx, root_id};
use crate::server::error::{ApiError, ApiResult};
use crate::server::urls::id_from_ref;
use crate::wire::{AttributeList, Folder, Reference, SelectionCriteria, TargetSourceRef, names};

/// The attributes a client sees: stored ones, `Name`, `Root` for the root, and the
/// counters asked for with attrFilter.
fn attributes_of(c: &Connection, box_id: &str, row: &FolderRow, attr_filter: &[String]) -> ApiResult<AttributeList> {
    let mut a = row.attributes.clone();
    a.set(names::NAME, vec![row.name.clone()]);
    if row.is_root() {
        a.set(names::ROOT, vec!["Yes".into()]);
    }
    let wants = |n: &str| attr_filter.iter().any(|f| f.eq_ignore_ascii_case(n) || f.eq_ignore_ascii_case("all"));
    if wants(names::MSG_COUNT) || wants(names::UNREAD_MSG_COUNT) || wants(names::SIZE) {
        let (n, unread, size) = folders::counts(c, box_id, std::slice::from_ref(&row.id))?;
        if wants(names::MSG_COUNT) {
            a.set(names::MSG_COUNT, vec![n.to_string()]);
        }
        if wants(names::UNREAD_MSG_COUNT) {
            a.set(names::UNREAD_MSG_COUNT, vec![unread.to_string()]);
        }
        if wants(names::SIZE) {
            a.set(names::SIZE, vec![size.to_string()]);
        }
    }
    if wants(names::SUBTREE_MSG_COUNT) || wants(names::SUBTREE_UNREAD_MSG_COUNT) || wants(names::SUBTREE_SIZE) {
        let ids = folders::subtree(c, box_id, &row.id)?;
        let (n, unread, size) = folders::counts(c, box_id, &ids)?;
        if wants(names::SUBTREE_MSG_COUNT) {
            a.set(names::SUBTREE_MSG_COUNT, vec![n.to_string()]);
        }
        if wants(names::SUBTREE_UNREAD_MSG_COUNT) {
            a.set(names::SUBTREE_UNREAD_MSG_COUNT, vec![unread.to_string()]);
        }
        if wants(names::SUBTREE_SIZE) {
            a.set(names::SUBTREE_SIZE, vec![size.to_string()]);
        }
    }
    Ok(a)
}

fn entry(c: &Connection, box_id: &str, paths: &mut PathCache, id: &str) -> ApiResult<FolderEntry> {
    Ok(FolderEntry { id: id.to_string(), path: paths.folder_path(c, box_id, id)? })
}

fn encode_cursor(kind: char, id: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("v1|{kind}|{id}"))
}

fn decode_cursor(s: &str) -> ApiResult<(char, String)> {
    let bad = || ApiError::invalid_because("fromCursor", "not a cursor this server issued");
    let raw = URL_SAFE_NO_PAD.decode(s.trim().trim_end_matches('=')).map_err(|_| bad())?;
    let raw = String::from_utf8(raw).map_err(|_| bad())?;
    let mut it = raw.splitn(3, '|');
    match (it.next(), it.next(), it.next()) {
        (Some("v1"), Some(k), Some(id)) if k.len() == 1 => Ok((k.chars().next().unwrap_or('f'), id.to_string())),
        _ => Err(bad()),
    }
}

/// A folder with the requested page of children.
fn view(c: &Connection, box_id: &str, row: FolderRow, page: &FolderPage) -> ApiResult<FolderView> {
    let mut paths = PathCache::default();
    let mut v = FolderView {
        path: paths.folder_path(c, box_id, &row.id)?,
        attributes: attributes_of(c, box_id, &row, &page.attr_filter)?,
        row,
        sub_folders: None,
        objects: None,
        cursor: None,
    };
    if page.lists == Lists::None {
        return Ok(v);
    }
    let mut entries: Vec<(char, String)> = Vec::new();
    if matches!(page.lists, Lists::Subfolders | Lists::All) {
        entries.extend(folders::children(c, box_id, &v.row.id)?.into_iter().map(|k| ('f', k.id)));
    }
    if matches!(page.lists, Lists::Objects | Lists::All) {
        entries.extend(obj::ids_in_folder(c, box_id, &v.row.id)?.into_iter().map(|id| ('o', id)));
    }
    let start = match page.cursor.as_deref() {
        Some(cur) => {
            let (kind, id) = decode_cursor(cur)?;
            // The first entry after the cursor position in (kind, id) order.
            entries
                .iter()
                .position(|(k, i)| (*k == kind && i.as_str() > id.as_str()) || (kind == 'f' && *k == 'o'))
                .unwrap_or(entries.len())
        }
        None => 0,
    };
    let end = (start + page.max).min(entries.len());
    if end < entries.len()
        && let Some((k, id)) = entries.get(end.wrapping_sub(1))
    {
        v.cursor = Some(encode_cursor(*k, id));
    }
    let mut sub = Vec::new();
    let mut objs = Vec::new();
    for (k, id) in &entries[start..end] {
        if *k == 'f' {
            sub.push(entry(c, box_id, &mut paths, id)?);
        } else if let Some(o) = obj::get(c, box_id, id)? {
            objs.push(paths.entry(c, box_id, o)?);
        }
    }
    if matches!(page.lists, Lists::Subfolders | Lists::All) {
        v.sub_folders = Some(sub);
    }
    if matches!(page.lists, Lists::Objects | Lists::All) {
        v.objects = Some(objs);
    }
    Ok(v)
}

pub fn list_folder(c: &Connection, box_id: &str, id: &str, page: &FolderPage) -> ApiResult<FolderView> {
    let row = folders::require(c, box_id, id)?;
    view(c, box_id, row, page)
}

/// Creates a folder under parentFolder or an existing parentFolderPath.
pub fn create_folder(t: &mut Tx<'_>, folder: Folder) -> ApiResult<FolderEntry> {
    let parent = if let Some(pf) = folder.parent_folder.as_deref().filter(|s| !s.trim().is_empty()) {
        folder_from_ref(&t.tx, &t.box_id, &Reference::new(pf), "parentFolder")?
    } else if let Some(path) = folder.parent_folder_path.as_deref() {
        // A prohibited location is refused whether or not it exists yet (D.34).
        folders::check_path_not_protected(t, path)?;
        // Unlike object creation (TS 6.1.5), a folder's parent path must exist (D.31).
        folders::resolve_path(&t.tx, &t.box_id, &t.root_id, path)?
            .ok_or_else(|| ApiError::invalid("parentFolderPath"))?
    } else {
        // TS 6.10.5: one of the two parent elements is required (D.33).
        return Err(ApiError::invalid_because("parentFolder", "give parentFolder or parentFolderPath"));
    };
    let row = folders::create(t, &parent, folder.name.as_deref(), folder.attributes)?;
    let box_id = t.box_id.clone();
    entry(&t.tx, &box_id, &mut PathCache::default(), &row.id)
}

fn folder_text(a: &AttributeList) -> String {
    let mut s = String::new();
    for at in &a.attribute {
        for v in &at.value {
            s.push_str(&v.to_lowercase());
            s.push('\n');
        }
    }
    s
}

/// Folders matching a selection in id order, each with all children (up to `children`).
pub fn search_folders(
    c: &Connection,
    box_id: &str,
    sel: &SelectionCriteria,
    max: usize,
    children: usize,
) -> ApiResult<FolderSearchPage> {
    let pred = compile(sel.search_criteria.as_ref())?;
    let scope: Option<Vec<String>> = match &sel.search_scope {
        Some(r) if !r.resource_url.trim().is_empty() || r.path.is_some() => {
            let f = folder_from_ref(c, box_id, r, "searchScope")?;
            Some(if sel.non_recursive_scope == Some(true) {
                folders::children(c, box_id, &f)?.into_iter().map(|k| k.id).collect()
            } else {
                folders::subtree(c, box_id, &f)?
            })
        }
        _ => None,
    };
    let after = match sel.from_cursor.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(s) => Some(decode_cursor(s)?.1),
        None => None,
    };
    let page = FolderPage { lists: Lists::All, cursor: None, max: children, attr_filter: Vec::new() };
    let mut out: Vec<FolderView> = Vec::new();
    let mut cursor = None;
    for row in folders::all(c, box_id)? {
        if after.as_deref().is_some_and(|a| row.id.as_str() <= a) {
            continue;
        }
        if scope.as_ref().is_some_and(|s| !s.contains(&row.id)) {
            continue;
        }
        let attrs = attributes_of(c, box_id, &row, &[])?;
        let date = attrs.first("Date").and_then(obj::parse_date);
        let text = folder_text(&attrs);
        let view_ = View {
            attributes: &attrs,
            flags: &[],
            date_ns: date,
            text: &text,
            correlation_id: None,
            correlation_tag: None,
        };
        if !pred.matches(&view_) {
            continue;
        }
        if out.len() >= max {
            cursor = out.last().map(|f| encode_cursor('F', &f.row.id));
            break;
        }
        out.push(view(c, box_id, row, &page)?);
    }
    Ok(FolderSearchPage { folders: out, cursor })
}

fn resolve_folder_path(c: &Connection, box_id: &str, path: &str) -> ApiResult<Option<String>> {
    let root = root_id(c, box_id)?;
    folders::resolve_path(c, box_id, &root, path)
}

pub fn folders_at_paths(c: &Connection, box_id: &str, paths: &[String]) -> ApiResult<Vec<Option<FolderEntry>>> {
    let mut cache = PathCache::default();
    paths
        .iter()
        .map(|p| resolve_folder_path(c, box_id, p)?.map(|id| entry(c, box_id, &mut cache, &id)).transpose())
        .collect()
}

/// A source reference's id: the URL's last segment, or the id at its path.
fn source_id(t: &Tx<'_>, r: &Reference, folder: bool) -> ApiResult<String> {
    if !r.resource_url.trim().is_empty() {
        return Ok(id_from_ref(&r.resource_url));
    }
    let Some(path) = &r.path else { return Ok(String::new()) };
    if folder {
        return Ok(resolve_folder_path(&t.tx, &t.box_id, path)?.unwrap_or_default());
    }
    Ok(path.rsplit('/').next().map(id_from_ref).unwrap_or_default())
}

pub fn transfer(t: &mut Tx<'_>, tsr: &TargetSourceRef, op: Transfer) -> ApiResult<Vec<Transferred>> {
    let target = folder_from_ref(&t.tx, &t.box_id, &tsr.target_ref, "targetRef")?;
    // A protected target refuses the whole request (NMS TS 6.15, Appendix D.57), not item by item.
    folders::check_not_protected(t, &target)?;
    let mut paths = PathCache::default();
    let mut out = Vec::new();
    for r in &tsr.source_refs.folders.folder_reference {
        let id = source_id(t, r, true)?;
        let res = t.item(|t| match op {
            Transfer::Move => folders::move_to(t, &id, &target),
            Transfer::Copy => folders::copy_to(t, &id, &target),
        });
        out.push(match res {
            Ok(row) => Transferred::Folder(entry(&t.tx, &t.box_id.clone(), &mut paths, &row.id)?),
            Err(e) => Transferred::Failed(e),
        });
    }
    for r in &tsr.source_refs.objects.object_reference {
        let id = source_id(t, r, false)?;
        let res = t.item(|t| match op {
            Transfer::Move => obj::move_to(t, &id, &target),
            Transfer::Copy => obj::copy_to(t, &id, &target),
        });
        out.push(match res {
            Ok(row) => Transferred::Object(paths.entry(&t.tx, &t.box_id.clone(), row)?),
            Err(e) => Transferred::Failed(e),
        });
    }
    Ok(out)
}
