//! Bulk update, bulk delete and the bulk response list (carrier forms, ../shared/docs/nms-protocol.md §3.9).

use serde::{Deserialize, Serialize};

use super::error::RequestError;
use super::lenient;
use super::object::{FlagList, ObjectReferenceList, Reference};
use super::search::SelectionCriteria;

/// `AddFlag` or `RemoveFlag`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BulkOperation {
    AddFlag,
    RemoveFlag,
}

/// `BulkUpdate { objects | selectionCriteria, operation, flags }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objects: Option<ObjectReferenceList>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selection_criteria: Option<SelectionCriteria>,
    pub operation: BulkOperation,
    #[serde(default)]
    pub flags: FlagList,
}

/// `BulkDelete { objects | selectionCriteria }`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkDelete {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objects: Option<ObjectReferenceList>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selection_criteria: Option<SelectionCriteria>,
}

/// One item result: a code and reason plus a success reference or a failure.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkResponse {
    #[serde(default, deserialize_with = "lenient::u16_or_string")]
    pub code: u16,
    #[serde(default)]
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success: Option<Reference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<RequestError>,
}

impl BulkResponse {
    pub fn ok(code: u16, reference: Reference) -> Self {
        BulkResponse { code, reason: reason_phrase(code).into(), success: Some(reference), failure: None }
    }

    pub fn err(code: u16, error: RequestError) -> Self {
        BulkResponse { code, reason: reason_phrase(code).into(), success: None, failure: Some(error) }
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.code)
    }
}

/// `BulkResponseList { response[] }`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkResponseList {
    #[serde(default, deserialize_with = "lenient::one_or_many")]
    pub response: Vec<BulkResponse>,
}

/// The standard reason phrase of an HTTP status code used in bulk answers.
pub fn reason_phrase(code: u16) -> &'static str {
    match code {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        413 => "Payload Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}
