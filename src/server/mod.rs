//! The embedded reference NMS / Notification Channel server (`cpmctl serve`): axum over SQLite. Depends on `wire` only.
//!
//! Layout: `store` (the `Store` trait and its SQLite engine: schema, transactions, change log), `handlers` (one module per
//! resource family), `auth` (users file, hashes, Basic/Bearer), `error` (requestError
//! answers), `urls` (absolute URLs and ids), `demo` (demo content) and `seed` (storing it).

pub mod auth;
pub mod demo;
pub mod error;
pub mod handlers;
pub mod listen;
pub mod notify;
pub mod seed;
pub mod store;
pub mod urls;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tower_http::timeout::RequestBodyTimeoutLayer;

pub use notify::FaultConfig;
pub use seed::{DemoInfo, seed_demo};

use self::error::ApiError;

/// How long `shutdown` waits for in-flight requests.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// A user defined in code (tests, the demo); clear secrets are hashed when loaded.
#[derive(Debug, Clone, Default)]
pub struct UserSpec {
    pub name: String,
    pub password: Option<String>,
    pub tokens: Vec<String>,
    pub boxes: Vec<String>,
    pub admin: bool,
}

/// Where the server's log lines go (the request log, delivery problems). The server never
/// prints: `cpmctl serve -v` passes a sink that writes to stderr; tests may collect lines.
#[derive(Clone)]
pub struct LogSink(pub Arc<dyn Fn(&str) + Send + Sync>);

impl std::fmt::Debug for LogSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LogSink")
    }
}

/// Everything `start` needs.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// SQLite file(s) live here.
    pub data_dir: PathBuf,
    /// TOML users file (see [`auth`] for the format).
    pub users_file: Option<PathBuf>,
    /// Extra users defined in code.
    pub users: Vec<UserSpec>,
    pub store_name: String,
    /// Larger request bodies get 413.
    pub max_body_bytes: usize,
    /// Upper bound of `maxEntries` for searches and folder listings.
    pub max_entries_cap: u64,
    /// When set, one line per request (METHOD PATH STATUS MS) and delivery problems go here.
    pub log: Option<LogSink>,
    /// How long a Notification Channel long poll is held.
    pub long_poll_timeout: Duration,
    /// Fault injection on notification delivery (issue 5 tests); default: none.
    pub fault: FaultConfig,
    /// Keep only the last N change-log entries per box (None: keep all); older
    /// restartTokens then get a resetBox.
    pub change_log_retention: Option<u64>,
    // Input limits (issue 9, hostile input): each refused with 400 SVC0002 when exceeded.
    /// Deepest folder level below the root (the root is level 0; `/a/b` is level 2).
    pub max_folder_depth: usize,
    /// Attribute values one object or folder may carry (all names together).
    pub max_attributes: usize,
    /// Bytes of one attribute name or value.
    pub max_attribute_value_bytes: usize,
    // Folder policies (NMS TS §7.2.1–7.2.2, answered 403).
    /// Folders nothing may be created in or below, nor moved or copied into (POL1031).
    pub protected_folders: Vec<String>,
    /// Folders that keep their names (POL1030); the root always does.
    pub fixed_name_folders: Vec<String>,

    // Resource limits and durability (issue 9: timeouts, password checks, bounded work,
    // commit durability). Kept together; `cpmctl serve` exposes the ones an admin tunes.
    /// Time a client has to send a request's headers, from connect or from the previous
    /// response: also ends idle keep-alive connections and sockets that send nothing.
    pub header_read_timeout: Duration,
    /// Longest pause between two pieces of a request body before the request fails.
    pub body_read_timeout: Duration,
    /// Open connections at most; at the cap the oldest idle one is closed to make room.
    pub max_connections: usize,
    /// PBKDF2 password checks running at once (on the blocking pool).
    pub max_password_checks: usize,
    /// Objects a bulkUpdate / bulkDelete by selection may touch (beyond: 403 POL0001, nothing changed).
    pub max_selection: u64,
    /// Live notification channels per user.
    pub max_channels_per_user: usize,
    /// Subscriptions per box.
    pub max_subscriptions_per_user: usize,
    /// SQLite `synchronous`: FULL unless relaxed with `serve --synchronous normal`.
    pub durability: store::Durability,
}

impl ServerConfig {
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        ServerConfig {
            data_dir: data_dir.into(),
            users_file: None,
            users: Vec::new(),
            store_name: "cpm".into(),
            max_body_bytes: 64 * 1024 * 1024,
            max_entries_cap: 1000,
            log: None,
            long_poll_timeout: Duration::from_secs(30),
            fault: FaultConfig::default(),
            change_log_retention: None,
            max_folder_depth: store::Limits::DEFAULT.max_folder_depth,
            max_attributes: store::Limits::DEFAULT.max_attributes,
            max_attribute_value_bytes: store::Limits::DEFAULT.max_attribute_value_bytes,
            protected_folders: Vec::new(),
            fixed_name_folders: Vec::new(),
            header_read_timeout: Duration::from_secs(30),
            body_read_timeout: Duration::from_secs(30),
            max_connections: 1024,
            max_password_checks: auth::default_max_checks(),
            max_selection: 10_000,
            max_channels_per_user: 16,
            max_subscriptions_per_user: 64,
            durability: store::Durability::Full,
        }
    }
}

impl ServerConfig {
    /// The input limits the store enforces.
    pub fn limits(&self) -> store::Limits {
        store::Limits {
            max_folder_depth: self.max_folder_depth,
            max_attributes: self.max_attributes,
            max_attribute_value_bytes: self.max_attribute_value_bytes,
        }
    }
}

