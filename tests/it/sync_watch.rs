//! `cpmctl sync --watch` (issue 11, Build §1): after catching up it stays on the notification
//! channel and applies each change as it arrives (a new object's file appears, a flag change
//! renames a file); Ctrl-C (SIGINT) finishes the change in hand, commits and exits 130, and the
//! mirror is then identical to the store.

use crate::cmd_support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use cmd_support::Fixture;
use cmd_support::watch::{Watch, wait_for};

fn file(dir: &Path, folder: &str, id: &str, letters: &str) -> PathBuf {
    dir.join(folder).join("cur").join(format!("{}:2,{letters}", cpmctl::formats::safe_file_name(id)))
}

#[test]
fn watch_applies_changes_as_they_arrive_and_ctrl_c_exits_130_committed() {
    let f = Fixture::demo();
    let first = f.create_many("/Watch", 2);
    let dir = f.work().join("mirror");
    let watch = Watch::start(&f, &dir);
    assert!(file(&dir, "Watch", &first[0], "").is_file());

    // Changes made on the store now reach the mirror while the same process runs.
    let new = f.create_many("/Watch", 1).remove(0);
    wait_for("the new object's file", || file(&dir, "Watch", &new, "").is_file());
    f.ok(&["flag", "add", "seen", &first[1]]);
    wait_for("the renamed file", || file(&dir, "Watch", &first[1], "S").is_file());
    // The old name goes once the row naming the new one is committed.
    wait_for("the old name to go", || !file(&dir, "Watch", &first[1], "").exists());
    f.ok(&["rm", "--yes", &first[0]]);
    wait_for("the deleted object's file to go", || !file(&dir, "Watch", &first[0], "").exists());

    // A new folder is applied in place (sync_watch_folders proves no listing is made), and the
    // watch goes on with the objects that follow.
    let sub = f.create_many("/Watch/Sub", 1).remove(0);
    wait_for("the new folder's object", || file(&dir, "Watch/Sub", &sub, "").is_file());
    let later = f.create_many("/Watch", 1).remove(0);
    wait_for("an object after the folder change", || file(&dir, "Watch", &later, "").is_file());

    let (out, seen) = watch.interrupt();
    assert_eq!(out.status.code(), Some(130), "{seen:?}");
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("synced: "), "the summary is printed");
    // Everything applied was committed: the mirror is identical and a plain run has nothing to do.
    let d = dir.to_str().unwrap();
    let (code, out, err) = f.run(&["check", d]);
    assert_eq!(code, 0, "{out}\n{err}");
    let s: serde_json::Value = serde_json::from_str(&f.ok(&["-o", "json", "sync", d])).unwrap();
    for k in ["downloaded", "updated", "deleted"] {
        assert_eq!(s[k], 0, "{k}: {s}");
    }
}

/// R3: with the server's notification faults (20% of event lists dropped, 10% duplicated, 10%
/// reordered), `sync --watch` over 1,000 changes (creations, flag changes, deletions) still ends
/// with a mirror identical to the store: the strict-sync watcher finds the gaps and catches up.
#[test]
fn watch_converges_over_a_thousand_changes_under_notification_faults() {
    let f = Fixture::demo_with(|c| {
        c.fault = cpmctl::server::FaultConfig { drop: 0.2, duplicate: 0.1, reorder: 0.1, seed: 11 };
        c.long_poll_timeout = Duration::from_millis(500);
    });
    f.create_many("/R3", 5);
    let dir = f.work().join("mirror");
    let d = dir.to_str().unwrap().to_string();
    let watch = Watch::start(&f, &dir);

    // 600 creations, 300 flag changes, 100 deletions, one request each, so each is its own
    // event list and the faults hit about 1,000 lists.
    let client = f.client();
    let created: Vec<String> = f.rt.block_on(async {
        let mut ids = Vec::new();
        for i in 0..600 {
            let date = format!("2025-01-01T00:{:02}:{:02}Z", i / 60, i % 60);
            let object = cmd_support::object(
                "/R3",
                &[("Date", &date), ("Message-Context", "pager-message"), ("TextContent", &format!("r3 {i}"))],
                &[],
            );
            let r = client.create_object(&cpmctl::nms::NewObject { object, parts: vec![] }).await.unwrap();
            ids.push(cpmctl::nms::id_from_url(&r.resource_url));
        }
        for id in &ids[..300] {
            assert!(client.add_flag(id, "\\Seen").await.unwrap());
        }
        for id in &ids[500..] {
            client.delete_object(id).await.unwrap();
        }
        ids
    });
    assert_eq!(created.len(), 600);

    // The watch catches up while it runs (`check` reads without taking the lock).
    let mut last = String::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let (code, out, err) = f.run(&["check", &d]);
        if code == 0 {
            break;
        }
        last = format!("{out}\n{err}");
        assert!(Instant::now() < deadline, "the mirror never caught up: {last}");
        std::thread::sleep(Duration::from_millis(500));
    }
    let (out, seen) = watch.interrupt();
    assert_eq!(out.status.code(), Some(130), "{seen:?}");
    let (code, out, err) = f.run(&["check", &d]);
    assert_eq!(code, 0, "{out}\n{err}\n(before: {last})");
}
