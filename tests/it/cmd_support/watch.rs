//! A running `cpmctl sync --watch DIR` for the tests: started and waited for until it watches,
//! its stderr collected line by line, stopped with Ctrl-C (SIGINT).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::{Fixture, std_cmd_for};

/// Waits (a liveness bound, not a speed assertion) until `cond` holds.
pub fn wait_for(what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !cond() {
        assert!(Instant::now() < deadline, "never happened: {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

pub struct Watch {
    child: Child,
    lines: mpsc::Receiver<String>,
    reader: Option<std::thread::JoinHandle<()>>,
    /// Every stderr line read so far.
    pub seen: Vec<String>,
}

impl Watch {
    /// Starts `sync --watch dir` (no progress bar) and returns once it says it is watching.
    pub fn start(f: &Fixture, dir: &Path) -> Watch {
        let mut child = std_cmd_for(&f.info.base_url, &f.info.user, &f.info.password, f.dir.path())
            .args(["--progress", "none", "sync", "--watch"])
            .arg(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, lines) = mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut w = Watch { child, lines, reader: Some(reader), seen: Vec::new() };
        wait_for("the watch to start", || w.saw("watching for changes"));
        w
    }

    /// Whether a stderr line so far contains `needle`.
    pub fn saw(&mut self, needle: &str) -> bool {
        self.seen.extend(self.lines.try_iter());
        self.seen.iter().any(|l| l.contains(needle))
    }

    /// Ctrl-C, then waits for the exit; every stderr line is in `seen` afterwards.
    pub fn interrupt(mut self) -> (Output, Vec<String>) {
        let status = std::process::Command::new("kill").args(["-INT", &self.child.id().to_string()]).status().unwrap();
        assert!(status.success());
        let out = self.child.wait_with_output().unwrap();
        if let Some(r) = self.reader.take() {
            let _ = r.join();
        }
        self.seen.extend(self.lines.try_iter());
        (out, self.seen)
    }
}
