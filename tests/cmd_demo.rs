//! `cpmctl demo`: the README's first command runs its tour against the embedded server and
//! exits 0, with nothing configured.

mod cmd_support;

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
