//! `objects/operations/search`: selection criteria → one page of an objectList with an opaque cursor.

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::objects::render;
use super::{BoxCtx, clamp_entries, decode_json, json};
use crate::server::error::ApiResult;
use crate::wire::{ObjectList, SelectionCriteria};

/// POST objects/operations/search → 200 objectList (empty when nothing matches).
pub async fn search(ctx: BoxCtx, headers: HeaderMap, body: Bytes) -> ApiResult<Response> {
    let sel: SelectionCriteria = decode_json(&headers, &body)?;
    let limit = clamp_entries(sel.max_entries, ctx.cap());
    let page = ctx.store().search(&ctx.box_id, sel, limit).await?;
    let object = page.objects.iter().map(|v| render(&ctx.urls, v)).collect();
    Ok(json(StatusCode::OK, &ObjectList { object, cursor: page.cursor, creation_cursor: None }))
}
