//! `folders` (create), `folders/{id}` (read with paged children, delete), `folderName`,
//! and `folders/operations/{search,pathToId,moveToFolder,copyToFolder}`.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rusqlite::Connection;

use super::objects::{PathCache, reference as object_reference};
use super::{BoxCtx, clamp_entries, created, decode_json, folder_from_ref, json};
use crate::server::error::{ApiError, ApiResult};
use crate::server::store::folders::{self, FolderRow};
use crate::server::store::search::{View, compile};
use crate::server::store::{self, Tx, objects as obj};
use crate::server::urls::{Urls, id_from_ref};
use crate::wire::folder::FolderName;
use crate::wire::{
    AttributeList, BulkResponse, BulkResponseList, Folder, FolderList, FolderReferenceList, ObjectReferenceList,
    PathList, Reference, SelectionCriteria, TargetSourceRef,
};

/// Which child lists a folder answer carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lists {
    None,
    Subfolders,
    Objects,
    All,
}

/// The attributes a client sees: stored ones, `Name`, `Root` for the root, and the
/// counters asked for with attrFilter.
fn attributes_of(c: &Connection, box_id: &str, row: &FolderRow, attr_filter: &[String]) -> ApiResult<AttributeList> {
    let mut a = row.attributes.clone();
    a.set("Name", vec![row.name.clone()]);
    if row.is_root() {
        a.set("Root", vec!["Yes".into()]);
    }
    let wants = |n: &str| attr_filter.iter().any(|f| f.eq_ignore_ascii_case(n) || f.eq_ignore_ascii_case("all"));
    if wants("MsgCount") || wants("UnreadMsgCount") || wants("Size") {
        let (n, unread, size) = folders::counts(c, box_id, std::slice::from_ref(&row.id))?;
        if wants("MsgCount") {
            a.set("MsgCount", vec![n.to_string()]);
        }
        if wants("UnreadMsgCount") {
            a.set("UnreadMsgCount", vec![unread.to_string()]);
        }
        if wants("Size") {
            a.set("Size", vec![size.to_string()]);
        }
    }
    if wants("SubtreeMsgCount") || wants("SubtreeUnreadMsgCount") || wants("SubtreeSize") {
        let ids = folders::subtree(c, box_id, &row.id)?;
        let (n, unread, size) = folders::counts(c, box_id, &ids)?;
        if wants("SubtreeMsgCount") {
            a.set("SubtreeMsgCount", vec![n.to_string()]);
        }
        if wants("SubtreeUnreadMsgCount") {
            a.set("SubtreeUnreadMsgCount", vec![unread.to_string()]);
        }
        if wants("SubtreeSize") {
            a.set("SubtreeSize", vec![size.to_string()]);
        }
    }
    Ok(a)
}

fn folder_reference(
    c: &Connection,
    box_id: &str,
    urls: &Urls,
    paths: &mut PathCache,
    id: &str,
) -> ApiResult<Reference> {
    Ok(Reference { resource_url: urls.folder(id), path: Some(paths.folder_path(c, box_id, id)?) })
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

/// Paging of a folder's children: sub-folders first, then objects, each ordered by id.
struct Page<'a> {
    lists: Lists,
    cursor: Option<&'a str>,
    max: usize,
}

