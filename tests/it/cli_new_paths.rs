//! `mv` renames folders as a shell `mv` does, and paths without a leading `/` resolve from
//! the root wherever paths are accepted (issue 14, item 21), through the real binary.

use crate::cmd_support;

use cmd_support::Fixture;

fn folder_exists(f: &Fixture, path: &str) -> bool {
    f.run(&["ls", path]).0 == 0
}

#[test]
fn mv_to_a_missing_last_segment_renames_the_folder() {
    let f = Fixture::demo();
    f.ok(&["mkdir", "-p", "/RCSMessageStore/tickets/T-5678"]);
    let id = f.create("/RCSMessageStore/tickets/T-5678", &[("Message-Context", "pager-message")], &[], vec![]);
    let out = f.ok(&["mv", "/RCSMessageStore/tickets/T-5678", "/RCSMessageStore/tickets/T-9999"]);
    assert!(out.contains("/RCSMessageStore/tickets/T-9999"), "{out}");
    assert!(folder_exists(&f, "/RCSMessageStore/tickets/T-9999"));
    assert!(!folder_exists(&f, "/RCSMessageStore/tickets/T-5678"));
    // The contents came along.
    let rec = &f.records(&["get", &id])[0];
    assert_eq!(rec["path"], format!("/RCSMessageStore/tickets/T-9999/{id}"));
}

#[test]
fn mv_to_a_missing_path_elsewhere_moves_and_renames() {
    let f = Fixture::demo();
    f.ok(&["mkdir", "-p", "/A/old"]);
    f.ok(&["mkdir", "-p", "/B"]);
    let recs = f.records(&["mv", "A/old", "B/new"]);
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0]["action"], "rename");
    assert_eq!(recs[0]["path"], "/B/new");
    assert!(folder_exists(&f, "/B/new"));
    assert!(!folder_exists(&f, "/A/old"));
    // Moving into an existing folder still moves (keeps the name).
    f.ok(&["mkdir", "-p", "/C"]);
    f.ok(&["mv", "/B/new", "/C"]);
    assert!(folder_exists(&f, "/C/new"));
}

#[test]
fn mv_rename_refuses_objects_missing_parents_and_several_sources() {
    let f = Fixture::demo();
    f.ok(&["mkdir", "-p", "/X/one"]);
    f.ok(&["mkdir", "-p", "/X/two"]);
    let id = f.create("/X/one", &[("Message-Context", "pager-message")], &[], vec![]);
    // An object cannot be renamed: the missing folder is the error, with a way out.
    let (code, _, err) = f.run(&["mv", &id, "/X/renamed"]);
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("no folder /X/renamed") && err.contains("mkdir"), "{err}");
    let (code, _, err) = f.run(&["mv", "/X/one", "/Nope/renamed"]);
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("/Nope"), "{err}");
    let (code, _, err) = f.run(&["mv", "/X/one", "/X/two", "/X/missing"]);
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("mkdir"), "{err}");
    // Nothing changed.
    assert!(folder_exists(&f, "/X/one") && folder_exists(&f, "/X/two"));
}

#[test]
fn relative_paths_resolve_from_the_root() {
    let f = Fixture::demo();
    f.ok(&["mkdir", "-p", "/Rel/inner"]);
    let id = f.create("/Rel/inner", &[("Message-Context", "pager-message")], &[], vec![]);
    let abs = f.ok(&["ls", "/Rel", "-o", "plain"]);
    assert_eq!(f.ok(&["ls", "Rel", "-o", "plain"]), abs);
    assert_eq!(f.ok(&["ls", "Rel/", "-o", "plain"]), abs);
    let inner = f.ok(&["ls", "Rel/inner", "-o", "plain"]);
    assert!(inner.contains(&id), "{inner}");
    // Paths of objects are accepted too, and search scopes.
    let rec = &f.records(&["get", &format!("Rel/inner/{id}")])[0];
    assert_eq!(rec["id"], id.as_str());
    let found = f.ids(&["--folder", "Rel"]);
    assert_eq!(found, vec![id.clone()]);
    // An unknown bare word is still reported as a folder that does not exist.
    let (code, _, err) = f.run(&["ls", "NoSuchFolder"]);
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("NoSuchFolder"), "{err}");
}
