//! What a new user hits (issue 14, "Broken"): batches of `get`, hints, `--sort`, `demo`
//! re-runs, JSON shapes and `login status`, each driven through the real binary against the
//! in-process reference server.

use crate::cmd_support;

use std::io::Write;
use std::process::Stdio;

use cmd_support::Fixture;

/// Runs the binary with `stdin` fed to it; returns (exit code, stdout, stderr).
fn run_with_stdin(f: &Fixture, args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = cmd_support::std_cmd_for(&f.info.base_url, &f.info.user, &f.info.password, f.dir.path())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Item 1 and 2: every demo MMS has a part named `image_0.png`, and text messages have no
/// parts at all; a batch saves every part of every MMS under a unique name and skips the rest.
#[test]
fn get_all_parts_of_a_batch_saves_every_part_and_skips_objects_without_parts() {
    let f = Fixture::demo();
    let mms: Vec<String> = f
        .records(&["search", "--context", "mms", "--limit", "5"])
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert!(mms.len() >= 3, "{mms:?}");
    let texts: Vec<String> = f
        .records(&["search", "--context", "imdn-message", "--limit", "2"])
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(texts.len(), 2, "the demo box has delivery notifications (objects without parts)");
    let mut list: Vec<String> = mms.clone();
    list.insert(1, texts[0].clone());
    let dir = f.work().join("parts");
    let (code, _, err) =
        run_with_stdin(&f, &["get", "-", "--all-parts", "--out", &format!("{}/", dir.display())], &list.join("\n"));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains(&format!("skipping {}: it has no payload parts", texts[0])), "{err}");
    let mut names: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    // Two parts (text_0.txt, image_0.png) per MMS, each named after its object and part.
    assert_eq!(names.len(), 2 * mms.len(), "{names:?}");
    for id in &mms {
        assert!(names.contains(&format!("{id}-2-image_0.png")), "{names:?}");
        assert!(names.contains(&format!("{id}-1-text_0.txt")), "{names:?}");
    }
    // Deterministic: the same command again finds the same names (kept, so exit 6 without --force).
    let (code, _, err) = run_with_stdin(
        &f,
        &["get", "-", "--all-parts", "--force", "--out", &format!("{}/", dir.display())],
        &list.join("\n"),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 2 * mms.len());
    // Only objects without parts: nothing to save is "not found".
    let (code, _, err) = run_with_stdin(
        &f,
        &["get", "-", "--all-parts", "--out", &format!("{}/", dir.display())],
        &texts[..2].join("\n"),
    );
    assert_eq!(code, 4, "{err}");
}

/// Item 7: `get -o json` prints an array for one id as for two.
#[test]
fn get_json_is_an_array_for_one_id() {
    let f = Fixture::demo();
    let ids: Vec<String> = f
        .records(&["search", "--context", "sms", "--limit", "2"])
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    let one: serde_json::Value = serde_json::from_str(&f.ok(&["-o", "json", "get", &ids[0]])).unwrap();
    assert_eq!(one.as_array().map(Vec::len), Some(1), "{one}");
    assert_eq!(one[0]["id"], ids[0].as_str());
    let two: serde_json::Value = serde_json::from_str(&f.ok(&["-o", "json", "get", &ids[0], &ids[1]])).unwrap();
    assert_eq!(two.as_array().map(Vec::len), Some(2), "{two}");
}

/// Item 6: a second tour into the same `--save-dir` replaces its own image.
#[test]
fn demo_twice_into_the_same_save_dir() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("work")).unwrap();
    let save = dir.path().join("saved");
    for run in 1..=2 {
        let mut c = cmd_support::cmd_for("", "", "", dir.path());
        c.env_remove("CPMCTL_SERVER").env_remove("CPMCTL_USER").env_remove("CPMCTL_PASSWORD");
        let out = c.args(["demo", "--save-dir", save.to_str().unwrap()]).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "run {run}: exit {:?}\n{stderr}", out.status.code());
    }
    assert_eq!(std::fs::read_dir(&save).unwrap().count(), 1);
}

