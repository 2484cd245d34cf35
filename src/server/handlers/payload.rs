//! `objects/{id}/payload` (the whole payload) and `objects/{id}/payloadParts/{partId}` (raw part bytes).

use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::BoxCtx;
use super::extract::{Id, PartIds, PathIds};
use crate::server::error::{ApiError, ApiResult};
use crate::wire::multipart::{self, Part};

fn raw(part: Part) -> Response {
    let mut resp = (StatusCode::OK, part.body).into_response();
    let h = resp.headers_mut();
    let ct = part.headers.iter().find(|(n, _)| n == "content-type").map(|(_, v)| v.as_str()).unwrap_or("text/plain");
    h.insert(header::CONTENT_TYPE, HeaderValue::from_str(ct).unwrap_or(HeaderValue::from_static("text/plain")));
    for (name, value) in &part.headers {
        if ["content-disposition", "content-id", "content-location", "content-transfer-encoding"]
            .contains(&name.as_str())
            && let (Ok(n), Ok(v)) = (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(value))
        {
            h.insert(n, v);
        }
    }
    resp
}

/// GET objects/{id}/payload: one part as is, several as multipart/related.
pub async fn whole(ctx: BoxCtx, PathIds(Id { id }): PathIds<Id>) -> ApiResult<Response> {
    let mut parts = ctx.store().payload(&ctx.box_id, &id).await?;
    match parts.len() {
        0 => Err(ApiError::not_found("payload")),
        1 => Ok(raw(parts.remove(0))),
        _ => {
            let boundary = multipart::new_boundary();
            let first_type = parts[0].media_type();
            let body = multipart::build(&boundary, &parts);
            let ct = format!("multipart/related; boundary=\"{boundary}\"; type=\"{first_type}\"");
            let value = HeaderValue::from_str(&ct).map_err(ApiError::internal)?;
            Ok((StatusCode::OK, [(header::CONTENT_TYPE, value)], body).into_response())
        }
    }
}

/// GET objects/{id}/payloadParts/{partId}: the part's raw bytes with its Content-Type.
pub async fn part(ctx: BoxCtx, PathIds(PartIds { id, part: part_id }): PathIds<PartIds>) -> ApiResult<Response> {
    let part = ctx.store().payload_part(&ctx.box_id, &id, &part_id).await?;
    Ok(raw(part))
}