/// The wire form of a folder with the requested child lists (one page of them).
fn render(
    c: &Connection,
    box_id: &str,
    urls: &Urls,
    row: &FolderRow,
    page: &Page<'_>,
    attr_filter: &[String],
) -> ApiResult<Folder> {
    let mut paths = PathCache::default();
    let mut f = Folder {
        parent_folder: row.parent_id.as_ref().map(|p| urls.folder(p)),
        parent_folder_path: None,
        attributes: attributes_of(c, box_id, row, attr_filter)?,
        resource_url: Some(urls.folder(&row.id)),
        path: Some(paths.folder_path(c, box_id, &row.id)?),
        name: Some(row.name.clone()),
        last_mod_seq: Some(row.last_mod_seq),
        cursor: None,
        sub_folders: None,
        objects: None,
    };
    if page.lists == Lists::None {
        return Ok(f);
    }
    let mut entries: Vec<(char, String)> = Vec::new();
    if matches!(page.lists, Lists::Subfolders | Lists::All) {
        entries.extend(folders::children(c, box_id, &row.id)?.into_iter().map(|k| ('f', k.id)));
    }
    if matches!(page.lists, Lists::Objects | Lists::All) {
        entries.extend(obj::ids_in_folder(c, box_id, &row.id)?.into_iter().map(|id| ('o', id)));
    }
    let start = match page.cursor {
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
        f.cursor = Some(encode_cursor(*k, id));
    }
    let mut sub = Vec::new();
    let mut objs = Vec::new();
    for (k, id) in &entries[start..end] {
        if *k == 'f' {
            sub.push(folder_reference(c, box_id, urls, &mut paths, id)?);
        } else if let Some(o) = obj::get(c, box_id, id)? {
            objs.push(object_reference(c, box_id, urls, &mut paths, &o)?);
        }
    }
    if matches!(page.lists, Lists::Subfolders | Lists::All) {
        f.sub_folders = Some(FolderReferenceList { folder_reference: sub });
    }
    if matches!(page.lists, Lists::Objects | Lists::All) {
        f.objects = Some(ObjectReferenceList { object_reference: objs });
    }
    Ok(f)
}

fn id_param(p: &HashMap<String, String>) -> String {
    p.get("id").cloned().unwrap_or_default()
}

/// POST folders → 201 + Location + reference.
pub async fn create(ctx: BoxCtx, headers: HeaderMap, body: Bytes) -> ApiResult<Response> {
    let folder: Folder = decode_json(&headers, &body)?;
    let urls = ctx.urls.clone();
    let r = ctx
        .store()
        .write(&ctx.box_id, move |t| {
            let parent = if let Some(pf) = folder.parent_folder.as_deref().filter(|s| !s.trim().is_empty()) {
                folder_from_ref(&t.tx, &t.box_id, &Reference::new(pf), "parentFolder")?
            } else if let Some(path) = folder.parent_folder_path.as_deref() {
                // Unlike object creation (TS 6.1.5), a folder's parent path must exist (D.31).
                folders::resolve_path(&t.tx, &t.box_id, &t.root_id, path)?
                    .ok_or_else(|| ApiError::invalid("parentFolderPath"))?
            } else {
                // TS 6.10.5: one of the two parent elements is required (D.33).
                return Err(ApiError::invalid_because("parentFolder", "give parentFolder or parentFolderPath"));
            };
            let row = folders::create(t, &parent, folder.name.as_deref(), folder.attributes)?;
            folder_reference(&t.tx, &t.box_id.clone(), &urls, &mut PathCache::default(), &row.id)
        })
        .await?;
    Ok(created(r))
}

/// Query parameters of GET folders/{id} (attrFilter may repeat).
struct FolderQuery {
    lists: Lists,
    cursor: Option<String>,
    max: u64,
    attr_filter: Vec<String>,
}

fn folder_query(raw: Option<&str>) -> ApiResult<FolderQuery> {
    let mut q = FolderQuery { lists: Lists::All, cursor: None, max: 0, attr_filter: Vec::new() };
    for (k, v) in url::form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        match k.as_ref() {
            k if k.eq_ignore_ascii_case("listFilter") => {
                q.lists = match v.to_ascii_lowercase().as_str() {
                    "subfolders" => Lists::Subfolders,
                    "objects" => Lists::Objects,
                    "all" => Lists::All,
                    _ => return Err(ApiError::invalid_because("listFilter", "Subfolders, Objects or All")),
                }
            }
            k if k.eq_ignore_ascii_case("fromCursor") => q.cursor = Some(v.into_owned()),
            k if k.eq_ignore_ascii_case("maxEntries") => {
                q.max = v.trim().parse().map_err(|_| ApiError::invalid("maxEntries"))?;
            }
            k if k.eq_ignore_ascii_case("attrFilter") => {
                q.attr_filter.extend(v.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()))
            }
            _ => {}
        }
    }
    Ok(q)
}