/// Item 3: `CPMCTL_PASSWORD` without a user: the hint names only what exists (`ls` has no
/// `--user`; `login` has).
#[test]
fn missing_user_hint_names_only_what_exists() {
    let f = Fixture::demo();
    let out = f.cmd().env_remove("CPMCTL_USER").args(["ls", "/"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("CPMCTL_USER"), "{err}");
    assert!(!err.contains("pass --user"), "{err}");
    // What the hint offers works: `--user` on `login`, not on `ls`.
    assert!(err.contains("cpmctl login --user NAME"), "{err}");
    let (code, help, _) = f.run(&["login", "--help"]);
    assert_eq!(code, 0);
    assert!(help.contains("--user"), "{help}");
}

/// The binary with no `CPMCTL_*` but its directories under the fixture's, and no keyring.
fn bare(f: &Fixture) -> assert_cmd::Command {
    let mut c = f.cmd();
    c.env_remove("CPMCTL_SERVER").env_remove("CPMCTL_USER").env_remove("CPMCTL_PASSWORD").env("CPMCTL_NO_KEYRING", "1");
    c
}

/// Item 9: `login status` fails with no profile at all and when the saved secret is
/// rejected; `login` finds out that there is no keyring before asking anything, and takes
/// `CPMCTL_PASSWORD`.
#[test]
fn login_status_fails_without_a_working_profile() {
    let f = Fixture::demo();
    let out = bare(&f).args(["login", "status"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("cpmctl login"), "{err}");

    // No keyring, no server given: the keyring is what is reported, not a missing --server.
    let out = bare(&f).args(["login"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("cannot save the secret"), "{err}");
    assert!(!err.contains("--server"), "{err}");

    // CPMCTL_PASSWORD is the password `login` checks and saves (no prompt, no stdin).
    let out = bare(&f)
        .env("CPMCTL_PASSWORD", &f.info.password)
        .args(["login", "--server", &f.info.base_url, "--user", &f.info.user, "--credential-store", "file"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let out = bare(&f).args(["login", "status"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));

    // The saved secret no longer works: status says so and exits 3.
    let creds = f.dir.path().join("data").join("credentials.toml");
    let text = std::fs::read_to_string(&creds).unwrap();
    assert!(text.contains(&f.info.password), "{text}");
    std::fs::write(&creds, text.replace(&f.info.password, "not-the-password")).unwrap();
    let out = bare(&f).args(["login", "status"]).output().unwrap();
    let (stdout, err) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("auth_failed"), "{stdout}\n{err}");
    assert_eq!(out.status.code(), Some(3), "{stdout}\n{err}");
}

/// Item 9: a saved profile the server rejects fails `login status` even when another
/// profile is the one in use.
#[test]
fn login_status_fails_when_any_saved_secret_is_rejected() {
    let f = Fixture::demo();
    for (profile, password) in [("good", f.info.password.as_str()), ("stale", "wrong")] {
        let out = bare(&f)
            .args(["login", "--profile", profile, "--server", &f.info.base_url, "--user", &f.info.user])
            .args(["--credential-store", "file", "--password-stdin"])
            .write_stdin(f.info.password.clone())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        if password != f.info.password {
            // The password changed on the server side since: the saved one is now wrong.
            let creds = f.dir.path().join("data").join("credentials.toml");
            let text = std::fs::read_to_string(&creds).unwrap();
            let line = format!("\"{profile}:{}\" = \"{}\"", f.info.user, f.info.password);
            assert!(text.contains(&line), "{text}");
            let changed = format!("\"{profile}:{}\" = \"{password}\"", f.info.user);
            std::fs::write(&creds, text.replace(&line, &changed)).unwrap();
        }
    }
    let out = bare(&f).args(["login", "status"]).output().unwrap();
    let (stdout, err) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("auth_failed"), "{stdout}\n{err}");
    assert_eq!(out.status.code(), Some(3), "{stdout}\n{err}");
    assert!(err.contains("profile `stale`"), "{err}");
}

/// Item 5: every documented sort key works end to end (date, size, an attribute), also
/// across pages; a key that cannot be one is refused with the valid ones.
#[test]
fn sort_keys_are_honoured_or_refused() {
    let f = Fixture::demo();
    let (code, out, err) = f.run(&["search", "--sort", "no such", "--limit", "3"]);
    assert_eq!(code, 2, "{out}\n{err}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("valid keys: date, size"), "{err}");
    let search = |sort: &str, page: &str| -> Vec<serde_json::Value> {
        f.records(&["search", "--context", "sms", "--sort", sort, "--all", "--page-size", page])
    };
    let field =
        |rows: &[serde_json::Value], k: &str| -> Vec<serde_json::Value> { rows.iter().map(|r| r[k].clone()).collect() };
    let ids = |rows: &[serde_json::Value]| field(rows, "id");
    for (sort, k) in [("date", "date"), ("-date", "date"), ("size", "size"), ("-size", "size"), ("-from", "from")] {
        let whole = search(sort, "1000");
        assert!(whole.len() > 20, "{sort}: {}", whole.len());
        let values = field(&whole, k);
        let sorted = |a: &serde_json::Value, b: &serde_json::Value| match (a.as_u64(), b.as_u64()) {
            (Some(x), Some(y)) => x.cmp(&y),
            _ => a.as_str().unwrap_or("").cmp(b.as_str().unwrap_or("")),
        };
        let ok = values.windows(2).all(|w| {
            let o = sorted(&w[0], &w[1]);
            if sort.starts_with('-') { o.is_ge() } else { o.is_le() }
        });
        assert!(ok, "--sort {sort}: {values:?}");
        // Page by page (7 a page): the same rows in the same order, none twice.
        assert_eq!(ids(&search(sort, "7")), ids(&whole), "--sort {sort} paged");
    }
    let sizes = field(&search("size", "1000"), "size");
    assert_ne!(sizes.first(), sizes.last(), "the demo SMS differ in size");
}
