//! y/N prompts as a person meets them (issue 14, items 4 and 8): the real binary runs in a
//! pseudo-terminal made by util-linux `script`, the test types an answer once the question
//! is on the screen. No pty means a failed test, never a skipped one.
#![cfg(unix)]

use crate::cmd_support;

use std::io::{Read, Write};
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cmd_support::Fixture;

/// A shell command line running in a pty, with its screen collected as it is drawn.
struct Pty {
    child: Child,
    screen: Arc<Mutex<Vec<u8>>>,
}

impl Pty {
    /// Runs `line` (sh syntax; `$CPMCTL` is the binary) in a new pty, with the fixture's
    /// environment.
    fn start(f: &Fixture, line: &str) -> Pty {
        let base = cmd_support::std_cmd_for(&f.info.base_url, &f.info.user, &f.info.password, f.dir.path());
        let mut c = cmd_support::in_pty(&base, line);
        let mut child = c
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("util-linux `script` is needed to run the binary in a pseudo-terminal");
        let screen = Arc::new(Mutex::new(Vec::new()));
        let mut out = child.stdout.take().unwrap();
        let sink = screen.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = out.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Pty { child, screen }
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.screen.lock().unwrap()).into_owned()
    }

    /// Waits until `text` is on the screen, then types `keys`.
    fn answer(&mut self, text: &str, keys: &str) {
        let start = Instant::now();
        while !self.screen().contains(text) {
            if start.elapsed() > Duration::from_secs(30) || self.child.try_wait().unwrap().is_some() {
                let mut err = String::new();
                if let Some(mut e) = self.child.stderr.take() {
                    let _ = e.read_to_string(&mut err);
                }
                let _ = self.child.kill();
                panic!("{text:?} never appeared; screen:\n{}\nscript stderr: {err}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let stdin = self.child.stdin.as_mut().unwrap();
        stdin.write_all(keys.as_bytes()).unwrap();
        stdin.flush().unwrap();
    }

    /// Waits for the end; returns the exit code and the whole screen.
    fn finish(mut self) -> (i32, String) {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the reader thread drain the last output.
                std::thread::sleep(Duration::from_millis(100));
                return (status.code().unwrap_or(-1), self.screen());
            }
            if start.elapsed() > Duration::from_secs(30) {
                let _ = self.child.kill();
                panic!("still running after 30 s; screen:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn some_ids(f: &Fixture, n: usize) -> Vec<String> {
    f.records(&["search", "--context", "sms", "--limit", &n.to_string()])
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

/// Item 4: `yes⏎` is read as one answer; nothing of it is left for the shell.
#[test]
fn typed_yes_is_one_answer_and_leaves_nothing_for_the_shell() {
    let f = Fixture::demo();
    let ids = some_ids(&f, 1);
    let line = format!("\"$CPMCTL\" rm {}; read rest; echo \"left:[$rest]\"", ids[0]);
    let mut pty = Pty::start(&f, &line);
    pty.answer("Delete 1 object?", "yes\nafter\n");
    let (code, screen) = pty.finish();
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("left:[after]"), "the shell got part of the answer:\n{screen}");
    assert!(!f.exists(&ids[0]), "{screen}");
}

/// Item 8: ids from a pipe, a person at the terminal: the question appears on the terminal
/// and the typed answer decides.
#[test]
fn rm_from_a_pipe_asks_on_the_terminal() {
    let f = Fixture::demo();
    let ids = some_ids(&f, 3);
    let line = format!("printf '%s\\n' {} {} | \"$CPMCTL\" rm -", ids[0], ids[1]);
    let mut pty = Pty::start(&f, &line);
    pty.answer("Delete 2 objects?", "n\n");
    let (code, screen) = pty.finish();
    assert_eq!(code, 7, "declined:\n{screen}");
    assert!(f.exists(&ids[0]) && f.exists(&ids[1]), "{screen}");

    let mut pty = Pty::start(&f, &line);
    pty.answer("Delete 2 objects?", "y\n");
    let (code, screen) = pty.finish();
    assert_eq!(code, 0, "{screen}");
    assert!(!f.exists(&ids[0]) && !f.exists(&ids[1]), "{screen}");
    assert!(f.exists(&ids[2]));

    // No terminal at all: still refused without --yes, and nothing waits for an answer.
    let out = f.cmd().args(["rm", "-"]).write_stdin(ids[2].clone()).output().unwrap();
    assert_eq!(out.status.code(), Some(7), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--yes"));
    assert!(f.exists(&ids[2]));
}
