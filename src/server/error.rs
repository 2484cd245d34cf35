//! API errors: every failure leaves the server as an OMA `requestError` body with the right HTTP status.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::wire::{self, RequestError};

/// An error answer: status, requestError body and the extra headers some statuses need.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    /// Boxed so that `Result<_, ApiError>` stays small on the happy path.
    pub error: Box<RequestError>,
    pub headers: Vec<(header::HeaderName, String)>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    fn new(status: StatusCode, error: RequestError) -> Self {
        ApiError { status, error: Box::new(error), headers: Vec::new() }
    }

    /// 500 SVC0001: a generic service error (storage failure and the like).
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            RequestError::service("SVC0001", "A service error occurred. Error code is %1", vec![detail.to_string()]),
        )
    }

    /// 400 SVC0002: invalid input value, naming the offending field.
    pub fn invalid(field: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            RequestError::service("SVC0002", "Invalid input value for message part %1", vec![field.to_string()]),
        )
    }

    /// 400 SVC0002 with an explanation appended as a second variable.
    pub fn invalid_because(field: &str, why: impl std::fmt::Display) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            RequestError::service(
                "SVC0002",
                "Invalid input value for message part %1: %2",
                vec![field.to_string(), why.to_string()],
            ),
        )
    }

    /// 404 SVC0004: an unknown box, object, folder, flag or path.
    pub fn not_found(what: impl Into<String>) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            RequestError::service("SVC0004", "No valid addresses provided in message part %1", vec![what.into()]),
        )
    }

    /// 401 with the challenges for both supported schemes.
    pub fn unauthorized() -> Self {
        let mut e = Self::new(
            StatusCode::UNAUTHORIZED,
            RequestError::policy(
                "POL0001",
                "A policy error occurred. Error code is %1",
                vec!["authentication required".into()],
            ),
        );
        e.headers.push((header::WWW_AUTHENTICATE, "Basic realm=\"cpmctl\"".into()));
        e.headers.push((header::WWW_AUTHENTICATE, "Bearer realm=\"cpmctl\"".into()));
        e
    }

    /// 403 POL0001 with a reason.
    pub fn forbidden(reason: impl Into<String>) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            RequestError::policy("POL0001", "A policy error occurred. Error code is %1", vec![reason.into()]),
        )
    }

    /// 403 POL1030: renaming this folder is not allowed.
    pub fn rename_forbidden() -> Self {
        // NMS TS §7.2.1: the exception has no variables.
        Self::new(StatusCode::FORBIDDEN, RequestError::policy("POL1030", "Renaming this folder is not allowed", vec![]))
    }

    /// 403 POL1031: creating objects or folders under this folder is prohibited.
    pub fn create_forbidden(folder: impl Into<String>) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            RequestError::policy(
                "POL1031",
                "Attempt to create objects or folders under %1 is prohibited",
                vec![folder.into()],
            ),
        )
    }

    /// 405 with the Allow header.
    pub fn method_not_allowed(allow: &str) -> Self {
        let mut e = Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            RequestError::service(
                "SVC0001",
                "A service error occurred. Error code is %1",
                vec![format!("method not allowed; allowed: {allow}")],
            ),
        );
        e.headers.push((header::ALLOW, allow.to_string()));
        e
    }

    /// 409 SVC0001: the request conflicts with the current state (e.g. a folder name taken).
    pub fn conflict(what: impl Into<String>) -> Self {
        Self::new(
            StatusCode::CONFLICT,
            RequestError::service("SVC0001", "A service error occurred. Error code is %1", vec![what.into()]),
        )
    }

    /// 413 SVC0001: the body exceeds the configured maximum.
    pub fn too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            RequestError::service(
                "SVC0001",
                "A service error occurred. Error code is %1",
                vec![format!("request body larger than {limit} bytes")],
            ),
        )
    }

    /// 415 SVC0002: the Content-Type is not one this resource accepts.
    pub fn unsupported_media(content_type: &str) -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            RequestError::service(
                "SVC0002",
                "Invalid input value for message part %1: %2",
                vec!["Content-Type".into(), format!("unsupported media type {content_type:?}")],
            ),
        )
    }

    /// An error of any status built from a bare status (used to re-dress framework answers).
    pub fn from_status(status: StatusCode, detail: String) -> Self {
        let id = if status == StatusCode::NOT_FOUND { "SVC0004" } else { "SVC0001" };
        let text = if status == StatusCode::NOT_FOUND {
            "No valid addresses provided in message part %1"
        } else {
            "A service error occurred. Error code is %1"
        };
        Self::new(status, RequestError::service(id, text, vec![detail]))
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        ApiError::internal(format!("storage: {e}"))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        for (name, value) in &self.headers {
            if let Ok(v) = HeaderValue::from_str(value) {
                headers.append(name.clone(), v);
            }
        }
        (self.status, headers, wire::encode(self.error.as_ref())).into_response()
    }
}
