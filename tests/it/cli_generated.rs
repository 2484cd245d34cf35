//! The checked-in `completions/` and `man/` must equal a fresh generation from the clap definition.

use std::collections::BTreeSet;
use std::path::Path;

fn files_under(root: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for sub in ["completions", "man"] {
        let Ok(entries) = std::fs::read_dir(root.join(sub)) else { continue };
        for e in entries.flatten() {
            out.insert(format!("{sub}/{}", e.file_name().to_string_lossy()));
        }
    }
    out
}

#[test]
fn generated_files_are_up_to_date() {
    let fresh = tempfile::tempdir().unwrap();
    assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("cpmctl"))
        .args(["generate", "--dir"])
        .arg(fresh.path())
        .env_remove("CPMCTL_OUTPUT")
        .assert()
        .success();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (want, have) = (files_under(fresh.path()), files_under(repo));
    let mut problems = Vec::new();
    for f in want.difference(&have) {
        problems.push(format!("missing: {f}"));
    }
    for f in have.difference(&want) {
        problems.push(format!("stale: {f}"));
    }
    for f in want.intersection(&have) {
        if std::fs::read(fresh.path().join(f)).unwrap() != std::fs::read(repo.join(f)).unwrap() {
            problems.push(format!("differs: {f}"));
        }
    }
    assert!(
        problems.is_empty(),
        "completions/ or man/ are out of date; run `cargo run -- generate --dir .`\n{}",
        problems.join("\n")
    );
}
