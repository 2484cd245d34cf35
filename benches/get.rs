//! `cargo bench --bench get`: `get -` of N ids (`CPMCTL_BENCH_N`, default 10,000) with
//! `-o ndjson` against wrk's GET rate on the same object URLs, in the same run (issue 14,
//! item 23: goal ≥ 0.8x). A first `get --concurrency 1` goes through the request-counting proxy,
//! which checks one request per id. Then the timed pairs: `get --concurrency C` beside `wrk -cC`,
//! both straight to the reference server running in this process (see [`Via`]), each `get`
//! compared with the mean of a wrk run just before and one just after it, so the load of a
//! shared machine weighs on both sides alike. Each `get` row gives its ratio to wrk at the same
//! connections and to the best wrk rate of the run, and the CPU each client spent per object
//! (children's user + system time from `/proc/self/stat`). `CPMCTL_BENCH_ROUNDS` (default 3)
//! repeats the pairs; the median ratio and its spread close the output. Then the pairs at the
//! default concurrency again against `cpmctl serve` as a process of its own
//! (`CPMCTL_BENCH_STANDALONE=0` skips them). `CPMCTL_BENCH_BEFORE=BIN` also runs another
//! build's `get` in each pair (before and after a change in one run). Needs `wrk` on PATH
//! (without it only the `get` rows are printed). Never fails on timing: only a non-zero exit or
//! a wrong record or request count fails it.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, ensure};

mod support;

use support::box_data::{all_ids, rate, seed};
use support::env::{Env, cpu_times, env_num, proc_cpu};
use support::{Run, Table, watch, wrk};

const BOX_GET: &str = "tel:+15550100010";
/// Connections compared: half `get`'s default `--concurrency`, the default (16), and twice it
/// (`CPMCTL_BENCH_CONNECTIONS=4,8,16` sets others).
const CONNECTIONS: [usize; 3] = [8, 16, 32];
/// How long each wrk run lasts (about what one `get` of 10,000 ids takes).
const WRK_SECONDS: u32 = 2;

