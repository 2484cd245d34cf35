//! Notification Channel resources (NC TS §6): create, list, read, delete, lifetime, the
//! long poll on the channelURL, and the callbackURL that queues notifications.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::fault::Action;
use super::{Hub, lock};
use crate::server::AppState;
use crate::server::auth::Principal;
use crate::server::error::{ApiError, ApiResult};
use crate::server::handlers::extract::{ChannelId, PathIds, StrictJson};
use crate::server::handlers::{authorize_box, json, request_root};
use crate::server::store::new_id;
use crate::server::urls::encode_segment;
use crate::wire::{
    ChannelData, NmsEventList, Notification, NotificationChannel, NotificationChannelLifetime, NotificationChannelList,
    NotificationList,
};

/// Queued lists beyond this are dropped oldest first (the client sees an index gap). Each list
/// holds up to 100 events, so this bounds a forgotten channel's memory to about 100k events.
const MAX_QUEUE: usize = 1_000;
/// A list held back by fault injection is released after this long without a successor.
pub const MAX_HOLD: Duration = Duration::from_secs(2);

/// One long-polling channel.
pub struct Channel {
    pub id: String,
    /// The userId (box id) it belongs to.
    pub user: String,
    pub notify: tokio::sync::Notify,
    pub state: Mutex<ChannelState>,
}

pub struct ChannelState {
    pub client_correlator: Option<String>,
    pub application_tag: Option<String>,
    pub max_notifications: u64,
    /// Granted lifetime in seconds; every poll restarts it.
    pub lifetime: u64,
    pub expires_at: Instant,
    pub queue: VecDeque<NmsEventList>,
    /// A list held back by fault injection, and since when.
    pub held: Option<(NmsEventList, Instant)>,
    /// Bumped by every poll; a poll that sees another value was taken over (409).
    pub poll_gen: u64,
    pub deleted: bool,
}

impl Channel {
    pub fn base_url(root: &str, user: &str) -> String {
        format!("{}/notificationchannel/v1/{}/channels", root.trim_end_matches('/'), encode_segment(user))
    }

    pub fn resource_url(&self, root: &str) -> String {
        format!("{}/{}", Self::base_url(root, &self.user), encode_segment(&self.id))
    }

    fn is_live(&self, now: Instant) -> bool {
        let s = lock(&self.state);
        !s.deleted && s.expires_at > now
    }

    /// The wire form, URLs built from `root`.
    pub fn to_wire(&self, root: &str) -> NotificationChannel {
        let s = lock(&self.state);
        let url = self.resource_url(root);
        NotificationChannel {
            client_correlator: s.client_correlator.clone(),
            application_tag: s.application_tag.clone(),
            channel_type: "LongPolling".into(),
            channel_data: Some(ChannelData {
                channel_url: Some(format!("{url}/notifications")),
                max_notifications: Some(s.max_notifications),
                ..Default::default()
            }),
            channel_lifetime: Some(s.lifetime),
            callback_url: Some(format!("{url}/callback")),
            resource_url: Some(url),
        }
    }

    /// Marks the channel gone and wakes its poll (which answers 404).
    pub fn kill(&self) {
        lock(&self.state).deleted = true;
        self.notify.notify_waiters();
    }

    /// Queues one list, applying the fault decision.
    pub fn enqueue(&self, list: NmsEventList, action: Action) {
        let mut s = lock(&self.state);
        let push = |s: &mut ChannelState, l: NmsEventList| {
            if s.queue.len() >= MAX_QUEUE {
                s.queue.pop_front();
            }
            s.queue.push_back(l);
        };
        match action {
            Action::Drop => return,
            Action::Hold if s.held.is_none() => {
                s.held = Some((list, Instant::now()));
                return;
            }
            Action::Duplicate => {
                push(&mut s, list.clone());
                push(&mut s, list);
            }
            Action::Hold | Action::Deliver => push(&mut s, list),
        }
        if let Some((held, _)) = s.held.take() {
            push(&mut s, held);
        }
        drop(s);
        self.notify.notify_waiters();
    }

    /// Releases a held list that waited too long for a successor.
    pub fn release_stale_hold(&self, now: Instant) {
        let mut s = lock(&self.state);
        if s.held.as_ref().is_some_and(|(_, since)| now.duration_since(*since) >= MAX_HOLD)
            && let Some((held, _)) = s.held.take()
        {
            s.queue.push_back(held);
            drop(s);
            self.notify.notify_waiters();
        }
    }
}

impl Hub {
    /// A live channel by id (expired ones are removed on the way).
    pub fn channel(&self, id: &str) -> Option<Arc<Channel>> {
        let now = Instant::now();
        let mut map = lock(&self.channels);
        let ch = map.get(id)?.clone();
        if ch.is_live(now) {
            return Some(ch);
        }
        map.remove(id);
        drop(map);
        ch.kill();
        None
    }