/// State shared by every request.
pub struct AppState {
    pub config: ServerConfig,
    pub store: Arc<dyn store::Store>,
    pub users: auth::Users,
    pub local_addr: SocketAddr,
    pub notify: notify::Hub,
}

/// A server running in the background of the current tokio runtime.
pub struct RunningServer {
    pub addr: SocketAddr,
    pub state: Arc<AppState>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl RunningServer {
    /// `http://127.0.0.1:PORT`.
    pub fn root_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `root/nms/v1/{store}/{encoded box}`.
    pub fn nms_base(&self, box_id: &str) -> String {
        urls::Urls::new(&self.root_url(), &self.state.config.store_name, box_id).base().to_string()
    }

    /// Stops accepting connections and waits for in-flight requests to finish (at most
    /// [`SHUTDOWN_GRACE`]; a held long poll must not keep the process alive).
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(mut task) = self.task.take()
            && tokio::time::timeout(SHUTDOWN_GRACE, &mut task).await.is_err()
        {
            task.abort();
        }
    }

    /// Waits until the server stops (it stops only through `shutdown` from another handle).
    pub async fn wait(mut self) {
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Opens the store, loads the users and serves on `listener` until shut down.
pub async fn start(config: ServerConfig, listener: tokio::net::TcpListener) -> anyhow::Result<RunningServer> {
    let mut users: Vec<auth::User> = match &config.users_file {
        Some(path) => auth::load_users_file(path)?,
        None => Vec::new(),
    };
    let from_code: Vec<auth::User> = config.users.iter().map(auth::User::from_spec).collect();
    users.retain(|u| !from_code.iter().any(|c| c.name == u.name));
    users.extend(from_code);
    let data_dir = config.data_dir.clone();
    let limits = config.limits();
    let policy = store::FolderPolicy::new(&config.protected_folders, &config.fixed_name_folders);
    let durability = config.durability;
    let store: Arc<dyn store::Store> = Arc::new(
        tokio::task::spawn_blocking(move || store::open_with(&data_dir, store::pool::DEFAULT_READERS, durability))
            .await??
            .with_limits(limits)
            .with_policy(policy),
    );
    let local_addr = listener.local_addr()?;
    let notify =
        notify::Hub::load(store.as_ref(), &config).await.map_err(|e| anyhow::anyhow!("{}", e.error.message()))?;
    let users = auth::Users::with_max_checks(users, config.max_password_checks);
    let state = Arc::new(AppState { config, store, users, local_addr, notify });
    let app = router(state.clone());
    let dispatcher = notify::spawn_dispatcher(state.clone());
    let (tx, rx) = oneshot::channel::<()>();
    let closing = state.clone();
    let limits = listen::ConnLimits {
        header_read_timeout: state.config.header_read_timeout,
        max_connections: state.config.max_connections,
    };
    let task = tokio::spawn(async move {
        let _dispatcher = dispatcher;
        listen::serve(listener, app, limits, async move {
            let _ = rx.await;
            // Open long polls would hold the graceful shutdown for up to the poll timeout.
            closing.notify.close();
        })
        .await;
    });
    Ok(RunningServer { addr: local_addr, state, shutdown: Some(tx), task: Some(task) })
}

/// The whole HTTP surface.
pub fn router(state: Arc<AppState>) -> Router {
    let limit = state.config.max_body_bytes;
    handlers::routes()
        .merge(notify::routes())
        .fallback(|| async { ApiError::not_found("Request-URI") })
        .layer(middleware::from_fn_with_state(state.clone(), dress_errors))
        .layer(DefaultBodyLimit::max(limit))
        .layer(middleware::from_fn_with_state(state.clone(), refuse_oversized))
        .layer(RequestBodyTimeoutLayer::new(state.config.body_read_timeout))
        .layer(middleware::from_fn_with_state(state.clone(), log_requests))
        .with_state(state)
}

/// A declared Content-Length over the limit gets 413 before any of the body is read, so the
/// client learns at once and the server neither waits for nor buffers the body.
async fn refuse_oversized(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > state.config.max_body_bytes as u64) {
        let mut resp = ApiError::too_large(state.config.max_body_bytes).into_response();
        // The unread body makes the connection unusable for another request.
        resp.headers_mut().insert(header::CONNECTION, header::HeaderValue::from_static("close"));
        return resp;
    }
    next.run(req).await
}

/// Framework answers (405, 413, 415, extractor rejections) become requestError bodies too.
async fn dress_errors(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let resp = next.run(req).await;
    let status = resp.status();
    let is_json =
        resp.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("json"));
    if status.as_u16() < 400 || is_json {
        return resp;
    }
    let allow = resp.headers().get(header::ALLOW).cloned();
    let mut err = match status {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::too_large(state.config.max_body_bytes),
        StatusCode::METHOD_NOT_ALLOWED => {
            ApiError::method_not_allowed(allow.as_ref().and_then(|v| v.to_str().ok()).unwrap_or(""))
        }
        other => ApiError::from_status(other, other.canonical_reason().unwrap_or("error").to_string()),
    };
    if status == StatusCode::METHOD_NOT_ALLOWED {
        err.headers.retain(|(n, _)| n != header::ALLOW);
    }
    let mut out = err.into_response();
    if let Some(a) = allow {
        out.headers_mut().insert(header::ALLOW, a);
    }
    out
}

async fn log_requests(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let Some(log) = state.config.log.clone() else {
        return next.run(req).await;
    };
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let started = Instant::now();
    let resp = next.run(req).await;
    (log.0)(&format!("{method} {path} {} {}ms", resp.status().as_u16(), started.elapsed().as_millis()));
    resp
}
