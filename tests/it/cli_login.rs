//! `login`, `login status` and `logout` of the real binary against the reference server running
//! in this test process on 127.0.0.1:0.

use std::path::Path;

use assert_cmd::Command;
use cpmctl::server::{self, RunningServer, ServerConfig, UserSpec};
use predicates::prelude::*;
use tokio::net::TcpListener;

const BOX: &str = "tel:+15550001111";

async fn start_server(dir: &Path) -> RunningServer {
    let mut cfg = ServerConfig::new(dir.join("server"));
    cfg.users = vec![UserSpec {
        name: "alice".into(),
        password: Some("alice-pw".into()),
        tokens: vec!["alice-token".into()],
        boxes: vec![BOX.into()],
        admin: false,
    }];
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    server::start(cfg, listener).await.unwrap()
}

/// The binary with no inherited `CPMCTL_*`, its directories under `dir`, no keyring.
fn cpmctl(dir: &Path) -> Command {
    Command::from_std(crate::cmd_support::hermetic(dir))
}

/// Runs a blocking assert_cmd run off the runtime threads the server uses.
async fn run<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f).await.unwrap()
}

fn status_json(dir: &Path, extra: &[&str]) -> (Option<i32>, Vec<serde_json::Value>) {
    let out = cpmctl(dir).args(["login", "status", "-o", "json"]).args(extra).output().unwrap();
    let rows = serde_json::from_slice(&out.stdout).unwrap_or_default();
    (out.status.code(), rows)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_with_file_store_then_status_then_logout() {
    let dir = tempfile::tempdir().unwrap();
    let srv = start_server(dir.path()).await;
    let root = srv.root_url();
    let d = dir.path().to_path_buf();
    run(move || {
        cpmctl(&d)
            .args(["login", "--server", &root, "--box", BOX, "--user", "alice", "--password-stdin"])
            .args(["--credential-store", "file", "--profile", "work"])
            .write_stdin("alice-pw\n")
            .assert()
            .success()
            .stdout("")
            .stderr(predicate::str::contains(format!("logged in to {root} as alice")))
            .stderr(predicate::str::contains("saved profile `work`"))
            .stderr(predicate::str::contains("(mode 0600)"))
            .stderr(predicate::str::contains("alice-pw").not());

        let config = std::fs::read_to_string(d.join("config").join("config.toml")).unwrap();
        assert!(config.contains("default_profile = \"work\""), "{config}");
        assert!(config.contains("credential_store = \"file\""), "{config}");
        assert!(!config.contains("alice-pw"));
        let creds = d.join("data").join("credentials.toml");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&creds).unwrap().permissions().mode() & 0o777, 0o600);
        }
        assert!(std::fs::read_to_string(&creds).unwrap().contains("\"work:alice\" = \"alice-pw\""));

        let (code, rows) = status_json(&d, &[]);
        assert_eq!(code, Some(0));
        assert_eq!(rows[0]["id"], "work");
        assert_eq!((rows[0]["secret"].as_str(), rows[0]["status"].as_str()), (Some("file"), Some("ok")));
        assert_eq!(rows[0]["box"], BOX);

        cpmctl(&d).arg("logout").assert().success().stderr(predicate::str::contains("removed the secret"));
        assert!(!std::fs::read_to_string(&creds).unwrap().contains("alice-pw"));
        let (code, rows) = status_json(&d, &[]);
        assert_eq!(code, Some(3), "the active profile no longer authenticates");
        assert_eq!(rows[0]["status"], "no_secret");

        cpmctl(&d).args(["logout", "--forget"]).assert().success();
        let config = std::fs::read_to_string(d.join("config").join("config.toml")).unwrap();
        assert!(!config.contains("work"), "{config}");
    })
    .await;
    srv.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_password_exits_3_and_saves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let srv = start_server(dir.path()).await;
    let root = srv.root_url();
    let d = dir.path().to_path_buf();
    run(move || {
        cpmctl(&d)
            .args(["login", "--server", &root, "--box", BOX, "--user", "alice", "--password-stdin"])
            .args(["--credential-store", "file"])
            .write_stdin("wrong\n")
            .assert()
            .code(3)
            .stderr(predicate::str::contains("nothing was saved"));
        assert!(!d.join("config").join("config.toml").exists());
        assert!(!d.join("data").join("credentials.toml").exists());
    })
    .await;
    srv.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stopped_server_exits_5() {
    let dir = tempfile::tempdir().unwrap();
    // A port that was just free: nothing listens there any more.
    let port = TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap().port();
    let d = dir.path().to_path_buf();
    run(move || {
        cpmctl(&d)
            .args(["login", "--server", &format!("http://127.0.0.1:{port}"), "--box", BOX, "--user", "alice"])
            .args(["--password-stdin", "--credential-store", "file", "--retries", "0"])
            .write_stdin("alice-pw\n")
            .assert()
            .code(5);
        assert!(!d.join("config").join("config.toml").exists());
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_login_and_env_only_status() {
    let dir = tempfile::tempdir().unwrap();
    let srv = start_server(dir.path()).await;
    let root = srv.root_url();
    let base = srv.nms_base(BOX);
    let d = dir.path().to_path_buf();
    run(move || {
        cpmctl(&d)
            .args(["login", "--server", &root, "--box", BOX, "--token-stdin", "--credential-store", "file"])
            .write_stdin("alice-token\n")
            .assert()
            .success()
            .stderr(predicate::str::contains("token stored in plain text"));
        let (code, rows) = status_json(&d, &[]);
        assert_eq!(code, Some(0));
        assert_eq!((rows[0]["auth"].as_str(), rows[0]["status"].as_str()), (Some("bearer"), Some("ok")));

        // CI: nothing but the environment, in a fresh directory.
        let ci = d.join("ci");
        let ok = cpmctl(&ci)
            .env("CPMCTL_SERVER", &base)
            .env("CPMCTL_USER", "alice")
            .env("CPMCTL_PASSWORD", "alice-pw")
            .args(["login", "status", "-o", "json"])
            .output()
            .unwrap();
        assert_eq!(ok.status.code(), Some(0), "{}", String::from_utf8_lossy(&ok.stderr));
        let rows: Vec<serde_json::Value> = serde_json::from_slice(&ok.stdout).unwrap();
        assert_eq!((rows[0]["secret"].as_str(), rows[0]["status"].as_str()), (Some("env"), Some("ok")));

        cpmctl(&ci)
            .env("CPMCTL_SERVER", &base)
            .env("CPMCTL_USER", "alice")
            .env("CPMCTL_PASSWORD", "nope")
            .args(["login", "status"])
            .assert()
            .code(3)
            .stdout(predicate::str::contains("auth_failed"));
    })
    .await;
    srv.shutdown().await;
}
