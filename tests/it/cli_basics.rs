//! The binary's surface: global flags, exit codes of usage errors, config precedence as seen by
//! `login status`, completions, a closed stdout pipe.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

/// The binary with no inherited `CPMCTL_*`, its directories in `dir`, no keyring, no colour.
fn cpmctl(dir: &Path) -> Command {
    Command::from_std(std_cpmctl(dir))
}

fn std_cpmctl(dir: &Path) -> std::process::Command {
    let mut cmd = crate::cmd_support::hermetic(dir);
    cmd.env("COLUMNS", "120");
    cmd
}

fn write_config(dir: &Path, text: &str) {
    std::fs::create_dir_all(dir.join("config")).unwrap();
    std::fs::write(dir.join("config").join("config.toml"), text).unwrap();
}

#[test]
fn help_and_version_exit_0() {
    let dir = tempfile::tempdir().unwrap();
    cpmctl(dir.path()).arg("--help").assert().success().stdout(predicate::str::contains("Exit codes:"));
    cpmctl(dir.path()).arg("--version").assert().success().stdout(predicate::str::starts_with("cpmctl "));
    cpmctl(dir.path()).args(["login", "--help"]).assert().success().stdout(predicate::str::contains("Examples:"));
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    cpmctl(dir.path()).assert().code(2);
    cpmctl(dir.path()).arg("frobnicate").assert().code(2);
    cpmctl(dir.path()).args(["completions", "bash", "--no-such-flag"]).assert().code(2);
    cpmctl(dir.path()).args(["-o", "xml", "completions", "bash"]).assert().code(2);
    cpmctl(dir.path()).args(["completions", "tcsh"]).assert().code(2);
    cpmctl(dir.path()).env("CPMCTL_OUTPUT", "yaml").args(["completions", "bash"]).assert().code(2);
    cpmctl(dir.path()).args(["login", "--password-stdin", "--token-stdin"]).assert().code(2);
}

#[test]
fn login_without_a_terminal_names_the_missing_flag() {
    let dir = tempfile::tempdir().unwrap();
    // With the file store: no keyring is needed, so the first thing missing is the server.
    cpmctl(dir.path())
        .args(["login", "--credential-store", "file"])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("error: missing --server"))
        .stderr(predicate::str::contains("hint: pass --server"));
    cpmctl(dir.path())
        .args(["login", "--server", "http://127.0.0.1:9", "--box", "b", "--credential-store", "file"])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing --user"));
}

