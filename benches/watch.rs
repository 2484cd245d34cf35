//! `cargo bench --bench watch`: P5 of issue 11, how long after its creation on the server a new
//! object's file is on disk under `cpmctl sync --watch` (p50/p99/max over `CPMCTL_BENCH_WATCH`
//! changes, default 500), next to the same latency for `cpmctl subscribe` printing the event,
//! measured in the same run against the same in-process reference server. The release binary,
//! one change at a time: the clock starts when the create request has returned (the object is
//! committed) and stops when the file exists / the event line is read. Never fails on timing.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};

// This bench talks to the server directly (no counting proxy): most of `support` goes unused.
#[allow(dead_code)]
mod support;

use cpmctl::nms::{NewObject, id_from_url};
use support::box_data::object_in;
use support::env::{client, command, env_num, start_server};

const BOX_WATCH: &str = "tel:+15550200001";
const BOX_SUBSCRIBE: &str = "tel:+15550200002";
/// Longest wait for one change before the bench gives up (a liveness bound, not a measurement).
const GIVE_UP: Duration = Duration::from_secs(30);

fn main() -> anyhow::Result<()> {
    let n = env_num("CPMCTL_BENCH_WATCH", 500)?;
    ensure!(n >= 10, "CPMCTL_BENCH_WATCH must be at least 10");
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_cpmctl"));
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let dir = tempfile::tempdir()?;
    let server = rt.block_on(start_server(dir.path(), [BOX_WATCH, BOX_SUBSCRIBE]))?;
    // Straight to the server: a proxy's hop would be part of the latency measured.
    let cmd = |b: &str| command(&bin, dir.path(), &server.nms_base(b));
    println!("cpmctl watch bench: {n} changes, one at a time, binary {}", bin.display());

    // sync --watch: the new object's file in the mirror.
    let watch_client = client(&server, BOX_WATCH)?;
    rt.block_on(watch_client.create_object(&object(0)))?;
    let mirror = dir.path().join("mirror");
    let mut c = cmd(BOX_WATCH);
    c.args(["--progress", "none", "sync", "--watch"]).arg(&mirror);
    let mut child = c.spawn()?;
    let lines = lines_of(child.stderr.take().context("stderr")?);
    wait_line(&lines, "watching for changes")?;
    let mut sync_ms = Vec::with_capacity(n);
    for i in 1..=n {
        let r = rt.block_on(watch_client.create_object(&object(i)))?;
        let t = Instant::now();
        let file = mirror
            .join("Bench")
            .join("cur")
            .join(format!("{}:2,", cpmctl::formats::safe_file_name(&id_from_url(&r.resource_url))));
        while !file.is_file() {
            ensure!(t.elapsed() < GIVE_UP, "sync --watch: {} never appeared", file.display());
            std::thread::sleep(Duration::from_micros(200));
        }
        sync_ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    stop(child)?;

    // subscribe: the event line on stdout.
    let sub_client = client(&server, BOX_SUBSCRIBE)?;
    let mut c = cmd(BOX_SUBSCRIBE);
    c.args(["-o", "ndjson", "subscribe"]);
    let mut child = c.spawn()?;
    let errs = lines_of(child.stderr.take().context("stderr")?);
    let out = lines_of(child.stdout.take().context("stdout")?);
    // Ready once it says it is watching (a change made before it subscribed never comes) and a
    // first change has come through.
    wait_line(&errs, "watching for changes")?;
    let first = id_from_url(&rt.block_on(sub_client.create_object(&object(0)))?.resource_url);
    wait_id(&out, &first, &errs)?;
    let mut sub_ms = Vec::with_capacity(n);
    for i in 1..=n {
        let r = rt.block_on(sub_client.create_object(&object(i)))?;
        let t = Instant::now();
        wait_id(&out, &id_from_url(&r.resource_url), &errs)?;
        sub_ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    stop(child)?;
    rt.block_on(server.shutdown());

    println!("{:<44} {:>8} {:>8} {:>8}", "change → seen (ms)", "p50", "p99", "max");
    for (name, v) in
        [("sync --watch: new object's file on disk", &mut sync_ms), ("subscribe: event printed", &mut sub_ms)]
    {
        v.sort_by(f64::total_cmp);
        println!("{name:<44} {:>8.2} {:>8.2} {:>8.2}", pct(v, 50.0), pct(v, 99.0), v[v.len() - 1]);
    }
    println!("goal: sync --watch p99 under 50 ms on this machine");
    Ok(())
}

fn object(i: usize) -> NewObject {
    let date = format!("2026-01-01T00:{:02}:{:02}Z", (i / 60) % 60, i % 60);
    let attrs = [
        ("Date", date),
        ("Message-Context", "pager-message".to_string()),
        ("Direction", "In".into()),
        ("From", "tel:+15550009999".into()),
        ("TextContent", format!("watch bench {i}")),
    ];
    NewObject { object: object_in("/Bench", &attrs), parts: Vec::new() }
}

/// The lines of a child's pipe, read on a thread.
fn lines_of(r: impl std::io::Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(r).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

fn wait_line(lines: &mpsc::Receiver<String>, needle: &str) -> anyhow::Result<()> {
    let deadline = Instant::now() + GIVE_UP;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match lines.recv_timeout(left) {
            Ok(l) if l.contains(needle) => return Ok(()),
            Ok(_) => {}
            Err(_) => bail!("no line with {needle:?}"),
        }
    }
}

/// Reads event lines until one names `id`.
fn wait_id(out: &mpsc::Receiver<String>, id: &str, errs: &mpsc::Receiver<String>) -> anyhow::Result<()> {
    let deadline = Instant::now() + GIVE_UP;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match out.recv_timeout(left) {
            Ok(l) if l.contains(id) => return Ok(()),
            Ok(_) => {}
            Err(_) => bail!("subscribe never printed {id}; stderr: {:?}", errs.try_iter().collect::<Vec<_>>()),
        }
    }
}

/// Ctrl-C, as a person stops a watch; it exits 130 after committing.
fn stop(mut child: Child) -> anyhow::Result<()> {
    let status = Command::new("kill").args(["-INT", &child.id().to_string()]).status()?;
    ensure!(status.success(), "kill -INT failed");
    let code = child.wait()?.code();
    ensure!(code == Some(130), "the watch exited with {code:?}, not 130");
    Ok(())
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    let i = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}
