//! Notification Channel calls: create, list, get, delete, lifetime, and the long poll
//! (NC TS §6.1–6.4; ../shared/docs/nms-protocol.md §2.4).

use std::time::Duration;

use reqwest::Method;
use url::Url;

use super::{NotifyClient, decode, json_call};
use crate::nms::Error;
use crate::nms::client::Call;
use crate::nms::urls::join_segments;
use crate::wire::{
    ChannelData, NotificationChannel, NotificationChannelLifetime, NotificationChannelList, NotificationList,
};

/// The body of every long poll (NC TS §5.2.2.9: an empty type, sent as null).
pub(crate) const LONG_POLL_BODY: &[u8] = br#"{"longPollingRequestParameters":null}"#;

impl NotifyClient {
    /// Creates a LongPolling channel. The answer must carry the callbackURL (for
    /// subscriptions) and channelData.channelURL (for polling); its URLs are made absolute.
    pub async fn create_channel(
        &self,
        max_notifications: Option<u64>,
        lifetime: Option<u64>,
        client_correlator: Option<&str>,
    ) -> Result<NotificationChannel, Error> {
        let request = NotificationChannel {
            client_correlator: client_correlator.map(str::to_string),
            channel_type: "LongPolling".into(),
            channel_data: Some(ChannelData { max_notifications, ..Default::default() }),
            channel_lifetime: lifetime,
            ..Default::default()
        };
        let reply = self.call(json_call(Method::POST, self.channels_url(), &request)).await?;
        let channel: NotificationChannel = decode(&reply)?;
        let channel = self.absolute_channel(channel, &reply.url);
        if channel.callback_url.is_none()
            || channel.channel_data.as_ref().and_then(|d| d.channel_url.as_ref()).is_none()
        {
            return Err(Error::decode(reply.context, "the new channel has no callbackURL or channelData.channelURL"));
        }
        Ok(channel)
    }

    /// The channels of this box.
    pub async fn list_channels(&self) -> Result<NotificationChannelList, Error> {
        let reply = self.call(Call::new(Method::GET, self.channels_url())).await?;
        let mut list: NotificationChannelList = decode(&reply)?;
        list.notification_channel =
            list.notification_channel.into_iter().map(|c| self.absolute_channel(c, &reply.url)).collect();
        Ok(list)
    }

    /// One channel, by id or URL.
    pub async fn get_channel(&self, id_or_url: &str) -> Result<NotificationChannel, Error> {
        let url = self.channel_url(id_or_url)?;
        let reply = self.call(Call::new(Method::GET, url)).await?;
        let mut channel: NotificationChannel = decode(&reply)?;
        if channel.resource_url.is_none() {
            channel.resource_url = Some(reply.url.to_string());
        }
        Ok(self.absolute_channel(channel, &reply.url))
    }

    /// Deletes a channel (the server ends any open poll on it with 404).
    pub async fn delete_channel(&self, id_or_url: &str) -> Result<(), Error> {
        let url = self.channel_url(id_or_url)?;
        self.call(Call::new(Method::DELETE, url)).await?;
        Ok(())
    }

    /// The remaining lifetime of a channel, in seconds.
    pub async fn channel_lifetime(&self, id_or_url: &str) -> Result<u64, Error> {
        let url = self.lifetime_url(id_or_url)?;
        let reply = self.call(Call::new(Method::GET, url)).await?;
        let life: NotificationChannelLifetime = decode(&reply)?;
        Ok(life.channel_lifetime)
    }

    /// Asks for a new channel lifetime; answers the granted one (which may be shorter).
    pub async fn set_channel_lifetime(&self, id_or_url: &str, seconds: u64) -> Result<u64, Error> {
        let url = self.lifetime_url(id_or_url)?;
        let request = NotificationChannelLifetime { channel_lifetime: seconds };
        let reply = self.call(json_call(Method::PUT, url, &request)).await?;
        if reply.is_empty() {
            return Ok(seconds);
        }
        let life: NotificationChannelLifetime = decode(&reply)?;
        Ok(if life.channel_lifetime == 0 { seconds } else { life.channel_lifetime })
    }

    fn lifetime_url(&self, id_or_url: &str) -> Result<Url, Error> {
        Ok(join_segments(&self.channel_url(id_or_url)?, &["channelLifetime"]))
    }

    /// One long poll on a channelURL: answers as soon as the server has notifications, or
    /// with an empty list when its long-poll timeout passes. 404 means the channel is gone;
    /// 409 means another poll on the channel took over (poll again).
    pub async fn poll(&self, channel_url: &str) -> Result<NotificationList, Error> {
        self.poll_with(channel_url, self.poll_timeout).await
    }

    pub(crate) async fn poll_with(&self, channel_url: &str, timeout: Duration) -> Result<NotificationList, Error> {
        let url =
            Url::parse(channel_url).map_err(|e| Error::Invalid(format!("bad channelURL {channel_url:?}: {e}")))?;
        // Repeating a poll that failed is harmless (what it may have taken from the queue is
        // found missing by index and replayed), so 5xx and 503 + Retry-After are retried too.
        let mut call = Call::new(Method::POST, url).raw("application/json", LONG_POLL_BODY).idempotent(true);
        call.timeout = Some(timeout);
        let reply = self.call(call).await?;
        if reply.is_empty() {
            return Ok(NotificationList::default());
        }
        NotificationList::decode_body(&reply.body)
            .map_err(|e| Error::decode(reply.context, format!("expected notificationList: {e}")))
    }

    /// Server URLs may be relative (the spec's examples are): make them absolute.
    fn absolute_channel(&self, mut channel: NotificationChannel, answered: &Url) -> NotificationChannel {
        if let Some(u) = channel.resource_url.take() {
            channel.resource_url = Some(self.resolve_in(&u, answered));
        }
        if let Some(u) = channel.callback_url.take() {
            channel.callback_url = Some(self.resolve_in(&u, answered));
        }
        if let Some(data) = channel.channel_data.as_mut()
            && let Some(u) = data.channel_url.take()
        {
            data.channel_url = Some(self.resolve_in(&u, answered));
        }
        channel
    }
}
