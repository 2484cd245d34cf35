//! `objects` (create), `objects/{id}` (read, delete) and `objects/operations/pathToId`.

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::Query;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::extract::{Id, PathIds, StrictJson};
use super::{BoxCtx, check_new_object, created, decode_json, json, upload};
use crate::server::error::{ApiError, ApiResult};
use crate::server::store::objects::PartInfo;
use crate::server::store::{ObjectEntry, ObjectView};
use crate::server::urls::Urls;
use crate::wire::multipart::{self, Part};
use crate::wire::{self, BulkResponse, BulkResponseList, FlagList, Object, PathList, PayloadPartInfo, Reference, Root};

fn part_info(urls: &Urls, id: &str, p: &PartInfo) -> PayloadPartInfo {
    PayloadPartInfo {
        content_type: p.header("content-type").unwrap_or("text/plain").to_string(),
        content_id: p.header("content-id").map(|v| v.trim().trim_start_matches('<').trim_end_matches('>').to_string()),
        content_location: p.header("content-location").map(str::to_string),
        size: Some(p.size),
        href: urls.part(id, &p.part_id),
        content_disposition: p.header("content-disposition").map(str::to_string),
        content_encoding: p.header("content-transfer-encoding").map(str::to_string),
    }
}

/// The full wire form of a stored object.
pub fn render(urls: &Urls, v: &ObjectView) -> Object {
    let row = &v.row;
    Object {
        parent_folder: Some(urls.folder(&row.folder_id)),
        parent_folder_path: None,
        attributes: row.attributes.clone(),
        flags: FlagList { flag: row.flags.clone(), resource_url: Some(urls.flags(&row.id)) },
        resource_url: Some(urls.object(&row.id)),
        path: Some(v.path.clone()),
        payload_url: (!v.parts.is_empty()).then(|| urls.payload(&row.id)),
        payload_part: v.parts.iter().map(|p| part_info(urls, &row.id, p)).collect(),
        last_mod_seq: Some(row.last_mod_seq),
        correlation_id: row.correlation_id.clone(),
        correlation_tag: row.correlation_tag.clone(),
    }
}

/// A reference (resourceURL + path) to a stored object.
pub fn reference(urls: &Urls, e: &ObjectEntry) -> Reference {
    Reference { resource_url: urls.object(&e.row.id), path: Some(e.path.clone()) }
}

/// Payload parts of one `attachments` part: its first-level sub-parts, or itself.
pub fn attachment_parts(p: Part) -> ApiResult<Vec<Part>> {
    if p.body.is_empty() && p.header("content-type").is_none() {
        // bulkCreation's placeholder for an object without payload.
        return Ok(Vec::new());
    }
    if p.is_multipart() {
        return p.subparts().map_err(|e| ApiError::invalid_because("attachments", e));
    }
    Ok(vec![p])
}

/// Splits a create body: JSON `object`, or multipart with `root-fields` and `attachments`.
pub fn parse_create(headers: &HeaderMap, body: &[u8]) -> ApiResult<(Object, Vec<Part>)> {
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !wire::multipart::media_type(ct).starts_with("multipart/") {
        return Ok((decode_json::<Object>(headers, body)?, Vec::new()));
    }
    let parts = multipart::parse(ct, body).map_err(|e| ApiError::invalid_because("multipart body", e))?;
    assemble(parts.into_iter().map(|p| (p, None)).collect())
}

/// Picks the `root-fields` part (or the first JSON part) as the object; every other part is
/// payload (a nested container's sub-parts, already read or parsed here).
pub fn assemble(parts: Vec<upload::TopPart>) -> ApiResult<(Object, Vec<Part>)> {
    let root_at = parts
        .iter()
        .position(|(p, _)| p.form_name().is_some_and(|n| n.eq_ignore_ascii_case("root-fields")))
        .or_else(|| parts.iter().position(|(p, _)| p.media_type().contains("json")))
        .ok_or_else(|| ApiError::invalid_because("root-fields", "the multipart body has no root-fields part"))?;
    let mut parts = parts;
    let (root, _) = parts.remove(root_at);
    let object = wire::strict::decode::<Object>(&root.body).map_err(|e| ApiError::invalid_because("root-fields", e))?;
    let mut payload = Vec::new();
    for (p, sub) in parts {
        match sub {
            Some(sub) => payload.extend(sub),
            None => payload.extend(attachment_parts(p)?),
        }
    }
    Ok((object, payload))
}

/// POST objects → 201 + Location + reference.
///
/// A multipart body is parsed while it arrives (see `upload`), so a large payload is held
/// once, not as the body plus its parsed copies.
pub async fn create(ctx: BoxCtx, headers: HeaderMap, body: Body) -> ApiResult<Response> {
    let limit = ctx.state.config.max_body_bytes;
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let (object, parts) = if wire::multipart::media_type(ct).starts_with("multipart/") {
        let declared = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.trim().parse::<usize>().ok());
        assemble(upload::read_multipart(ct, body, limit, declared).await?)?
    } else {
        parse_create(&headers, &upload::read_all(body, limit).await?)?
    };
    check_new_object(Object::ROOT, &object, !parts.is_empty(), &ctx.limits())?;
    let entry = ctx.store().create_object(&ctx.box_id, object, parts).await?;
    Ok(created(reference(&ctx.urls, &entry)))
}

/// GET objects/{id}.
pub async fn get_one(ctx: BoxCtx, PathIds(Id { id }): PathIds<Id>) -> ApiResult<Response> {
    let view = ctx.store().get_object(&ctx.box_id, &id).await?;
    Ok(json(StatusCode::OK, &render(&ctx.urls, &view)))
}

/// DELETE objects/{id} → 204.
pub async fn delete_one(ctx: BoxCtx, PathIds(Id { id }): PathIds<Id>) -> ApiResult<Response> {
    if !ctx.store().delete_object(&ctx.box_id, &id).await? {
        return Err(ApiError::not_found(format!("object {id}")));
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// GET objects/operations/pathToId?path=… → reference.
pub async fn path_to_id(ctx: BoxCtx, Query(q): Query<HashMap<String, String>>) -> ApiResult<Response> {
    let path = q.get("path").cloned().filter(|p| !p.trim().is_empty()).ok_or_else(|| ApiError::invalid("path"))?;
    let found = ctx.store().objects_at_paths(&ctx.box_id, vec![path.clone()]).await?;
    let entry = found.into_iter().next().flatten().ok_or_else(|| ApiError::not_found(path))?;
    Ok(json(StatusCode::OK, &reference(&ctx.urls, &entry)))
}

/// POST objects/operations/pathToId with a pathList → bulkResponseList.
pub async fn paths_to_ids(ctx: BoxCtx, StrictJson(list): StrictJson<PathList>) -> ApiResult<Response> {
    let found = ctx.store().objects_at_paths(&ctx.box_id, list.path.clone()).await?;
    let response = list
        .path
        .iter()
        .zip(found)
        .map(|(p, e)| match e {
            Some(e) => BulkResponse::ok(200, reference(&ctx.urls, &e)),
            None => BulkResponse::err(400, *ApiError::invalid_because("path", p).error),
        })
        .collect();
    Ok(json(StatusCode::OK, &BulkResponseList { response }))
}