#[test]
fn bad_server_url_is_a_config_error() {
    let dir = tempfile::tempdir().unwrap();
    cpmctl(dir.path())
        .args(["login", "status", "--server", "ftp://x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid server URL `ftp://x`"));
    write_config(dir.path(), "profiles = 3");
    cpmctl(dir.path())
        .args(["login", "status"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid config file"));
}

#[test]
fn logout_of_an_unknown_profile() {
    let dir = tempfile::tempdir().unwrap();
    cpmctl(dir.path())
        .args(["logout", "--profile", "ghost"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no profile named `ghost`"));
}

#[test]
fn no_profiles_at_all() {
    let dir = tempfile::tempdir().unwrap();
    cpmctl(dir.path())
        .args(["login", "status"])
        .assert()
        .code(3)
        .stdout("")
        .stderr(predicate::str::contains("no profiles: not logged in"))
        .stderr(predicate::str::contains("hint: run `cpmctl login`"));
}

fn status_json(cmd: &mut Command) -> Vec<serde_json::Value> {
    let out = cmd.args(["login", "status", "--offline", "-o", "json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn precedence_defaults_file_env_flags() {
    let dir = tempfile::tempdir().unwrap();
    write_config(
        dir.path(),
        r#"
default_profile = "work"
[profiles.work]
server = "http://file.example:1"
box = "filebox"
user = "fileuser"
store = "filestore"
"#,
    );
    // file only
    let rows = status_json(&mut cpmctl(dir.path()));
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    assert_eq!((r["id"].as_str(), r["default"].as_bool()), (Some("work"), Some(true)));
    assert_eq!(r["server"], "http://file.example:1");
    assert_eq!(
        (r["box"].as_str(), r["user"].as_str(), r["store"].as_str()),
        (Some("filebox"), Some("fileuser"), Some("filestore"))
    );
    assert_eq!((r["secret"].as_str(), r["status"].as_str()), (Some("keyring (unavailable)"), Some("no_secret")));

    // env over file
    let rows = status_json(cpmctl(dir.path()).env("CPMCTL_BOX", "envbox").env("CPMCTL_SERVER", "http://env.example:2"));
    assert_eq!((rows[0]["server"].as_str(), rows[0]["box"].as_str()), (Some("http://env.example:2"), Some("envbox")));
    assert_eq!(rows[0]["user"], "fileuser");

    // flags over env
    let rows = status_json(cpmctl(dir.path()).env("CPMCTL_BOX", "envbox").args([
        "--box",
        "flagbox",
        "--server",
        "http://flag.example:3/nms/v1/s9/x",
    ]));
    assert_eq!((rows[0]["server"].as_str(), rows[0]["box"].as_str()), (Some("http://flag.example:3"), Some("flagbox")));
    assert_eq!(rows[0]["store"], "s9");

    // env secret wins over the (unavailable) keyring
    let rows = status_json(cpmctl(dir.path()).env("CPMCTL_PASSWORD", "pw"));
    assert_eq!((rows[0]["secret"].as_str(), rows[0]["status"].as_str()), (Some("env"), Some("unchecked")));
}

#[test]
fn env_only_profile_for_ci() {
    let dir = tempfile::tempdir().unwrap();
    let rows = status_json(
        cpmctl(dir.path())
            .env("CPMCTL_SERVER", "http://ci.example:8080/nms/v1/cpm/tel%3A%2B15550001111")
            .env("CPMCTL_USER", "ci")
            .env("CPMCTL_TOKEN", "t"),
    );
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["id"], "default");
    assert_eq!(rows[0]["box"], "tel:+15550001111");
    assert_eq!(rows[0]["secret"], "env");
}

#[test]
fn status_formats_plain_and_table() {
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), "[profiles.a]\nserver = \"http://h:1\"\nbox = \"b\"\nuser = \"u\"\n");
    cpmctl(dir.path())
        .args(["login", "status", "--offline"])
        .assert()
        .success()
        .stdout("a\thttp://h:1\tb\tu\tkeyring (unavailable)\tno_secret: cannot read the secret of profile `a`: the OS keyring is not available: CPMCTL_NO_KEYRING is set\n");
    cpmctl(dir.path())
        .args(["login", "status", "--offline", "-o", "table"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("PROFILE  SERVER      BOX  USER  SECRET"));
}

#[test]
fn completions_print_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        cpmctl(dir.path()).args(["completions", shell]).assert().success().stdout(predicate::str::contains("cpmctl"));
    }
}

#[test]
fn closed_stdout_pipe_is_quiet_success() {
    let dir = tempfile::tempdir().unwrap();
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = std_cpmctl(dir.path()).args(["completions", "bash"]).stdout(writer).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn login_without_a_keyring_refuses_and_saves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    cpmctl(dir.path())
        .args(["login", "--server", "http://127.0.0.1:9", "--box", "b", "--user", "u", "--password-stdin"])
        .write_stdin("pw\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("the OS keyring is not available"))
        .stderr(predicate::str::contains("nothing was saved"))
        .stderr(predicate::str::contains("--credential-store file"))
        .stderr(predicate::str::contains("pw").not());
    assert!(!dir.path().join("config").exists(), "no config written");
    assert!(!dir.path().join("data").exists(), "no credentials written");
}

#[cfg(unix)]
#[test]
fn sigint_exits_130() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    // A "server" that accepts the connection and never answers.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let mut child = std_cpmctl(dir.path())
        .args(["login", "--server", &url, "--box", "b", "--user", "u", "--password-stdin"])
        .args(["--credential-store", "file"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"pw\n").unwrap();
    // Once the request has arrived, the SIGINT handler is in place.
    let (_conn, _) = listener.accept().unwrap();
    let killed = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130));
    assert!(String::from_utf8_lossy(&out.stderr).contains("error: interrupted"));
    assert!(!dir.path().join("config").exists());
}
