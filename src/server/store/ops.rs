//! SQLite implementations of the object-side [`Store`](super::Store) operations: views with
//! paths, creation from the wire form, path lookups, search pages, bulk operations, import.
//!
//! They run inside one read snapshot or one write transaction each, so a page or a bulk
//! answer is consistent with itself.

use std::collections::HashMap;

use rusqlite::Connection;

use super::engine::{BulkItem, Import, ObjectEntry, ObjectView, SearchPage};
use super::objects::{self as obj, NewObject, ObjectRow};
use super::search::{Cursor, Query, Scope, compile, run};
use super::sort::SortKey;
use super::{Tx, folders, root_id, set_meta};
use crate::server::error::{ApiError, ApiResult};
use crate::server::urls::id_from_ref;
use crate::wire::SelectionCriteria;
use crate::wire::multipart::Part;
use crate::wire::{self, AttributeList, BulkDelete, BulkOperation, BulkUpdate, Object, ObjectReferenceList, Reference};

/// Folder paths looked up once per operation.
#[derive(Default)]
pub struct PathCache(HashMap<String, String>);

impl PathCache {
    pub fn folder_path(&mut self, c: &Connection, box_id: &str, folder_id: &str) -> ApiResult<String> {
        if let Some(p) = self.0.get(folder_id) {
            return Ok(p.clone());
        }
        let p = folders::path_of(c, box_id, folder_id)?;
        self.0.insert(folder_id.to_string(), p.clone());
        Ok(p)
    }

    pub fn object_path(&mut self, c: &Connection, box_id: &str, row: &ObjectRow) -> ApiResult<String> {
        Ok(format!("{}/{}", self.folder_path(c, box_id, &row.folder_id)?, row.id))
    }

    pub fn entry(&mut self, c: &Connection, box_id: &str, row: ObjectRow) -> ApiResult<ObjectEntry> {
        Ok(ObjectEntry { path: self.object_path(c, box_id, &row)?, row })
    }

    pub fn view(&mut self, c: &Connection, box_id: &str, row: ObjectRow) -> ApiResult<ObjectView> {
        let parts = obj::part_infos(c, box_id, &row.id)?;
        Ok(ObjectView { path: self.object_path(c, box_id, &row)?, row, parts })
    }
}

/// The folder a reference names: its resourceURL's last segment, or its path.
pub fn folder_from_ref(c: &Connection, box_id: &str, r: &Reference, field: &str) -> ApiResult<String> {
    if !r.resource_url.trim().is_empty() {
        let id = id_from_ref(&r.resource_url);
        return folders::get(c, box_id, &id)?.map(|f| f.id).ok_or_else(|| ApiError::not_found(r.resource_url.clone()));
    }
    if let Some(p) = &r.path {
        let root = root_id(c, box_id)?;
        return folders::resolve_path(c, box_id, &root, p)?.ok_or_else(|| ApiError::not_found(p.clone()));
    }
    Err(ApiError::invalid(field))
}

/// The folder a new object goes to: parentFolder, else parentFolderPath (created when
/// missing), else the root.
pub fn target_folder(t: &mut Tx<'_>, o: &Object) -> ApiResult<String> {
    if let Some(pf) = o.parent_folder.as_deref().filter(|s| !s.trim().is_empty()) {
        let id = folder_from_ref(&t.tx, &t.box_id, &Reference::new(pf), "parentFolder")?;
        folders::check_not_protected(t, &id)?;
        return Ok(id);
    }
    if let Some(path) = o.parent_folder_path.as_deref() {
        for seg in path.split('/').filter(|s| !s.is_empty()) {
            folders::check_name(seg).map_err(|_| ApiError::invalid("parentFolderPath"))?;
        }
        return folders::ensure_path(t, path);
    }
    let root = t.root_id.clone();
    folders::check_not_protected(t, &root)?;
    Ok(root)
}

/// Stores one object from its wire form and payload parts.
pub fn create_in_tx(t: &mut Tx<'_>, o: Object, parts: Vec<Part>) -> ApiResult<ObjectRow> {
    let folder_id = target_folder(t, &o)?;
    obj::insert(
        t,
        NewObject {
            folder_id,
            attributes: o.attributes,
            flags: o.flags.flag,
            correlation_id: o.correlation_id,
            correlation_tag: o.correlation_tag,
            parts,
        },
    )
}

/// Creates one object and answers its entry.
pub fn create_object(t: &mut Tx<'_>, o: Object, parts: Vec<Part>) -> ApiResult<ObjectEntry> {
    let row = create_in_tx(t, o, parts)?;
    let box_id = t.box_id.clone();
    PathCache::default().entry(&t.tx, &box_id, row)
}

