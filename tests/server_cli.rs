//! `cpmctl serve` as a process: --demo prints its key: value lines and serves them,
//! Ctrl-C (SIGINT) stops it cleanly, and --hash-password makes users-file hashes.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

#[test]
fn hash_password_reads_stdin() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cpmctl"))
        .args(["serve", "--hash-password"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"hunter2\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let hash = String::from_utf8(out.stdout).unwrap();
    assert!(hash.starts_with("pbkdf2-sha256$"));
    assert!(cpmctl::server::auth::verify_password("hunter2", hash.trim()));
    assert!(!hash.contains("hunter2"));
}

/// Kills the server child if the test fails half-way.
struct Reap(std::process::Child);

impl Drop for Reap {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[cfg(unix)]
#[test]
fn demo_serves_until_sigint() {
    let dir = tempfile::tempdir().unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let mut child = Reap(
        Command::new(env!("CARGO_BIN_EXE_cpmctl"))
            .args(["serve", "--demo", "--listen", &addr.to_string(), "--data"])
            .arg(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut lines = BufReader::new(child.0.stdout.take().unwrap()).lines();
    let mut kv = std::collections::HashMap::new();
    while kv.len() < 4 {
        let line = lines.next().unwrap().unwrap();
        let (k, v) = line.split_once(": ").unwrap();
        kv.insert(k.to_string(), v.to_string());
    }
    assert_eq!(kv["nms_base"], format!("http://{addr}/nms/v1/cpm/tel%3A%2B15550001111"));
    assert_eq!(kv["box"], "tel:+15550001111");
    assert_eq!(kv["user"], "demo");

    let rt = tokio::runtime::Runtime::new().unwrap();
    let status = rt.block_on(async {
        reqwest::Client::new()
            .get(format!("{}/folders/operations/pathToId", kv["nms_base"]))
            .basic_auth(&kv["user"], Some(&kv["password"]))
            .send()
            .await
            .unwrap()
            .status()
    });
    assert_eq!(status, 200);

    let killed = Command::new("kill").args(["-INT", &child.0.id().to_string()]).status().unwrap();
    assert!(killed.success());
    assert!(child.0.wait().unwrap().success());
    // The password is kept for the next start.
    let kept = std::fs::read_to_string(dir.path().join("demo-password")).unwrap();
    assert_eq!(kept.trim(), kv["password"]);
}