/// GET folders/{id}: the folder with its sub-folders and objects (both when listFilter is absent).
pub async fn get_one(
    ctx: BoxCtx,
    Path(p): Path<HashMap<String, String>>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    let id = id_param(&p);
    let q = folder_query(raw.as_deref())?;
    let max = clamp_entries(q.max, ctx.cap());
    let (box_id, urls) = (ctx.box_id.clone(), ctx.urls.clone());
    let folder = ctx
        .store()
        .read(move |c| {
            let row = folders::require(c, &box_id, &id)?;
            let page = Page { lists: q.lists, cursor: q.cursor.as_deref(), max };
            render(c, &box_id, &urls, &row, &page, &q.attr_filter)
        })
        .await?;
    Ok(json(StatusCode::OK, &folder))
}

/// DELETE folders/{id} → 204, everything below goes too (the root: 403).
pub async fn delete_one(ctx: BoxCtx, Path(p): Path<HashMap<String, String>>) -> ApiResult<Response> {
    let id = id_param(&p);
    ctx.store().write(&ctx.box_id, move |t| folders::delete(t, &id)).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// GET folders/{id}/folderName → `{"name": …}`.
pub async fn get_name(ctx: BoxCtx, Path(p): Path<HashMap<String, String>>) -> ApiResult<Response> {
    let id = id_param(&p);
    let box_id = ctx.box_id.clone();
    let row = ctx.store().read(move |c| folders::require(c, &box_id, &id)).await?;
    Ok(json(StatusCode::OK, &FolderName(row.name)))
}

/// PUT folders/{id}/folderName with `{"name": …}` → 200 with the new name.
pub async fn put_name(
    ctx: BoxCtx,
    Path(p): Path<HashMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let id = id_param(&p);
    let FolderName(name) = decode_json(&headers, &body)?;
    let row = ctx.store().write(&ctx.box_id, move |t| folders::rename(t, &id, name.trim())).await?;
    Ok(json(StatusCode::OK, &FolderName(row.name)))
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

/// POST folders/operations/search → folderList (each folder with both child lists).
pub async fn search(ctx: BoxCtx, headers: HeaderMap, body: Bytes) -> ApiResult<Response> {
    let sel: SelectionCriteria = decode_json(&headers, &body)?;
    let max = clamp_entries(sel.max_entries, ctx.cap());
    let cap = ctx.cap() as usize;
    let (box_id, urls) = (ctx.box_id.clone(), ctx.urls.clone());
    let list = ctx
        .store()
        .read(move |c| {
            let pred = compile(sel.search_criteria.as_ref())?;
            let scope: Option<Vec<String>> = match &sel.search_scope {
                Some(r) if !r.resource_url.trim().is_empty() || r.path.is_some() => {
                    let f = folder_from_ref(c, &box_id, r, "searchScope")?;
                    Some(if sel.non_recursive_scope == Some(true) {
                        folders::children(c, &box_id, &f)?.into_iter().map(|k| k.id).collect()
                    } else {
                        folders::subtree(c, &box_id, &f)?
                    })
                }
                _ => None,
            };
            let after = match sel.from_cursor.as_deref().filter(|s| !s.trim().is_empty()) {
                Some(s) => Some(decode_cursor(s)?.1),
                None => None,
            };
            let mut out = Vec::new();
            let mut cursor = None;
            for row in folders::all(c, &box_id)? {
                if after.as_deref().is_some_and(|a| row.id.as_str() <= a) {
                    continue;
                }
                if scope.as_ref().is_some_and(|s| !s.contains(&row.id)) {
                    continue;
                }
                let attrs = attributes_of(c, &box_id, &row, &[])?;
                let date = attrs.first("Date").and_then(obj::parse_date);
                let text = folder_text(&attrs);
                let view = View {
                    attributes: &attrs,
                    flags: &[],
                    date_ns: date,
                    text: &text,
                    correlation_id: None,
                    correlation_tag: None,
                };
                if !pred.matches(&view) {
                    continue;
                }
                if out.len() >= max {
                    cursor = out
                        .last()
                        .and_then(|f: &Folder| f.resource_url.as_deref())
                        .map(|u| encode_cursor('F', &id_from_ref(u)));
                    break;
                }
                let page = Page { lists: Lists::All, cursor: None, max: cap };
                out.push(render(c, &box_id, &urls, &row, &page, &[])?);
            }
            Ok(FolderList { folder: out, cursor })
        })
        .await?;
    Ok(json(StatusCode::OK, &list))
}

fn resolve_folder_path(c: &Connection, box_id: &str, path: &str) -> ApiResult<Option<String>> {
    let root = store::root_id(c, box_id)?;
    folders::resolve_path(c, box_id, &root, path)
}

/// GET folders/operations/pathToId[?path=…] → reference (no path: the root folder).
pub async fn path_to_id(ctx: BoxCtx, RawQuery(raw): RawQuery) -> ApiResult<Response> {
    let path = url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .find(|(k, _)| k.eq_ignore_ascii_case("path"))
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    let (box_id, urls) = (ctx.box_id.clone(), ctx.urls.clone());
    let r = ctx
        .store()
        .read(move |c| {
            let id = resolve_folder_path(c, &box_id, &path)?.ok_or_else(|| ApiError::not_found(path.clone()))?;
            folder_reference(c, &box_id, &urls, &mut PathCache::default(), &id)
        })
        .await?;
    Ok(json(StatusCode::OK, &r))
}

/// POST folders/operations/pathToId with a pathList → bulkResponseList.
pub async fn paths_to_ids(ctx: BoxCtx, headers: HeaderMap, body: Bytes) -> ApiResult<Response> {
    let list: PathList = decode_json(&headers, &body)?;
    let (box_id, urls) = (ctx.box_id.clone(), ctx.urls.clone());
    let out = ctx
        .store()
        .read(move |c| {
            let mut paths = PathCache::default();
            let mut response = Vec::new();
            for p in &list.path {
                response.push(match resolve_folder_path(c, &box_id, p)? {
                    Some(id) => BulkResponse::ok(200, folder_reference(c, &box_id, &urls, &mut paths, &id)?),
                    None => BulkResponse::err(400, *ApiError::invalid_because("path", p).error),
                });
            }
            Ok(BulkResponseList { response })
        })
        .await?;
    Ok(json(StatusCode::OK, &out))
}

#[derive(Clone, Copy)]
enum Op {
    Move,
    Copy,
}

fn transfer(t: &mut Tx<'_>, urls: &Urls, tsr: TargetSourceRef, op: Op) -> ApiResult<BulkResponseList> {
    let target = folder_from_ref(&t.tx, &t.box_id, &tsr.target_ref, "targetRef")?;
    let mut paths = PathCache::default();
    let mut response = Vec::new();
    for r in &tsr.source_refs.folders.folder_reference {
        let id = source_id(t, r, true)?;
        let res = t.item(|t| match op {
            Op::Move => folders::move_to(t, &id, &target),
            Op::Copy => folders::copy_to(t, &id, &target),
        });
        response.push(match res {
            Ok(row) => BulkResponse::ok(200, folder_reference(&t.tx, &t.box_id.clone(), urls, &mut paths, &row.id)?),
            Err(e) => BulkResponse::err(e.status.as_u16(), *e.error),
        });
    }
    for r in &tsr.source_refs.objects.object_reference {
        let id = source_id(t, r, false)?;
        let res = t.item(|t| match op {
            Op::Move => obj::move_to(t, &id, &target),
            Op::Copy => obj::copy_to(t, &id, &target),
        });
        response.push(match res {
            Ok(row) => BulkResponse::ok(200, object_reference(&t.tx, &t.box_id.clone(), urls, &mut paths, &row)?),
            Err(e) => BulkResponse::err(e.status.as_u16(), *e.error),
        });
    }
    Ok(BulkResponseList { response })
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

async fn transfer_request(ctx: BoxCtx, headers: HeaderMap, body: Bytes, op: Op) -> ApiResult<Response> {
    let tsr: TargetSourceRef = decode_json(&headers, &body)?;
    let urls = ctx.urls.clone();
    let out = ctx.store().write(&ctx.box_id, move |t| transfer(t, &urls, tsr, op)).await?;
    Ok(json(StatusCode::OK, &out))
}

/// POST folders/operations/moveToFolder → bulkResponseList.
pub async fn move_to_folder(ctx: BoxCtx, headers: HeaderMap, body: Bytes) -> ApiResult<Response> {
    transfer_request(ctx, headers, body, Op::Move).await
}

/// POST folders/operations/copyToFolder → bulkResponseList.
pub async fn copy_to_folder(ctx: BoxCtx, headers: HeaderMap, body: Bytes) -> ApiResult<Response> {
    transfer_request(ctx, headers, body, Op::Copy).await
}