pub fn get_object(c: &Connection, box_id: &str, id: &str) -> ApiResult<ObjectView> {
    let row = obj::require(c, box_id, id)?;
    PathCache::default().view(c, box_id, row)
}

pub fn payload(c: &Connection, box_id: &str, id: &str) -> ApiResult<Vec<Part>> {
    obj::require(c, box_id, id)?;
    obj::parts(c, box_id, id)
}

pub fn payload_part(c: &Connection, box_id: &str, id: &str, part_id: &str) -> ApiResult<Part> {
    obj::require(c, box_id, id)?;
    obj::part(c, box_id, id, part_id)?.ok_or_else(|| ApiError::not_found(format!("payload part {part_id}")))
}

/// [`payload_part`] when its body is at most `max` bytes; `None` when it is bigger (not read).
pub fn payload_part_up_to(
    c: &Connection,
    box_id: &str,
    id: &str,
    part_id: &str,
    max: usize,
) -> ApiResult<Option<Part>> {
    obj::require(c, box_id, id)?;
    obj::part_up_to(c, box_id, id, part_id, max)?.ok_or_else(|| ApiError::not_found(format!("payload part {part_id}")))
}

/// An object path `/folder/…/objectId` to its stored row.
fn resolve_object_path(c: &Connection, box_id: &str, path: &str) -> ApiResult<Option<ObjectRow>> {
    let trimmed = path.trim().trim_end_matches('/');
    let Some((folder_path, id)) = trimmed.rsplit_once('/') else { return Ok(None) };
    let root = root_id(c, box_id)?;
    let Some(folder) = folders::resolve_path(c, box_id, &root, folder_path)? else { return Ok(None) };
    let id = id_from_ref(id);
    Ok(obj::get(c, box_id, &id)?.filter(|r| r.folder_id == folder))
}

pub fn objects_at_paths(c: &Connection, box_id: &str, paths: &[String]) -> ApiResult<Vec<Option<ObjectEntry>>> {
    let mut cache = PathCache::default();
    paths
        .iter()
        .map(|p| resolve_object_path(c, box_id, p)?.map(|row| cache.entry(c, box_id, row)).transpose())
        .collect()
}

/// Whether the selection sorts newest first (the spec's default is Descending).
pub fn descending(sel: &SelectionCriteria) -> bool {
    sel.sort.first().and_then(|s| s.order.as_deref()).is_none_or(|o| !o.trim().to_ascii_lowercase().starts_with("asc"))
}

/// What the selection sorts by: its first sortCriterion (Date when none).
pub fn sort_key(sel: &SelectionCriteria) -> ApiResult<SortKey> {
    sel.sort.first().map_or(Ok(SortKey::Date), |s| SortKey::parse(&s.kind, s.name.as_deref()))
}

/// The folders a selection covers.
pub fn scope(c: &Connection, box_id: &str, sel: &SelectionCriteria) -> ApiResult<Scope> {
    let Some(r) = &sel.search_scope else { return Ok(Scope::All) };
    if r.resource_url.trim().is_empty() && r.path.is_none() {
        return Ok(Scope::All);
    }
    let folder = folder_from_ref(c, box_id, r, "searchScope")?;
    if sel.non_recursive_scope == Some(true) {
        return Ok(Scope::Folder(folder));
    }
    if folder == root_id(c, box_id)? {
        return Ok(Scope::All);
    }
    Ok(Scope::Folders(folders::subtree(c, box_id, &folder)?.into_iter().collect()))
}

/// A query for a selection; `limit` None means every match (bulk operations).
pub fn query(c: &Connection, box_id: &str, sel: &SelectionCriteria, limit: Option<usize>) -> ApiResult<Query> {
    let descending = descending(sel);
    let after = match sel.from_cursor.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(Cursor::decode(s)?),
        None => None,
    };
    Ok(Query {
        predicate: compile(sel.search_criteria.as_ref())?,
        scope: scope(c, box_id, sel)?,
        descending,
        key: sort_key(sel)?,
        after,
        limit,
    })
}

/// One page of a search, with the cursor of its last row when more may follow.
pub fn search(c: &Connection, box_id: &str, sel: &SelectionCriteria, limit: usize) -> ApiResult<SearchPage> {
    let q = query(c, box_id, sel, Some(limit))?;
    let (rows, more) = run(c, box_id, &q)?;
    let cursor = match (more, rows.last()) {
        (true, Some(last)) => {
            let keyed = (q.key != SortKey::Date).then(|| (q.key.name().to_string(), q.key.value_of(last)));
            Some(Cursor { descending: q.descending, date_ns: last.date_ns, id: last.id.clone(), keyed }.encode())
        }
        _ => None,
    };
    let mut paths = PathCache::default();
    let objects = rows.into_iter().map(|r| paths.view(c, box_id, r)).collect::<ApiResult<Vec<_>>>()?;
    Ok(SearchPage { objects, cursor })
}

