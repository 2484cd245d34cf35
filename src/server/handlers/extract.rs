//! Typed request extractors for the NMS handlers: path ids by name and strictly decoded
//! JSON bodies, both rejecting with the OMA `requestError` (400 SVC0002) the handlers
//! answered with when they decoded by hand.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use super::{AppState, decode_json};
use crate::server::error::ApiError;
use crate::wire::Root;

/// Path parameters by name (`{id}`, `{flag}`, `{part}`), percent-decoded by axum into `T`
/// (one of the structs below; `{store}` and `{box}` are read by [`super::BoxCtx`] and
/// ignored here). A path that does not decode is 400 SVC0002 on `Request-URI`.
pub struct PathIds<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequestParts<Arc<AppState>> for PathIds<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, Self::Rejection> {
        let Path(ids) = Path::<T>::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::invalid_because("Request-URI", e.body_text()))?;
        Ok(PathIds(ids))
    }
}

/// `…/objects/{id}…` and `…/folders/{id}…`.
#[derive(Debug, serde::Deserialize)]
pub struct Id {
    pub id: String,
}

/// `…/notificationchannel/v1/{user}/channels/{ch}…`.
#[derive(Debug, serde::Deserialize)]
pub struct ChannelId {
    pub ch: String,
}

/// `…/objects/{id}/flags/{flag}`.
#[derive(Debug, serde::Deserialize)]
pub struct FlagIds {
    pub id: String,
    pub flag: String,
}

/// `…/objects/{id}/payloadParts/{part}`.
#[derive(Debug, serde::Deserialize)]
pub struct PartIds {
    pub id: String,
    pub part: String,
}

/// A JSON body of type `T`, wrapped in its root element or bare, decoded strictly by
/// [`decode_json`] (Content-Type check, empty body, unknown members: 400 SVC0002 naming
/// the root and the problem). The body is read by axum's `Bytes` extractor, so the body
/// size and time limits answer exactly as before.
pub struct StrictJson<T>(pub T);

impl<T: Root + Send> FromRequest<Arc<AppState>> for StrictJson<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &Arc<AppState>) -> Result<Self, Self::Rejection> {
        let headers = req.headers().clone();
        let body = Bytes::from_request(req, state).await.map_err(IntoResponse::into_response)?;
        decode_json::<T>(&headers, &body).map(StrictJson).map_err(IntoResponse::into_response)
    }
}
