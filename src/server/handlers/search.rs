//! `objects/operations/search`: selection criteria → one page of an objectList with an opaque cursor.

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use rusqlite::Connection;

use super::objects::{PathCache, render};
use super::{BoxCtx, clamp_entries, decode_json, folder_from_ref, json};
use crate::server::error::ApiResult;
use crate::server::store::search::{Cursor, Query, Scope, compile, run};
use crate::server::store::{self, folders};
use crate::wire::{ObjectList, SelectionCriteria};

/// Whether the selection sorts newest first (the spec's default is Descending).
pub fn descending(sel: &SelectionCriteria) -> bool {
    sel.sort
        .iter()
        .find(|s| s.kind.eq_ignore_ascii_case("Date"))
        .or(sel.sort.first())
        .and_then(|s| s.order.as_deref())
        .is_none_or(|o| !o.trim().to_ascii_lowercase().starts_with("asc"))
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
    if folder == store::root_id(c, box_id)? {
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
        after,
        limit,
    })
}

/// POST objects/operations/search → 200 objectList (empty when nothing matches).
pub async fn search(ctx: BoxCtx, headers: HeaderMap, body: Bytes) -> ApiResult<Response> {
    let sel: SelectionCriteria = decode_json(&headers, &body)?;
    let limit = clamp_entries(sel.max_entries, ctx.cap());
    let (box_id, urls) = (ctx.box_id.clone(), ctx.urls.clone());
    let list = ctx
        .store()
        .read(move |c| {
            let q = query(c, &box_id, &sel, Some(limit))?;
            let (rows, more) = run(c, &box_id, &q)?;
            let cursor = match (more, rows.last()) {
                (true, Some(last)) => {
                    Some(Cursor { descending: q.descending, date_ns: last.date_ns, id: last.id.clone() }.encode())
                }
                _ => None,
            };
            let mut paths = PathCache::default();
            let object =
                rows.iter().map(|r| render(c, &box_id, &urls, &mut paths, r)).collect::<ApiResult<Vec<_>>>()?;
            Ok(ObjectList { object, cursor, creation_cursor: None })
        })
        .await?;
    Ok(json(StatusCode::OK, &list))
}