fn main() -> anyhow::Result<()> {
    let n = env_num("CPMCTL_BENCH_N", 10_000)?;
    let rounds = env_num("CPMCTL_BENCH_ROUNDS", 3)?;
    ensure!(n >= 10, "CPMCTL_BENCH_N must be at least 10");
    ensure!(rounds >= 1, "CPMCTL_BENCH_ROUNDS must be at least 1");
    let connections: Vec<usize> = match std::env::var("CPMCTL_BENCH_CONNECTIONS") {
        Ok(v) => v
            .split(',')
            .map(|c| c.trim().parse().with_context(|| format!("CPMCTL_BENCH_CONNECTIONS={v:?}: not a list of numbers")))
            .collect::<anyhow::Result<_>>()?,
        Err(_) => CONNECTIONS.to_vec(),
    };
    ensure!(connections.iter().all(|c| (1..=64).contains(c)), "connections must be 1 to 64");
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_cpmctl"));
    println!("cpmctl get bench: N={n}, {rounds} round(s), binary {}", bin.display());
    println!("load before: {}", load());

    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let dir = tempfile::tempdir()?;
    let env = Env::start(&rt, bin, dir.path(), [BOX_GET])?;

    let client = env.client(BOX_GET)?;
    rt.block_on(seed(&client, n))?;
    let ids = rt.block_on(all_ids(&client))?;
    ensure!(ids.len() == n, "get: seeded {} objects, expected {n}", ids.len());
    let ids_file = dir.path().join("get-ids.txt");
    std::fs::write(&ids_file, ids.join("\n") + "\n")?;
    let script = env.wrk_script(&ids)?;

    // Another build of cpmctl (the one before a change) measured beside this one, pair by pair.
    let before_bin = std::env::var_os("CPMCTL_BENCH_BEFORE").map(PathBuf::from);
    let mut table = Table::default();
    // One read at a time: what `get` did before item 23 (and a warm-up of the server's cache).
    let one = env.get(&env.bin, &ids_file, 1, n, Via::Proxy)?;
    table.row(format!("get {n} ids --concurrency 1"), &one.run, Some(rate(n, one.run.time)), &one.cpu_note(n));
    // get/wrk at the same connections, per connection count, one per round.
    let mut ratios: Vec<(usize, Vec<f64>)> = connections.iter().map(|&c| (c, Vec::new())).collect();
    for round in 1..=rounds {
        let mut pairs = Vec::new();
        for &c in &connections {
            // wrk runs just before and just after `get`, and `get` is compared with their mean,
            // so a load that drifts during the pair (the machine is shared) weighs on both sides.
            let wrk_before = env.wrk(&script, c)?;
            let get = env.get(&env.bin, &ids_file, c, n, Via::Direct)?;
            let before = match &before_bin {
                Some(b) => Some(env.get(b, &ids_file, c, n, Via::Direct)?),
                None => None,
            };
            let wrk = match (wrk_before, env.wrk(&script, c)?) {
                (Some(a), Some(b)) => Some(Wrk {
                    rate: (a.rate + b.rate) / 2.0,
                    cpu: a.cpu + b.cpu,
                    server: a.server + b.server,
                    wall: a.wall + b.wall,
                    requests: a.requests + b.requests,
                    spread: (a.rate.min(b.rate), a.rate.max(b.rate)),
                }),
                _ => None,
            };
            pairs.push((c, wrk, get, before));
        }
        let best = pairs
            .iter()
            .filter_map(|(_, w, _, _)| w.as_ref().map(|w| w.rate))
            .fold(None, |m: Option<f64>, r| Some(m.map_or(r, |m| m.max(r))));
        for (c, wrk, get, before) in pairs {
            let get_rate = rate(n, get.run.time);
            let tag = if rounds > 1 { format!(" [round {round}]") } else { String::new() };
            let note = match (&wrk, best) {
                (Some(w), Some(b)) => {
                    if let Some((_, r)) = ratios.iter_mut().find(|(k, _)| *k == c) {
                        r.push(get_rate / w.rate);
                    }
                    table.row(format!("wrk -c{c}{tag} (baseline)"), &Run::none(), Some(w.rate), &w.cpu_note());
                    format!("{:.2}x wrk -c{c}, {:.2}x best wrk; {}", get_rate / w.rate, get_rate / b, get.cpu_note(n))
                }
                _ => format!("wrk not installed: no baseline; {}", get.cpu_note(n)),
            };
            table.row(format!("get {n} ids --concurrency {c}{tag}"), &get.run, Some(get_rate), &note);
            if let Some(old) = before {
                let old_rate = rate(n, old.run.time);
                let vs = wrk.as_ref().map(|w| format!("{:.2}x wrk -c{c}; ", old_rate / w.rate)).unwrap_or_default();
                let note = format!("{vs}{}", old.cpu_note(n));
                table.row(format!("  before: get --concurrency {c}{tag}"), &old.run, Some(old_rate), &note);
            }
        }
    }
    table.print();
    for (c, r) in ratios {
        print_median(&format!("get --concurrency {c} / wrk -c{c}"), r);
    }
    rt.block_on(env.server.shutdown());
    if std::env::var("CPMCTL_BENCH_STANDALONE").map_or(true, |v| v != "0") {
        standalone(&rt, &env.bin, dir.path(), n, rounds)?;
    }
    println!("load after: {}", load());
    Ok(())
}

