//! The accept loop: HTTP/1.1 connections with a header-read timeout (which also ends idle
//! keep-alive connections and sockets that never send anything) and a cap on open connections.
//!
//! At the cap, a new connection makes room by closing the oldest connection that has no
//! request in flight (an idle or half-sent socket); when every connection is busy, accepting
//! waits until one ends. So a crowd of idle sockets cannot keep a real client out, and a
//! request being served is never cut off to make room.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use hyper::body::{Body as HttpBody, Frame, Incoming, SizeHint};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;
use tower::ServiceExt;

use super::auth;

/// Connection-level limits (from [`super::ServerConfig`]).
#[derive(Debug, Clone, Copy)]
pub struct ConnLimits {
    /// Time to send a request's headers, counted from connect or from the previous response
    /// (so it is also the keep-alive idle timeout).
    pub header_read_timeout: Duration,
    /// Open connections at most.
    pub max_connections: usize,
}

/// One open connection as the accept loop sees it.
struct Conn {
    /// Requests (with their response bodies) in flight on this connection.
    in_flight: AtomicUsize,
    /// Told to close the connection now (it was idle and room was needed).
    evict: Notify,
}

#[derive(Default)]
struct Table {
    /// Open connections by accept order (oldest first).
    conns: Mutex<BTreeMap<u64, Arc<Conn>>>,
    /// Signalled whenever a connection ends.
    ended: Notify,
}

impl Table {
    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<u64, Arc<Conn>>> {
        self.conns.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether a new connection fits, evicting the oldest idle one if that makes it fit.
    fn make_room(&self, max: usize) -> bool {
        let mut conns = self.lock();
        if conns.len() < max.max(1) {
            return true;
        }
        let victim = conns.iter().find(|(_, c)| c.in_flight.load(Ordering::SeqCst) == 0).map(|(id, _)| *id);
        match victim.and_then(|id| conns.remove(&id)) {
            Some(c) => {
                // notify_one keeps a permit, so the connection sees it even if not waiting yet.
                c.evict.notify_one();
                true
            }
            None => false,
        }
    }
}

/// Counts a request as in flight until dropped (it lives as long as the response body).
struct InFlight(Arc<Conn>);

impl InFlight {
    fn new(conn: Arc<Conn>) -> Self {
        conn.in_flight.fetch_add(1, Ordering::SeqCst);
        InFlight(conn)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A response body that keeps its request counted as in flight until it is sent or dropped.
struct Tracked {
    inner: Body,
    _guard: InFlight,
}

impl HttpBody for Tracked {
    type Data = bytes::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// Serves `app` on `listener` until `shutdown` resolves; then stops accepting, lets every
/// connection finish its current request, and returns when all are closed.
pub async fn serve(listener: TcpListener, app: Router, limits: ConnLimits, shutdown: impl Future<Output = ()>) {
    let table = Arc::new(Table::default());
    let mut tasks = JoinSet::new();
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(limits.header_read_timeout).keep_alive(true);
    let mut next_id: u64 = 0;
    tokio::pin!(shutdown);
    'accept: loop {
        while tasks.try_join_next().is_some() {}
        let (stream, peer) = tokio::select! {
            _ = &mut shutdown => break 'accept,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(_) => {
                    // Out of file descriptors and the like: back off instead of spinning.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        loop {
            let ended = table.ended.notified();
            tokio::pin!(ended);
            ended.as_mut().enable();
            if table.make_room(limits.max_connections) {
                break;
            }
            tokio::select! {
                _ = &mut shutdown => break 'accept,
                _ = ended => {}
            }
        }
        next_id += 1;
        let id = next_id;
        let conn = Arc::new(Conn { in_flight: AtomicUsize::new(0), evict: Notify::new() });
        table.lock().insert(id, conn.clone());
        tasks.spawn(serve_conn(stream, peer, app.clone(), builder.clone(), conn, stop_rx.clone(), table.clone(), id));
    }
    drop(listener);
    let _ = stop_tx.send(true);
    while tasks.join_next().await.is_some() {}
}

async fn serve_conn(
    stream: tokio::net::TcpStream,
    peer: SocketAddr,
    app: Router,
    builder: hyper::server::conn::http1::Builder,
    conn: Arc<Conn>,
    mut stop: watch::Receiver<bool>,
    table: Arc<Table>,
    id: u64,
) {
    let _ = stream.set_nodelay(true);
    let tracked = conn.clone();
    let svc = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
        let guard = InFlight::new(tracked.clone());
        let app = app.clone();
        auth::CLIENT.scope(peer.ip(), async move {
            let resp = match app.oneshot(req.map(Body::new)).await {
                Ok(r) => r,
                Err(never) => match never {},
            };
            Ok::<_, Infallible>(resp.map(|b| Body::new(Tracked { inner: b, _guard: guard })))
        })
    });
    let served = builder.serve_connection(TokioIo::new(stream), svc);
    tokio::pin!(served);
    let stopping = async move {
        // A closed channel means the accept loop is gone: stop as well.
        while !*stop.borrow_and_update() {
            if stop.changed().await.is_err() {
                break;
            }
        }
    };
    tokio::select! {
        _ = served.as_mut() => {}
        // Dropping the connection closes the socket; it had no request in flight.
        _ = conn.evict.notified() => {}
        _ = stopping => {
            served.as_mut().graceful_shutdown();
            let _ = served.await;
        }
    }
    table.lock().remove(&id);
    table.ended.notify_waiters();
}
