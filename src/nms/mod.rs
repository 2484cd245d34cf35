//! The async NMS client over reqwest: typed calls, paging streams, retries. Never prints.
//!
//! Every call goes through one engine (`client.rs`): idempotent requests are retried with
//! jittered exponential backoff (honouring `Retry-After` on 429/503), redirects are followed
//! by hand, error bodies become typed errors, and URLs in answers are resolved so callers
//! only see absolute, usable URLs.

// `Error::Api` carries the server's `requestError` inline, as the team contract fixes its
// shape; errors are rare and short-lived, so the size does not matter.
#![allow(clippy::result_large_err)]

mod bulk;
mod client;
mod digest;
mod error;
mod exchange;
mod folders;
pub mod ids;
pub mod items;
pub mod limiter;
pub mod notify;
mod objects;
mod resolve;
pub mod retry;
mod search;
pub mod urls;

pub use client::{
    Auth, ClientConfig, DEFAULT_MAX_BODY, NmsClient, RequestLog, RequestObserver, RetryNotice, RetryObserver,
    split_base_url,
};
pub use error::Error;
pub use folders::FolderListFilter;
pub use ids::id_from_url;
pub use objects::{Download, NewObject};
