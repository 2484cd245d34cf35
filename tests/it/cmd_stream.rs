//! `rm --yes -` and `flag … -` stream their stdin: batches go to the server while stdin is
//! still open, so a pipeline of any length runs in flat memory.

use crate::cmd_support;

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

use cmd_support::Fixture;

/// The binary as a plain child process (its stdin stays open as long as the test wants).
fn child_cmd(f: &Fixture) -> Command {
    let mut c = cmd_support::std_cmd_for(&f.info.base_url, &f.info.user, &f.info.password, f.dir.path());
    c.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    c
}

#[test]
fn rm_yes_deletes_while_stdin_is_still_open() {
    let f = Fixture::demo();
    let ids = f.create_many("/Stream", 150);
    let mut child = child_cmd(&f).args(["-o", "ndjson", "rm", "--yes", "-"]).spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    for id in &ids {
        writeln!(stdin, "{id}").unwrap();
    }
    stdin.flush().unwrap();
    // Bounded wait for the first batch; no assertion on how long it takes.
    let mut gone = 0;
    for _ in 0..600 {
        gone = ids.iter().filter(|i| !f.exists(i)).count();
        if gone >= 100 {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(gone >= 100, "only {gone} objects deleted while stdin was open");
    assert!(child.try_wait().unwrap().is_none(), "rm ended before its stdin did");
    // A repeated id is skipped, not reported as a failed (already deleted) object.
    writeln!(stdin, "{}", ids[0]).unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(ids.iter().all(|i| !f.exists(i)));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut deleted: Vec<String> = stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].as_str().unwrap().to_string())
        .collect();
    deleted.sort();
    let mut want = ids.clone();
    want.sort();
    assert_eq!(deleted, want);
}

#[test]
fn a_bad_line_stops_the_stream_with_a_usage_error() {
    let f = Fixture::demo();
    let ids = f.create_many("/Bad", 3);
    let input = format!("{}\n{{\"nope\":1}}\n{}\n", ids[0], ids[1]);
    let out = f.cmd().args(["rm", "--yes", "-"]).write_stdin(input).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("line 2"), "{err}");
    // Nothing after the bad line is touched.
    assert!(f.exists(&ids[1]) && f.exists(&ids[2]));
}

#[test]
fn flag_streams_and_refuses_folders() {
    let f = Fixture::demo();
    let ids = f.create_many("/FlagStream", 120);
    let mut child = child_cmd(&f).args(["flag", "add", "flagged", "-"]).spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    for id in &ids {
        writeln!(stdin, "{id}").unwrap();
    }
    stdin.flush().unwrap();
    let mut done = 0;
    for _ in 0..600 {
        done = ids.iter().filter(|i| f.flags(i).iter().any(|x| x == "\\Flagged")).count();
        if done >= 100 {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(done >= 100, "only {done} objects flagged while stdin was open");
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(ids.iter().all(|i| f.flags(i).iter().any(|x| x == "\\Flagged")));
    let out = f.cmd().args(["flag", "add", "seen", "-"]).write_stdin("/FlagStream/\n").output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
}
