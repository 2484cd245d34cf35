//! `objects` (create), `objects/{id}` (read, delete) and `objects/operations/pathToId`.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rusqlite::Connection;

use super::{BoxCtx, created, decode_json, folder_from_ref, json};
use crate::server::error::{ApiError, ApiResult};
use crate::server::store::objects::{self as obj, NewObject, ObjectRow, PartInfo};
use crate::server::store::{self, Tx, folders};
use crate::server::urls::{Urls, id_from_ref};
use crate::wire::multipart::{self, Part};
use crate::wire::{self, BulkResponse, BulkResponseList, FlagList, Object, PathList, PayloadPartInfo, Reference};

/// Folder paths looked up once per request.
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
}

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
pub fn render(c: &Connection, box_id: &str, urls: &Urls, paths: &mut PathCache, row: &ObjectRow) -> ApiResult<Object> {
    let parts = obj::part_infos(c, box_id, &row.id)?;
    Ok(Object {
        parent_folder: Some(urls.folder(&row.folder_id)),
        parent_folder_path: None,
        attributes: row.attributes.clone(),
        flags: FlagList { flag: row.flags.clone(), resource_url: Some(urls.flags(&row.id)) },
        resource_url: Some(urls.object(&row.id)),
        path: Some(paths.object_path(c, box_id, row)?),
        payload_url: (!parts.is_empty()).then(|| urls.payload(&row.id)),
        payload_part: parts.iter().map(|p| part_info(urls, &row.id, p)).collect(),
        last_mod_seq: Some(row.last_mod_seq),
        correlation_id: row.correlation_id.clone(),
        correlation_tag: row.correlation_tag.clone(),
    })
}

/// A reference (resourceURL + path) to a stored object.
pub fn reference(
    c: &Connection,
    box_id: &str,
    urls: &Urls,
    paths: &mut PathCache,
    row: &ObjectRow,
) -> ApiResult<Reference> {
    Ok(Reference { resource_url: urls.object(&row.id), path: Some(paths.object_path(c, box_id, row)?) })
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
    let root_at = parts
        .iter()
        .position(|p| p.form_name().is_some_and(|n| n.eq_ignore_ascii_case("root-fields")))
        .or_else(|| parts.iter().position(|p| p.media_type().contains("json")))
        .ok_or_else(|| ApiError::invalid_because("root-fields", "the multipart body has no root-fields part"))?;
    let mut parts = parts;
    let root = parts.remove(root_at);
    let object = wire::decode::<Object>(&root.body).map_err(|e| ApiError::invalid_because("root-fields", e))?;
    let mut payload = Vec::new();
    for p in parts {
        payload.extend(attachment_parts(p)?);
    }
    Ok((object, payload))
}

/// The folder a new object goes to: parentFolder, else parentFolderPath (created when
/// missing), else the root.
pub fn target_folder(t: &mut Tx<'_>, o: &Object) -> ApiResult<String> {
    if let Some(pf) = o.parent_folder.as_deref().filter(|s| !s.trim().is_empty()) {
        return folder_from_ref(&t.tx, &t.box_id, &Reference::new(pf), "parentFolder");
    }
    if let Some(path) = o.parent_folder_path.as_deref() {
        for seg in path.split('/').filter(|s| !s.is_empty()) {
            folders::check_name(seg).map_err(|_| ApiError::invalid("parentFolderPath"))?;
        }
        return folders::ensure_path(t, path);
    }
    Ok(t.root_id.clone())
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

/// POST objects → 201 + Location + reference.
pub async fn create(ctx: BoxCtx, headers: HeaderMap, body: Bytes) -> ApiResult<Response> {
    let (object, parts) = parse_create(&headers, &body)?;
    let urls = ctx.urls.clone();
    let reference = ctx
        .store()
        .write(&ctx.box_id, move |t| {
            let row = create_in_tx(t, object, parts)?;
            reference(&t.tx, &t.box_id.clone(), &urls, &mut PathCache::default(), &row)
        })
        .await?;
    Ok(created(reference))
}

/// GET objects/{id}.
pub async fn get_one(ctx: BoxCtx, Path(p): Path<HashMap<String, String>>) -> ApiResult<Response> {
    let id = p.get("id").cloned().unwrap_or_default();
    let (box_id, urls) = (ctx.box_id.clone(), ctx.urls.clone());
    let object = ctx
        .store()
        .read(move |c| {
            let row = obj::require(c, &box_id, &id)?;
            render(c, &box_id, &urls, &mut PathCache::default(), &row)
        })
        .await?;
    Ok(json(StatusCode::OK, &object))
}

/// DELETE objects/{id} → 204.
pub async fn delete_one(ctx: BoxCtx, Path(p): Path<HashMap<String, String>>) -> ApiResult<Response> {
    let id = p.get("id").cloned().unwrap_or_default();
    ctx.store()
        .write(&ctx.box_id, move |t| {
            if obj::delete(t, &id)? { Ok(()) } else { Err(ApiError::not_found(format!("object {id}"))) }
        })
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// An object path `/folder/…/objectId` to its stored row.
fn resolve_object_path(c: &Connection, box_id: &str, path: &str) -> ApiResult<Option<ObjectRow>> {
    let trimmed = path.trim().trim_end_matches('/');
    let Some((folder_path, id)) = trimmed.rsplit_once('/') else { return Ok(None) };
    let root = store::root_id(c, box_id)?;
    let Some(folder) = folders::resolve_path(c, box_id, &root, folder_path)? else { return Ok(None) };
    let id = id_from_ref(id);
    Ok(obj::get(c, box_id, &id)?.filter(|r| r.folder_id == folder))
}

/// GET objects/operations/pathToId?path=… → reference.
pub async fn path_to_id(ctx: BoxCtx, Query(q): Query<HashMap<String, String>>) -> ApiResult<Response> {
    let path = q.get("path").cloned().filter(|p| !p.trim().is_empty()).ok_or_else(|| ApiError::invalid("path"))?;
    let (box_id, urls) = (ctx.box_id.clone(), ctx.urls.clone());
    let r = ctx
        .store()
        .read(move |c| {
            let row = resolve_object_path(c, &box_id, &path)?.ok_or_else(|| ApiError::not_found(path.clone()))?;
            reference(c, &box_id, &urls, &mut PathCache::default(), &row)
        })
        .await?;
    Ok(json(StatusCode::OK, &r))
}

/// POST objects/operations/pathToId with a pathList → bulkResponseList.
pub async fn paths_to_ids(ctx: BoxCtx, headers: HeaderMap, body: Bytes) -> ApiResult<Response> {
    let list: PathList = decode_json(&headers, &body)?;
    let (box_id, urls) = (ctx.box_id.clone(), ctx.urls.clone());
    let out = ctx
        .store()
        .read(move |c| {
            let mut paths = PathCache::default();
            let mut response = Vec::new();
            for p in &list.path {
                response.push(match resolve_object_path(c, &box_id, p)? {
                    Some(row) => BulkResponse::ok(200, reference(c, &box_id, &urls, &mut paths, &row)?),
                    None => BulkResponse::err(400, *ApiError::invalid_because("path", p).error),
                });
            }
            Ok(BulkResponseList { response })
        })
        .await?;
    Ok(json(StatusCode::OK, &out))
}
