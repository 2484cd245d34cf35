//! `objects/{id}/flags` (whole set) and `objects/{id}/flags/{flag}` (one flag).

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::extract::{FlagIds, Id, PathIds};
use super::{BoxCtx, check_json_type, decode_json, decode_json_requiring, json};
use crate::server::error::{ApiError, ApiResult};
use crate::wire::{Empty, FlagList, names};

/// GET objects/{id}/flags → flagList.
pub async fn get_all(ctx: BoxCtx, PathIds(Id { id }): PathIds<Id>) -> ApiResult<Response> {
    let row = ctx.store().get_object(&ctx.box_id, &id).await?.row;
    Ok(json(StatusCode::OK, &FlagList { flag: row.flags, resource_url: Some(ctx.urls.flags(&row.id)) }))
}

/// PUT objects/{id}/flags: replaces the whole set → 200 flagList.
pub async fn put_all(
    ctx: BoxCtx,
    PathIds(Id { id }): PathIds<Id>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    // Without a `flag` member the new set would be empty: erasing every flag needs `"flag": []`.
    let list: FlagList = decode_json_requiring(&headers, &body, &["flag"])?;
    let row = ctx.store().set_flags(&ctx.box_id, &id, list.flag).await?;
    Ok(json(StatusCode::OK, &FlagList { flag: row.flags, resource_url: Some(ctx.urls.flags(&row.id)) }))
}

/// GET objects/{id}/flags/{flag}: 204 when set, 404 when not.
pub async fn get_one(ctx: BoxCtx, PathIds(FlagIds { id, flag }): PathIds<FlagIds>) -> ApiResult<Response> {
    let row = ctx.store().get_object(&ctx.box_id, &id).await?.row;
    if row.flags.iter().any(|f| f.eq_ignore_ascii_case(&names::canonical_flag(&flag))) {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(ApiError::not_found(format!("flag {flag}")))
    }
}

/// PUT objects/{id}/flags/{flag} (`{"empty":null}` or no body): 201 when newly set, 204 when already set.
pub async fn put_one(
    ctx: BoxCtx,
    PathIds(FlagIds { id, flag }): PathIds<FlagIds>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    if !body.iter().all(u8::is_ascii_whitespace) {
        check_json_type(&headers)?;
        decode_json::<Empty>(&headers, &body)?;
    }
    if flag.trim().is_empty() {
        return Err(ApiError::invalid("flag"));
    }
    let added = ctx.store().change_flag(&ctx.box_id, &id, &flag, true).await?;
    if !added {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    let mut resp = json(StatusCode::CREATED, &Empty {});
    if let Ok(v) = HeaderValue::from_str(&ctx.urls.flag(&id, &names::canonical_flag(&flag))) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    Ok(resp)
}

/// DELETE objects/{id}/flags/{flag}: 204 when it was set, 404 when absent.
pub async fn delete_one(ctx: BoxCtx, PathIds(FlagIds { id, flag }): PathIds<FlagIds>) -> ApiResult<Response> {
    let removed = ctx.store().change_flag(&ctx.box_id, &id, &flag, false).await?;
    if removed { Ok(StatusCode::NO_CONTENT.into_response()) } else { Err(ApiError::not_found(format!("flag {flag}"))) }
}
