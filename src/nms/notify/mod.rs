//! Notification Channel and NMS subscription calls, and the strict-sync event stream built on
//! them (../shared/docs/nms-protocol.md §2.3, §2.4, §5.2; checklist §1.3, §1.4, §3).
//!
//! `NotifyClient` makes single calls; `watch` turns a channel plus a subscription into a
//! stream of `WatchEvent`s that reports each change once, in order, across lost, repeated and
//! reordered notifications, renewals, and channel loss.

mod channel;
mod sequencer;
pub mod state;
mod stream;
mod subscription;

use std::time::Duration;

use reqwest::Method;
use url::Url;

use super::client::{Call, Reply};
use super::urls::{encode_segment, join_segments, resolve};
use super::{Error, NmsClient};

pub use sequencer::WatchEvent;
pub use stream::{DEFAULT_DURATION, Reuse, Snapshot, WatchOptions, Watcher, watch};
pub use subscription::SubscriptionRequest;

/// How long a long poll may stay open on our side when nobody says otherwise: well above the
/// 30 s the reference server holds a poll and the 45 s of the spec's example.
pub const DEFAULT_POLL_TIMEOUT: Duration = Duration::from_secs(90);

/// Calls of the Notification Channel (`{root}/notificationchannel/v1/{box}`) and of the box's
/// `subscriptions` resource, sharing the connection pool, credentials and retry policy of an
/// `NmsClient`.
#[derive(Clone)]
pub struct NotifyClient {
    nms: NmsClient,
    nc_base: Url,
    poll_timeout: Duration,
}

impl std::fmt::Debug for NotifyClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NotifyClient").field("nc_base", &self.nc_base.as_str()).finish_non_exhaustive()
    }
}

impl NmsClient {
    /// A handle for channel and subscription calls on this client's box.
    pub fn notify(&self) -> NotifyClient {
        NotifyClient::new(self)
    }
}

impl NotifyClient {
    pub fn new(nms: &NmsClient) -> Self {
        NotifyClient { nc_base: nms.nc_base_url(), nms: nms.clone(), poll_timeout: DEFAULT_POLL_TIMEOUT }
    }

    /// How long one long poll may stay open before it counts as timed out; it must be longer
    /// than the server's long-poll timeout.
    pub fn with_poll_timeout(mut self, timeout: Duration) -> Self {
        self.poll_timeout = timeout;
        self
    }

    /// `{root}/notificationchannel/v1/{encoded box}`.
    pub fn nc_base(&self) -> &Url {
        &self.nc_base
    }

    pub fn nms(&self) -> &NmsClient {
        &self.nms
    }

    /// `{nc_base}/channels`.
    pub fn channels_url(&self) -> Url {
        join_segments(&self.nc_base, &["channels"])
    }

    /// `{nms_base}/subscriptions`.
    pub fn subscriptions_url(&self) -> Url {
        join_segments(self.nms.base_url(), &["subscriptions"])
    }

    /// A channel given by id or by URL (as the server returned it).
    pub fn channel_url(&self, id_or_url: &str) -> Result<Url, Error> {
        member_url(&self.channels_url(), id_or_url)
    }

    /// A subscription given by id or by URL (as the server returned it).
    pub fn subscription_url(&self, id_or_url: &str) -> Result<Url, Error> {
        member_url(&self.subscriptions_url(), id_or_url)
    }

    /// Resolves a URL found in an answer against the URL that answered.
    pub(crate) fn resolve_in(&self, raw: &str, answered: &Url) -> String {
        resolve(raw, answered, self.nms.base_url())
    }

    /// One call through the client's engine (retries per its policy, typed errors).
    pub(crate) async fn call(&self, call: Call) -> Result<Reply, Error> {
        self.nms.execute(call).await
    }
}

fn member_url(collection: &Url, id_or_url: &str) -> Result<Url, Error> {
    let s = id_or_url.trim();
    if s.is_empty() {
        return Err(Error::Invalid("empty channel or subscription reference".into()));
    }
    if s.contains("://") || s.starts_with('/') {
        return Url::parse(&resolve(s, collection, collection))
            .map_err(|e| Error::Invalid(format!("bad URL {s:?}: {e}")));
    }
    Ok(join_segments(collection, &[&encode_segment(s)]))
}

/// A `POST`/`PUT` call carrying a wrapped JSON body.
pub(crate) fn json_call<T: crate::wire::Root>(method: Method, url: Url, body: &T) -> Call {
    Call::new(method, url).json(body)
}

/// Decodes a wrapped or bare body, naming the call on failure.
pub(crate) fn decode<T: crate::wire::Root>(reply: &Reply) -> Result<T, Error> {
    crate::wire::decode(&reply.body).map_err(|e| {
        Error::decode(
            reply.context.clone(),
            format!("expected {}: {e} (body starts: {})", T::ROOT, super::error::snippet(&reply.body)),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_by_id_or_url() {
        let coll = Url::parse("http://h/p/notificationchannel/v1/tel%3A%2B1/channels").unwrap();
        assert_eq!(
            member_url(&coll, "ch 1").unwrap().as_str(),
            "http://h/p/notificationchannel/v1/tel%3A%2B1/channels/ch%201"
        );
        assert_eq!(member_url(&coll, "http://x/c/9").unwrap().as_str(), "http://x/c/9");
        assert_eq!(member_url(&coll, "/q/c/9").unwrap().as_str(), "http://h/q/c/9");
        assert!(member_url(&coll, " ").is_err());
    }
}
