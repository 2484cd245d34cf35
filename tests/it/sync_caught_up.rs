//! A steady-state `sync` ends once the replayed lists reach the store's position when it
//! started (at once when nothing changed) instead of waiting a quiet spell (a second by default)
//! for lists that are not coming: a no-change sync of a 10,000-object mirror took 1.2-1.4 s, of
//! which 1 s was that wait. The runs below are given a quiet spell of a minute: one that waits
//! for it is killed after 30 s and fails the test (a hang check, not a timing).

use crate::cmd_support;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use cmd_support::{Fixture, std_cmd_for};

/// Runs `cmd` to its end, or kills it after `limit`: its exit code, or `None` when killed.
fn finishes_within(mut cmd: Command, limit: Duration) -> Option<i32> {
    let mut child = cmd.stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code();
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            child.wait().unwrap();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_steady_state_sync_ends_at_the_store_token_without_waiting_for_quiet() {
    let f = Fixture::demo();
    f.create_many("/Caught", 4);
    let dir = f.work().join("mirror");
    let d = dir.to_str().unwrap();
    f.ok(&["sync", d]);
    let sync = || {
        let mut cmd = std_cmd_for(&f.info.base_url, &f.info.user, &f.info.password, f.dir.path());
        cmd.args(["sync", "--quiet-ms", "60000", d]);
        cmd
    };
    let limit = Duration::from_secs(30);

    // Nothing changed since the stored token: it is the store's token, and the run ends at once.
    assert_eq!(finishes_within(sync(), limit), Some(0), "a no-change sync waited for the quiet spell");

    // Changes: the run ends once the list that brings them is applied, and has applied them.
    f.create_many("/Caught", 3);
    f.ok(&["mkdir", "/Caught/Sub"]);
    assert_eq!(finishes_within(sync(), limit), Some(0), "a sync with changes waited for the quiet spell");
    let (code, out, err) = f.run(&["check", d]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(dir.join("Caught/Sub/cur").is_dir(), "the new folder is in the mirror");
}
