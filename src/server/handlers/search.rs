//! `objects/operations/search`: selection criteria → one page of an objectList with an opaque cursor.

use axum::http::StatusCode;
use axum::response::Response;

use super::extract::StrictJson;
use super::objects::render;
use super::{BoxCtx, clamp_entries, json};
use crate::server::error::ApiResult;
use crate::wire::{ObjectList, SelectionCriteria};

/// POST objects/operations/search → 200 objectList (empty when nothing matches).
pub async fn search(ctx: BoxCtx, StrictJson(sel): StrictJson<SelectionCriteria>) -> ApiResult<Response> {
    let limit = clamp_entries(sel.max_entries, ctx.cap());
    let page = ctx.store().search(&ctx.box_id, sel, limit).await?;
    let object = page.objects.iter().map(|v| render(&ctx.urls, v)).collect();
    Ok(json(StatusCode::OK, &ObjectList { object, cursor: page.cursor, creation_cursor: None }))
}
