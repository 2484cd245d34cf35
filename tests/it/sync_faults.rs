//! R2 (issue 11): `cpmctl sync` through a fault proxy in front of the real server — 10% of
//! requests answered 503 with Retry-After, 5% of connections reset, 2% of bodies truncated —
//! either converges (then `check` exits 0) or exits 5, and never leaves anything half-written:
//! after every run, each file the index names has the bytes the index recorded and no temp file
//! is left. The proxy is a few lines of tokio (a real server does not fail on demand).

use crate::cmd_support;
use crate::proxy_support::{body_start, read_request};

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use cmd_support::{Fixture, cmd_for};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

struct FaultProxy {
    addr: std::net::SocketAddr,
    /// Off: every request passes (for `check`, which must see the truth).
    faults: Arc<AtomicBool>,
    injected: Arc<AtomicU64>,
}

/// xorshift64 over a shared state: reproducible faults.
fn roll(state: &AtomicU64) -> u64 {
    let mut x = state.load(Ordering::Relaxed);
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    state.store(x, Ordering::Relaxed);
    x % 100
}

impl FaultProxy {
    fn start(rt: &tokio::runtime::Runtime, upstream: std::net::SocketAddr) -> FaultProxy {
        let listener = rt.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
        let addr = listener.local_addr().unwrap();
        let faults = Arc::new(AtomicBool::new(true));
        let injected = Arc::new(AtomicU64::new(0));
        let rng = Arc::new(AtomicU64::new(0x9e37_79b9_7f4a_7c15));
        let (f2, i2) = (Arc::clone(&faults), Arc::clone(&injected));
        rt.spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let dice = if f2.load(Ordering::Relaxed) { roll(&rng) } else { 99 };
                let injected = Arc::clone(&i2);
                tokio::spawn(async move {
                    let _ = serve(client, upstream, dice, &injected).await;
                });
            }
        });
        FaultProxy { addr, faults, injected }
    }
}

/// One request per connection: read it, then answer 503 (dice 0–9), reset (10–14), forward and
/// truncate the body (15–16), or forward it whole.
async fn serve(
    mut client: TcpStream,
    upstream: std::net::SocketAddr,
    dice: u64,
    injected: &AtomicU64,
) -> std::io::Result<()> {
    let Some(request) = read_request(&mut client).await? else { return Ok(()) };
    if dice < 10 {
        injected.fetch_add(1, Ordering::Relaxed);
        let r = b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 0\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        return client.write_all(r).await;
    }
    if dice < 15 {
        injected.fetch_add(1, Ordering::Relaxed);
        // SO_LINGER 0: closing sends a RST instead of a FIN.
        client.set_zero_linger()?;
        return Ok(());
    }
    let mut resp = request.relay(upstream).await?;
    if dice < 17 {
        let body_at = body_start(&resp);
        if resp.len() > body_at + 1 {
            injected.fetch_add(1, Ordering::Relaxed);
            resp.truncate(body_at + (resp.len() - body_at) / 2);
        }
    }
    client.write_all(&resp).await?;
    client.shutdown().await
}

/// Nothing half-written: every indexed file has its recorded hash, and no temp file is left.
fn nothing_half_written(dir: &Path) {
    let ix = dir.join(".cpmctl/index.sqlite");
    if !ix.exists() {
        return;
    }
    let conn = rusqlite::Connection::open(&ix).unwrap();
    let mut st = conn.prepare("SELECT file, sha256 FROM objects").unwrap();
    let rows: Vec<(String, String)> =
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect();
    for (file, sha) in rows {
        let bytes = std::fs::read(dir.join(&file)).unwrap_or_else(|e| panic!("{file} is indexed but unreadable: {e}"));
        assert_eq!(hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes)), sha, "{file} is half-written");
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.parent().is_some_and(|d| d.ends_with("tmp")) && !p.starts_with(dir.join(".cpmctl")) {
                panic!("temp file left: {}", p.display());
            }
        }
    }
}

#[test]
fn sync_through_faults_converges_or_exits_5_having_written_nothing_half_way() {
    let f = Fixture::demo();
    for i in 0..20 {
        f.create(
            "/Faults/Files",
            &[("Date", "2024-02-02T10:00:00Z"), ("Message-Context", "file-message")],
            &[],
            vec![cmd_support::file_part("application/octet-stream", &format!("f{i}.bin"), &[i as u8; 20_000])],
        );
    }
    f.create_many("/Faults/Sms", 150);
    let upstream: std::net::SocketAddr = url::Url::parse(&f.info.base_url).unwrap().socket_addrs(|| None).unwrap()[0];
    let proxy = FaultProxy::start(&f.rt, upstream);
    let base = f.info.base_url.replace(&upstream.to_string(), &proxy.addr.to_string());
    let dir = f.work().join("mirror");
    let d = dir.to_str().unwrap();
    let run = |args: &[&str]| {
        let out = cmd_for(&base, &f.info.user, &f.info.password, f.dir.path()).args(args).output().unwrap();
        (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let converge = |what: &str| {
        let mut codes = Vec::new();
        for _ in 0..12 {
            let (code, err) = run(&["sync", "--quiet-ms", "300", d]);
            assert!(code == 0 || code == 5, "{what}: sync exited {code}: {err}");
            nothing_half_written(&dir);
            codes.push(code);
            if code == 0 {
                break;
            }
        }
        assert_eq!(codes.last(), Some(&0), "{what}: never converged: {codes:?}");
        proxy.faults.store(false, Ordering::Relaxed);
        let (code, err) = run(&["check", d]);
        assert_eq!(code, 0, "{what}: check after convergence: {err}");
        proxy.faults.store(true, Ordering::Relaxed);
        codes
    };
    let first = converge("first-time sync");

    // Steady state through the same faults: flags, deletions, new objects.
    let ids = f.ids(&["--folder", "/Faults/Sms"]);
    let mut flag = vec!["flag", "add", "seen"];
    flag.extend(ids[..40].iter().map(String::as_str));
    f.ok(&flag);
    let mut rm = vec!["rm", "--yes"];
    rm.extend(ids[40..60].iter().map(String::as_str));
    f.ok(&rm);
    f.create_many("/Faults/Sms", 30);
    let steady = converge("steady-state sync");
    assert!(proxy.injected.load(Ordering::Relaxed) > 0, "no fault was injected: the test proved nothing");
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!(
            "R2: {} faults injected; first-time runs {first:?}, steady-state runs {steady:?}\n",
            proxy.injected.load(Ordering::Relaxed)
        )
        .as_bytes(),
    );
}
