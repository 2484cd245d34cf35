//! Rough edges of issue 14, items 11–13: plain-words errors, retries that say what they retry,
//! and a progress bar with rate and ETA. The real binary runs against the in-process server.
#![cfg(unix)]

use crate::cmd_support;

use cmd_support::Fixture;

/// Item 13: the bar on a terminal shows a rate and an ETA next to the count.
#[test]
fn progress_bar_shows_rate_and_eta() {
    let f = Fixture::demo();
    let src = f.work().join("many");
    std::fs::create_dir_all(&src).unwrap();
    for i in 0..600 {
        std::fs::write(src.join(format!("f{i:03}.txt")), format!("note {i}")).unwrap();
    }
    let line = format!(
        "\"$CPMCTL\" put --no-bulk --concurrency 1 --folder /rough {} --progress bar > /dev/null",
        src.display()
    );
    let (code, screen) = cmd_support::run_in_pty(&f, &line);
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("/600"), "no count on the bar:\n{screen}");
    assert!(screen.contains("/s"), "no rate on the bar:\n{screen}");
    assert!(screen.contains("ETA "), "no ETA on the bar:\n{screen}");
    assert!(screen.contains("B/s)"), "no bytes moved on the bar:\n{screen}");
}

/// A port on which nothing listens (bound once, then released).
fn dead_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// Item 12: a refused connection is retried, and the user hears so at the first failure
/// instead of waiting in silence; the notice comes once (not at every retry) without `-v`.
#[test]
fn refused_connection_says_it_retries() {
    let f = Fixture::demo();
    let live = url::Url::parse(&f.info.base_url).unwrap();
    let url = f.info.base_url.replacen(&format!(":{}", live.port().unwrap()), &format!(":{}", dead_port()), 1);
    let out = cmd_support::cmd_for(&url, &f.info.user, &f.info.password, f.dir.path()).args(["ls"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(5), "{stderr}");
    let notices: Vec<&str> = stderr.lines().filter(|l| l.contains("retrying")).collect();
    assert_eq!(notices.len(), 1, "one retry notice expected:\n{stderr}");
    assert!(notices[0].starts_with("warning: ") && notices[0].contains("cannot connect to 127.0.0.1"), "{stderr}");
}

/// Item 12: `https://` against a plain-HTTP server hints `try http://`.
#[test]
fn https_against_plain_http_hints_http() {
    let f = Fixture::demo();
    let url = f.info.base_url.replacen("http://", "https://", 1);
    let out = cmd_support::cmd_for(&url, &f.info.user, &f.info.password, f.dir.path()).args(["ls"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(5), "{stderr}");
    assert!(stderr.contains("hint:") && stderr.contains("try http://"), "{stderr}");
}

/// Item 11: a wrong password is said in plain words, naming the user and the server; the
/// OMA stock text stays out of the message, its messageId stays in the JSON error.
#[test]
fn wrong_password_in_plain_words() {
    let f = Fixture::demo();
    let out = cmd_support::cmd_for(&f.info.base_url, &f.info.user, "not-the-password", f.dir.path())
        .args(["ls"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    let first = stderr.lines().next().unwrap_or_default();
    assert!(
        first.starts_with(&format!("error: wrong user or password for {} at http://127.0.0.1:", f.info.user)),
        "{stderr}"
    );
    assert!(!stderr.contains("A policy error occurred"), "{stderr}");

    let out = cmd_support::cmd_for(&f.info.base_url, &f.info.user, "not-the-password", f.dir.path())
        .args(["-o", "json", "ls"])
        .output()
        .unwrap();
    let line = String::from_utf8_lossy(&out.stderr);
    let v: serde_json::Value = serde_json::from_str(line.lines().last().unwrap_or_default()).unwrap();
    assert!(v["error"]["message_id"].as_str().is_some_and(|s| !s.is_empty()), "{line}");
}

/// Item 11: someone else's box: a 403 says the box does not exist or may not be opened, and
/// hints at box rights rather than at `login`.
#[test]
fn foreign_box_hints_at_box_rights() {
    let f = Fixture::demo();
    let url = f.info.base_url.replace("tel%3A%2B15550001111", "tel%3A%2B15550009876");
    assert_ne!(url, f.info.base_url, "the demo box id changed: {}", f.info.base_url);
    let out = cmd_support::cmd_for(&url, &f.info.user, &f.info.password, f.dir.path()).args(["ls"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("does not exist or you may not open it"), "{stderr}");
    assert!(!stderr.contains("cpmctl login"), "{stderr}");
}

/// Item 11: an unknown object id is said in plain words, once, for `rm`, `mv` and `flag`.
#[test]
fn unknown_id_in_plain_words_once() {
    let f = Fixture::demo();
    let id = "0000000000000000";
    f.ok(&["mkdir", "/Archive"]);
    for args in [vec!["rm", "--yes", id], vec!["mv", id, "/Archive"], vec!["flag", "add", "seen", id]] {
        let out = f.cmd().args(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code().map(|c| c == 4 || c == 6), Some(true), "{args:?}: {stderr}");
        assert!(!stderr.contains("No valid addresses"), "{args:?}: {stderr}");
        assert_eq!(stderr.matches(id).count(), 1, "{args:?} reports the id more than once: {stderr}");
        assert_eq!(stderr.matches("no object").count(), 1, "{args:?} reports the failure more than once: {stderr}");
    }
    // A missing folder: plain words, without SVC0004's stock text.
    let ids = f.ids(&["--folder", "/"]);
    let (code, _, stderr) = f.run(&["mv", &ids[0], "/NoSuchFolder"]);
    assert_eq!(code, 4, "{stderr}");
    assert!(stderr.contains("no folder /NoSuchFolder") && !stderr.contains("No valid addresses"), "{stderr}");
}
