//! `kill -9` of `cpmctl import` at several points of a 1,000-record import, each followed by the
//! same command: every record ends up in the store exactly once (the ledger's pending rows and the
//! store check close the window between a create and its ledger entry).

use crate::cmd_support;
use crate::import_support;

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use cmd_support::{Fixture, std_cmd_for};
use import_support::*;

/// A small deterministic generator for the kill points (xorshift).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[test]
fn kill_9_at_five_points_then_the_same_command_gives_exactly_n() {
    const SMS: usize = 980;
    const MMS: usize = 20;
    let fx = Fixture::demo();
    let file = write(&fx, "big.xml", backup(0..SMS, 0..MMS).as_bytes());
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut killed = 0;
    for round in 0..5 {
        // Each run first passes over what earlier runs did (one result line per record), so
        // the kill lands at a record number somewhere in the whole file.
        let lines = 1 + rng.below((SMS + MMS) as u64 - 1) as usize;
        let mut child = std_cmd_for(&fx.info.base_url, &fx.info.user, &fx.info.password, fx.dir.path())
            .args(["import", "-o", "ndjson", "--concurrency", "4", &file])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        let mut seen = 0;
        while seen < lines {
            line.clear();
            if out.read_line(&mut line).unwrap() == 0 {
                break;
            }
            seen += 1;
        }
        // SIGKILL: no chance to clean up or commit anything more.
        child.kill().unwrap();
        let status = child.wait().unwrap();
        if !status.success() {
            killed += 1;
        }
        let n = imported(&fx).len();
        assert!(n <= SMS + MMS, "round {round}: {n} objects after the kill");
    }
    assert!(killed >= 3, "only {killed} of 5 runs were killed mid-way");
    let (code, _, err) = fx.run(&["import", &file]);
    assert_eq!(code, 0, "{err}");
    let objects = imported(&fx);
    assert_eq!(objects.len(), SMS + MMS, "{err}");
    let mut keys: Vec<String> = objects.iter().map(cpmctl::import::key::content_key).collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), SMS + MMS, "duplicates in the store");
    let (_, _, err) = fx.run(&["import", &file]);
    assert!(err.contains("imported 0"), "{err}");
}
