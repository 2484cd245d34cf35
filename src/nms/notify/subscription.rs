//! NMS subscription calls: create, list, get, update (renew / replay), delete
//! (NMS TS §6.17–6.18; ../shared/docs/nms-protocol.md §2.3).

use reqwest::Method;
use url::Url;

use super::{NotifyClient, decode, json_call};
use crate::nms::Error;
use crate::nms::client::Call;
use crate::wire::{CallbackReference, NmsSubscription, NmsSubscriptionList, NmsSubscriptionUpdate, SearchCriteria};

/// What a new subscription asks for.
#[derive(Debug, Clone, Default)]
pub struct SubscriptionRequest {
    /// Where the server delivers: a channel's callbackURL.
    pub notify_url: String,
    pub duration: Option<u64>,
    pub client_correlator: Option<String>,
    pub filter: Option<SearchCriteria>,
    /// Replay every change after this position first; `None` means from now on.
    pub restart_token: Option<String>,
}

impl SubscriptionRequest {
    /// The `nmsSubscription` body (notification format JSON).
    pub fn to_wire(&self) -> NmsSubscription {
        NmsSubscription {
            callback_reference: CallbackReference {
                notify_url: self.notify_url.clone(),
                notification_format: Some("JSON".into()),
                callback_data: None,
            },
            duration: self.duration,
            filter: self.filter.clone(),
            client_correlator: self.client_correlator.clone(),
            restart_token: self.restart_token.clone(),
            ..Default::default()
        }
    }
}

impl NotifyClient {
    /// Creates a subscription. In the answer the resourceURL is absolute, `index` is the
    /// index of the next list and `restartToken` the position delivery starts from.
    pub async fn create_subscription(&self, request: &SubscriptionRequest) -> Result<NmsSubscription, Error> {
        let reply = self.call(json_call(Method::POST, self.subscriptions_url(), &request.to_wire())).await?;
        let mut sub: NmsSubscription = if reply.is_empty() { NmsSubscription::default() } else { decode(&reply)? };
        let url = sub.resource_url.take().filter(|u| !u.trim().is_empty()).or_else(|| reply.location());
        let Some(url) = url else {
            return Err(Error::decode(reply.context, "the new subscription has no resourceURL or Location"));
        };
        sub.resource_url = Some(self.resolve_in(&url, &reply.url));
        Ok(sub)
    }

    /// The subscriptions of this box visible to the caller.
    pub async fn list_subscriptions(&self) -> Result<NmsSubscriptionList, Error> {
        let reply = self.call(Call::new(Method::GET, self.subscriptions_url())).await?;
        let mut list: NmsSubscriptionList = decode(&reply)?;
        for sub in &mut list.subscription {
            if let Some(u) = sub.resource_url.take() {
                sub.resource_url = Some(self.resolve_in(&u, &reply.url));
            }
        }
        Ok(list)
    }

    /// One subscription, by id or URL.
    pub async fn get_subscription(&self, id_or_url: &str) -> Result<NmsSubscription, Error> {
        let url = self.subscription_url(id_or_url)?;
        let reply = self.call(Call::new(Method::GET, url)).await?;
        let mut sub: NmsSubscription = decode(&reply)?;
        let raw = sub.resource_url.take().unwrap_or_else(|| reply.url.to_string());
        sub.resource_url = Some(self.resolve_in(&raw, &reply.url));
        Ok(sub)
    }

    /// Renews (`duration`) and/or rewinds (`restartToken`: replay every change after it) a
    /// subscription. The answer carries the index of the next list.
    pub async fn update_subscription(
        &self,
        id_or_url: &str,
        update: &NmsSubscriptionUpdate,
    ) -> Result<NmsSubscription, Error> {
        let url: Url = self.subscription_url(id_or_url)?;
        // POST, not PUT: TS §6.18.5 (a PUT answers 405). Renewing or replaying twice does no
        // harm, so the engine may repeat it like an idempotent call.
        let reply = self.call(json_call(Method::POST, url, update).idempotent(true)).await?;
        if reply.is_empty() {
            return Ok(NmsSubscription::default());
        }
        let mut sub: NmsSubscription = decode(&reply)?;
        if let Some(u) = sub.resource_url.take() {
            sub.resource_url = Some(self.resolve_in(&u, &reply.url));
        }
        Ok(sub)
    }

    /// Deletes a subscription.
    pub async fn delete_subscription(&self, id_or_url: &str) -> Result<(), Error> {
        let url = self.subscription_url(id_or_url)?;
        self.call(Call::new(Method::DELETE, url)).await?;
        Ok(())
    }
}
