//! A profile's password command (issue 14, item 25): `login --password-command CMD` checks
//! and saves the command, not its output; later commands run it (without a shell, output
//! never shown, trailing newline stripped) for the secret. Tiny scripts stand in for `pass`.
#![cfg(unix)]

use crate::cmd_support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use cmd_support::Fixture;

fn script(dir: &Path, name: &str, body: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o700)).unwrap();
    p.display().to_string()
}

/// The binary without the password in its environment.
fn bare(f: &Fixture) -> assert_cmd::Command {
    let mut c = f.cmd();
    c.env_remove("CPMCTL_PASSWORD").env("CPMCTL_NO_KEYRING", "1");
    c
}

#[test]
fn password_command_is_saved_and_used() {
    let f = Fixture::demo();
    // A directory with a space, and an argument: the line is split as a shell would, but no
    // shell runs it.
    let dir = f.work().join("my vault");
    std::fs::create_dir_all(&dir).unwrap();
    let pw = script(&dir, "pass.sh", &format!("[ \"$1\" = nms/demo ] || exit 9\nprintf '%s\\n' '{}'", f.info.password));
    let line = format!("'{pw}' nms/demo");
    let out = bare(&f).args(["login", "--password-command", &line]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("nothing stored"), "{err}");
    let config = std::fs::read_to_string(f.dir.path().join("config/config.toml")).unwrap();
    assert!(config.contains("password_command"), "{config}");
    assert!(!config.contains(&f.info.password), "{config}");
    assert!(!f.dir.path().join("data/credentials.toml").exists());

    // Later commands run it; the secret shows nowhere, even with -v.
    let out = bare(&f).args(["-v", "ls", "/"]).output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("RCSMessageStore"), "{stdout}");
    assert!(!stdout.contains(&f.info.password) && !stderr.contains(&f.info.password), "{stderr}");
    let out = bare(&f).args(["-o", "json", "login", "status"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("command"), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn a_failing_password_command_is_an_auth_error_without_its_output() {
    let f = Fixture::demo();
    let bad = script(&f.work(), "bad.sh", "echo leaked-bits; exit 3");
    let out = bare(&f).args(["login", "--password-command", &bad]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("exited") && !err.contains("leaked-bits"), "{err}");
    assert!(!f.dir.path().join("config/config.toml").exists(), "nothing may be saved");
    // A wrong secret from the command is the server's refusal, as with a typed password.
    let wrong = script(&f.work(), "wrong.sh", "echo not-the-password");
    let out = bare(&f).args(["login", "--password-command", &wrong]).output().unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stderr));
}
