//! The OMA `requestError` body (common REST NetAPI schema).

use serde::{Deserialize, Serialize};

use super::lenient;
use super::subscription::Link;

/// `{messageId, text, variables}` of a service or policy exception.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExceptionDetail {
    #[serde(default)]
    pub message_id: String,
    #[serde(default)]
    pub text: String,
    #[serde(default, deserialize_with = "lenient::string_or_seq", skip_serializing_if = "Vec::is_empty")]
    pub variables: Vec<String>,
}

impl ExceptionDetail {
    /// The text with `%1`, `%2`, … replaced by the variables.
    pub fn rendered(&self) -> String {
        let mut out = self.text.clone();
        // Replace from the highest index down so `%1` does not eat the prefix of `%10`.
        for (i, v) in self.variables.iter().enumerate().rev() {
            out = out.replace(&format!("%{}", i + 1), v);
        }
        out
    }
}

/// `requestError`: exactly one of a service or a policy exception, plus links.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestError {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_exception: Option<ExceptionDetail>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_exception: Option<ExceptionDetail>,
    #[serde(default, deserialize_with = "lenient::one_or_many", skip_serializing_if = "Vec::is_empty")]
    pub link: Vec<Link>,
}

impl RequestError {
    pub fn service(message_id: &str, text: &str, variables: Vec<String>) -> Self {
        RequestError {
            service_exception: Some(ExceptionDetail { message_id: message_id.into(), text: text.into(), variables }),
            ..Default::default()
        }
    }

    pub fn policy(message_id: &str, text: &str, variables: Vec<String>) -> Self {
        RequestError {
            policy_exception: Some(ExceptionDetail { message_id: message_id.into(), text: text.into(), variables }),
            ..Default::default()
        }
    }

    fn detail(&self) -> Option<&ExceptionDetail> {
        self.service_exception.as_ref().or(self.policy_exception.as_ref())
    }

    /// The message id, e.g. `SVC0004`.
    pub fn message_id(&self) -> Option<&str> {
        self.detail().map(|d| d.message_id.as_str())
    }

    /// Human text with the variables substituted.
    pub fn message(&self) -> String {
        self.detail().map(ExceptionDetail::rendered).unwrap_or_default()
    }
}