/// The default pairs again against `cpmctl serve` running as a process of its own, as a user
/// runs it, with wrk and `get` talking to it directly: no proxy, nothing of this process's
/// (the in-process server shares it with the proxy and the output counting above). The same
/// binary serves; `n` objects are seeded into its demo box beside the demo's own, and `get`
/// reads the seeded ones. Requests are not counted here (no proxy): the record count is.
fn standalone(rt: &tokio::runtime::Runtime, bin: &Path, root: &Path, n: usize, rounds: usize) -> anyhow::Result<()> {
    const C: usize = 16;
    let data = root.join("serve");
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let mut server = support::env::command(bin, root, "http://unused")
        .args(["serve", "--demo", "--listen", &format!("127.0.0.1:{port}"), "--data"])
        .arg(&data)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let result = (|| {
        let password = wait_for_demo(&data, port)?;
        let base = format!("http://127.0.0.1:{port}/nms/v1/cpm/tel%3A%2B15550001111");
        let auth = cpmctl::nms::Auth::Basic { user: "demo".into(), password: password.clone() };
        let client = cpmctl::nms::NmsClient::new(cpmctl::nms::ClientConfig::from_base_url(&base, auth)?)?;
        rt.block_on(seed(&client, n))?;
        let mut ids = Vec::new();
        rt.block_on(support::box_data::for_each_object(&client, |o| {
            if o.path.as_deref().is_some_and(|p| p.starts_with(&format!("{}/", support::box_data::FOLDER))) {
                ids.push(cpmctl::nms::id_from_url(o.resource_url.as_deref().unwrap_or_default()));
            }
            Ok(())
        }))?;
        ensure!(ids.len() == n, "standalone: seeded {} objects, expected {n}", ids.len());
        let ids_file = root.join("serve-ids.txt");
        std::fs::write(&ids_file, ids.join("\n") + "\n")?;
        let path = url::Url::parse(&base)?.path().to_string();
        let paths: Vec<String> = ids.iter().map(|id| format!("{path}/objects/{id}")).collect();
        let script = wrk::paths_script_as(
            root.join("serve-paths.txt"),
            root.join("serve-get.lua"),
            &paths,
            Some("application/json"),
            &wrk::basic_auth_of("demo", &password),
        )?;
        let origin = format!("http://127.0.0.1:{port}");
        let pid = server.id();
        let wrk_rate = || -> anyhow::Result<Option<(f64, Duration, u64)>> {
            let before = proc_cpu(pid)?;
            let Some(out) = wrk::output(&script, &origin, C, WRK_SECONDS)? else { return Ok(None) };
            let r = wrk::report(&out)?;
            Ok(Some((r.rate, proc_cpu(pid)?.saturating_sub(before), r.requests.unwrap_or(0))))
        };
        let mut table = Table::default();
        let mut ratios = Vec::new();
        for round in 1..=rounds {
            let w1 = wrk_rate()?;
            let mut c = support::env::command(bin, root, &base);
            c.env("CPMCTL_USER", "demo")
                .env("CPMCTL_PASSWORD", &password)
                .args(["-o", "ndjson", "get", "-", "--concurrency", &C.to_string()])
                .stdin(Stdio::from(std::fs::File::open(&ids_file)?));
            let before = proc_cpu(pid)?;
            let t = Instant::now();
            let out = watch(c.spawn()?, None)?;
            let time = t.elapsed();
            let server_cpu = proc_cpu(pid)?.saturating_sub(before);
            out.check("standalone get", n)?;
            let w2 = wrk_rate()?;
            let get_rate = rate(n, time);
            let run = Run { time, peak_kib: out.peak_kib, requests: Default::default(), stderr: out.stderr };
            let per = |d: Duration, k: u64| d.as_secs_f64() * 1e6 / k.max(1) as f64;
            let note = match (w1, w2) {
                (Some(a), Some(b)) => {
                    let w = (a.0 + b.0) / 2.0;
                    ratios.push(get_rate / w);
                    table.row(
                        format!("  wrk -c{C} [round {round}] (baseline)"),
                        &Run::none(),
                        Some(w),
                        &format!(
                            "runs before and after get: {:.0}/s, {:.0}/s; server {:.0} µs/request",
                            a.0,
                            b.0,
                            per(a.1 + b.1, a.2 + b.2)
                        ),
                    );
                    format!("{:.2}x wrk -c{C}; server {:.0} µs/object", get_rate / w, per(server_cpu, n as u64))
                }
                _ => format!("wrk not installed: no baseline; server {:.0} µs/object", per(server_cpu, n as u64)),
            };
            table.row(format!("  get {n} ids --concurrency {C} [round {round}]"), &run, Some(get_rate), &note);
        }
        println!("\nagainst `cpmctl serve` as a process of its own (no proxy), port {port}:");
        table.print();
        print_median(&format!("standalone server: get --concurrency {C} / wrk -c{C}"), ratios);
        anyhow::Ok(())
    })();
    let _ = server.kill();
    let _ = server.wait();
    result
}

