//! Rough edges of issue 14, items 11–13: plain-words errors, retries that say what they retry,
//! and a progress bar with rate and ETA. The real binary runs against the in-process server.
#![cfg(unix)]

mod cmd_support;

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

/// Item 13: the bar on a terminal shows a rate and an ETA next to the count.
#[test]
fn progress_bar_shows_rate_and_eta() {
    let f = Fixture::demo();
    let src = f.work().join("many");
    std::fs::create_dir_all(&src).unwrap();
    for i in 0..600 {
        std::fs::write(src.join(format!("f{i:03}.txt")), format!("note {i}")).unwrap();
    }
    let line = format!(
        "\"$CPMCTL\" put --no-bulk --concurrency 1 --folder /rough {} --progress bar > /dev/null",
        src.display()
    );
    let (code, screen) = run_in_pty(&f, &line);
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("/600"), "no count on the bar:\n{screen}");
    assert!(screen.contains("/s"), "no rate on the bar:\n{screen}");
    assert!(screen.contains("ETA "), "no ETA on the bar:\n{screen}");
}
