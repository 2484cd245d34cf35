//! A first-time `cpmctl sync` under a low limit on open files. A staged file holds a descriptor
//! until it is named, and a batch of pages of small objects is up to 1,000 files: a batch that
//! kept all of them open failed with "Too many open files" under the usual soft limit of 1,024
//! (and two batches are written at once). Here the limit is 256, and the box has about 1,000
//! objects, enough for a full batch.

use std::os::unix::process::CommandExt;

use crate::cmd_support::{Fixture, std_cmd_for};

/// The limit on open files the sync runs under.
const LIMIT: u64 = 256;

#[test]
fn a_first_sync_under_a_low_open_files_limit_writes_every_object() {
    let f = Fixture::demo();
    f.create_many("/Many/Sms", 600);
    let dir = f.work().join("mirror");
    let d = dir.to_str().unwrap();
    let mut cmd = std_cmd_for(&f.info.base_url, &f.info.user, &f.info.password, f.dir.path());
    cmd.args(["-o", "json", "sync", "--quiet-ms", "300", d]);
    // SAFETY: setrlimit is async-signal-safe and touches no memory of the parent.
    unsafe {
        cmd.pre_exec(|| {
            let limit = rustix::process::Rlimit { current: Some(LIMIT), maximum: Some(LIMIT) };
            rustix::process::setrlimit(rustix::process::Resource::Nofile, limit).map_err(std::io::Error::from)
        });
    }
    let out = cmd.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "sync under {LIMIT} open files: {err}");
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {err}"));
    let downloaded = summary["downloaded"].as_u64().unwrap_or(0);
    assert!(downloaded > 900, "a full batch of objects is what the test needs; {downloaded} were synced");

    let check = f.cmd().args(["check", d]).output().unwrap();
    assert_eq!(check.status.code(), Some(0), "check: {}", String::from_utf8_lossy(&check.stdout));
}
