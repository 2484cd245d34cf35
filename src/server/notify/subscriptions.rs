//! NMS subscriptions (TS §6.17–6.18): create, list, read, update (renewal and replay from a
//! restartToken), delete; their SQLite persistence; the restartToken format.

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use super::{Hub, lock, unix_now};
use crate::server::error::{ApiError, ApiResult};
use crate::server::handlers::extract::{Id, PathIds, StrictJson};
use crate::server::handlers::{BoxCtx, decode_json, json};
use crate::server::store::{Store, StoredSubscription, new_id, search};
use crate::server::urls::{Urls, decode_segment};
use crate::wire::{CallbackReference, NmsSubscription, NmsSubscriptionList, NmsSubscriptionUpdate, SearchCriteria};

/// One subscription as stored (JSON in `nc_subscriptions.body`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Subscription {
    pub id: String,
    pub box_id: String,
    /// The URL root the subscription was created through; event URLs are built from it.
    pub root: String,
    pub channel_id: String,
    pub callback: CallbackReference,
    pub client_correlator: Option<String>,
    pub filter: Option<SearchCriteria>,
    /// Granted duration (seconds), reused by a renewal that names none.
    pub duration: u64,
    /// Unix seconds.
    pub expires_at: i64,
    /// The index of the next nmsEventList.
    pub next_index: u64,
    /// The change-log seq up to which entries were turned into events.
    pub position: u64,
    /// The next list must start with resetBox (token too old or of another box validity).
    pub reset_pending: bool,
    pub validity: String,
}

impl Subscription {
    pub fn is_expired(&self, now: i64) -> bool {
        self.expires_at <= now
    }

    pub fn url(&self, store_name: &str) -> String {
        sub_url(&self.root, store_name, &self.box_id, &self.id)
    }

    pub fn token(&self) -> String {
        encode_token(&self.validity, self.position)
    }

    fn to_wire(&self, store_name: &str, restart_token: Option<String>) -> NmsSubscription {
        NmsSubscription {
            callback_reference: self.callback.clone(),
            duration: Some((self.expires_at - unix_now()).max(0) as u64),
            filter: self.filter.clone(),
            client_correlator: self.client_correlator.clone(),
            resource_url: Some(self.url(store_name)),
            index: Some(self.next_index),
            restart_token: Some(restart_token.unwrap_or_else(|| self.token())),
        }
    }
}

fn subs_url(root: &str, store_name: &str, box_id: &str) -> String {
    format!("{}/subscriptions", Urls::new(root, store_name, box_id).base())
}

fn sub_url(root: &str, store_name: &str, box_id: &str, id: &str) -> String {
    format!("{}/{}", subs_url(root, store_name, box_id), crate::server::urls::encode_segment(id))
}

/// `base64url("v1.<validity>.<seq>")`: opaque to clients, valid for the whole box.
pub fn encode_token(validity: &str, seq: u64) -> String {
    URL_SAFE_NO_PAD.encode(format!("v1.{validity}.{seq}"))
}

/// The (validity, seq) of a token this server issued.
pub fn decode_token(token: &str) -> Option<(String, u64)> {
    let raw = URL_SAFE_NO_PAD.decode(token.trim().trim_end_matches('=')).ok()?;
    let raw = String::from_utf8(raw).ok()?;
    let rest = raw.strip_prefix("v1.")?;
    let (validity, seq) = rest.rsplit_once('.')?;
    // Sequences are stored as i64: a larger one was never issued (and `seq + 1` below must not overflow).
    let seq: u64 = seq.parse().ok().filter(|s| i64::try_from(*s).is_ok())?;
    Some((validity.to_string(), seq))
}

/// Where a subscription starts: `(position, reset_pending)`. No token: now. A token of
/// another validity, from the future, or older than the retained log: now, after a resetBox.
/// 400 for a token this server cannot have issued.
pub fn resolve_token(token: Option<&str>, validity: &str, last: u64, oldest: Option<u64>) -> ApiResult<(u64, bool)> {
    let Some(token) = token.map(str::trim).filter(|t| !t.is_empty()) else { return Ok((last, false)) };
    let (v, seq) = decode_token(token)
        .ok_or_else(|| ApiError::invalid_because("restartToken", "not a restartToken this server issued"))?;
    let retained = match oldest {
        Some(o) => seq + 1 >= o,
        None => seq >= last,
    };
    if v != validity || seq > last || !retained { Ok((last, true)) } else { Ok((seq, false)) }
}

/// The (userId, channelId) of a channel callbackURL of this server (any host: the client may
/// reach the server under several names).
pub fn channel_of_notify_url(url: &str) -> Option<(String, String)> {
    let path = url.split(['?', '#']).next()?;
    const MARK: &str = "/notificationchannel/v1/";
    let rest = &path[path.find(MARK)? + MARK.len()..];
    match rest.trim_end_matches('/').split('/').collect::<Vec<_>>().as_slice() {
        [user, "channels", ch, "callback"] => Some((decode_segment(user), decode_segment(ch))),
        _ => None,
    }
}

