//! R1, short version (issue 11): `kill -9` of `cpmctl sync` at progress points of a first-time
//! sync and of a steady-state replay, each followed by a plain `sync DIR`: `check` exits 0, every
//! object is exactly one file, nothing is left in `tmp/`. Kill points are chosen by progress
//! (files on disk), not by time. The long version is `scripts/sync-kill9.sh`.

use crate::cmd_support;

use std::collections::HashSet;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::Duration;

use cmd_support::{Fixture, std_cmd_for};

/// Message files under `dir` (any `cur/`), as relative paths.
pub(crate) fn message_files(dir: &Path) -> Vec<String> {
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
pub(crate) fn kill_when(mut child: Child, mut ready: impl FnMut() -> bool) -> bool {
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
    if let Err(e) = try_converged(f, dir) {
        panic!("{e}");
    }
}

/// [`converged`] as a result, for the long run that counts its failures.
fn try_converged(f: &Fixture, dir: &Path) -> Result<(), String> {
    let d = dir.to_str().unwrap();
    let (code, _, err) = f.run(&["sync", d]);
    if code != 0 {
        return Err(format!("the re-run exited {code}: {err}"));
    }
    let (code, out, err) = f.run(&["check", d]);
    if code != 0 {
        return Err(format!("check after the re-run:\n{}\n{err}", out.lines().take(20).collect::<Vec<_>>().join("\n")));
    }
    let files = message_files(dir);
    let tmp: Vec<&String> = files.iter().filter(|p| p.contains("/tmp/") || p.starts_with("tmp/")).collect();
    if !tmp.is_empty() {
        return Err(format!("temp files left: {tmp:?}"));
    }
    let bases: Vec<String> = files
        .iter()
        .filter(|p| !tmp.contains(p))
        .map(|p| p.rsplit('/').next().unwrap().split(":2,").next().unwrap().to_string())
        .collect();
    let unique: HashSet<&String> = bases.iter().collect();
    if unique.len() != bases.len() {
        return Err(format!("{} duplicate file(s)", bases.len() - unique.len()));
    }
    let store: HashSet<String> = f.ids(&[]).iter().map(|i| cpmctl::formats::safe_file_name(i)).collect();
    let lost = store.iter().filter(|s| !unique.contains(s)).count();
    if lost > 0 || unique.len() != store.len() {
        return Err(format!("{lost} object(s) without a file; {} files for {} objects", unique.len(), store.len()));
    }
    Ok(())
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

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// xorshift64: reproducible kill points without a dependency.
fn next(state: &mut u64) -> f64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    (*state >> 11) as f64 / (1u64 << 53) as f64
}

/// R1, full: `kill -9` at random points of a first-time sync of `CPMCTL_R1_OBJECTS` (10,000)
/// objects and of a steady-state sync of `CPMCTL_R1_CHANGES` (2,000) changes, `CPMCTL_R1_POINTS`
/// (50) kills each that land while the run is going, every one followed by a plain `sync DIR`;
/// counts what converged (check exit 0, no duplicate file, nothing lost). Minutes long: run by
/// `scripts/sync-kill9.sh`.
#[test]
#[ignore = "R1 long run (minutes): scripts/sync-kill9.sh runs it"]
fn r1_kill_9_at_random_points() {
    let (n, changes, points) =
        (env_or("CPMCTL_R1_OBJECTS", 10_000), env_or("CPMCTL_R1_CHANGES", 2_000), env_or("CPMCTL_R1_POINTS", 50));
    let mut rng = env_or("CPMCTL_R1_SEED", 0x5eed) as u64 | 1;
    let f = Fixture::demo();
    for i in 0..10 {
        f.create_many(&format!("/R1/F{i}"), n / 10);
    }
    let dir = f.work().join("mirror");
    let say = |line: String| {
        let _ = std::io::Write::write_all(&mut std::io::stderr(), format!("{line}\n").as_bytes());
    };
    // Measured with the same options the killed runs use, so kill points spread over a run.
    let timed = || {
        let t = std::time::Instant::now();
        assert!(spawn_sync(&f, &dir).wait().unwrap().success());
        t.elapsed()
    };
    let first = timed();
    say(format!("R1: first-time sync of {} objects took {:.1}s", f.ids(&[]).len(), first.as_secs_f64()));

    // A point counts once its kill lands while the run is still going: a run that finishes
    // first is checked too but drawn again (and its time, a full run's, becomes the span the
    // next points are drawn from, so the points follow the machine's speed).
    let (mut ok, mut killed, mut tries, mut failures) = (0, 0, 0, Vec::new());
    let mut span = first;
    while killed < points && tries < points * 3 {
        tries += 1;
        let _ = std::fs::remove_dir_all(&dir);
        let child = spawn_sync(&f, &dir);
        let at = span.mul_f64(next(&mut rng));
        let started = std::time::Instant::now();
        if kill_when(child, || started.elapsed() >= at) {
            killed += 1;
        } else {
            span = started.elapsed();
        }
        match try_converged(&f, &dir) {
            Ok(()) => ok += 1,
            Err(e) => failures.push(format!("first-time try {tries} ({:.2}s): {e}", at.as_secs_f64())),
        }
        say(format!("R1 first-time try {tries}: {ok}/{tries} converged, {killed} killed mid-run"));
    }
    say(format!("R1 first-time: {ok}/{tries} converged, {killed} of them killed mid-run (goal {points})"));

    let client = f.client();
    let change = |round: usize| {
        let ids = f.ids(&["--folder", "/R1"]);
        let flags = changes / 2;
        let dels = changes / 4;
        let start = (round * 97) % ids.len().saturating_sub(flags + dels).max(1);
        let refs = |s: &[String]| cpmctl::wire::ObjectReferenceList {
            object_reference: s
                .iter()
                .map(|i| cpmctl::wire::Reference::new(client.object_url(i).to_string()))
                .collect(),
        };
        let op = if round.is_multiple_of(2) {
            cpmctl::wire::BulkOperation::AddFlag
        } else {
            cpmctl::wire::BulkOperation::RemoveFlag
        };
        for chunk in ids[start..start + flags].chunks(500) {
            let u = cpmctl::wire::BulkUpdate {
                objects: Some(refs(chunk)),
                selection_criteria: None,
                operation: op,
                flags: cpmctl::wire::FlagList::new(["\\Seen"]),
            };
            f.rt.block_on(client.bulk_update(&u)).unwrap();
        }
        for chunk in ids[start + flags..start + flags + dels].chunks(500) {
            let b = cpmctl::wire::BulkDelete { objects: Some(refs(chunk)), selection_criteria: None };
            f.rt.block_on(client.bulk_delete(&b)).unwrap();
        }
        f.create_many(&format!("/R1/F{}", round % 10), changes - flags - dels);
    };
    change(0);
    let steady = timed();
    say(format!("R1: a steady-state sync of {changes} changes took {:.1}s", steady.as_secs_f64()));
    let (mut ok2, mut killed2, mut tries2) = (0, 0, 0);
    let mut span = steady;
    while killed2 < points && tries2 < points * 3 {
        tries2 += 1;
        change(tries2);
        let child = spawn_sync(&f, &dir);
        let at = span.mul_f64(next(&mut rng));
        let started = std::time::Instant::now();
        if kill_when(child, || started.elapsed() >= at) {
            killed2 += 1;
        } else {
            span = started.elapsed();
        }
        match try_converged(&f, &dir) {
            Ok(()) => ok2 += 1,
            Err(e) => failures.push(format!("steady-state try {tries2} ({:.2}s): {e}", at.as_secs_f64())),
        }
        say(format!("R1 steady-state try {tries2}: {ok2}/{tries2} converged, {killed2} killed mid-run"));
    }
    say(format!("R1 steady-state: {ok2}/{tries2} converged, {killed2} of them killed mid-run (goal {points})"));
    assert!(killed >= points && killed2 >= points, "too few kills landed mid-run: {killed} and {killed2} of {points}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// What a replay killed between its commit and its clean-up leaves — the old name of a renamed
/// file, or a file whose row it never committed for an object the store has since deleted — is
/// swept by the next plain run (a replay, which does not list the folders), so `check` is clean.
#[test]
fn leftovers_of_a_killed_replay_are_swept_by_the_next_replay() {
    let f = Fixture::demo();
    let ids = f.create_many("/Left", 3);
    let dir = f.work().join("mirror");
    let d = dir.to_str().unwrap();
    f.ok(&["sync", d]);
    f.ok(&["flag", "add", "seen", &ids[0]]);
    f.ok(&["sync", d]);
    let cur = dir.join("Left/cur");
    let name = |id: &str, l: &str| format!("{}:2,{l}", cpmctl::formats::safe_file_name(id));
    // The old name, as if the run died right after committing the renamed row.
    std::fs::copy(cur.join(name(&ids[0], "S")), cur.join(name(&ids[0], ""))).unwrap();
    // A file written for an object whose row was never committed, deleted on the store since.
    let orphan = std::fs::read(cur.join(name(&ids[1], ""))).unwrap();
    f.ok(&["rm", "--yes", &ids[1]]);
    f.ok(&["sync", d]);
    std::fs::write(cur.join(name(&ids[1], "")), orphan).unwrap();

    let out = f.cmd().args(["-o", "json", "sync", d]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((s["mode"].as_str(), s["uploaded"].as_u64()), (Some("replay"), Some(0)), "{s}");
    assert!(!cur.join(name(&ids[0], "")).exists() && !cur.join(name(&ids[1], "")).exists());
    let (code, out, err) = f.run(&["check", d]);
    assert_eq!(code, 0, "{out}\n{err}");
}
