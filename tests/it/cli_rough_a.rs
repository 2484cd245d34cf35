//! Issue 14, Rough items 14, 15, 19 and 20, as a new user meets them: the real binary against
//! the reference server in this process; terminal-only behaviour in a pseudo-terminal made by
//! util-linux `script` (no pty means a failed test, never a skipped one).
#![cfg(unix)]

use crate::cmd_support;

use std::path::Path;
use std::process::{Command, Stdio};

use cmd_support::Fixture;
use cpmctl::server::{self, RunningServer, ServerConfig, UserSpec};

/// Item 14: a long listing on a table has one header, not one per page of 100.
#[test]
fn a_long_table_listing_has_one_header() {
    let f = Fixture::demo();
    let out = f.ok(&["search", "--all", "-o", "table"]);
    let rows = out.lines().count();
    assert!(rows > 250, "the demo box should span several pages: {rows} lines");
    let headers = out.lines().filter(|l| l.starts_with("ID ")).count();
    assert_eq!(headers, 1, "one header per listing:\n{out}");
    // Still one aligned table: every row is as wide as the header's columns put it.
    let id_width = out.lines().next().unwrap_or_default().find("DATE").unwrap_or(0);
    assert!(id_width > 0 && out.lines().skip(1).all(|l| l.chars().nth(id_width - 1) == Some(' ')), "{out}");
}

/// Item 15: `--context foo` warns with the known values but still runs; `--attr` searches any
/// value silently, and a known kind gives no warning.
#[test]
fn an_unknown_context_is_warned_about() {
    let f = Fixture::demo();
    let (code, stdout, stderr) = f.run(&["search", "--context", "foo", "-o", "plain"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("warning: --context foo: not a known Message-Context"), "{stderr}");
    assert!(stderr.contains("sms, mms, chat, file"), "{stderr}");
    assert!(stderr.contains("--attr Message-Context=VALUE"), "{stderr}");
    for args in [["search", "--context", "sms"], ["search", "--attr", "Message-Context=foo"]] {
        let (code, _, stderr) = f.run(&[&args[..], &["-o", "plain"]].concat());
        assert_eq!(code, 0, "{stderr}");
        assert!(!stderr.contains("warning"), "{args:?}: {stderr}");
    }
}

/// Item 15: `flag add read` is refused (nothing changes) with `seen` suggested; `--keyword`
/// sets the keyword as typed; CPM flags and `$`-keywords pass as before.
#[test]
fn a_flag_that_is_not_cpm_needs_keyword() {
    let f = Fixture::demo();
    let id = f.ids(&["--context", "sms", "--no-flag", "seen"]).into_iter().next().expect("an unread sms");
    let before = f.flags(&id);
    let (code, _, stderr) = f.run(&["flag", "add", "read", &id]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("`read` is not a CPM flag"), "{stderr}");
    assert!(stderr.contains("did you mean `seen`?") && stderr.contains("--keyword"), "{stderr}");
    assert_eq!(f.flags(&id), before, "a refused flag changes nothing");

    f.ok(&["flag", "add", "--keyword", "read", &id]);
    assert!(f.flags(&id).iter().any(|x| x == "read"), "{:?}", f.flags(&id));
    f.ok(&["flag", "add", "seen", &id]);
    f.ok(&["flag", "add", "$Custom", &id]);
    let now = f.flags(&id);
    assert!(now.iter().any(|x| x == "\\Seen") && now.iter().any(|x| x == "$Custom"), "{now:?}");
}

/// Item 19: the tour ends with what to try next and leaves nothing in the temp dir.
#[test]
fn demo_says_what_next_and_leaves_no_temp_files() {
    let dir = tempfile::tempdir().unwrap();
    let tmp = dir.path().join("tmp");
    std::fs::create_dir_all(dir.path().join("work")).unwrap();
    std::fs::create_dir_all(&tmp).unwrap();
    let mut c = cmd_support::cmd_for("", "", "", dir.path());
    c.env_remove("CPMCTL_SERVER").env_remove("CPMCTL_USER").env_remove("CPMCTL_PASSWORD").env("TMPDIR", &tmp);
    let out = c.arg("demo").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("Try next:") && stderr.contains("cpmctl demo --serve"), "{stderr}");
    let left: Vec<_> = std::fs::read_dir(&tmp).unwrap().filter_map(Result::ok).map(|e| e.file_name()).collect();
    assert!(left.is_empty(), "left behind in TMPDIR: {left:?}");
}

const EMPTY_BOX: &str = "tel:+15550007777";

/// A server with a user whose box is empty and an admin who may open any existing box.
async fn start_server(dir: &Path) -> RunningServer {
    let mut cfg = ServerConfig::new(dir.join("server"));
    cfg.users = vec![
        UserSpec {
            name: "eve".into(),
            password: Some("eve-pw".into()),
            tokens: vec![],
            boxes: vec![EMPTY_BOX.into()],
            admin: false,
        },
        UserSpec { name: "root".into(), password: Some("root-pw".into()), tokens: vec![], boxes: vec![], admin: true },
    ];
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    server::start(cfg, listener).await.unwrap()
}

/// Runs `line` (sh syntax, `$CPMCTL` is the binary) in a pty with `base`'s environment;
/// returns the exit code and the screen.
fn in_pty(base: &Command, line: &str) -> (i32, String) {
    let out = cmd_support::in_pty(base, line)
        .stdin(Stdio::null())
        .output()
        .expect("util-linux `script` is needed to run the binary in a pseudo-terminal");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Item 20: an empty box's `ls /` says so on a terminal (and stays silent in a pipe); an
/// unknown box is named as not found.
#[test]
fn empty_and_unknown_boxes_are_named() {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let dir = tempfile::tempdir().unwrap();
    for sub in ["config", "data", "cache", "home", "work"] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
    }
    let running = rt.block_on(start_server(dir.path()));
    let base = format!("{}/nms/v1/cpm", running.root_url().trim_end_matches('/'));
    let url = |b: &str| format!("{base}/{}", b.replace(':', "%3A").replace('+', "%2B"));

    let eve = cmd_support::std_cmd_for(&url(EMPTY_BOX), "eve", "eve-pw", dir.path());
    let (code, screen) = in_pty(&eve, "\"$CPMCTL\" ls /");
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains(&format!("box {EMPTY_BOX} is empty")), "{screen}");
    let out =
        cmd_support::std_cmd_for(&url(EMPTY_BOX), "eve", "eve-pw", dir.path()).args(["ls", "/"]).output().unwrap();
    assert!(out.status.success() && out.stdout.is_empty() && out.stderr.is_empty(), "{out:?}");

    let unknown = "tel:+15559999999";
    let out =
        cmd_support::std_cmd_for(&url(unknown), "root", "root-pw", dir.path()).args(["ls", "/"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains(&format!("box {unknown} not found")), "{stderr}");
    assert!(!stderr.contains("No valid addresses"), "{stderr}");
    rt.block_on(running.shutdown());
}