/// Waits (up to 10 s) until the standalone server answers on `port` and has written its demo
/// password; returns the password.
fn wait_for_demo(data: &Path, port: u16) -> anyhow::Result<String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let up = std::net::TcpStream::connect(("127.0.0.1", port)).is_ok();
        if let (true, Ok(p)) = (up, std::fs::read_to_string(data.join("demo-password"))) {
            let p = p.trim().to_string();
            if !p.is_empty() {
                return Ok(p);
            }
        }
        ensure!(Instant::now() < deadline, "the standalone server did not come up on port {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// How a measured `get` reaches the server. The timed pairs go straight to it, as wrk does:
/// through the counting proxy a `get` was charged 30-40 µs of relaying per request where wrk's
/// requests cost it half that (0.73x against 0.85x direct, in one run each). The first,
/// one-at-a-time run goes through the proxy, which checks one request per id.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Via {
    Proxy,
    Direct,
}

/// A measured `get` and the CPU it used.
struct Measured {
    run: Run,
    cpu: Duration,
    /// CPU of this process (server and proxy) while `get` ran.
    server: Duration,
}

impl Measured {
    fn cpu_note(&self, n: usize) -> String {
        format!(
            "client CPU {:.0} µs/object, server {:.0} µs, idle {}",
            self.cpu.as_secs_f64() * 1e6 / n.max(1) as f64,
            self.server.as_secs_f64() * 1e6 / n.max(1) as f64,
            idle(self.cpu + self.server, self.run.time)
        )
    }
}

/// The share of the machine's cores left idle by `busy` CPU time over `wall`.
fn idle(busy: Duration, wall: Duration) -> String {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
    let share = 1.0 - busy.as_secs_f64() / (cores * wall.as_secs_f64().max(1e-9));
    format!("{:.0}%", share.max(0.0) * 100.0)
}

/// wrk's rate and the CPU it used per request.
struct Wrk {
    rate: f64,
    cpu: Duration,
    /// CPU of this process (server and proxy) while wrk ran, and the wall time of the runs.
    server: Duration,
    wall: Duration,
    requests: u64,
    /// The lower and higher rate of the runs averaged into `rate`.
    spread: (f64, f64),
}

impl Wrk {
    fn cpu_note(&self) -> String {
        format!(
            "mean of the runs before and after get ({:.0}/s, {:.0}/s); wrk CPU {:.0} µs/request, server {:.0} µs, idle {}",
            self.spread.0,
            self.spread.1,
            self.cpu.as_secs_f64() * 1e6 / self.requests.max(1) as f64,
            self.server.as_secs_f64() * 1e6 / self.requests.max(1) as f64,
            idle(self.cpu + self.server, self.wall)
        )
    }
}

