//! `objects/operations/bulkCreation`, `bulkUpdate` and `bulkDelete` (DELETE with a body, or POST).

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;

use super::objects::{PathCache, attachment_parts, create_in_tx, reference};
use super::search::query;
use super::{BoxCtx, decode_json, json};
use crate::server::error::{ApiError, ApiResult};
use crate::server::store::objects as obj;
use crate::server::store::search::run;
use crate::server::store::{Tx, objects::ObjectRow};
use crate::server::urls::{Urls, id_from_ref};
use crate::wire::multipart;
use crate::wire::{
    self, BulkDelete, BulkOperation, BulkResponse, BulkResponseList, BulkUpdate, ObjectList, ObjectReferenceList,
    Reference, SelectionCriteria,
};

/// POST bulkCreation: root-fields objectList, then one attachments part per object in order.
pub async fn creation(ctx: BoxCtx, headers: HeaderMap, body: Bytes) -> ApiResult<Response> {
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let (list, mut attachments) = if wire::multipart::media_type(&ct).starts_with("multipart/") {
        let mut parts = multipart::parse(&ct, &body).map_err(|e| ApiError::invalid_because("multipart body", e))?;
        let root_at = parts
            .iter()
            .position(|p| p.form_name().is_some_and(|n| n.eq_ignore_ascii_case("root-fields")))
            .unwrap_or(0);
        let root = parts.remove(root_at);
        let list = wire::decode::<ObjectList>(&root.body).map_err(|e| ApiError::invalid_because("root-fields", e))?;
        (list, parts)
    } else {
        (decode_json::<ObjectList>(&headers, &body)?, Vec::new())
    };
    if list.object.is_empty() {
        return Err(ApiError::invalid_because("objectList", "no objects given"));
    }
    let mut items = Vec::with_capacity(list.object.len());
    for (i, o) in list.object.into_iter().enumerate() {
        let part = if i < attachments.len() { Some(std::mem::take(&mut attachments[i])) } else { None };
        let parts = match part {
            Some(p) if p.headers.is_empty() && p.body.is_empty() => Ok(Vec::new()),
            Some(p) => attachment_parts(p),
            None => Ok(Vec::new()),
        };
        items.push((o, parts));
    }
    let urls = ctx.urls.clone();
    let out = ctx
        .store()
        .write(&ctx.box_id, move |t| {
            let mut paths = PathCache::default();
            let mut response = Vec::new();
            for (o, parts) in items {
                let res = parts.and_then(|parts| t.item(|t| create_in_tx(t, o, parts)));
                response.push(match res {
                    Ok(row) => BulkResponse::ok(201, reference(&t.tx, &t.box_id.clone(), &urls, &mut paths, &row)?),
                    Err(e) => item_failure(e),
                });
            }
            Ok(BulkResponseList { response })
        })
        .await?;
    Ok(json(StatusCode::OK, &out))
}

fn item_failure(e: ApiError) -> BulkResponse {
    BulkResponse::err(e.status.as_u16(), *e.error)
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

fn success(t: &Tx<'_>, urls: &Urls, paths: &mut PathCache, row: &ObjectRow) -> ApiResult<BulkResponse> {
    Ok(BulkResponse::ok(200, reference(&t.tx, &t.box_id.clone(), urls, paths, row)?))
}

fn missing(id: &str, given: &Reference, urls: &Urls) -> BulkResponse {
    let url = if given.resource_url.is_empty() { urls.object(id) } else { given.resource_url.clone() };
    item_failure(ApiError::not_found(url))
}

/// POST bulkUpdate: AddFlag / RemoveFlag over references or a selection.
pub async fn update(ctx: BoxCtx, headers: HeaderMap, body: Bytes) -> ApiResult<Response> {
    let u: BulkUpdate = decode_json(&headers, &body)?;
    if u.flags.flag.is_empty() {
        return Err(ApiError::invalid_because("flags", "no flags given"));
    }
    let urls = ctx.urls.clone();
    let out = ctx
        .store()
        .write(&ctx.box_id, move |t| {
            let mut paths = PathCache::default();
            let mut response = Vec::new();
            for (id, given) in targets(t, u.objects.as_ref(), u.selection_criteria.as_ref())? {
                let res = t.item(|t| {
                    let row = obj::require(&t.tx, &t.box_id, &id)?;
                    let mut flags = row.flags.clone();
                    for f in &u.flags.flag {
                        let f = wire::names::canonical_flag(f);
                        match u.operation {
                            BulkOperation::AddFlag if !flags.iter().any(|x| x.eq_ignore_ascii_case(&f)) => {
                                flags.push(f)
                            }
                            BulkOperation::RemoveFlag => flags.retain(|x| !x.eq_ignore_ascii_case(&f)),
                            _ => {}
                        }
                    }
                    obj::set_flags(t, &id, &flags).map(|(row, _)| row)
                });
                response.push(match res {
                    Ok(row) => success(t, &urls, &mut paths, &row)?,
                    Err(e) if e.status == StatusCode::NOT_FOUND => missing(&id, &given, &urls),
                    Err(e) => item_failure(e),
                });
            }
            Ok(BulkResponseList { response })
        })
        .await?;
    Ok(json(StatusCode::OK, &out))
}

/// bulkDelete by DELETE with a body or by POST.
pub async fn delete(ctx: BoxCtx, headers: HeaderMap, body: Bytes) -> ApiResult<Response> {
    let d: BulkDelete = decode_json(&headers, &body)?;
    let urls = ctx.urls.clone();
    let out = ctx
        .store()
        .write(&ctx.box_id, move |t| {
            let mut paths = PathCache::default();
            let mut response = Vec::new();
            for (id, given) in targets(t, d.objects.as_ref(), d.selection_criteria.as_ref())? {
                let Some(row) = obj::get(&t.tx, &t.box_id, &id)? else {
                    response.push(missing(&id, &given, &urls));
                    continue;
                };
                let r = success(t, &urls, &mut paths, &row)?;
                obj::delete(t, &id)?;
                response.push(r);
            }
            Ok(BulkResponseList { response })
        })
        .await?;
    Ok(json(StatusCode::OK, &out))
}
