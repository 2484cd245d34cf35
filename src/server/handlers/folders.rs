//! `folders` (create), `folders/{id}` (read with paged children, delete), `folderName`,
//! and `folders/operations/{search,pathToId,moveToFolder,copyToFolder}`.

use axum::extract::RawQuery;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::extract::{Id, PathIds, StrictJson};
use super::objects::reference as object_reference;
use super::{BoxCtx, check_attributes, clamp_entries, created, json};
use crate::server::error::{ApiError, ApiResult};
use crate::server::store::{FolderEntry, FolderPage, FolderView, Lists, Transfer, Transferred};
use crate::server::urls::Urls;
use crate::wire::folder::FolderName;
use crate::wire::{
    BulkResponse, BulkResponseList, Folder, FolderList, FolderReferenceList, ObjectReferenceList, PathList, Reference,
    SelectionCriteria, TargetSourceRef,
};

fn folder_reference(urls: &Urls, e: &FolderEntry) -> Reference {
    Reference { resource_url: urls.folder(&e.id), path: Some(e.path.clone()) }
}

/// The wire form of a folder with the child lists it was read with.
fn render(urls: &Urls, v: &FolderView) -> Folder {
    let row = &v.row;
    Folder {
        parent_folder: row.parent_id.as_ref().map(|p| urls.folder(p)),
        parent_folder_path: None,
        attributes: v.attributes.clone(),
        resource_url: Some(urls.folder(&row.id)),
        path: Some(v.path.clone()),
        name: Some(row.name.clone()),
        last_mod_seq: Some(row.last_mod_seq),
        cursor: v.cursor.clone(),
        sub_folders: v
            .sub_folders
            .as_ref()
            .map(|s| FolderReferenceList { folder_reference: s.iter().map(|e| folder_reference(urls, e)).collect() }),
        objects: v
            .objects
            .as_ref()
            .map(|o| ObjectReferenceList { object_reference: o.iter().map(|e| object_reference(urls, e)).collect() }),
    }
}

/// POST folders → 201 + Location + reference.
pub async fn create(ctx: BoxCtx, StrictJson(folder): StrictJson<Folder>) -> ApiResult<Response> {
    check_attributes("folder.attributes", &folder.attributes, &ctx.limits())?;
    let entry = ctx.store().create_folder(&ctx.box_id, folder).await?;
    Ok(created(folder_reference(&ctx.urls, &entry)))
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
pub async fn get_one(ctx: BoxCtx, PathIds(Id { id }): PathIds<Id>, RawQuery(raw): RawQuery) -> ApiResult<Response> {
    let q = folder_query(raw.as_deref())?;
    let max = clamp_entries(q.max, ctx.cap());
    let page = FolderPage { lists: q.lists, cursor: q.cursor, max, attr_filter: q.attr_filter };
    let view = ctx.store().list_folder(&ctx.box_id, &id, page).await?;
    Ok(json(StatusCode::OK, &render(&ctx.urls, &view)))
}

/// DELETE folders/{id} → 204, everything below goes too (the root: 403).
pub async fn delete_one(ctx: BoxCtx, PathIds(Id { id }): PathIds<Id>) -> ApiResult<Response> {
    ctx.store().delete_folder(&ctx.box_id, &id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// GET folders/{id}/folderName → `{"name": …}`.
pub async fn get_name(ctx: BoxCtx, PathIds(Id { id }): PathIds<Id>) -> ApiResult<Response> {
    let row = ctx.store().folder(&ctx.box_id, &id).await?;
    Ok(json(StatusCode::OK, &FolderName(row.name)))
}

/// PUT folders/{id}/folderName with `{"name": …}` → 200 with the new name.
pub async fn put_name(
    ctx: BoxCtx,
    PathIds(Id { id }): PathIds<Id>,
    StrictJson(FolderName(name)): StrictJson<FolderName>,
) -> ApiResult<Response> {
    let row = ctx.store().rename_folder(&ctx.box_id, &id, name.trim()).await?;
    Ok(json(StatusCode::OK, &FolderName(row.name)))
}

/// POST folders/operations/search → folderList (each folder with both child lists).
pub async fn search(ctx: BoxCtx, StrictJson(sel): StrictJson<SelectionCriteria>) -> ApiResult<Response> {
    let max = clamp_entries(sel.max_entries, ctx.cap());
    let cap = ctx.cap() as usize;
    let page = ctx.store().search_folders(&ctx.box_id, sel, max, cap).await?;
    let folder = page.folders.iter().map(|v| render(&ctx.urls, v)).collect();
    Ok(json(StatusCode::OK, &FolderList { folder, cursor: page.cursor }))
}

/// GET folders/operations/pathToId[?path=…] → reference (no path: the root folder).
pub async fn path_to_id(ctx: BoxCtx, RawQuery(raw): RawQuery) -> ApiResult<Response> {
    let path = url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .find(|(k, _)| k.eq_ignore_ascii_case("path"))
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    let found = ctx.store().folders_at_paths(&ctx.box_id, vec![path.clone()]).await?;
    let entry = found.into_iter().next().flatten().ok_or_else(|| ApiError::not_found(path))?;
    Ok(json(StatusCode::OK, &folder_reference(&ctx.urls, &entry)))
}

/// POST folders/operations/pathToId with a pathList → bulkResponseList.
pub async fn paths_to_ids(ctx: BoxCtx, StrictJson(list): StrictJson<PathList>) -> ApiResult<Response> {
    let found = ctx.store().folders_at_paths(&ctx.box_id, list.path.clone()).await?;
    let response = list
        .path
        .iter()
        .zip(found)
        .map(|(p, e)| match e {
            Some(e) => BulkResponse::ok(200, folder_reference(&ctx.urls, &e)),
            None => BulkResponse::err(400, *ApiError::invalid_because("path", p).error),
        })
        .collect();
    Ok(json(StatusCode::OK, &BulkResponseList { response }))
}

async fn transfer_request(ctx: BoxCtx, tsr: TargetSourceRef, op: Transfer) -> ApiResult<Response> {
    let done = ctx.store().transfer(&ctx.box_id, tsr, op).await?;
    let response = done
        .into_iter()
        .map(|t| match t {
            Transferred::Folder(e) => BulkResponse::ok(200, folder_reference(&ctx.urls, &e)),
            Transferred::Object(e) => BulkResponse::ok(200, object_reference(&ctx.urls, &e)),
            Transferred::Failed(e) => BulkResponse::err(e.status.as_u16(), *e.error),
        })
        .collect();
    Ok(json(StatusCode::OK, &BulkResponseList { response }))
}

/// POST folders/operations/moveToFolder → bulkResponseList.
pub async fn move_to_folder(ctx: BoxCtx, StrictJson(tsr): StrictJson<TargetSourceRef>) -> ApiResult<Response> {
    transfer_request(ctx, tsr, Transfer::Move).await
}

/// POST folders/operations/copyToFolder → bulkResponseList.
pub async fn copy_to_folder(ctx: BoxCtx, StrictJson(tsr): StrictJson<TargetSourceRef>) -> ApiResult<Response> {
    transfer_request(ctx, tsr, Transfer::Copy).await
}
