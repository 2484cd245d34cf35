//! HTTP handlers of the NMS resources, the per-request box context (authentication and
//! box authorisation) and small response helpers.

pub mod bulk;
pub mod extract;
pub mod flags;
pub mod folders;
pub mod objects;
pub mod payload;
pub mod search;
pub mod upload;

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use super::AppState;
use super::auth::Principal;
use super::error::{ApiError, ApiResult};
use super::store::Limits;
use super::store::Store;
use super::urls::Urls;
use crate::wire::{self, AttributeList, Object, Reference, Root};

/// The NMS routes under `/nms/v1/{store}/{box}`.
pub fn routes() -> Router<Arc<AppState>> {
    let b = "/nms/v1/{store}/{box}";
    Router::new()
        .route(&format!("{b}/objects"), post(objects::create))
        .route(&format!("{b}/objects/{{id}}"), get(objects::get_one).delete(objects::delete_one))
        .route(&format!("{b}/objects/{{id}}/flags"), get(flags::get_all).put(flags::put_all))
        .route(
            &format!("{b}/objects/{{id}}/flags/{{flag}}"),
            get(flags::get_one).put(flags::put_one).delete(flags::delete_one),
        )
        .route(&format!("{b}/objects/{{id}}/payload"), get(payload::whole))
        .route(&format!("{b}/objects/{{id}}/payloadParts/{{part}}"), get(payload::part))
        .route(&format!("{b}/objects/operations/search"), post(search::search))
        .route(&format!("{b}/objects/operations/bulkCreation"), post(bulk::creation))
        .route(&format!("{b}/objects/operations/bulkUpdate"), post(bulk::update))
        .route(&format!("{b}/objects/operations/bulkDelete"), post(bulk::delete).delete(bulk::delete))
        .route(&format!("{b}/objects/operations/pathToId"), get(objects::path_to_id).post(objects::paths_to_ids))
        .route(&format!("{b}/folders"), post(folders::create))
        .route(&format!("{b}/folders/{{id}}"), get(folders::get_one).delete(folders::delete_one))
        .route(&format!("{b}/folders/{{id}}/folderName"), get(folders::get_name).put(folders::put_name))
        .route(&format!("{b}/folders/operations/search"), post(folders::search))
        .route(&format!("{b}/folders/operations/pathToId"), get(folders::path_to_id).post(folders::paths_to_ids))
        .route(&format!("{b}/folders/operations/moveToFolder"), post(folders::move_to_folder))
        .route(&format!("{b}/folders/operations/copyToFolder"), post(folders::copy_to_folder))
}

/// An authenticated, authorised request on one box.
pub struct BoxCtx {
    pub state: Arc<AppState>,
    pub box_id: String,
    pub urls: Urls,
    pub principal: Principal,
}

impl BoxCtx {
    pub fn store(&self) -> &dyn Store {
        self.state.store.as_ref()
    }

    /// The configured input limits.
    pub fn limits(&self) -> Limits {
        self.state.config.limits()
    }

    pub fn cap(&self) -> u64 {
        self.state.config.max_entries_cap.max(1)
    }
}

/// The root URL the client used (Host header), so returned URLs work from where it stands.
pub fn request_root(headers: &HeaderMap, state: &AppState) -> String {
    match headers.get(header::HOST).and_then(|h| h.to_str().ok()).filter(|h| !h.is_empty()) {
        Some(host) => format!("http://{host}"),
        None => format!("http://{}", state.local_addr),
    }
}

/// Authenticates the caller (401) and checks it may use `box_id` (403 for another user's
/// box, 404 SVC0004 for a box that does not exist). Shared with the Notification Channel.
pub async fn authorize_box(state: &AppState, headers: &HeaderMap, box_id: &str) -> ApiResult<Principal> {
    let auth = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).ok_or_else(ApiError::unauthorized)?;
    let principal = state.users.authenticate(auth).await.ok_or_else(ApiError::unauthorized)?;
    if !principal.may_access(box_id) {
        return Err(ApiError::forbidden(format!("box {box_id} belongs to another user")));
    }
    if principal.admin && !principal.boxes.iter().any(|b| b == box_id) {
        let known = state.users.all_boxes().iter().any(|b| b == box_id)
            || state.store.box_ids().await?.iter().any(|b| b == box_id);
        if !known {
            return Err(ApiError::not_found(format!("box {box_id}")));
        }
    }
    state.store.ensure_box(box_id).await?;
    Ok(principal)
}

