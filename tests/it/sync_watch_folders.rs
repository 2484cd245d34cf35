//! Folder changes in the change log (issue 11): a folder created, renamed, moved or deleted on
//! the store is applied to the mirror in place, by a plain later run's replay and by
//! `sync --watch` as it arrives, without escaping to a full listing.

use crate::cmd_support;

use std::path::{Path, PathBuf};

use cmd_support::Fixture;
use cmd_support::watch::{Watch, wait_for};

fn file(dir: &Path, folder: &str, id: &str) -> PathBuf {
    dir.join(folder).join("cur").join(format!("{}:2,", cpmctl::formats::safe_file_name(id)))
}

fn check_ok(f: &Fixture, dir: &Path) {
    let (code, out, err) = f.run(&["check", dir.to_str().unwrap()]);
    assert_eq!(code, 0, "check found differences:\n{out}\n{err}");
}

#[test]
fn a_replay_applies_folder_changes_without_a_listing() {
    let f = Fixture::demo();
    let ids = f.create_many("/Fold/A", 2);
    let dir = f.work().join("mirror");
    let d = dir.to_str().unwrap();
    f.ok(&["-o", "json", "sync", d]);
    assert!(file(&dir, "Fold/A", &ids[0]).is_file());

    f.ok(&["mkdir", "/Fold/Fresh"]);
    f.ok(&["mv", "/Fold/A", "/Fold/Renamed"]);
    let s: serde_json::Value = serde_json::from_str(&f.ok(&["-o", "json", "sync", d])).unwrap();
    assert_eq!((s["mode"].as_str(), s["escaped"].as_bool()), (Some("replay"), Some(false)), "{s}");
    assert_eq!((s["folders_created"].as_u64(), s["folders_moved"].as_u64()), (Some(1), Some(1)), "{s}");
    assert_eq!(s["downloaded"], 0, "the moved folder's files were downloaded again: {s}");
    assert!(dir.join("Fold/Fresh/cur").is_dir(), "{s}");
    assert!(file(&dir, "Fold/Renamed", &ids[0]).is_file() && !dir.join("Fold/A").exists());
    check_ok(&f, &dir);

    f.ok(&["rm", "-r", "--yes", "/Fold/Renamed"]);
    let s: serde_json::Value = serde_json::from_str(&f.ok(&["-o", "json", "sync", d])).unwrap();
    assert_eq!((s["mode"].as_str(), s["escaped"].as_bool()), (Some("replay"), Some(false)), "{s}");
    assert!(!dir.join("Fold/Renamed").exists(), "the deleted folder is still there");
    check_ok(&f, &dir);
}

#[test]
fn watch_applies_folder_changes_as_they_arrive_without_a_listing() {
    let f = Fixture::demo();
    let first = f.create_many("/WF/A", 1).remove(0);
    let dir = f.work().join("mirror");
    let watch = Watch::start(&f, &dir);

    // Created (with an object in it), renamed, moved under another folder, deleted.
    let sub = f.create_many("/WF/Sub", 1).remove(0);
    wait_for("the new folder's object", || file(&dir, "WF/Sub", &sub).is_file());
    f.ok(&["mv", "/WF/A", "/WF/B"]);
    wait_for("the renamed folder", || file(&dir, "WF/B", &first).is_file() && !dir.join("WF/A").exists());
    f.ok(&["mv", "/WF/B", "/WF/Sub"]);
    wait_for("the moved folder", || file(&dir, "WF/Sub/B", &first).is_file() && !dir.join("WF/B").exists());
    f.ok(&["rm", "-r", "--yes", "/WF/Sub"]);
    wait_for("the deleted folder to go", || !dir.join("WF/Sub").exists());
    let later = f.create_many("/WF", 1).remove(0);
    wait_for("an object after the folder changes", || file(&dir, "WF", &later).is_file());

    let (out, seen) = watch.interrupt();
    assert_eq!(out.status.code(), Some(130), "{seen:?}");
    assert!(
        !seen.iter().any(|l| l.contains("catching up") || l.contains("falling back")),
        "a folder change escaped to a catch-up: {seen:?}"
    );
    check_ok(&f, &dir);
}