pub fn bulk_create(t: &mut Tx<'_>, items: Vec<(Object, ApiResult<Vec<Part>>)>) -> ApiResult<Vec<BulkItem>> {
    let mut paths = PathCache::default();
    let mut out = Vec::new();
    for (o, parts) in items {
        let res = parts.and_then(|parts| t.item(|t| create_in_tx(t, o, parts)));
        out.push(match res {
            Ok(row) => BulkItem::Done(paths.entry(&t.tx, &t.box_id.clone(), row)?),
            Err(e) => BulkItem::Failed(e),
        });
    }
    Ok(out)
}

/// The ids a bulk request targets: its references, or every match of its selection
/// (capped by the selection's maxEntries when it gives one).
fn targets(
    t: &Tx<'_>,
    refs: Option<&ObjectReferenceList>,
    sel: Option<&SelectionCriteria>,
) -> ApiResult<Vec<(String, Reference)>> {
    if let Some(refs) = refs.filter(|r| !r.object_reference.is_empty()) {
        return Ok(refs.object_reference.iter().map(|r| (id_from_ref(&r.resource_url), r.clone())).collect());
    }
    if let Some(sel) = sel {
        let limit = (sel.max_entries > 0).then_some(sel.max_entries as usize);
        let q = query(&t.tx, &t.box_id, sel, limit)?;
        let (rows, _) = run(&t.tx, &t.box_id, &q)?;
        return Ok(rows.into_iter().map(|r| (r.id, Reference::default())).collect());
    }
    Err(ApiError::invalid_because("objects", "give object references or selectionCriteria"))
}

pub fn bulk_update(t: &mut Tx<'_>, u: &BulkUpdate) -> ApiResult<Vec<BulkItem>> {
    let mut paths = PathCache::default();
    let mut out = Vec::new();
    for (id, given) in targets(t, u.objects.as_ref(), u.selection_criteria.as_ref())? {
        let res = t.item(|t| {
            let row = obj::require(&t.tx, &t.box_id, &id)?;
            let mut flags = row.flags.clone();
            for f in &u.flags.flag {
                let f = wire::names::canonical_flag(f);
                match u.operation {
                    BulkOperation::AddFlag if !flags.iter().any(|x| x.eq_ignore_ascii_case(&f)) => flags.push(f),
                    BulkOperation::RemoveFlag => flags.retain(|x| !x.eq_ignore_ascii_case(&f)),
                    _ => {}
                }
            }
            obj::set_flags(t, &id, &flags).map(|(row, _)| row)
        });
        out.push(match res {
            Ok(row) => BulkItem::Done(paths.entry(&t.tx, &t.box_id.clone(), row)?),
            Err(e) if e.status == axum::http::StatusCode::NOT_FOUND => BulkItem::Missing { id, given },
            Err(e) => BulkItem::Failed(e),
        });
    }
    Ok(out)
}

pub fn bulk_delete(t: &mut Tx<'_>, d: &BulkDelete) -> ApiResult<Vec<BulkItem>> {
    let mut paths = PathCache::default();
    let mut out = Vec::new();
    for (id, given) in targets(t, d.objects.as_ref(), d.selection_criteria.as_ref())? {
        let Some(row) = obj::get(&t.tx, &t.box_id, &id)? else {
            out.push(BulkItem::Missing { id, given });
            continue;
        };
        // The path is taken before the object goes.
        let entry = paths.entry(&t.tx, &t.box_id.clone(), row)?;
        obj::delete(t, &id)?;
        out.push(BulkItem::Done(entry));
    }
    Ok(out)
}

fn import_folder(t: &mut Tx<'_>, path: &str, attributes: AttributeList) -> ApiResult<String> {
    let trimmed = path.trim_end_matches('/');
    let (parent_path, name) = trimmed.rsplit_once('/').unwrap_or(("", trimmed));
    let parent = folders::ensure_path(t, parent_path)?;
    if name.is_empty() {
        return Ok(parent);
    }
    match folders::find_child(&t.tx, &t.box_id, &parent, name)? {
        Some(f) => Ok(f.id),
        None => Ok(folders::create(t, &parent, Some(name), attributes)?.id),
    }
}

/// Folders first (so they get their attributes), then objects with their folder paths.
pub fn import(t: &mut Tx<'_>, content: Import) -> ApiResult<()> {
    for (path, attributes) in content.folders {
        import_folder(t, &path, attributes)?;
    }
    for (object, parts) in content.objects {
        if let Some(path) = object.parent_folder_path.as_deref() {
            import_folder(t, path, AttributeList::default())?;
        }
        create_in_tx(t, object, parts)?;
    }
    if let Some((k, v)) = content.meta {
        set_meta(&t.tx, &k, &v)?;
    }
    Ok(())
}
