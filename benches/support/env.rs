//! Where the benches run `cpmctl`: the reference server in this process, the counting [`Proxy`]
//! in front of it, and the binary started with a clean environment pointed at one box.

// Every bench target compiles this module and each uses a different part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use anyhow::Context;
use tokio::net::TcpListener;

use cpmctl::nms::{Auth, ClientConfig, NmsClient};
use cpmctl::server::{self, RunningServer, ServerConfig, UserSpec};

use super::{Outcome, Proxy, Run, watch};

/// The one user of the bench server, who owns every box a bench uses.
pub const USER: &str = "bench";
pub const PASSWORD: &str = "bench-password";

/// A size knob: the number in the environment variable `name`, or `default` when it is unset.
pub fn env_num(name: &str, default: usize) -> anyhow::Result<usize> {
    match std::env::var(name) {
        Ok(v) => v.parse().with_context(|| format!("{name}={v:?} is not a number")),
        Err(_) => Ok(default),
    }
}

/// Starts the reference server on a free port, its store in `root/server`, with `boxes` for
/// [`USER`].
pub async fn start_server(root: &Path, boxes: impl IntoIterator<Item: ToString>) -> anyhow::Result<RunningServer> {
    let mut config = ServerConfig::new(root.join("server"));
    config.users.push(UserSpec {
        name: USER.into(),
        password: Some(PASSWORD.into()),
        boxes: boxes.into_iter().map(|b| b.to_string()).collect(),
        ..Default::default()
    });
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    server::start(config, listener).await
}

/// An in-process client of `box_id` talking to the server directly, past the proxy: seeding
/// and checks stay out of the measured request counts.
pub fn client(server: &RunningServer, box_id: &str) -> anyhow::Result<NmsClient> {
    let auth = Auth::Basic { user: USER.into(), password: PASSWORD.into() };
    Ok(NmsClient::new(ClientConfig::from_base_url(&server.nms_base(box_id), auth)?)?)
}

/// `bin` with nothing of the environment but `PATH`: its home, configuration, data and cache
/// under `root`, no colours, [`USER`] on `server_url`, stdin empty and stdout/stderr piped. A
/// bench then measures the binary alone, never the settings or state of whoever runs it.
pub fn command(bin: &Path, root: &Path, server_url: &str) -> Command {
    let mut c = Command::new(bin);
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", root.join("home"))
        .env("CPMCTL_CONFIG_DIR", root.join("config"))
        .env("CPMCTL_DATA_DIR", root.join("data"))
        .env("CPMCTL_CACHE_DIR", root.join("cache"))
        .env("CPMCTL_SERVER", server_url)
        .env("CPMCTL_USER", USER)
        .env("CPMCTL_PASSWORD", PASSWORD)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

/// What a bench works with: the binary, the temp root, and the server behind the proxy.
pub struct Env {
    pub bin: PathBuf,
    pub root: PathBuf,
    pub server: RunningServer,
    pub proxy: Proxy,
}

impl Env {
    /// Makes `root`'s `server`, `config`, `data`, `cache` and `home` directories, then starts the
    /// server with `boxes` and the proxy in front of it (on a thread of its own: [`Proxy::start_apart`]).
    pub fn start(
        rt: &tokio::runtime::Runtime,
        bin: PathBuf,
        root: &Path,
        boxes: impl IntoIterator<Item: ToString>,
    ) -> anyhow::Result<Env> {
        for sub in ["server", "config", "data", "cache", "home"] {
            std::fs::create_dir_all(root.join(sub))?;
        }
        let server = rt.block_on(start_server(root, boxes))?;
        let proxy = Proxy::start_apart(server.addr)?;
        Ok(Env { bin, root: root.to_path_buf(), server, proxy })
    }

    /// See [`client`].
    pub fn client(&self, box_id: &str) -> anyhow::Result<NmsClient> {
        client(&self.server, box_id)
    }

    /// The box's NMS base URL through the proxy.
    pub fn proxied(&self, box_id: &str) -> String {
        self.server.nms_base(box_id).replace(&self.server.addr.to_string(), &self.proxy.addr.to_string())
    }

    /// The bench's binary pointed at `box_id` through the proxy (see [`command`]).
    pub fn cmd(&self, box_id: &str) -> Command {
        self.cmd_of(&self.bin, box_id)
    }

    /// Another build of `cpmctl` (`bin`) set up like [`Env::cmd`], to compare before and after.
    pub fn cmd_of(&self, bin: &Path, box_id: &str) -> Command {
        command(bin, &self.root, &self.proxied(box_id))
    }

    /// [`Env::cmd_of`] talking to the server directly, past the proxy: for timings that a
    /// relay in the path would distort, once a counted run has shown the requests are right.
    pub fn direct_cmd_of(&self, bin: &Path, box_id: &str) -> Command {
        command(bin, &self.root, &self.server.nms_base(box_id))
    }

    /// Runs `c` to its end and measures it, as [`Env::measure_with`] does.
    pub fn measure(&self, c: &mut Command) -> anyhow::Result<(Outcome, Run)> {
        self.measure_with(|| Ok((c.spawn()?, None)))
    }

    /// Starts a process (and the one feeding its stdin, for a pipeline) with `spawn` and measures
    /// it to its end: the wall time from before the spawn, its peak RSS ([`watch`]) and the
    /// requests the proxy counted meanwhile. The caller checks the outcome.
    pub fn measure_with(
        &self,
        spawn: impl FnOnce() -> anyhow::Result<(Child, Option<Child>)>,
    ) -> anyhow::Result<(Outcome, Run)> {
        let before = self.proxy.counts();
        let t = Instant::now();
        let (child, upstream) = spawn()?;
        let out = watch(child, upstream)?;
        let time = t.elapsed();
        let requests = self.proxy.counts().since(&before);
        let run = Run { time, peak_kib: out.peak_kib, requests, stderr: out.stderr.clone() };
        Ok((out, run))
    }
}

/// This process's own user + system time (the in-process server and the proxy) and that of
/// its finished children (the measured commands), from `/proc/self/stat`.
pub fn cpu_times() -> anyhow::Result<(std::time::Duration, std::time::Duration)> {
    let [utime, stime, cutime, cstime] = stat_ticks("/proc/self/stat")?;
    Ok((ticks(utime + stime), ticks(cutime + cstime)))
}

/// The user + system time process `pid` (a server started as a process of its own) has used.
pub fn proc_cpu(pid: u32) -> anyhow::Result<std::time::Duration> {
    let [utime, stime, _, _] = stat_ticks(&format!("/proc/{pid}/stat"))?;
    Ok(ticks(utime + stime))
}

/// `utime`, `stime`, `cutime` and `cstime` of a `/proc/…/stat` file, in clock ticks.
fn stat_ticks(path: &str) -> anyhow::Result<[u64; 4]> {
    let stat = std::fs::read_to_string(path)?;
    // Fields after the command name (which may contain spaces) start with the state, field 3.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).context("malformed /proc stat")?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let tick = |i: usize| fields.get(i - 3).and_then(|f| f.parse::<u64>().ok()).context("malformed /proc stat");
    Ok([tick(14)?, tick(15)?, tick(16)?, tick(17)?])
}

/// Clock ticks (100 a second on Linux) as a duration.
fn ticks(t: u64) -> std::time::Duration {
    std::time::Duration::from_millis(t * 10)
}
