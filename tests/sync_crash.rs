//! R1, short version (issue 11): `kill -9` of `cpmctl sync` at progress points of a first-time
//! sync and of a steady-state replay, each followed by a plain `sync DIR`: `check` exits 0, every
//! object is exactly one file, nothing is left in `tmp/`. Kill points are chosen by progress
//! (files on disk), not by time. The long version is `scripts/sync-kill9.sh`.

mod cmd_support;

use std::collections::HashSet;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::Duration;

use cmd_support::{Fixture, std_cmd_for};

/// Message files under `dir` (any `cur/`), as relative paths.
fn message_files(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, at: &Path, out: &mut Vec<String>) {
        let Ok(rd) = std::fs::read_dir(at) else { return };
        for e in rd.flatten() {
            let p = e.path();
            let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
            if rel.starts_with(".cpmctl") {
                continue;
            }
            if p.is_dir() {
                walk(root, &p, out);
            } else if p.parent().and_then(|d| d.file_name()).is_some_and(|n| n == "cur" || n == "tmp") {
                out.push(rel);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out
}

fn spawn_sync(f: &Fixture, dir: &Path) -> Child {
    std_cmd_for(&f.info.base_url, &f.info.user, &f.info.password, f.dir.path())
        .args(["sync", "--concurrency", "4", "--page-size", "40", "--quiet-ms", "300", dir.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Kills `child` with SIGKILL once `ready()` holds (or lets it end first). True when killed.
fn kill_when(mut child: Child, mut ready: impl FnMut() -> bool) -> bool {
    loop {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        if ready() {
            // SIGKILL: std's kill() sends it on unix.
            let _ = child.kill();
            let _ = child.wait();
            return true;
        }
        std::thread::sleep(Duration::from_millis(3));
    }
}

/// After a plain sync: check exits 0, one file per object, no temp files.
fn converged(f: &Fixture, dir: &Path) {
    let d = dir.to_str().unwrap();
    let (code, _, err) = f.run(&["sync", d]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = f.run(&["check", d]);
    assert_eq!(code, 0, "check after the re-run:\n{out}\n{err}");
    let files = message_files(dir);
    let tmp: Vec<&String> = files.iter().filter(|p| p.contains("/tmp/") || p.starts_with("tmp/")).collect();
    assert!(tmp.is_empty(), "temp files left: {tmp:?}");
    let files: Vec<&String> = files.iter().filter(|p| !tmp.contains(p)).collect();
    let bases: Vec<String> =
        files.iter().map(|p| p.rsplit('/').next().unwrap().split(":2,").next().unwrap().to_string()).collect();
    let unique: HashSet<&String> = bases.iter().collect();
    assert_eq!(unique.len(), bases.len(), "duplicate files");
    let store: HashSet<String> = f.ids(&[]).iter().map(|i| cpmctl::formats::safe_file_name(i)).collect();
    assert_eq!(unique.len(), store.len(), "files vs objects");
    assert!(store.iter().all(|s| unique.contains(s)), "an object has no file");
}

#[test]
fn kill_9_at_progress_points_of_a_first_sync_and_a_replay_then_a_rerun_converges() {
    let f = Fixture::demo();
    f.create_many("/Crash/A", 150);
    f.create_many("/Crash/B", 100);
    let total = f.ids(&[]).len();
    let dir = f.work().join("mirror");

    // First-time sync, killed once 1/6 … 5/6 of the files are on disk, from scratch each time.
    let mut killed = 0;
    for k in 1..=5 {
        let _ = std::fs::remove_dir_all(&dir);
        let at = total * k / 6;
        killed += u32::from(kill_when(spawn_sync(&f, &dir), || message_files(&dir).len() >= at));
        converged(&f, &dir);
    }
    assert!(killed >= 3, "only {killed} of 5 kills landed mid-run");

    // Steady state: changes on the store, the replay killed part-way through applying them.
    let ids = f.ids(&["--folder", "/Crash/A"]);
    for round in 0..5usize {
        let chunk: Vec<&str> = ids.iter().skip(round * 25).take(25).map(String::as_str).collect();
        let mut flag = vec!["flag", "add", "seen"];
        flag.extend(&chunk[..20]);
        f.ok(&flag);
        let mut rm = vec!["rm", "--yes"];
        rm.extend(&chunk[20..]);
        f.ok(&rm);
        f.create_many("/Crash/B", 5);
        let seen_before = |d: &Path| message_files(d).iter().filter(|p| p.ends_with(":2,S")).count();
        let base = seen_before(&dir);
        let want = base + 2 + round * 4;
        kill_when(spawn_sync(&f, &dir), || seen_before(&dir) >= want);
        converged(&f, &dir);
    }
}
