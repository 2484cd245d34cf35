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

/// `printf pw | cpmctl serve --hash-password | true`: the reader went away, which is quiet
/// success (exit 0), not a panic on the closed pipe.
#[cfg(unix)]
#[test]
fn hash_password_to_a_closed_stdout_is_quiet_success() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cpmctl"))
        .args(["serve", "--hash-password"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child.stdin.take().unwrap().write_all(b"hunter2\n").unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{:?}: {stderr}", out.status);
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// `cpmctl serve --demo 2>&1 | head -1`: stdout and stderr close early. The server keeps
/// serving (the demo box answers), and Ctrl-C still stops it cleanly instead of panicking
/// on its next status line.
#[cfg(unix)]
#[test]
fn demo_with_stdout_and_stderr_closed_early_keeps_serving() {
    let dir = tempfile::tempdir().unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let mut child = Reap(
        Command::new(env!("CARGO_BIN_EXE_cpmctl"))
            .args(["serve", "-v", "--demo", "--listen", &addr.to_string(), "--data"])
            .arg(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    drop(child.0.stdout.take());
    drop(child.0.stderr.take());
    // Ready once the demo password is kept and the box answers.
    let base = format!("http://{addr}/nms/v1/cpm/tel%3A%2B15550001111");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let status = loop {
        assert!(child.0.try_wait().unwrap().is_none(), "the server exited: {:?}", child.0.try_wait());
        assert!(std::time::Instant::now() < deadline, "the server never became ready");
        if let Ok(password) = std::fs::read_to_string(dir.path().join("demo-password")) {
            let answer = rt.block_on(async {
                reqwest::Client::new()
                    .get(format!("{base}/folders/operations/pathToId"))
                    .basic_auth("demo", Some(password.trim()))
                    .timeout(std::time::Duration::from_secs(5))
                    .send()
                    .await
            });
            if let Ok(r) = answer {
                break r.status();
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert_eq!(status, 200);
    // The banner (after the demo seed) comes before the Ctrl-C handler; give it a moment.
    std::thread::sleep(std::time::Duration::from_millis(300));
    let killed = Command::new("kill").args(["-INT", &child.0.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let exit = loop {
        if let Some(exit) = child.0.try_wait().unwrap() {
            break exit;
        }
        assert!(std::time::Instant::now() < deadline, "the server did not stop on SIGINT");
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(exit.success(), "{exit:?}");
}