impl FromRequestParts<Arc<AppState>> for BoxCtx {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, Self::Rejection> {
        let Path(params) = Path::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::invalid_because("Request-URI", e.body_text()))?;
        let store_name = params.get("store").cloned().unwrap_or_default();
        let mut box_id = params.get("box").cloned().unwrap_or_default();
        if box_id.eq_ignore_ascii_case("acr:auth") {
            // TS G.1.2: `acr:auth` stands for the authenticated user's own box.
            let auth = parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
            let auth = auth.ok_or_else(ApiError::unauthorized)?;
            let principal = state.users.authenticate(auth).await.ok_or_else(ApiError::unauthorized)?;
            box_id = principal.boxes.first().cloned().ok_or_else(|| ApiError::not_found("box acr:auth"))?;
        }
        // Authenticate before revealing anything about stores or boxes.
        let principal = authorize_box_or_store(state, &parts.headers, &store_name, &box_id).await?;
        let urls = Urls::new(&request_root(&parts.headers, state), &state.config.store_name, &box_id);
        Ok(BoxCtx { state: state.clone(), box_id, urls, principal })
    }
}

async fn authorize_box_or_store(
    state: &AppState,
    headers: &HeaderMap,
    store_name: &str,
    box_id: &str,
) -> ApiResult<Principal> {
    if store_name != state.config.store_name {
        let auth =
            headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).ok_or_else(ApiError::unauthorized)?;
        state.users.authenticate(auth).await.ok_or_else(ApiError::unauthorized)?;
        return Err(ApiError::not_found(format!("store {store_name}")));
    }
    authorize_box(state, headers, box_id).await
}

/// A JSON answer wrapped in its root element.
pub fn json<T: Root>(status: StatusCode, body: &T) -> Response {
    (status, [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], wire::encode(body)).into_response()
}

/// 201 with Location and a `reference` body.
pub fn created(reference: Reference) -> Response {
    let mut resp = json(StatusCode::CREATED, &reference);
    if let Ok(v) = HeaderValue::from_str(&reference.resource_url) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    resp
}

/// Whether a request Content-Type can carry JSON (absent counts: Samsung sometimes omits it).
pub fn check_json_type(headers: &HeaderMap) -> ApiResult<()> {
    let Some(ct) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else { return Ok(()) };
    let media = wire::multipart::media_type(ct);
    if media.is_empty() || media.contains("json") || media == "text/plain" || media == "*/*" {
        Ok(())
    } else {
        Err(ApiError::unsupported_media(ct))
    }
}

/// Decodes a wrapped or bare JSON body of type `T` strictly (400 SVC0002 naming the root
/// and the problem on failure); see [`wire::strict`] for what is tolerated and what is not.
pub fn decode_json<T: Root>(headers: &HeaderMap, body: &[u8]) -> ApiResult<T> {
    decode_json_requiring(headers, body, &[])
}

/// [`decode_json`] that also requires the members `required` (see [`wire::strict::decode_requiring`]).
pub fn decode_json_requiring<T: Root>(headers: &HeaderMap, body: &[u8], required: &[&str]) -> ApiResult<T> {
    check_json_type(headers)?;
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::invalid_because(T::ROOT, "the request body is empty"));
    }
    wire::strict::decode_requiring::<T>(body, required).map_err(|e| ApiError::invalid_because(T::ROOT, e))
}

/// Refuses attribute lists past the configured count and size limits (400 SVC0002), and
/// attributes without a name, before any work is done on them.
pub fn check_attributes(field: &str, attrs: &AttributeList, limits: &Limits) -> ApiResult<()> {
    let mut count = 0usize;
    for (i, a) in attrs.attribute.iter().enumerate() {
        if a.name.trim().is_empty() {
            return Err(ApiError::invalid_because(field, format!("attribute {} has no name", i + 1)));
        }
        // A name without values still takes a slot.
        count = count.saturating_add(a.value.len().max(1));
        if count > limits.max_attributes {
            return Err(ApiError::invalid_because(
                field,
                format!("more than {} attribute values", limits.max_attributes),
            ));
        }
        let longest = a.value.iter().map(String::len).chain([a.name.len()]).max().unwrap_or(0);
        if longest > limits.max_attribute_value_bytes {
            return Err(ApiError::invalid_because(
                field,
                format!(
                    "attribute {:?} is longer than {} bytes",
                    truncated(&a.name, 64),
                    limits.max_attribute_value_bytes
                ),
            ));
        }
    }
    Ok(())
}

/// At most `max` bytes of `s`, cut at a character boundary (for error texts).
fn truncated(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// What a new object must carry: attributes within the limits, and something to store (at
/// least one attribute, or payload). `{}` or a body whose members were all misplaced would
/// otherwise create an empty object at the root.
pub fn check_new_object(field: &str, o: &Object, has_payload: bool, limits: &Limits) -> ApiResult<()> {
    check_attributes(field, &o.attributes, limits)?;
    if o.attributes.is_empty() && !has_payload {
        return Err(ApiError::invalid_because(field, "the object has no attributes and no payload"));
    }
    Ok(())
}

/// Clamps a requested maxEntries to `1..=cap` (0 or absent: the cap).
pub fn clamp_entries(requested: u64, cap: u64) -> usize {
    (if requested == 0 { cap } else { requested.min(cap) }) as usize
}
