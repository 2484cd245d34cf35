//! Shared fixtures of the `cmd_*` tests: the reference server running in-process on port 0
//! with the demo box, and the real binary pointed at it through `CPMCTL_*` variables only.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub mod watch;

use assert_cmd::Command;
use cpmctl::nms::{Auth, ClientConfig, NewObject, NmsClient};
use cpmctl::server::{self, DemoInfo, RunningServer, ServerConfig};
use cpmctl::wire::multipart::Part;
use cpmctl::wire::{Attribute, AttributeList, FlagList, Object};

/// A running server with its own runtime and temp dirs; dropped at the end of the test.
pub struct Fixture {
    pub rt: tokio::runtime::Runtime,
    pub server: Option<RunningServer>,
    pub info: DemoInfo,
    pub dir: tempfile::TempDir,
}

impl Fixture {
    /// The server with the demo box seeded.
    pub fn demo() -> Fixture {
        Fixture::demo_with(|_| {})
    }

    /// [`Fixture::demo`] with the server configured by `configure` first (faults, limits).
    pub fn demo_with(configure: impl FnOnce(&mut ServerConfig)) -> Fixture {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("server");
        std::fs::create_dir_all(&data).unwrap();
        let (server, info) = rt.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let mut config = ServerConfig::new(&data);
            configure(&mut config);
            let s = server::start(config, listener).await.unwrap();
            let info = server::seed_demo(&s).await.unwrap();
            (s, info)
        });
        for sub in ["config", "data", "cache", "home", "work"] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        }
        Fixture { rt, server: Some(server), info, dir }
    }

    /// A scratch directory for the test's own files.
    pub fn work(&self) -> PathBuf {
        self.dir.path().join("work")
    }

    /// The binary with a clean environment pointing at this server.
    pub fn cmd(&self) -> Command {
        cmd_for(&self.info.base_url, &self.info.user, &self.info.password, self.dir.path())
    }

    /// Runs the binary with `args`, asserting success, and returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().unwrap();
        assert!(
            out.status.success(),
            "cpmctl {args:?} failed with {:?}\nstdout: {}\nstderr: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs the binary and returns (exit code, stdout, stderr).
    pub fn run(&self, args: &[&str]) -> (i32, String, String) {
        let out = self.cmd().args(args).output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// NDJSON records of a command run with `-o ndjson`.
    pub fn records(&self, args: &[&str]) -> Vec<serde_json::Value> {
        let mut all = vec!["-o", "ndjson"];
        all.extend_from_slice(args);
        self.ok(&all).lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    }

    /// Ids of every object matching `search` flags (all pages).
    pub fn ids(&self, args: &[&str]) -> Vec<String> {
        let mut all = vec!["search", "--all"];
        all.extend_from_slice(args);
        self.records(&all).iter().map(|r| r["id"].as_str().unwrap().to_string()).collect()
    }

    /// An NMS client logged in as the demo user (fixtures and checks, not under test).
    pub fn client(&self) -> NmsClient {
        let auth = Auth::Basic { user: self.info.user.clone(), password: self.info.password.clone() };
        NmsClient::new(ClientConfig::from_base_url(&self.info.base_url, auth).unwrap()).unwrap()
    }

    /// Stores one object under `folder` (created when missing) and returns its id.
    pub fn create(&self, folder: &str, attrs: &[(&str, &str)], flags: &[&str], parts: Vec<Part>) -> String {
        let object = object(folder, attrs, flags);
        let client = self.client();
        let r = self.rt.block_on(client.create_object(&NewObject { object, parts })).unwrap();
        cpmctl::nms::id_from_url(&r.resource_url)
    }

    /// Stores `n` small SMS objects in `folder` with bulk requests; returns their ids.
    pub fn create_many(&self, folder: &str, n: usize) -> Vec<String> {
        let client = self.client();
        let mut ids = Vec::new();
        let all: Vec<NewObject> = (0..n)
            .map(|i| NewObject {
                object: object(
                    folder,
                    &[
                        ("Date", &format!("2024-01-01T00:{:02}:{:02}Z", (i / 60) % 60, i % 60)),
                        ("Message-Context", "pager-message"),
                        ("Direction", "In"),
                        ("From", "tel:+15550009999"),
                        ("To", "tel:+15550001111"),
                        ("TextContent", &format!("bulk message number {i} with some padding text to make lines long")),
                    ],
                    &[],
                ),
                parts: Vec::new(),
            })
            .collect();
        for chunk in all.chunks(100) {
            let list = self.rt.block_on(client.bulk_create(chunk)).unwrap();
            for r in list.response {
                ids.push(cpmctl::nms::id_from_url(&r.success.unwrap().resource_url));
            }
        }
        ids
    }

    /// Whether the object exists on the server.
    pub fn exists(&self, id: &str) -> bool {
        match self.rt.block_on(self.client().get_object(id)) {
            Ok(_) => true,
            Err(e) if e.is_not_found() => false,
            Err(e) => panic!("get {id}: {e}"),
        }
    }

    /// The object's flags.
    pub fn flags(&self, id: &str) -> Vec<String> {
        self.rt.block_on(self.client().get_object(id)).unwrap().flags.flag
    }

    /// Stops the server (to test "server down"), keeping the temp dirs.
    pub fn stop(&mut self) {
        if let Some(s) = self.server.take() {
            self.rt.block_on(s.shutdown());
        }
    }
}

/// The binary with only the variables a test wants: config, data and cache dirs in `root`.
pub fn cmd_for(base_url: &str, user: &str, password: &str, root: &Path) -> Command {
    Command::from_std(std_cmd_for(base_url, user, password, root))
}

/// [`cmd_for`] as a plain `std::process::Command`, for a child whose stdin stays open.
pub fn std_cmd_for(base_url: &str, user: &str, password: &str, root: &Path) -> std::process::Command {
    let mut c = hermetic(root);
    c.env("CPMCTL_SERVER", base_url)
        .env("CPMCTL_USER", user)
        .env("CPMCTL_PASSWORD", password)
        .current_dir(root.join("work"));
    c
}

/// The one way every test runs the binary: an empty environment but `PATH`, with `HOME` and the
/// config, data and cache dirs under `root`, no OS keyring and no colour, so nothing from the
/// developer's own setup (a saved profile, `CPMCTL_*` in the shell) leaks into a test.
pub fn hermetic(root: &Path) -> std::process::Command {
    let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin!("cpmctl"));
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", root.join("home"))
        .env("CPMCTL_CONFIG_DIR", root.join("config"))
        .env("CPMCTL_DATA_DIR", root.join("data"))
        .env("CPMCTL_CACHE_DIR", root.join("cache"))
        .env("CPMCTL_NO_KEYRING", "1")
        .env("NO_COLOR", "1");
    c
}

