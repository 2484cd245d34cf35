//! Helpers shared by the everyday commands: record views, filters, dates, id lists,
//! safe files, batching, and resolving `ID|PATH` arguments against the server.

pub mod batch;
pub mod bulk;
pub mod compose;
pub mod criteria;
pub mod feed;
pub mod files;
pub mod ids;
pub mod resolve;
pub mod sink;
pub mod time;
pub mod view;

/// The stable record id of a server URL: its last path segment, percent-decoded.
pub fn id_of(url: &str) -> String {
    let trimmed = url.split(['?', '#']).next().unwrap_or("").trim_end_matches('/');
    let last = trimmed.rsplit('/').next().unwrap_or("");
    percent_encoding::percent_decode_str(last).decode_utf8_lossy().into_owned()
}

/// The exit-code class of an NMS error, for items of bulk work that are reported one by one.
pub fn error_kind(e: &crate::nms::Error) -> crate::cli::error::ErrorKind {
    use crate::cli::error::ErrorKind;
    if e.is_auth() {
        ErrorKind::Auth
    } else if e.is_not_found() {
        ErrorKind::NotFound
    } else if e.is_network() {
        ErrorKind::Network
    } else {
        ErrorKind::Failure
    }
}
