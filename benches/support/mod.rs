//! What the CLI bench measures with: a finished process's outcome and peak RSS ([`watch`]), the
//! results [`Table`], and the request-counting TCP [`Proxy`] between the binary and the server.

use std::io::{BufReader, Read};
use std::process::{Child, ExitStatus};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::{Context, bail, ensure};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub mod box_data;
pub mod env;
pub mod wrk;

/// One measured command (or pipeline).
pub struct Run {
    pub time: Duration,
    /// Peak resident set of the measured process (the last one of a pipeline), KiB.
    pub peak_kib: u64,
    pub requests: Requests,
    pub stderr: String,
}

impl Run {
    /// A row without a measured process of its own (a baseline from another tool).
    pub fn none() -> Run {
        Run { time: Duration::ZERO, peak_kib: 0, requests: Requests::default(), stderr: String::new() }
    }
}

/// A finished process: its status, stdout record count, stderr, and peak RSS.
pub struct Outcome {
    pub status: ExitStatus,
    pub upstream: Option<(ExitStatus, String)>,
    pub records: usize,
    pub bad_line: Option<String>,
    pub stderr: String,
    pub peak_kib: u64,
}

impl Outcome {
    pub fn check(&self, what: &str, expected: usize) -> anyhow::Result<()> {
        if let Some((st, err)) = &self.upstream
            && !st.success()
        {
            bail!("{what}: the upstream command exited with {st}\n{err}");
        }
        ensure!(self.status.success(), "{what}: exited with {}\n{}", self.status, self.stderr);
        if let Some(l) = &self.bad_line {
            bail!("{what}: not an NDJSON record: {l:?}");
        }
        ensure!(self.records == expected, "{what}: printed {} records, expected {expected}", self.records);
        Ok(())
    }
}