/// `line` (sh syntax; `$CPMCTL` is the binary) run by util-linux `script` in a new
/// pseudo-terminal, with `base`'s environment and working directory: what a person at a
/// terminal sees. The caller chooses stdin/stdout handling and waits.
pub fn in_pty(base: &std::process::Command, line: &str) -> std::process::Command {
    let mut c = std::process::Command::new("script");
    c.env_clear();
    for (k, v) in base.get_envs() {
        if let Some(v) = v {
            c.env(k, v);
        }
    }
    c.env("SHELL", "/bin/sh").env("CPMCTL", env!("CARGO_BIN_EXE_cpmctl"));
    if let Some(d) = base.get_current_dir() {
        c.current_dir(d);
    }
    c.args(["-q", "-e", "-c", line, "/dev/null"]);
    c
}

/// Runs `line` (sh syntax; `$CPMCTL` is the binary) in a pseudo-terminal made by util-linux
/// `script`, and returns the exit code and everything drawn on the screen.
pub fn run_in_pty(f: &Fixture, line: &str) -> (i32, String) {
    let base = std_cmd_for(&f.info.base_url, &f.info.user, &f.info.password, f.dir.path());
    let mut c = in_pty(&base, line);
    // TERM=xterm so progress bars draw as on a person's terminal.
    let mut child = c
        .env("TERM", "xterm")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("util-linux `script` is needed to run the binary in a pseudo-terminal");
    let mut out = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = std::io::Read::read_to_end(&mut out, &mut buf);
        buf
    });
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > std::time::Duration::from_secs(60) {
            let _ = child.kill();
            panic!("still running after 60 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let screen = String::from_utf8_lossy(&reader.join().unwrap()).into_owned();
    (status.code().unwrap_or(-1), screen)
}

/// Insta filters for volatile parts: ports, server-generated ids, dates and temp paths.
pub fn filters() -> Vec<(&'static str, &'static str)> {
    vec![
        (r"127\.0\.0\.1:\d+", "127.0.0.1:[PORT]"),
        (r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z?", "[DATE]"),
        (r"/tmp/[^\s\x22]+", "[TMP]"),
        (r"\b[0-9a-f]{16}\b", "[ID]"),
        (r"(\x22lastModSeq\x22:|lastModSeq  )\d+", "${1}[SEQ]"),
    ]
}

/// An object for `create`: attributes in order, flags, stored under `folder`.
pub fn object(folder: &str, attrs: &[(&str, &str)], flags: &[&str]) -> Object {
    Object {
        parent_folder_path: Some(folder.to_string()),
        attributes: AttributeList { attribute: attrs.iter().map(|(n, v)| Attribute::new(*n, *v)).collect() },
        flags: FlagList::new(flags.iter().copied()),
        ..Default::default()
    }
}

/// A payload part with a file name.
pub fn file_part(content_type: &str, name: &str, body: &[u8]) -> Part {
    Part::new(content_type, body.to_vec())
        .with_header("content-disposition", &format!("attachment; filename=\"{name}\""))
}
