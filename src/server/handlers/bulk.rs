//! `objects/operations/bulkCreation`, `bulkUpdate` and `bulkDelete` (DELETE with a body, or POST).

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;

use super::extract::StrictJson;
use super::objects::{attachment_parts, reference};
use super::{BoxCtx, check_new_object, decode_json, json};
use crate::server::error::{ApiError, ApiResult};
use crate::server::store::BulkItem;
use crate::server::urls::Urls;
use crate::wire::multipart;
use crate::wire::{
    self, BulkDelete, BulkResponse, BulkResponseList, BulkUpdate, ObjectList, ObjectReferenceList, SelectionCriteria,
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
        let list =
            wire::strict::decode::<ObjectList>(&root.body).map_err(|e| ApiError::invalid_because("root-fields", e))?;
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
        // Every object is checked before any is stored: a malformed item refuses the request.
        let has_payload = parts.as_ref().is_ok_and(|p| !p.is_empty());
        check_new_object(&format!("objectList.object[{i}]"), &o, has_payload, &ctx.limits())?;
        items.push((o, parts));
    }
    let done = ctx.store().bulk_create(&ctx.box_id, items).await?;
    Ok(answer(&ctx.urls, done, 201))
}

/// The bulkResponseList of stored outcomes; `ok` is the code of a successful item.
fn answer(urls: &Urls, items: Vec<BulkItem>, ok: u16) -> Response {
    let response = items
        .into_iter()
        .map(|item| match item {
            BulkItem::Done(e) => BulkResponse::ok(ok, reference(urls, &e)),
            BulkItem::Missing { id, given } => {
                let url = if given.resource_url.is_empty() { urls.object(&id) } else { given.resource_url };
                BulkResponse::err(404, *ApiError::not_found(url).error)
            }
            BulkItem::Failed(e) => BulkResponse::err(e.status.as_u16(), *e.error),
        })
        .collect();
    json(StatusCode::OK, &BulkResponseList { response })
}

/// Bounds a bulk operation by selection to `max_selection` objects, so one request never
/// holds the single writer for an unbounded transaction. A selection without maxEntries (or
/// with more) that matches more than the cap is refused (403 policy error, nothing changed);
/// otherwise its maxEntries becomes the cap, which also bounds objects added in between.
async fn bound_selection(ctx: &BoxCtx, has_refs: bool, sel: Option<&mut SelectionCriteria>) -> ApiResult<()> {
    let Some(sel) = sel else { return Ok(()) };
    let cap = ctx.state.config.max_selection.max(1);
    if has_refs || (sel.max_entries > 0 && sel.max_entries <= cap) {
        return Ok(());
    }
    let limit = usize::try_from(cap).unwrap_or(usize::MAX);
    let page = ctx.store().search(&ctx.box_id, sel.clone(), limit).await?;
    if page.cursor.is_some() {
        return Err(ApiError::forbidden(format!(
            "the selection matches more than {cap} objects; give maxEntries of at most {cap} and repeat"
        )));
    }
    sel.max_entries = cap;
    Ok(())
}

fn has_refs(refs: Option<&ObjectReferenceList>) -> bool {
    refs.is_some_and(|r| !r.object_reference.is_empty())
}

/// POST bulkUpdate: AddFlag / RemoveFlag over references or a selection.
pub async fn update(ctx: BoxCtx, StrictJson(mut u): StrictJson<BulkUpdate>) -> ApiResult<Response> {
    if u.flags.flag.is_empty() {
        return Err(ApiError::invalid_because("flags", "no flags given"));
    }
    bound_selection(&ctx, has_refs(u.objects.as_ref()), u.selection_criteria.as_mut()).await?;
    let done = ctx.store().bulk_update(&ctx.box_id, u).await?;
    Ok(answer(&ctx.urls, done, 200))
}

/// bulkDelete by DELETE with a body or by POST.
pub async fn delete(ctx: BoxCtx, StrictJson(mut d): StrictJson<BulkDelete>) -> ApiResult<Response> {
    bound_selection(&ctx, has_refs(d.objects.as_ref()), d.selection_criteria.as_mut()).await?;
    let done = ctx.store().bulk_delete(&ctx.box_id, d).await?;
    Ok(answer(&ctx.urls, done, 200))
}