impl Env {
    /// `get - --concurrency C -o ndjson` over the ids in `ids_file`; checks the record count,
    /// and through the proxy ([`Via::Proxy`]) that it made one request per id.
    fn get(&self, bin: &Path, ids_file: &Path, concurrency: usize, n: usize, via: Via) -> anyhow::Result<Measured> {
        let mut c = match via {
            Via::Proxy => self.cmd_of(bin, BOX_GET),
            Via::Direct => self.direct_cmd_of(bin, BOX_GET),
        };
        c.args(["-o", "ndjson", "get", "-", "--concurrency", &concurrency.to_string()])
            .stdin(Stdio::from(std::fs::File::open(ids_file)?));
        self.settle();
        let before = self.proxy.counts();
        let (server_before, cpu_before) = cpu_times()?;
        let t = Instant::now();
        let out = watch(c.spawn()?, None)?;
        let time = t.elapsed();
        let (server_after, cpu_after) = cpu_times()?;
        let cpu = cpu_after.saturating_sub(cpu_before);
        let server = server_after.saturating_sub(server_before);
        out.check(&format!("get - --concurrency {concurrency}"), n)?;
        let requests = self.proxy.counts().since(&before);
        if via == Via::Proxy {
            ensure!(requests.total == n as u64, "get made {} requests for {n} ids", requests.total);
        }
        let run = Run { time, peak_kib: out.peak_kib, requests, stderr: out.stderr };
        // Nothing is expected on stderr; whatever came is shown, as it may explain a slow run.
        if !run.stderr.trim().is_empty() {
            println!("get --concurrency {concurrency} said on stderr: {}", run.stderr.trim());
        }
        Ok(Measured { run, cpu, server })
    }

    /// Waits until the proxy has counted the last requests of whatever ran before (wrk exits
    /// with requests still passing through), so they are not charged to the next run.
    fn settle(&self) {
        let mut last = self.proxy.counts().total;
        for _ in 0..40 {
            std::thread::sleep(Duration::from_millis(50));
            let now = self.proxy.counts().total;
            if now == last {
                return;
            }
            last = now;
        }
    }

    /// A wrk script that GETs the objects' URLs in turn, with get's Accept and credentials.
    fn wrk_script(&self, ids: &[String]) -> anyhow::Result<PathBuf> {
        let url = url::Url::parse(&self.proxied(BOX_GET))?;
        let paths: Vec<String> = ids.iter().map(|id| format!("{}/objects/{id}", url.path())).collect();
        let (list, script) = (self.root.join("wrk-paths.txt"), self.root.join("wrk-get.lua"));
        wrk::paths_script(list, script, &paths, Some("application/json"))
    }

    /// wrk's GET rate over the objects' URLs, straight to the server as the timed `get` runs,
    /// with `connections` connections (2 threads, its best on 2 cores; `get` runs on one);
    /// `None` without wrk.
    fn wrk(&self, script: &Path, connections: usize) -> anyhow::Result<Option<Wrk>> {
        let origin = format!("http://{}", self.server.addr);
        let (server_before, cpu_before) = cpu_times()?;
        let t = Instant::now();
        let Some(out) = wrk::output(script, &origin, connections, WRK_SECONDS)? else { return Ok(None) };
        let wall = t.elapsed();
        let (server_after, cpu_after) = cpu_times()?;
        let (cpu, server) = (cpu_after.saturating_sub(cpu_before), server_after.saturating_sub(server_before));
        let wrk::Report { rate, requests } = wrk::report(&out)?;
        let requests = requests
            .with_context(|| format!("no request count in wrk's output:\n{}", String::from_utf8_lossy(&out.stdout)))?;
        Ok(Some(Wrk { rate, cpu, server, wall, requests, spread: (rate, rate) }))
    }
}

/// The median of `ratios` and their spread, after `label`; nothing when there are none.
fn print_median(label: &str, mut ratios: Vec<f64>) {
    if ratios.is_empty() {
        return;
    }
    ratios.sort_by(f64::total_cmp);
    println!(
        "{label}: median {:.2}x over {} round(s), spread {:.2}x to {:.2}x (goal 0.8x)",
        ratios[ratios.len() / 2],
        ratios.len(),
        ratios[0],
        ratios[ratios.len() - 1]
    );
}

/// The load average, to print beside the numbers (the machine may be shared).
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg").map(|s| s.trim().to_string()).unwrap_or_else(|_| "unknown".into())
}
