//! `cpmctl demo`: the README's first command runs its tour against the embedded server and
//! exits 0, with nothing configured.

use crate::cmd_support;

#[test]
fn demo_tour_runs_and_saves_an_image() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("work")).unwrap();
    let save = dir.path().join("saved");
    // No server, user or password: the demo needs none of them.
    let mut c = cmd_support::cmd_for("", "", "", dir.path());
    c.env_remove("CPMCTL_SERVER").env_remove("CPMCTL_USER").env_remove("CPMCTL_PASSWORD");
    let out = c.args(["demo", "--save-dir", save.to_str().unwrap()]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "exit {:?}\n{stdout}\n{stderr}", out.status.code());
    for step in
        ["$ cpmctl ls /\n", "$ cpmctl search --context chat", "$ cpmctl get ", "--part ", "$ cpmctl flag add flagged "]
    {
        assert!(stdout.contains(step), "missing {step:?} in:\n{stdout}");
    }
    assert!(stdout.contains("RCSMessageStore/"), "{stdout}");
    let saved: Vec<_> = std::fs::read_dir(&save).unwrap().collect();
    assert_eq!(saved.len(), 1, "{stderr}");
    let file = saved[0].as_ref().unwrap().path();
    assert!(std::fs::metadata(&file).unwrap().len() > 0);
    assert!(stderr.contains("demo server on http://127.0.0.1:"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn demo_serve_stops_on_sigint_and_removes_its_data() {
    use std::io::BufRead;
    use std::process::{Command, Stdio};

    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("saved");
    let mut child = crate::cmd_support::hermetic(dir.path())
        .args(["demo", "--serve", "--save-dir", save.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut seen = String::new();
    let mut data_dir = None;
    loop {
        let mut line = String::new();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "stderr ended early:\n{seen}");
        seen.push_str(&line);
        if let Some(rest) = line.split("data in ").nth(1) {
            data_dir = Some(std::path::PathBuf::from(rest.trim_end().trim_end_matches(')')));
        }
        if line.contains("Press Ctrl-C") {
            break;
        }
    }
    assert!(seen.contains("export CPMCTL_SERVER="), "{seen}");
    let data_dir = data_dir.unwrap_or_else(|| panic!("no data dir printed:\n{seen}"));
    assert!(data_dir.exists(), "{}", data_dir.display());

    let killed = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "{seen}{rest}");
    assert!(rest.contains("stopping the demo server"), "{rest}");
    assert!(!data_dir.exists(), "{} is still there", data_dir.display());
}
