//! `get`'s progress bar shows the bytes moved and their rate next to the count when payloads
//! are saved (issue 14, item 13), drawn in a pseudo-terminal made by util-linux `script`.
#![cfg(unix)]

use crate::cmd_support;

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use cmd_support::Fixture;

/// Runs `line` (sh syntax; `$CPMCTL` is the binary) in a pseudo-terminal made by util-linux
/// `script`, and returns the exit code and everything drawn on the screen.
fn run_in_pty(f: &Fixture, line: &str) -> (i32, String) {
    let base = cmd_support::std_cmd_for(&f.info.base_url, &f.info.user, &f.info.password, f.dir.path());
    let mut c = Command::new("script");
    c.env_clear();
    for (k, v) in base.get_envs() {
        if let Some(v) = v {
            c.env(k, v);
        }
    }
    c.env("SHELL", "/bin/sh").env("TERM", "xterm").env("CPMCTL", env!("CARGO_BIN_EXE_cpmctl"));
    if let Some(d) = base.get_current_dir() {
        c.current_dir(d);
    }
    let mut child = c
        .args(["-q", "-e", "-c", line, "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("util-linux `script` is needed to run the binary in a pseudo-terminal");
    let mut out = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = out.read_to_end(&mut buf);
        buf
    });
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("still running after 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let screen = String::from_utf8_lossy(&reader.join().unwrap()).into_owned();
    (status.code().unwrap_or(-1), screen)
}

#[test]
fn get_bar_shows_bytes_and_rate() {
    let f = Fixture::demo();
    let body = vec![b'x'; 64 * 1024];
    for i in 0..120 {
        let part = cmd_support::file_part("application/octet-stream", &format!("blob-{i}.bin"), &body);
        f.create("/Blobs", &[("Message-Context", "file-message")], &[], vec![part]);
    }
    let out = f.work().join("out");
    let line = format!(
        "\"$CPMCTL\" search --folder /Blobs --all -o plain | \"$CPMCTL\" get - --all-parts --out {}/ --progress bar",
        out.display()
    );
    let (code, screen) = run_in_pty(&f, &line);
    assert_eq!(code, 0, "{screen}");
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 120);
    assert!(screen.contains("/120"), "no count on the bar:\n{screen}");
    assert!(screen.contains("B/s)"), "no bytes moved and rate on the bar:\n{screen}");
    assert!(screen.contains("MiB"), "no byte count on the bar:\n{screen}");
}