    /// Removes expired channels and releases stale fault holds.
    pub fn sweep_channels(&self) {
        let now = Instant::now();
        let all: Vec<Arc<Channel>> = lock(&self.channels).values().cloned().collect();
        for ch in all {
            if ch.is_live(now) {
                ch.release_stale_hold(now);
            } else {
                lock(&self.channels).remove(&ch.id);
                ch.kill();
            }
        }
    }

    /// Queues a list on a channel through the fault injector.
    pub fn deliver(&self, ch: &Channel, list: NmsEventList) {
        let action = lock(&self.fault).decide();
        ch.enqueue(list, action);
    }
}

/// An authenticated request on the channels of one userId (a box the caller may use).
pub struct UserCtx {
    pub state: Arc<AppState>,
    pub user: String,
    pub root: String,
    pub principal: Principal,
}

impl FromRequestParts<Arc<AppState>> for UserCtx {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, Self::Rejection> {
        let Path(params) = Path::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::invalid_because("Request-URI", e.body_text()))?;
        let user = params.get("user").cloned().unwrap_or_default();
        let principal = authorize_box(state, &parts.headers, &user).await?;
        Ok(UserCtx { state: state.clone(), user, root: request_root(&parts.headers, state), principal })
    }
}

impl UserCtx {
    fn hub(&self) -> &Hub {
        &self.state.notify
    }

    /// The live channel `id` of this user, or 404.
    fn channel(&self, id: &str) -> ApiResult<Arc<Channel>> {
        self.hub()
            .channel(id)
            .filter(|c| c.user == self.user)
            .ok_or_else(|| ApiError::not_found(format!("channel {id}")))
    }
}

fn clamp_lifetime(requested: Option<u64>) -> u64 {
    match requested {
        None | Some(0) => super::DEFAULT_CHANNEL_LIFETIME,
        Some(n) => n.min(super::MAX_CHANNEL_LIFETIME),
    }
}

/// POST channels.
pub async fn create(ctx: UserCtx, StrictJson(req): StrictJson<NotificationChannel>) -> ApiResult<Response> {
    let kind = req.channel_type.trim();
    if kind.is_empty() {
        // A body without channelType is malformed, not a request for an unsupported type.
        return Err(ApiError::invalid_because("channelType", "missing"));
    }
    if !kind.eq_ignore_ascii_case("LongPolling") {
        return Err(super::unsupported_channel_type(kind));
    }
    let data = req.channel_data.unwrap_or_default();
    let max_notifications = data
        .max_notifications
        .filter(|n| *n > 0)
        .unwrap_or(super::DEFAULT_MAX_NOTIFICATIONS)
        .min(super::MAX_MAX_NOTIFICATIONS);
    let lifetime = clamp_lifetime(req.channel_lifetime);
    let ch = Arc::new(Channel {
        id: new_id(),
        user: ctx.user.clone(),
        notify: tokio::sync::Notify::new(),
        state: Mutex::new(ChannelState {
            client_correlator: req.client_correlator,
            application_tag: req.application_tag,
            max_notifications,
            lifetime,
            expires_at: Instant::now() + Duration::from_secs(lifetime),
            queue: VecDeque::new(),
            held: None,
            poll_gen: 0,
            deleted: false,
        }),
    });
    {
        let max = ctx.state.config.max_channels_per_user;
        let now = Instant::now();
        let mut map = lock(&ctx.hub().channels);
        // Counted and inserted under one lock, so parallel creates cannot overshoot the cap.
        if map.values().filter(|c| c.user == ctx.user && c.is_live(now)).count() >= max {
            return Err(ApiError::forbidden(format!(
                "at most {max} notification channels per user; delete one or let it expire"
            )));
        }
        map.insert(ch.id.clone(), ch.clone());
    }
    let body = ch.to_wire(&ctx.root);
    let mut resp = json(StatusCode::CREATED, &body);
    if let Some(Ok(v)) = body.resource_url.as_deref().map(HeaderValue::from_str) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    Ok(resp)
}

/// GET channels: the live channels of this user.
pub async fn list(ctx: UserCtx) -> ApiResult<Response> {
    let now = Instant::now();
    let mut chans: Vec<Arc<Channel>> =
        lock(&ctx.hub().channels).values().filter(|c| c.user == ctx.user && c.is_live(now)).cloned().collect();
    chans.sort_by(|a, b| a.id.cmp(&b.id));
    let body = NotificationChannelList {
        notification_channel: chans.iter().map(|c| c.to_wire(&ctx.root)).collect(),
        resource_url: Some(Channel::base_url(&ctx.root, &ctx.user)),
    };
    Ok(json(StatusCode::OK, &body))
}

/// GET channels/{ch}.
pub async fn get_one(ctx: UserCtx, PathIds(ChannelId { ch: ch_id }): PathIds<ChannelId>) -> ApiResult<Response> {
    let ch = ctx.channel(&ch_id)?;
    Ok(json(StatusCode::OK, &ch.to_wire(&ctx.root)))
}