fn clamp_duration(requested: Option<u64>) -> u64 {
    match requested {
        None | Some(0) => super::DEFAULT_SUBSCRIPTION_DURATION,
        Some(n) => n.min(super::MAX_SUBSCRIPTION_DURATION),
    }
}

/// Reads every stored subscription.
pub async fn load_all(store: &dyn Store) -> ApiResult<Vec<Subscription>> {
    let rows = store.load_subscriptions().await?;
    // A row this version cannot read is skipped rather than failing the start.
    Ok(rows.into_iter().filter_map(|r| serde_json::from_str::<Subscription>(&r.body).ok()).collect())
}

/// Writes (inserts or replaces) subscriptions.
pub async fn save(store: &dyn Store, subs: Vec<Subscription>) -> ApiResult<()> {
    let rows = subs
        .iter()
        .map(|s| {
            let body = serde_json::to_string(s).map_err(ApiError::internal)?;
            Ok(StoredSubscription { id: s.id.clone(), box_id: s.box_id.clone(), body })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    store.save_subscriptions(rows).await
}

/// Removes stored subscriptions.
pub async fn remove(store: &dyn Store, ids: Vec<String>) -> ApiResult<()> {
    store.remove_subscriptions(ids).await
}

impl Hub {
    /// A live subscription of `box_id` by id.
    pub fn subscription(&self, box_id: &str, id: &str) -> Option<Subscription> {
        let now = unix_now();
        lock(&self.subs).get(id).filter(|s| s.box_id == box_id && !s.is_expired(now)).cloned()
    }

    /// Live subscriptions of a box.
    pub fn subscriptions_of(&self, box_id: &str) -> Vec<Subscription> {
        let now = unix_now();
        let mut v: Vec<Subscription> =
            lock(&self.subs).values().filter(|s| s.box_id == box_id && !s.is_expired(now)).cloned().collect();
        v.sort_by(|a, b| a.id.cmp(&b.id));
        v
    }

    pub fn put_subscription(&self, sub: Subscription) {
        lock(&self.subs).insert(sub.id.clone(), sub);
    }

    /// Drops expired subscriptions from memory; returns their ids (for the store).
    pub fn take_expired_subscriptions(&self) -> Vec<String> {
        let now = unix_now();
        let mut map = lock(&self.subs);
        let ids: Vec<String> = map.values().filter(|s| s.is_expired(now)).map(|s| s.id.clone()).collect();
        for id in &ids {
            map.remove(id);
        }
        ids
    }
}

/// The box's (last seq, validity, oldest retained seq).
async fn box_position(ctx: &BoxCtx) -> ApiResult<(u64, String, Option<u64>)> {
    let (last, validity) = ctx.store().box_state(&ctx.box_id).await?.unwrap_or((0, String::new()));
    Ok((last, validity, ctx.store().oldest_change(&ctx.box_id).await?))
}

fn not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("subscription {id}"))
}

/// POST subscriptions: 201 with index 1 and the restartToken (the request's, or now).
pub async fn create(ctx: BoxCtx, StrictJson(req): StrictJson<NmsSubscription>) -> ApiResult<Response> {
    let hub = &ctx.state.notify;
    let bad_url = || ApiError::invalid_because("notifyURL", "not the callbackURL of a live notification channel here");
    let (user, ch_id) = channel_of_notify_url(&req.callback_reference.notify_url).ok_or_else(bad_url)?;
    let ch = hub.channel(&ch_id).filter(|c| c.user == user).ok_or_else(bad_url)?;
    if !ctx.principal.may_access(&ch.user) {
        return Err(bad_url());
    }
    search::compile(req.filter.as_ref())?;
    let _guard = hub.delivery.lock().await;
    // Checked under the delivery lock, which every subscription change holds.
    let max = ctx.state.config.max_subscriptions_per_user;
    let now = unix_now();
    let live = lock(&hub.subs).values().filter(|s| s.box_id == ctx.box_id && !s.is_expired(now)).count();
    if live >= max {
        return Err(ApiError::forbidden(format!("at most {max} subscriptions per box; delete one or let it expire")));
    }
    let (last, validity, oldest) = box_position(&ctx).await?;
    let (position, reset_pending) = resolve_token(req.restart_token.as_deref(), &validity, last, oldest)?;
    let duration = clamp_duration(req.duration);
    let sub = Subscription {
        id: new_id(),
        box_id: ctx.box_id.clone(),
        root: ctx.urls.base().split("/nms/v1/").next().unwrap_or("").to_string(),
        channel_id: ch.id.clone(),
        callback: req.callback_reference.clone(),
        client_correlator: req.client_correlator.clone(),
        filter: req.filter.clone(),
        duration,
        expires_at: unix_now() + duration as i64,
        next_index: 1,
        position,
        reset_pending,
        validity,
    };
    save(ctx.store(), vec![sub.clone()]).await?;
    hub.put_subscription(sub.clone());
    hub.mark_dirty(&ctx.box_id);
    let echoed = req.restart_token.filter(|t| !t.trim().is_empty());
    let body = sub.to_wire(&ctx.state.config.store_name, echoed);
    let mut resp = json(StatusCode::CREATED, &body);
    if let Some(Ok(v)) = body.resource_url.as_deref().map(HeaderValue::from_str) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    Ok(resp)
}

