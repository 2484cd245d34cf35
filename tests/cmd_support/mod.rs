//! Shared fixtures of the `cmd_*` tests: the reference server running in-process on port 0
//! with the demo box, and the real binary pointed at it through `CPMCTL_*` variables only.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use cpmctl::server::{self, DemoInfo, RunningServer, ServerConfig};

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
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("server");
        std::fs::create_dir_all(&data).unwrap();
        let (server, info) = rt.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let s = server::start(ServerConfig::new(&data), listener).await.unwrap();
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

    /// Stops the server (to test "server down"), keeping the temp dirs.
    pub fn stop(&mut self) {
        if let Some(s) = self.server.take() {
            self.rt.block_on(s.shutdown());
        }
    }
}

/// The binary with only the variables a test wants: config, data and cache dirs in `root`.
pub fn cmd_for(base_url: &str, user: &str, password: &str, root: &Path) -> Command {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin!("cpmctl"));
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", root.join("home"))
        .env("CPMCTL_CONFIG_DIR", root.join("config"))
        .env("CPMCTL_DATA_DIR", root.join("data"))
        .env("CPMCTL_CACHE_DIR", root.join("cache"))
        .env("CPMCTL_SERVER", base_url)
        .env("CPMCTL_USER", user)
        .env("CPMCTL_PASSWORD", password)
        .env("NO_COLOR", "1")
        .current_dir(root.join("work"));
    c
}

/// Insta filters for volatile parts: ports, server-generated ids, dates and temp paths.
pub fn filters() -> Vec<(&'static str, &'static str)> {
    vec![
        (r"127\.0\.0\.1:\d+", "127.0.0.1:[PORT]"),
        (r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z?", "[DATE]"),
        (r"/tmp/[^\s\x22]+", "[TMP]"),
    ]
}