/// DELETE channels/{ch}: 204; an open poll answers 404.
pub async fn delete_one(ctx: UserCtx, PathIds(ChannelId { ch: ch_id }): PathIds<ChannelId>) -> ApiResult<Response> {
    let ch = ctx.channel(&ch_id)?;
    lock(&ctx.hub().channels).remove(&ch.id);
    ch.kill();
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// GET channels/{ch}/channelLifetime: the remaining seconds.
pub async fn get_lifetime(ctx: UserCtx, PathIds(ChannelId { ch: ch_id }): PathIds<ChannelId>) -> ApiResult<Response> {
    let ch = ctx.channel(&ch_id)?;
    let left = lock(&ch.state).expires_at.saturating_duration_since(Instant::now());
    // Round up so a fresh channel reports its full lifetime.
    let secs = left.as_secs() + u64::from(left.subsec_nanos() > 0);
    Ok(json(StatusCode::OK, &NotificationChannelLifetime { channel_lifetime: secs }))
}

/// PUT channels/{ch}/channelLifetime: grants (possibly less than) the asked lifetime from now.
pub async fn put_lifetime(
    ctx: UserCtx,
    PathIds(ChannelId { ch: ch_id }): PathIds<ChannelId>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let ch = ctx.channel(&ch_id)?;
    // `{}` must not silently mean "the default lifetime".
    let req: NotificationChannelLifetime =
        crate::server::handlers::decode_json_requiring(&headers, &body, &["channelLifetime"])?;
    let granted = clamp_lifetime(Some(req.channel_lifetime));
    {
        let mut s = lock(&ch.state);
        s.lifetime = granted;
        s.expires_at = Instant::now() + Duration::from_secs(granted);
    }
    Ok(json(StatusCode::OK, &NotificationChannelLifetime { channel_lifetime: granted }))
}

fn restart_lifetime(s: &mut ChannelState) {
    s.expires_at = Instant::now() + Duration::from_secs(s.lifetime);
}

/// POST channels/{ch}/notifications: the long poll. The body (`longPollingRequestParameters`,
/// empty by definition) is ignored.
pub async fn long_poll(ctx: UserCtx, PathIds(ChannelId { ch: ch_id }): PathIds<ChannelId>) -> ApiResult<Response> {
    let ch = ctx.channel(&ch_id)?;
    let my_gen = {
        let mut s = lock(&ch.state);
        s.poll_gen += 1;
        restart_lifetime(&mut s);
        s.poll_gen
    };
    // Wake the poll this one replaces: it sees a newer generation and answers 409.
    ch.notify.notify_waiters();
    let deadline = tokio::time::Instant::now() + ctx.hub().long_poll_timeout;
    loop {
        let notified = ch.notify.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        {
            let mut s = lock(&ch.state);
            if s.deleted {
                return Err(ApiError::not_found(format!("channel {}", ch.id)));
            }
            if s.poll_gen != my_gen {
                return Err(super::simultaneous_poll());
            }
            if !s.queue.is_empty() || ctx.hub().is_closing() {
                let n = (s.max_notifications as usize).min(s.queue.len());
                let lists: Vec<NmsEventList> = s.queue.drain(..n).collect();
                restart_lifetime(&mut s);
                return Ok(answer(lists));
            }
        }
        tokio::select! {
            _ = &mut notified => {}
            _ = tokio::time::sleep_until(deadline) => {
                let mut s = lock(&ch.state);
                if s.deleted {
                    return Err(ApiError::not_found(format!("channel {}", ch.id)));
                }
                if s.poll_gen != my_gen {
                    return Err(super::simultaneous_poll());
                }
                restart_lifetime(&mut s);
                return Ok(answer(Vec::new()));
            }
        }
    }
}

fn answer(lists: Vec<NmsEventList>) -> Response {
    let body = NotificationList { notifications: lists.into_iter().map(Notification::NmsEventList).collect() };
    json(StatusCode::OK, &body)
}

/// POST channels/{ch}/callback: an enabler pushes a notification (an nmsEventList, bare or in a
/// notificationList) to be queued on the channel. Answers 204.
pub async fn callback(
    ctx: UserCtx,
    PathIds(ChannelId { ch: ch_id }): PathIds<ChannelId>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let ch = ctx.channel(&ch_id)?;
    crate::server::handlers::check_json_type(&headers)?;
    let lists: Vec<NmsEventList> = match NotificationList::decode_body(&body) {
        Ok(l) if l.event_lists().next().is_some() => l.event_lists().cloned().collect(),
        _ => vec![
            crate::wire::strict::decode::<NmsEventList>(&body)
                .map_err(|e| ApiError::invalid_because("nmsEventList", e))?,
        ],
    };
    // `null`, `[]` or `{}` would otherwise queue an event list without events.
    if lists.iter().all(|l| l.nms_event.is_empty()) {
        return Err(ApiError::invalid_because("nmsEventList", "no nmsEvent given"));
    }
    for l in lists {
        ctx.hub().deliver(&ch, l);
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}