/// GET subscriptions.
pub async fn list(ctx: BoxCtx) -> ApiResult<Response> {
    let store_name = &ctx.state.config.store_name;
    let root = ctx.urls.base().split("/nms/v1/").next().unwrap_or("").to_string();
    let subs = ctx.state.notify.subscriptions_of(&ctx.box_id);
    let body = NmsSubscriptionList {
        subscription: subs.iter().map(|s| s.to_wire(store_name, None)).collect(),
        resource_url: subs_url(&root, store_name, &ctx.box_id),
    };
    Ok(json(StatusCode::OK, &body))
}

/// GET subscriptions/{id}.
pub async fn get_one(ctx: BoxCtx, PathIds(Id { id }): PathIds<Id>) -> ApiResult<Response> {
    let sub = ctx.state.notify.subscription(&ctx.box_id, &id).ok_or_else(|| not_found(&id))?;
    Ok(json(StatusCode::OK, &sub.to_wire(&ctx.state.config.store_name, None)))
}

/// POST subscriptions/{id}: renewal (duration) and replay (restartToken); answers the NEXT index.
pub async fn update(
    ctx: BoxCtx,
    PathIds(Id { id }): PathIds<Id>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    // An empty body is a plain renewal.
    let req: NmsSubscriptionUpdate = if body.iter().all(u8::is_ascii_whitespace) {
        NmsSubscriptionUpdate::default()
    } else {
        decode_json(&headers, &body)?
    };
    let hub = &ctx.state.notify;
    let _guard = hub.delivery.lock().await;
    let mut sub = hub.subscription(&ctx.box_id, &id).ok_or_else(|| not_found(&id))?;
    if req.duration.is_some() {
        sub.duration = clamp_duration(req.duration);
    }
    sub.expires_at = unix_now() + sub.duration as i64;
    let echoed = req.restart_token.clone().filter(|t| !t.trim().is_empty());
    if echoed.is_some() {
        let (last, validity, oldest) = box_position(&ctx).await?;
        let (position, reset) = resolve_token(echoed.as_deref(), &validity, last, oldest)?;
        sub.position = position;
        sub.reset_pending = sub.reset_pending || reset;
        sub.validity = validity;
    }
    save(ctx.store(), vec![sub.clone()]).await?;
    hub.put_subscription(sub.clone());
    hub.mark_dirty(&ctx.box_id);
    Ok(json(StatusCode::OK, &sub.to_wire(&ctx.state.config.store_name, echoed)))
}

/// DELETE subscriptions/{id}: 204.
pub async fn delete_one(ctx: BoxCtx, PathIds(Id { id }): PathIds<Id>) -> ApiResult<Response> {
    let hub = &ctx.state.notify;
    let _guard = hub.delivery.lock().await;
    hub.subscription(&ctx.box_id, &id).ok_or_else(|| not_found(&id))?;
    lock(&hub.subs).remove(&id);
    remove(ctx.store(), vec![id]).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_resolve() {
        let t = encode_token("ab12", 42);
        assert_eq!(decode_token(&t), Some(("ab12".into(), 42)));
        assert_eq!(decode_token("nope"), None);
        // Within the retained log: replay from it.
        assert_eq!(resolve_token(Some(&t), "ab12", 50, Some(10)).ok(), Some((42, false)));
        // Older than the log, another validity, or from the future: reset.
        assert_eq!(resolve_token(Some(&t), "ab12", 50, Some(44)).ok(), Some((50, true)));
        assert_eq!(resolve_token(Some(&t), "zz", 50, Some(1)).ok(), Some((50, true)));
        assert_eq!(resolve_token(Some(&t), "ab12", 40, Some(1)).ok(), Some((40, true)));
        assert_eq!(resolve_token(None, "ab12", 50, Some(1)).ok(), Some((50, false)));
        assert!(resolve_token(Some("garbage!"), "ab12", 50, Some(1)).is_err());
    }

    #[test]
    fn notify_urls() {
        let u = "http://h:1/x/notificationchannel/v1/tel%3A%2B1555/channels/ab/callback";
        assert_eq!(channel_of_notify_url(u), Some(("tel:+1555".into(), "ab".into())));
        assert_eq!(channel_of_notify_url("http://h/notificationchannel/v1/u/channels/ab"), None);
    }
}
