//! `cpmctl sync` pushing the mirror's own changes to the store (issue 11, Build §2), against the
//! in-process reference server, driving the real binary: a flag set by renaming a file, a
//! dropped-in message, a file removed with `--delete` each reach the store exactly once; the
//! crash window between a creation and its index commit; the delete guard and `--dry-run` for
//! pushed changes; `--pull-only` / `--push-only`.

use crate::cmd_support;

use std::path::{Path, PathBuf};

use cmd_support::Fixture;

fn summary(f: &Fixture, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["-o", "json", "sync"];
    all.extend_from_slice(args);
    serde_json::from_str(&f.ok(&all)).unwrap()
}

fn check_ok(f: &Fixture, dir: &Path) {
    let (code, out, err) = f.run(&["check", dir.to_str().unwrap()]);
    assert_eq!(code, 0, "check found differences:\n{out}\n{err}");
}

/// The file of object `id` in `folder_dir/cur` (by its safe-id base).
fn file_of(folder_dir: &Path, id: &str) -> PathBuf {
    let base = format!("{}:2,", cpmctl::formats::safe_file_name(id));
    std::fs::read_dir(folder_dir.join("cur"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_str().unwrap().starts_with(&base))
        .unwrap_or_else(|| panic!("no file for {id} in {}", folder_dir.display()))
}

fn eml(message_id: &str, subject: &str) -> String {
    format!(
        "From: Alice <alice@example.com>\r\nTo: bob@example.com\r\nDate: Tue, 02 Jan 2024 10:00:00 +0000\r\n\
         Subject: {subject}\r\nMessage-ID: <{message_id}>\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\nHello from a mail client.\r\n"
    )
}

fn has_flag(f: &Fixture, id: &str, flag: &str) -> bool {
    f.flags(id).iter().any(|x| x.eq_ignore_ascii_case(flag))
}

#[test]
fn renamed_dropped_in_and_deleted_files_reach_the_store_exactly_once() {
    let f = Fixture::demo();
    let ids = f.create_many("/Work/Inbox", 4);
    let dir = f.work().join("mirror");
    let d = dir.to_str().unwrap();
    summary(&f, &[d]);
    let inbox = dir.join("Work/Inbox");

    // A mail client marks one read (renames it with an S) and drops a new message in new/.
    let old = file_of(&inbox, &ids[0]);
    let renamed = PathBuf::from(format!("{}S", old.display()));
    std::fs::rename(&old, &renamed).unwrap();
    std::fs::write(inbox.join("new/1700000000.M1P2.host"), eml("drop-1@example.com", "dropped in")).unwrap();
    // And one file is deleted by hand.
    std::fs::remove_file(file_of(&inbox, &ids[1])).unwrap();

    let before = f.ids(&["--folder", "/Work/Inbox"]).len();
    let s = summary(&f, &["--delete", d]);
    assert_eq!(
        (s["flags_pushed"].as_u64(), s["uploaded"].as_u64(), s["deleted_on_store"].as_u64()),
        (Some(1), Some(1), Some(1)),
        "{s}"
    );
    assert!(has_flag(&f, &ids[0], "\\Seen"), "{:?}", f.flags(&ids[0]));
    assert!(!f.exists(&ids[1]), "the removed file's object is still on the store");
    let found = f.ids(&["--correlation-id", "drop-1@example.com"]);
    assert_eq!(found.len(), 1, "created exactly once: {found:?}");
    assert_eq!(f.ids(&["--folder", "/Work/Inbox"]).len(), before, "one created, one deleted");
    // The dropped-in file was replaced by the object's own file, named by its id.
    assert!(std::fs::read_dir(inbox.join("new")).unwrap().next().is_none(), "new/ is not empty");
    let own = file_of(&inbox, &found[0]);
    let text = std::fs::read_to_string(&own).unwrap();
    assert!(text.contains(&format!("X-NMS-Object-Id: {}", found[0])) && text.contains("Subject: dropped in"), "{text}");
    assert!(file_of(&inbox, &ids[0]).to_str().unwrap().ends_with(":2,S"));
    check_ok(&f, &dir);

    // An immediate re-run changes nothing, on either side.
    let store_before = f.ids(&[]).len();
    let s = summary(&f, &["--delete", d]);
    for k in ["flags_pushed", "uploaded", "adopted", "deleted_on_store", "downloaded", "updated", "deleted"] {
        assert_eq!(s[k], 0, "{k}: {s}");
    }
    assert_eq!(f.ids(&[]).len(), store_before);
    assert_eq!(f.ids(&["--correlation-id", "drop-1@example.com"]).len(), 1);
    check_ok(&f, &dir);

    // Removing a letter removes the flag; a flag set on the store meanwhile stays (merge).
    let seen = file_of(&inbox, &ids[0]);
    let unseen = PathBuf::from(seen.to_str().unwrap().trim_end_matches('S'));
    std::fs::rename(&seen, &unseen).unwrap();
    f.ok(&["flag", "add", "flagged", &ids[0]]);
    summary(&f, &[d]);
    assert!(!has_flag(&f, &ids[0], "\\Seen") && has_flag(&f, &ids[0], "\\Flagged"), "{:?}", f.flags(&ids[0]));
    assert!(file_of(&inbox, &ids[0]).to_str().unwrap().ends_with(":2,F"));
    check_ok(&f, &dir);
}

#[test]
fn a_file_deleted_without_delete_comes_back_and_one_changed_on_the_store_is_kept() {
    let f = Fixture::demo();
    let ids = f.create_many("/Keep", 2);
    let dir = f.work().join("mirror");
    let d = dir.to_str().unwrap();
    summary(&f, &[d]);
    let keep = dir.join("Keep");
    std::fs::remove_file(file_of(&keep, &ids[0])).unwrap();
    let out = f.cmd().args(["-o", "json", "sync", d]).output().unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--delete"), "the note says how to delete on the store: {err}");
    assert!(f.exists(&ids[0]));
    file_of(&keep, &ids[0]);
    check_ok(&f, &dir);

    // Deleted locally with --delete, but changed on the store since the last sync: kept.
    std::fs::remove_file(file_of(&keep, &ids[1])).unwrap();
    f.ok(&["flag", "add", "seen", &ids[1]]);
    let s = summary(&f, &["--delete", d]);
    assert_eq!(s["deleted_on_store"], 0, "{s}");
    assert!(f.exists(&ids[1]));
    assert!(file_of(&keep, &ids[1]).to_str().unwrap().ends_with(":2,S"));
    check_ok(&f, &dir);
}

/// The crash window: the object was created on the store but the run died before the file was
/// replaced and indexed. The next run finds it by correlationId (or tag plus Date, or an
/// identical object) and adopts it instead of creating it again.
#[test]
fn a_file_whose_object_the_store_already_has_is_adopted_not_created_twice() {
    let f = Fixture::demo();
    f.create_many("/Adopt", 1);
    let dir = f.work().join("mirror");
    let d = dir.to_str().unwrap();
    summary(&f, &[d]);
    let folder = dir.join("Adopt");
    std::fs::write(folder.join("new/by-id"), eml("crash-1@example.com", "by id")).unwrap();
    // What the crashed run had created: the same message.
    let pre = f.work().join("pre.eml");
    std::fs::write(&pre, eml("crash-1@example.com", "by id")).unwrap();
    let client = f.client();
    let parsed = cpmctl::formats::read(&std::fs::read(&pre).unwrap()).unwrap();
    let mut object = parsed.object;
    object.parent_folder_path = Some("/Adopt".into());
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(client.create_object(&cpmctl::nms::NewObject { object, parts: Vec::new() })).unwrap();
    // An SMS with a correlationTag and a Date, re-created with a new id on the store.
    let tagged = f.create(
        "/Adopt",
        &[("Date", "2024-03-03T03:03:03Z"), ("Message-Context", "pager-message"), ("TextContent", "tagged")],
        &[],
        Vec::new(),
    );
    let mut o = rt.block_on(client.get_object(&tagged)).unwrap();
    o.correlation_tag = Some("tag-7".into());
    let mut bytes = Vec::new();
    let mut portable = cpmctl::formats::portable(&o);
    portable.parent_folder_path = None;
    cpmctl::formats::write(None, &portable, &[], &mut bytes).unwrap();
    let tagged_file = folder.join("cur/by-tag:2,");
    std::fs::write(&tagged_file, &bytes).unwrap();
    portable.parent_folder_path = Some("/Adopt".into());
    rt.block_on(client.create_object(&cpmctl::nms::NewObject { object: portable, parts: Vec::new() })).unwrap();

    let store_before = f.ids(&[]).len();
    let s = summary(&f, &[d]);
    assert_eq!((s["uploaded"].as_u64(), s["adopted"].as_u64()), (Some(0), Some(2)), "{s}");
    assert_eq!(f.ids(&[]).len(), store_before, "nothing created twice");
    assert!(!tagged_file.exists() && !folder.join("new/by-id").exists());
    // The mirror now holds the store's objects (the untagged original included): check is clean.
    check_ok(&f, &dir);
}

#[test]
fn dry_run_and_the_delete_guard_cover_pushed_changes() {
    let f = Fixture::demo();
    let ids = f.create_many("/Guard", 6);
    let dir = f.work().join("mirror");
    let d = dir.to_str().unwrap();
    summary(&f, &[d]);
    let folder = dir.join("Guard");
    for id in &ids[..4] {
        std::fs::remove_file(file_of(&folder, id)).unwrap();
    }
    let old = file_of(&folder, &ids[4]);
    std::fs::rename(&old, format!("{}F", old.display())).unwrap();
    std::fs::write(folder.join("new/dropped"), eml("dry-1@example.com", "dry")).unwrap();
    let store_before = f.ids(&[]).len();

    let s = summary(&f, &["--dry-run", "--delete", "--max-delete", "100%", d]);
    assert_eq!(
        (s["flags_pushed"].as_u64(), s["uploaded"].as_u64(), s["deleted_on_store"].as_u64()),
        (Some(1), Some(1), Some(4)),
        "{s}"
    );
    assert_eq!(f.ids(&[]).len(), store_before, "--dry-run pushed something");
    assert!(!has_flag(&f, &ids[4], "\\Flagged"));
    assert!(folder.join("new/dropped").is_file());

    // Four local deletions with a limit of 2: refused before anything is pushed (exit 7).
    let (code, _, err) = f.run(&["sync", "--delete", "--max-delete", "2", d]);
    assert_eq!(code, 7, "{err}");
    assert!(err.contains("--max-delete"), "{err}");
    assert_eq!(f.ids(&[]).len(), store_before);
    assert!(ids[..4].iter().all(|id| f.exists(id)));
    assert!(!has_flag(&f, &ids[4], "\\Flagged"), "nothing is pushed by a refused run");

    // --push-only pushes and pulls nothing: the deleted files stay deleted locally.
    let s = summary(&f, &["--push-only", "--delete", "--max-delete", "100%", d]);
    assert_eq!(s["deleted_on_store"], 4, "{s}");
    assert_eq!(s["downloaded"], 0, "{s}");
    assert!(has_flag(&f, &ids[4], "\\Flagged"));
    // --pull-only leaves a new dropped file alone.
    std::fs::write(folder.join("new/later"), eml("later-1@example.com", "later")).unwrap();
    let s = summary(&f, &["--pull-only", d]);
    assert_eq!(s["uploaded"], 0, "{s}");
    assert!(f.ids(&["--correlation-id", "later-1@example.com"]).is_empty());
    let s = summary(&f, &[d]);
    assert_eq!(s["uploaded"], 1, "{s}");
    check_ok(&f, &dir);
}

/// A file sync wrote whose index row a killed run never committed is not a dropped-in file: it
/// is neither uploaded (a duplicate on the store) nor "adopted" (which removed the very file it
/// had just written).
#[test]
fn a_file_left_by_a_killed_run_is_not_pushed() {
    let f = Fixture::demo();
    let id = f.create("/Left", &[("Message-Context", "pager-message"), ("TextContent", "no date")], &[], Vec::new());
    let dir = f.work().join("mirror");
    let d = dir.to_str().unwrap();
    summary(&f, &[d]);
    let file = file_of(&dir.join("Left"), &id);
    let conn = rusqlite::Connection::open(dir.join(".cpmctl/index.sqlite")).unwrap();
    assert_eq!(conn.execute("DELETE FROM objects WHERE id = ?1", [&id]).unwrap(), 1);
    drop(conn);
    let store_before = f.ids(&[]).len();
    let s = summary(&f, &["--resync", d]);
    assert_eq!((s["uploaded"].as_u64(), s["adopted"].as_u64()), (Some(0), Some(0)), "{s}");
    assert_eq!(f.ids(&[]).len(), store_before, "the leftover file was uploaded again");
    assert!(file.is_file());
    check_ok(&f, &dir);
}
