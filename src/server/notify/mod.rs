//! NMS subscriptions and the Notification Channel (issue 5): channels with long polling
//! (`channels`), subscriptions persisted in SQLite (`subscriptions`), the dispatcher that turns
//! change-log entries into nmsEventLists (`delivery`) and fault injection (`fault`).
//!
//! Channels live in memory (they are ephemeral by nature: a restart ends every open poll);
//! subscriptions survive a restart with their index and change-log position.

pub mod channels;
pub mod delivery;
pub mod fault;
pub mod subscriptions;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::Router;
use axum::routing::{get, post};
use tokio::sync::Notify;

pub use delivery::truncate_change_log;
pub use fault::FaultConfig;

use self::channels::Channel;
use self::subscriptions::Subscription;
use super::AppState;
use super::error::{ApiError, ApiResult};
use super::store::Store;

/// Default and maximum channel lifetime (seconds).
pub const DEFAULT_CHANNEL_LIFETIME: u64 = 3600;
pub const MAX_CHANNEL_LIFETIME: u64 = 86_400;
/// Default and maximum number of nmsEventLists per long-poll answer.
pub const DEFAULT_MAX_NOTIFICATIONS: u64 = 10;
pub const MAX_MAX_NOTIFICATIONS: u64 = 1000;
/// Default and maximum subscription duration (seconds).
pub const DEFAULT_SUBSCRIPTION_DURATION: u64 = 3600;
pub const MAX_SUBSCRIPTION_DURATION: u64 = 7 * 86_400;

/// Locks a std mutex, recovering the data if a panicking holder poisoned it: the state is
/// plain data that stays consistent between statements.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The notification state shared by all requests and the dispatcher.
pub struct Hub {
    channels: Mutex<HashMap<String, Arc<Channel>>>,
    subs: Mutex<HashMap<String, Subscription>>,
    /// Serialises delivery with subscription changes, so positions and indexes never race.
    delivery: tokio::sync::Mutex<()>,
    /// Boxes whose change log may hold undelivered entries.
    dirty: Mutex<HashSet<String>>,
    kick: Notify,
    fault: Mutex<fault::Fault>,
    closing: AtomicBool,
    pub long_poll_timeout: Duration,
    pub retention: Option<u64>,
}

impl Hub {
    /// Loads the stored subscriptions.
    pub async fn load(store: &dyn Store, config: &super::ServerConfig) -> ApiResult<Hub> {
        let subs = subscriptions::load_all(store).await?;
        Ok(Hub {
            channels: Mutex::new(HashMap::new()),
            subs: Mutex::new(subs.into_iter().map(|s| (s.id.clone(), s)).collect()),
            delivery: tokio::sync::Mutex::new(()),
            dirty: Mutex::new(HashSet::new()),
            kick: Notify::new(),
            fault: Mutex::new(fault::Fault::new(config.fault)),
            closing: AtomicBool::new(false),
            long_poll_timeout: config.long_poll_timeout,
            retention: config.change_log_retention,
        })
    }

    /// Asks the dispatcher to look at `box_id` soon.
    pub fn mark_dirty(&self, box_id: &str) {
        lock(&self.dirty).insert(box_id.to_string());
        self.kick.notify_one();
    }

    fn take_dirty(&self) -> Vec<String> {
        lock(&self.dirty).drain().collect()
    }

    /// Ends every open long poll (with an empty answer) so a graceful shutdown does not wait.
    pub fn close(&self) {
        self.closing.store(true, Ordering::SeqCst);
        for ch in lock(&self.channels).values() {
            ch.notify.notify_waiters();
        }
    }

    pub fn is_closing(&self) -> bool {
        self.closing.load(Ordering::SeqCst)
    }
}

/// The NC and subscription routes.
pub fn routes() -> Router<Arc<AppState>> {
    let nc = "/notificationchannel/v1/{user}/channels";
    let subs = "/nms/v1/{store}/{box}/subscriptions";
    Router::new()
        .route(nc, get(channels::list).post(channels::create))
        .route(&format!("{nc}/{{ch}}"), get(channels::get_one).delete(channels::delete_one))
        .route(&format!("{nc}/{{ch}}/channelLifetime"), get(channels::get_lifetime).put(channels::put_lifetime))
        .route(&format!("{nc}/{{ch}}/notifications"), post(channels::long_poll))
        .route(&format!("{nc}/{{ch}}/callback"), post(channels::callback))
        .route(subs, get(subscriptions::list).post(subscriptions::create))
        .route(
            &format!("{subs}/{{id}}"),
            get(subscriptions::get_one).post(subscriptions::update).delete(subscriptions::delete_one),
        )
}

/// The running dispatcher; dropping this stops it (also when the serving task is aborted).
pub struct Dispatcher(tokio::task::JoinHandle<()>);

impl Drop for Dispatcher {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Starts the dispatcher.
pub fn spawn_dispatcher(state: Arc<AppState>) -> Dispatcher {
    let rx = state.store.subscribe();
    Dispatcher(tokio::spawn(delivery::run(state, rx)))
}

/// 409 SVC1012: a second long poll took over the channel.
pub fn simultaneous_poll() -> ApiError {
    ApiError {
        status: axum::http::StatusCode::CONFLICT,
        error: Box::new(crate::wire::RequestError::service(
            "SVC1012",
            "Simultaneous channel requests not supported",
            Vec::new(),
        )),
        headers: Vec::new(),
    }
}

/// 400 POL1023: only LongPolling channels exist here.
pub fn unsupported_channel_type(kind: &str) -> ApiError {
    // 400, not 403: the NC TS's own example of this exception (§6.1.5.7, Appendix D.8) answers Bad Request.
    ApiError {
        status: axum::http::StatusCode::BAD_REQUEST,
        error: Box::new(crate::wire::RequestError::policy(
            "POL1023",
            "Notification channel type %1 not supported. Supported types: %2.",
            vec![kind.to_string(), "LongPolling".into()],
        )),
        headers: Vec::new(),
    }
}

/// Seconds since the Unix epoch (subscription expiry must survive a restart, so no Instant).
pub fn unix_now() -> i64 {
    jiff::Timestamp::now().as_second()
}
