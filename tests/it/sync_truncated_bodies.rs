//! The nms client and a JSON answer cut short (issue 11, R2's truncated bodies outside the
//! payload downloads): an idempotent request (a GET, the read-only search POST) whose 2xx body
//! breaks off part-way — before its Content-Length, by a reset, or with no length at all so that
//! only the JSON itself shows it ends early — is made again like a reset connection, bounded as
//! the other retries are. A tiny truncating proxy in front of the real server (a real server
//! does not cut its answers on demand) drives the real binary.

use crate::cmd_support;
use crate::proxy_support::{body_start, read_request};

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use cmd_support::{Fixture, cmd_for};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cut {
    /// Half the body, then FIN: the Content-Length is not reached.
    Short,
    /// Half the body, then RST.
    Reset,
    /// No Content-Length (the body ends with the connection), half the body, then FIN.
    Unframed,
}

/// Cuts the answers of the first `faults` requests whose request line contains `matching`.
struct CutProxy {
    addr: std::net::SocketAddr,
    cut: Arc<AtomicU64>,
    seen: Arc<AtomicU64>,
}

impl CutProxy {
    fn start(f: &Fixture, mode: Cut, matching: &str, faults: u64) -> CutProxy {
        let upstream = f.server.as_ref().unwrap().addr;
        let listener = f.rt.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
        let addr = listener.local_addr().unwrap();
        let (cut, seen) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
        let (c2, s2) = (Arc::clone(&cut), Arc::clone(&seen));
        let matching: Arc<str> = Arc::from(matching);
        f.rt.spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let (cut, seen, matching) = (Arc::clone(&c2), Arc::clone(&s2), Arc::clone(&matching));
                tokio::spawn(async move {
                    let _ = serve(client, upstream, mode, &matching, faults, &cut, &seen).await;
                });
            }
        });
        CutProxy { addr, cut, seen }
    }

    /// The demo box's base URL through the proxy.
    fn base(&self, f: &Fixture) -> String {
        let server = f.server.as_ref().unwrap().addr.to_string();
        f.info.base_url.replace(&server, &self.addr.to_string())
    }
}

/// One request per connection: forward it, read the whole answer, and cut it when it is one of
/// the first `faults` matching requests.
async fn serve(
    mut client: TcpStream,
    upstream: std::net::SocketAddr,
    mode: Cut,
    matching: &str,
    faults: u64,
    cut: &AtomicU64,
    seen: &AtomicU64,
) -> std::io::Result<()> {
    let Some(request) = read_request(&mut client).await? else { return Ok(()) };
    let resp = request.relay(upstream).await?;
    let hit = request.first_line().contains(matching) && seen.fetch_add(1, Ordering::SeqCst) < faults;
    let body_at = body_start(&resp);
    if !hit || resp.len() <= body_at + 1 {
        client.write_all(&resp).await?;
        return client.shutdown().await;
    }
    cut.fetch_add(1, Ordering::SeqCst);
    let body = resp[body_at..].to_vec();
    let half = &body[..body.len() / 2];
    let mut head = String::from_utf8_lossy(&resp[..body_at]).into_owned();
    if mode == Cut::Unframed {
        head = head
            .split("\r\n")
            .filter(|l| !l.to_ascii_lowercase().starts_with("content-length:"))
            .collect::<Vec<_>>()
            .join("\r\n");
    }
    client.write_all(head.as_bytes()).await?;
    client.write_all(half).await?;
    client.flush().await?;
    if mode == Cut::Reset {
        // SO_LINGER 0: closing sends a RST instead of a FIN.
        client.set_zero_linger()?;
        return Ok(());
    }
    client.shutdown().await
}

#[test]
fn a_json_answer_cut_short_is_asked_for_again() {
    let f = Fixture::demo();
    let id = f.create_many("/Cut", 1).remove(0);
    for mode in [Cut::Short, Cut::Reset, Cut::Unframed] {
        // A GET of one object: the first two answers cut, the third whole.
        let proxy = CutProxy::start(&f, mode, &format!("/objects/{id} "), 2);
        let out = cmd_for(&proxy.base(&f), &f.info.user, &f.info.password, f.dir.path())
            .args(["-o", "json", "get", &id])
            .output()
            .unwrap();
        let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "{mode:?}: get failed: {stderr}");
        assert!(stdout.contains(&id), "{mode:?}: {stdout}");
        assert_eq!(proxy.cut.load(Ordering::SeqCst), 2, "{mode:?}: the proxy cut fewer answers than planned");

        // The search POST (read-only, so repeatable).
        let proxy = CutProxy::start(&f, mode, "/objects/operations/search ", 1);
        let out = cmd_for(&proxy.base(&f), &f.info.user, &f.info.password, f.dir.path())
            .args(["-o", "ndjson", "search", "--folder", "/Cut"])
            .output()
            .unwrap();
        let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "{mode:?}: search failed: {stderr}");
        assert_eq!(stdout.lines().count(), 1, "{mode:?}: {stdout}");
        assert_eq!(proxy.cut.load(Ordering::SeqCst), 1, "{mode:?}");
    }
}

/// Bounded: answers that are always cut end the command with the network exit status (5) after
/// the configured retries, not a loop.
#[test]
fn answers_always_cut_short_give_up_after_the_retries() {
    let f = Fixture::demo();
    let id = f.create_many("/Cut", 1).remove(0);
    let proxy = CutProxy::start(&f, Cut::Unframed, &format!("/objects/{id} "), u64::MAX);
    let out =
        cmd_for(&proxy.base(&f), &f.info.user, &f.info.password, f.dir.path()).args(["get", &id]).output().unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", String::from_utf8_lossy(&out.stderr));
    let tried = proxy.seen.load(Ordering::SeqCst);
    assert!((2..=10).contains(&tried), "{tried} attempts");
}
