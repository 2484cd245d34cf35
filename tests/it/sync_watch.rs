//! `cpmctl sync --watch` (issue 11, Build §1): after catching up it stays on the notification
//! channel and applies each change as it arrives (a new object's file appears, a flag change
//! renames a file); Ctrl-C (SIGINT) finishes the change in hand, commits and exits 130, and the
//! mirror is then identical to the store.

use crate::cmd_support;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use cmd_support::{Fixture, std_cmd_for};

/// Waits (a liveness bound, not a speed assertion) until `cond` holds.
fn wait_for(what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !cond() {
        assert!(Instant::now() < deadline, "never happened: {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn file(dir: &Path, folder: &str, id: &str, letters: &str) -> PathBuf {
    dir.join(folder).join("cur").join(format!("{}:2,{letters}", cpmctl::formats::safe_file_name(id)))
}

#[test]
fn watch_applies_changes_as_they_arrive_and_ctrl_c_exits_130_committed() {
    let f = Fixture::demo();
    let first = f.create_many("/Watch", 2);
    let dir = f.work().join("mirror");
    let mut child = std_cmd_for(&f.info.base_url, &f.info.user, &f.info.password, f.dir.path())
        .args(["--progress", "none", "sync", "--watch", dir.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut seen = Vec::new();
    wait_for("the watch to start", || {
        seen.extend(rx.try_iter());
        seen.iter().any(|l| l.contains("watching for changes"))
    });
    assert!(file(&dir, "Watch", &first[0], "").is_file());

    // Changes made on the store now reach the mirror while the same process runs.
    let new = f.create_many("/Watch", 1).remove(0);
    wait_for("the new object's file", || file(&dir, "Watch", &new, "").is_file());
    f.ok(&["flag", "add", "seen", &first[1]]);
    wait_for("the renamed file", || file(&dir, "Watch", &first[1], "S").is_file());
    // The old name goes once the row naming the new one is committed.
    wait_for("the old name to go", || !file(&dir, "Watch", &first[1], "").exists());
    f.ok(&["rm", "--yes", &first[0]]);
    wait_for("the deleted object's file to go", || !file(&dir, "Watch", &first[0], "").exists());

    // A folder change cannot be replayed exactly: the watch catches up (a listing) and goes on.
    let sub = f.create_many("/Watch/Sub", 1).remove(0);
    wait_for("the new folder's object", || file(&dir, "Watch/Sub", &sub, "").is_file());
    let later = f.create_many("/Watch", 1).remove(0);
    wait_for("an object after the catch-up", || file(&dir, "Watch", &later, "").is_file());

    let status = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{seen:?}");
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("synced: "), "the summary is printed");
    // Everything applied was committed: the mirror is identical and a plain run has nothing to do.
    let d = dir.to_str().unwrap();
    let (code, out, err) = f.run(&["check", d]);
    assert_eq!(code, 0, "{out}\n{err}");
    let s: serde_json::Value = serde_json::from_str(&f.ok(&["-o", "json", "sync", d])).unwrap();
    for k in ["downloaded", "updated", "deleted"] {
        assert_eq!(s[k], 0, "{k}: {s}");
    }
}