/// Waits for `child` (and `upstream`, the other end of its stdin) while counting its NDJSON
/// records and sampling its `VmHWM`, the kernel's own high-water mark of its RSS.
pub fn watch(mut child: Child, upstream: Option<Child>) -> anyhow::Result<Outcome> {
    let stdout = child.stdout.take().context("stdout")?;
    let stderr = child.stderr.take().context("stderr")?;
    let lines = std::thread::spawn(move || count_records(stdout));
    let errs = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = BufReader::new(stderr).read_to_string(&mut s);
        s
    });
    let up_errs = upstream.map(|mut u| {
        let e = u.stderr.take();
        let reader = std::thread::spawn(move || {
            let mut s = String::new();
            if let Some(mut e) = e {
                let _ = e.read_to_string(&mut s);
            }
            s
        });
        (u, reader)
    });
    let mut peak = 0;
    let status = loop {
        // VmHWM only grows, so the last reading before exit is the peak (give or take the
        // last few milliseconds).
        peak = peak.max(vm_hwm_kib(child.id()).unwrap_or(0));
        if let Some(st) = child.try_wait()? {
            break st;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let upstream = match up_errs {
        Some((mut u, reader)) => {
            let st = u.wait()?;
            Some((st, reader.join().unwrap_or_default()))
        }
        None => None,
    };
    let (records, bad_line) = lines.join().map_err(|_| anyhow::anyhow!("stdout reader panicked"))?;
    let stderr = errs.join().unwrap_or_default();
    Ok(Outcome { status, upstream, records, bad_line, stderr, peak_kib: peak })
}

/// Counts the NDJSON records on `out` (lines that start with `{` and hold an `"id"`) and keeps
/// the first other line. It reads big chunks and looks at bytes, with no allocation per line: the
/// reader shares the 2 cores with the measured command, and a `String` per line of a 10 MB
/// output cost it CPU that the bench then charged to the command (wrk's bodies are not read).
fn count_records(mut out: impl Read) -> (usize, Option<String>) {
    let mut records = 0usize;
    let mut bad: Option<String> = None;
    let mut judge = |line: &[u8], records: &mut usize| {
        if line.first() == Some(&b'{') && memchr::memmem::find(line, b"\"id\"").is_some() {
            *records += 1;
        } else if bad.is_none() {
            bad = Some(String::from_utf8_lossy(line).into_owned());
        }
    };
    let mut buf = vec![0u8; 256 * 1024];
    // The start of a line the last chunk cut.
    let mut carry: Vec<u8> = Vec::new();
    loop {
        let n = match out.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let mut chunk = &buf[..n];
        if !carry.is_empty() {
            match memchr::memchr(b'\n', chunk) {
                Some(i) => {
                    carry.extend_from_slice(&chunk[..i]);
                    judge(&carry, &mut records);
                    carry.clear();
                    chunk = &chunk[i + 1..];
                }
                None => {
                    carry.extend_from_slice(chunk);
                    continue;
                }
            }
        }
        let mut start = 0;
        for i in memchr::memchr_iter(b'\n', chunk) {
            judge(&chunk[start..i], &mut records);
            start = i + 1;
        }
        carry.extend_from_slice(&chunk[start..]);
    }
    if !carry.is_empty() {
        judge(&carry, &mut records);
    }
    (records, bad)
}

pub fn vm_hwm_kib(pid: u32) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The results table.
#[derive(Default)]
pub struct Table {
    pub rows: Vec<[String; 6]>,
}

impl Table {
    pub fn row(&mut self, what: String, run: &Run, per_sec: Option<f64>, note: &str) {
        self.rows.push([
            what,
            format!("{:.2}", secs(run.time)),
            per_sec.map(|r| format!("{r:.0}")).unwrap_or_default(),
            format!("{:.1}", run.peak_kib as f64 / 1024.0),
            run.requests.total.to_string(),
            note.to_string(),
        ]);
    }

    pub fn print(&self) {
        let head = ["run", "s", "items/s", "peak MiB", "requests", "ratio"];
        let mut w: Vec<usize> = head.iter().map(|h| h.len()).collect();
        for r in &self.rows {
            for (i, c) in r.iter().enumerate() {
                w[i] = w[i].max(c.chars().count());
            }
        }
        let line = |cells: Vec<&str>| {
            let mut s = String::new();
            for (i, c) in cells.iter().enumerate() {
                let pad = w[i] - c.chars().count();
                // Text left, numbers right.
                if i == 0 || i == 5 {
                    s.push_str(c);
                    s.push_str(&" ".repeat(pad));
                } else {
                    s.push_str(&" ".repeat(pad));
                    s.push_str(c);
                }
                s.push_str("  ");
            }
            println!("{}", s.trim_end());
        };
        line(head.to_vec());
        line(w.iter().map(|&n| "-".repeat(n)).collect::<Vec<_>>().iter().map(String::as_str).collect());
        for r in &self.rows {
            line(r.iter().map(String::as_str).collect());
        }
    }
}

/// Request counts seen by the proxy.
#[derive(Debug, Clone, Copy, Default)]
pub struct Requests {
    pub total: u64,
    pub bulk: u64,
    pub search: u64,
}

impl Requests {
    pub fn since(&self, before: &Requests) -> Requests {
        Requests {
            total: self.total - before.total,
            bulk: self.bulk - before.bulk,
            search: self.search - before.search,
        }
    }
}

/// A TCP proxy in front of the server that counts HTTP/1.1 request lines.
pub struct Proxy {
    pub addr: std::net::SocketAddr,
    pub counters: Arc<[AtomicU64; 3]>,
}

impl Proxy {
    pub async fn start(upstream: std::net::SocketAddr) -> anyhow::Result<Proxy> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let counters: Arc<[AtomicU64; 3]> = Arc::new(Default::default());
        let c = Arc::clone(&counters);
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let c = Arc::clone(&c);
                tokio::spawn(async move {
                    let Ok(server) = TcpStream::connect(upstream).await else { return };
                    let _ = client.set_nodelay(true);
                    let _ = server.set_nodelay(true);
                    let (cr, cw) = client.into_split();
                    let (sr, mut sw) = server.into_split();
                    let up = async move {
                        let _ = count_requests(cr, &mut sw, &c).await;
                        let _ = sw.shutdown().await;
                    };
                    let down = async move {
                        let (mut sr, mut cw) = (sr, cw);
                        let _ = tokio::io::copy(&mut sr, &mut cw).await;
                        let _ = cw.shutdown().await;
                    };
                    tokio::join!(up, down);
                });
            }
        });
        Ok(Proxy { addr, counters })
    }

    /// [`Proxy::start`] on a runtime of its own, on a thread of its own, for the life of the
    /// process: on the server's runtime the proxy's tasks waited behind the server's (and a
    /// server task that blocks its worker for a point read held up every relayed byte), which a
    /// client on another host would never see.
    pub fn start_apart(upstream: std::net::SocketAddr) -> anyhow::Result<Proxy> {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::Builder::new().name("bench-proxy".into()).spawn(move || {
            let rt = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
                Ok(rt) => rt,
                Err(e) => {
                    let _ = tx.send(Err(e.into()));
                    return;
                }
            };
            rt.block_on(async move {
                let _ = tx.send(Proxy::start(upstream).await);
                // Serves until the bench exits.
                std::future::pending::<()>().await;
            });
        })?;
        rx.recv().context("the proxy thread ended before it started")?
    }

    pub fn counts(&self) -> Requests {
        let [t, b, s] = &*self.counters;
        Requests { total: t.load(Ordering::SeqCst), bulk: b.load(Ordering::SeqCst), search: s.load(Ordering::SeqCst) }
    }
}

/// Copies the client's bytes to the server, counting request lines (`… HTTP/1.1\r\n`); a
/// carry of the previous read catches lines split across reads.
pub async fn count_requests(
    mut from: tokio::net::tcp::OwnedReadHalf,
    to: &mut tokio::net::tcp::OwnedWriteHalf,
    counters: &[AtomicU64; 3],
) -> std::io::Result<()> {
    const END: &[u8] = b" HTTP/1.1\r\n";
    const CARRY: usize = 1024;
    let mut buf = vec![0u8; 64 * 1024];
    let mut hay: Vec<u8> = Vec::new();
    loop {
        let k = from.read(&mut buf).await?;
        if k == 0 {
            return Ok(());
        }
        to.write_all(&buf[..k]).await?;
        let old = hay.len();
        hay.extend_from_slice(&buf[..k]);
        let first = old.saturating_sub(END.len() - 1);
        for p in first..hay.len().saturating_sub(END.len() - 1) {
            if &hay[p..p + END.len()] != END {
                continue;
            }
            let start = hay[..p].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let line = &hay[start..p];
            counters[0].fetch_add(1, Ordering::SeqCst);
            if contains(line, b"/operations/bulk") {
                counters[1].fetch_add(1, Ordering::SeqCst);
            } else if contains(line, b"/operations/search") {
                counters[2].fetch_add(1, Ordering::SeqCst);
            }
        }
        if hay.len() > CARRY {
            hay.drain(..hay.len() - CARRY);
        }
    }
}

pub fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

pub fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}
