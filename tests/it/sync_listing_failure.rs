//! A first-time `cpmctl sync` whose listing fails part-way (the store refuses a search page
//! with an error no retry cures) commits every page it had already downloaded before it exits:
//! those pages' files are durable, and with several pages being written at once when the
//! listing fails, none may be left for the next run to fetch again. A proxy in front of the
//! real server refuses search requests from the fourth on; after the failed run the index
//! holds exactly the first three pages, every indexed file has its recorded bytes, and a run
//! without the fault downloads only the rest.

use crate::cmd_support;
use crate::proxy_support::read_request;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use cmd_support::{Fixture, cmd_for};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

/// Objects per search page in this test.
const PAGE: usize = 20;
/// Search pages the store answers before it refuses the rest.
const GOOD_PAGES: u64 = 3;

/// Relays every request, except search requests after the first [`GOOD_PAGES`] while
/// `refusing` is on: those get a 400, which the client does not retry.
struct ListingProxy {
    addr: std::net::SocketAddr,
    refusing: Arc<AtomicBool>,
    searches: Arc<AtomicU64>,
}

impl ListingProxy {
    fn start(rt: &tokio::runtime::Runtime, upstream: std::net::SocketAddr) -> ListingProxy {
        let listener = rt.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
        let addr = listener.local_addr().unwrap();
        let refusing = Arc::new(AtomicBool::new(true));
        let searches = Arc::new(AtomicU64::new(0));
        let (r2, s2) = (Arc::clone(&refusing), Arc::clone(&searches));
        rt.spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let (refusing, searches) = (Arc::clone(&r2), Arc::clone(&s2));
                tokio::spawn(async move {
                    let _ = serve(client, upstream, &refusing, &searches).await;
                });
            }
        });
        ListingProxy { addr, refusing, searches }
    }
}

async fn serve(
    mut client: TcpStream,
    upstream: std::net::SocketAddr,
    refusing: &AtomicBool,
    searches: &AtomicU64,
) -> std::io::Result<()> {
    let Some(request) = read_request(&mut client).await? else { return Ok(()) };
    let line = request.first_line();
    if line.starts_with("POST ") && line.contains("/objects/operations/search") {
        let n = searches.fetch_add(1, Ordering::SeqCst) + 1;
        if refusing.load(Ordering::SeqCst) && n > GOOD_PAGES {
            let body = br#"{"requestError":{"serviceException":{"messageId":"SVC0002","text":"Invalid input value for message part %1","variables":["cursor"]}}}"#;
            let head = format!(
                "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            client.write_all(head.as_bytes()).await?;
            client.write_all(body).await?;
            return client.shutdown().await;
        }
    }
    let resp = request.relay(upstream).await?;
    client.write_all(&resp).await?;
    client.shutdown().await
}

/// The index's rows as (file, sha256).
fn indexed(dir: &Path) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(dir.join(".cpmctl/index.sqlite")).unwrap();
    let mut st = conn.prepare("SELECT file, sha256 FROM objects").unwrap();
    st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
}

#[test]
fn a_listing_that_fails_part_way_leaves_every_downloaded_page_committed() {
    let f = Fixture::demo();
    f.create_many("/Listing/Sms", 150);
    let upstream: std::net::SocketAddr = url::Url::parse(&f.info.base_url).unwrap().socket_addrs(|| None).unwrap()[0];
    let proxy = ListingProxy::start(&f.rt, upstream);
    let base = f.info.base_url.replace(&upstream.to_string(), &proxy.addr.to_string());
    let dir = f.work().join("mirror");
    let d = dir.to_str().unwrap();
    let page = PAGE.to_string();
    let run = |args: &[&str]| {
        let out = cmd_for(&base, &f.info.user, &f.info.password, f.dir.path()).args(args).output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };

    let (code, _, err) = run(&["sync", "--page-size", &page, "--quiet-ms", "300", d]);
    assert_ne!(code, 0, "the listing was refused from page {}, yet sync succeeded: {err}", GOOD_PAGES + 1);
    assert!(proxy.searches.load(Ordering::SeqCst) > GOOD_PAGES, "the fault was never reached: the test proved nothing");
    let rows = indexed(&dir);
    assert_eq!(
        rows.len(),
        GOOD_PAGES as usize * PAGE,
        "the pages listed before the failure are all committed, and nothing else: {err}"
    );
    for (file, sha) in &rows {
        let bytes = std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{file} is indexed but unreadable: {e}"));
        assert_eq!(&hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes)), sha, "{file} is half-written");
    }

    // Without the fault the next run fetches only what the failed one had not committed.
    proxy.refusing.store(false, Ordering::SeqCst);
    let (code, out, err) = run(&["-o", "json", "sync", "--page-size", &page, "--quiet-ms", "300", d]);
    assert_eq!(code, 0, "sync without the fault: {err}");
    let summary: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    let total = indexed(&dir).len() as u64;
    let downloaded = summary["downloaded"].as_u64().unwrap_or_else(|| panic!("no downloaded count: {out}"));
    assert_eq!(
        downloaded,
        total - GOOD_PAGES * PAGE as u64,
        "pages committed by the failed run were fetched again: {out}"
    );
    let (code, _, err) = run(&["check", d]);
    assert_eq!(code, 0, "check after the second run: {err}");
}
