//! `subscribe`'s table says what changed (new, flags +seen, moved to PATH, deleted) with the
//! peer and a text excerpt, in aligned columns; and `demo --serve` stopped with the Ctrl-C it
//! asked for prints no error (issue 14, item 18). The real binary as a child process.
#![cfg(unix)]

use crate::cmd_support;

use std::io::BufRead;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use cmd_support::Fixture;

/// Waits for a line containing `what` (a deadline only guards against a hang).
fn wait_for(lines: &mpsc::Receiver<String>, seen: &mut Vec<String>, what: &str) {
    while !seen.iter().any(|l| l.contains(what)) {
        match lines.recv_timeout(Duration::from_secs(30)) {
            Ok(l) => seen.push(l),
            Err(_) => panic!("no line with {what:?}; so far:\n{}", seen.join("\n")),
        }
    }
}

fn lines_of(r: impl std::io::Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(r).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

#[test]
fn subscribe_table_says_what_changed() {
    let f = Fixture::demo();
    f.ok(&["mkdir", "/Archive"]);
    let mut cmd = cmd_support::std_cmd_for(&f.info.base_url, &f.info.user, &f.info.password, f.dir.path());
    let mut child = cmd
        .env("COLUMNS", "120")
        .args(["-o", "table", "subscribe"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = lines_of(child.stdout.take().unwrap());
    let err = lines_of(child.stderr.take().unwrap());
    let mut err_seen = Vec::new();
    wait_for(&err, &mut err_seen, "watching for changes");

    let id = f
        .ok(&["-o", "plain", "put", "-", "--context", "sms", "--to", "tel:+15550002222", "--folder", "/Live"])
        .lines()
        .next()
        .unwrap()
        .split('\t')
        .next()
        .unwrap()
        .to_string();
    let mut seen = Vec::new();
    wait_for(&out, &mut seen, "new");
    f.ok(&["flag", "add", "seen", &id]);
    wait_for(&out, &mut seen, "flags +seen");
    f.ok(&["mv", &id, "/Archive"]);
    wait_for(&out, &mut seen, "moved to /Archive");
    f.ok(&["rm", "--yes", &id]);
    wait_for(&out, &mut seen, "deleted");
    Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    let _ = child.wait();

    let header = &seen[0];
    assert!(header.starts_with("TIME") && header.contains("CHANGE") && header.contains("PEER"), "{header}");
    let rows: Vec<&String> = seen.iter().filter(|l| l.contains(&id)).collect();
    assert_eq!(rows.len(), 4, "{seen:#?}");
    // Aligned: every row's id starts in the same column, and each names the peer.
    let at = |l: &str| l[..l.find(&id).unwrap()].chars().count();
    assert!(rows.iter().all(|r| at(r) == at(rows[0])), "{seen:#?}");
    assert!(rows.iter().all(|r| r.contains("+15550002222")), "{seen:#?}");
    assert!(!seen.iter().any(|l| l.contains("changedObject") || l.contains("\\Seen")), "{seen:#?}");
}

#[test]
fn subscribe_json_is_unchanged() {
    let f = Fixture::demo();
    let mut cmd = cmd_support::std_cmd_for(&f.info.base_url, &f.info.user, &f.info.password, f.dir.path());
    let mut child =
        cmd.args(["-o", "ndjson", "subscribe"]).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let out = lines_of(child.stdout.take().unwrap());
    let err = lines_of(child.stderr.take().unwrap());
    wait_for(&err, &mut Vec::new(), "watching for changes");
    f.ok(&["mkdir", "/Live2"]);
    let mut seen = Vec::new();
    wait_for(&out, &mut seen, "changedFolder");
    Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    let _ = child.wait();
    let v: serde_json::Value = serde_json::from_str(&seen[0]).unwrap();
    assert_eq!(v["kind"], "changedFolder");
    assert!(v.get("change").is_none());
}

#[test]
fn demo_serve_stopped_with_ctrl_c_prints_no_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_cpmctl"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir.path())
        .env("CPMCTL_CONFIG_DIR", dir.path().join("config"))
        .env("NO_COLOR", "1")
        .args(["demo", "--serve"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let err = lines_of(child.stderr.take().unwrap());
    let mut seen = Vec::new();
    wait_for(&err, &mut seen, "Press Ctrl-C");
    Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    let status = child.wait().unwrap();
    seen.extend(err.iter());
    assert_eq!(status.code(), Some(130), "{seen:#?}");
    assert!(seen.iter().any(|l| l.contains("stopping the demo server")), "{seen:#?}");
    assert!(!seen.iter().any(|l| l.contains("error")), "{seen:#?}");
}
