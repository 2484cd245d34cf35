//! `put`, `mkdir`, `mv`, `rm` and `flag` through the real binary against the in-process
//! reference server, plus the auth and server-down exit codes.

use crate::cmd_support;

use std::collections::HashSet;

use cmd_support::Fixture;

fn rec_ids(out: &str) -> Vec<String> {
    out.lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn put_sms_text_file_sets_text_and_correlation_tag() {
    let f = Fixture::demo();
    let file = f.work().join("sms.txt");
    std::fs::write(&file, "Running late, 10 min").unwrap();
    let out = f.ok(&[
        "put",
        file.to_str().unwrap(),
        "--context",
        "sms",
        "--from",
        "tel:+15550002222",
        "--to",
        "tel:+15550001111",
        "--date",
        "2024-05-01T10:00:00Z",
        "--folder",
        "/Imported/sms",
    ]);
    let id = out.lines().next().unwrap().split('\t').next().unwrap().to_string();
    let rec = &f.records(&["get", &id])[0];
    assert_eq!(rec["context"], "pager-message");
    assert_eq!(rec["direction"], "In");
    assert_eq!(rec["text"], "Running late, 10 min");
    assert_eq!(rec["date"], "2024-05-01T10:00:00Z");
    assert_eq!(rec["path"], format!("/Imported/sms/{id}"));
    let tag = cpmctl::wire::correlation::correlation_tag(Some("+15550002222"), true, "Running late, 10 min");
    assert_eq!(rec["correlationTag"], tag.as_str());
    // An explicit tag wins; stdin works as a payload.
    let out = f
        .cmd()
        .args(["-o", "ndjson", "put", "-", "--context", "sms", "--to", "tel:+15550002222", "--correlation-tag", "abc"])
        .write_stdin("hi")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let id = rec_ids(&String::from_utf8_lossy(&out.stdout)).remove(0);
    let rec = &f.records(&["get", &id])[0];
    assert_eq!(rec["correlationTag"], "abc");
    assert_eq!(rec["direction"], "Out");
}

#[test]
fn put_binary_with_attrs_and_json_object() {
    let f = Fixture::demo();
    let img = f.work().join("photo.png");
    std::fs::write(&img, b"\x89PNG fake").unwrap();
    let out = f.ok(&[
        "-o",
        "ndjson",
        "put",
        img.to_str().unwrap(),
        "--context",
        "file",
        "--attr",
        "Conversation-ID=c1",
        "--flag",
        "seen",
        "--folder",
        "/Files",
    ]);
    let id = rec_ids(&out).remove(0);
    let rec = &f.records(&["get", &id])[0];
    assert_eq!(rec["parts"][0]["contentType"], "image/png");
    assert_eq!(rec["parts"][0]["filename"], "photo.png");
    assert_eq!(rec["conversation"], "c1");
    assert_eq!(rec["flags"][0], "\\Seen");
    let bytes = f.cmd().args(["get", &id, "--part", "1"]).output().unwrap().stdout;
    assert_eq!(bytes, b"\x89PNG fake");

    let json = f.work().join("o.json");
    std::fs::write(
        &json,
        r#"{"object":{"resourceURL":"http://elsewhere/objects/x","attributes":{"attribute":[
            {"name":"Message-Context","value":["standalone-message"]},{"name":"Subject","value":"From JSON"}]},
            "flags":{"flag":[]},"correlationId":"imdn-1"}}"#,
    )
    .unwrap();
    let out =
        f.ok(&["-o", "ndjson", "put", "--json", json.to_str().unwrap(), img.to_str().unwrap(), "--folder", "/Files"]);
    let id = rec_ids(&out).remove(0);
    let rec = &f.records(&["get", &id])[0];
    assert_eq!(rec["subject"], "From JSON");
    assert_eq!(rec["correlationId"], "imdn-1");
    assert_eq!(rec["parts"].as_array().unwrap().len(), 1);
}

#[test]
fn put_a_directory_of_500_files() {
    let f = Fixture::demo();
    let dir = f.work().join("many");
    std::fs::create_dir(&dir).unwrap();
    for i in 0..500 {
        std::fs::write(dir.join(format!("m{i:03}.txt")), format!("message {i}")).unwrap();
    }
    let (code, out, err) = f.run(&[
        "--progress",
        "log",
        "put",
        dir.to_str().unwrap(),
        "--context",
        "sms",
        "--from",
        "tel:+15550002222",
        "--folder",
        "/Bulk",
        "--concurrency",
        "3",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 500);
    assert!(err.contains("put: done 500, failed 0, skipped 0"), "{err}");
    let ids: HashSet<String> = out.lines().map(|l| l.split('\t').next().unwrap().to_string()).collect();
    assert_eq!(ids.len(), 500);
    let found: HashSet<String> = f.ids(&["--folder", "/Bulk"]).into_iter().collect();
    assert_eq!(found, ids);
    let texts: HashSet<String> = f
        .records(&["search", "--folder", "/Bulk", "--all"])
        .iter()
        .map(|r| r["text"].as_str().unwrap().to_string())
        .collect();
    assert!(texts.contains("message 0") && texts.contains("message 499"));
}

#[test]
fn put_missing_input_is_a_usage_error_and_stores_nothing() {
    let f = Fixture::demo();
    let good = f.work().join("a.txt");
    std::fs::write(&good, "zqxj-unique-text").unwrap();
    let missing = f.work().join("missing.txt");
    let (code, _, err) = f.run(&["put", good.to_str().unwrap(), missing.to_str().unwrap()]);
    // A missing input is a usage error before anything is stored.
    assert_eq!(code, 2, "{err}");
    assert!(f.ids(&["--text", "zqxj-unique-text"]).is_empty());
}

#[test]
fn mkdir_with_and_without_parents() {
    let f = Fixture::demo();
    let (code, _, err) = f.run(&["mkdir", "/A/B/C"]);
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("does not exist"), "{err}");
    let out = f.ok(&["mkdir", "-p", "/A/B/C"]);
    assert!(out.ends_with("\t/A/B/C\n"), "{out}");
    f.ok(&["mkdir", "/A/B/D"]);
    let (code, _, _) = f.run(&["mkdir", "/A/B/D"]);
    assert_eq!(code, 1);
    f.ok(&["mkdir", "-p", "/A/B/D"]);
    let names: Vec<String> =
        f.records(&["ls", "/A/B"]).iter().map(|r| r["name"].as_str().unwrap().to_string()).collect();
    assert_eq!(names.len(), 2);
    assert!(names.contains(&"C".to_string()) && names.contains(&"D".to_string()));
}

#[test]
fn mv_objects_and_folders() {
    let f = Fixture::demo();
    let ids = f.create_many("/From", 3);
    f.ok(&["mkdir", "-p", "/To/Sub"]);
    let out = f.ok(&["-o", "ndjson", "mv", &ids[0], &ids[1], "/To"]);
    assert_eq!(rec_ids(&out), [ids[0].clone(), ids[1].clone()]);
    let moved: HashSet<String> = f.ids(&["--folder", "/To"]).into_iter().collect();
    assert!(moved.contains(&ids[0]) && moved.contains(&ids[1]) && !moved.contains(&ids[2]));
    // A folder moves with its contents.
    f.ok(&["mv", "/From", "/To/Sub"]);
    let rec = &f.records(&["get", &ids[2]])[0];
    assert_eq!(rec["path"], format!("/To/Sub/From/{}", ids[2]));
    let (code, _, _) = f.run(&["mv", &ids[0], "/Nowhere"]);
    assert_eq!(code, 4);
}

#[test]
fn rm_off_a_terminal_needs_yes_and_dry_run_changes_nothing() {
    let f = Fixture::demo();
    let ids = f.create_many("/Doomed", 3);
    let (code, out, err) = f.run(&["rm", &ids[0], &ids[1]]);
    assert_eq!(code, 7, "{err}");
    assert!(err.contains("--yes"), "{err}");
    assert_eq!(out, "");
    let (code, out, err) = f.run(&["rm", "--dry-run", &ids[0], &ids[1]]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 2);
    assert!(err.contains("would delete 2 objects"), "{err}");
    assert!(ids.iter().all(|i| f.exists(i)));
    // Reading ids from stdin never prompts, even with a terminal elsewhere.
    let out = f.cmd().args(["rm", "-"]).write_stdin(format!("{}\n", ids[2])).output().unwrap();
    assert_eq!(out.status.code(), Some(7));
    assert!(ids.iter().all(|i| f.exists(i)));
    // Folders need -r; a folder on the command line refuses the whole run up front.
    let (code, _, err) = f.run(&["rm", "--yes", "/Doomed"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = f.run(&["rm", "--yes", &ids[0], "/Doomed"]);
    assert_eq!(code, 2, "{err}");
    assert!(f.exists(&ids[0]), "an object was deleted before the refusal");
    f.ok(&["rm", "--yes", &ids[0]]);
    assert!(!f.exists(&ids[0]) && f.exists(&ids[1]));
    f.ok(&["rm", "--yes", "-r", "/Doomed"]);
    assert!(!f.exists(&ids[1]) && !f.exists(&ids[2]));
    let (code, _, _) = f.run(&["ls", "/Doomed"]);
    assert_eq!(code, 4);
}

#[test]
fn search_ndjson_piped_to_rm_deletes_exactly_those() {
    let f = Fixture::demo();
    let sms = f.create_many("/Mixed", 230);
    let keep =
        f.create("/Mixed", &[("Message-Context", "chat-message"), ("Date", "2024-01-01T00:00:00Z")], &[], vec![]);
    let out = f.ok(&["-o", "ndjson", "search", "--folder", "/Mixed", "--context", "sms", "--all"]);
    assert_eq!(out.lines().count(), 230);
    let res = f.cmd().args(["--progress", "log", "rm", "--yes", "-"]).write_stdin(out).output().unwrap();
    assert!(res.status.success(), "{}", String::from_utf8_lossy(&res.stderr));
    assert!(String::from_utf8_lossy(&res.stderr).contains("rm: done 230, failed 0"));
    assert!(sms.iter().all(|i| !f.exists(i)));
    assert!(f.exists(&keep));
    // Plain rows (id first) work the same way.
    let more = f.create_many("/Mixed2", 3);
    let plain = f.ok(&["-o", "plain", "search", "--folder", "/Mixed2", "--all"]);
    let out = f.cmd().args(["rm", "--yes", "-"]).write_stdin(plain).output().unwrap();
    assert!(out.status.success());
    assert!(more.iter().all(|i| !f.exists(i)));
}

#[test]
fn rm_reports_unknown_ids_and_exits_6() {
    let f = Fixture::demo();
    let ids = f.create_many("/Some", 2);
    let (code, _, err) = f.run(&["rm", "--yes", &ids[0], "nosuchid", &ids[1]]);
    assert_eq!(code, 6, "{err}");
    assert!(err.contains("no object nosuchid in box tel:+15550001111"), "{err}");
    assert!(!f.exists(&ids[0]) && !f.exists(&ids[1]));
    let (code, _, err) = f.run(&["rm", "--yes", "nosuchid"]);
    assert_eq!(code, 4, "{err}");
}

#[test]
fn flag_add_and_rm_in_bulk() {
    let f = Fixture::demo();
    let ids = f.create_many("/Flags", 150);
    let list = ids.join("\n");
    let out = f.cmd().args(["flag", "add", "seen", "-"]).write_stdin(list.clone()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(f.flags(&ids[0]), ["\\Seen"]);
    assert_eq!(f.flags(&ids[149]), ["\\Seen"]);
    assert_eq!(f.ids(&["--folder", "/Flags", "--flag", "seen"]).len(), 150);
    f.ok(&["flag", "rm", "\\SEEN", &ids[0], &ids[1]]);
    assert!(f.flags(&ids[0]).is_empty());
    assert_eq!(f.ids(&["--folder", "/Flags", "--no-flag", "seen"]).len(), 2);
    let (code, _, _) = f.run(&["flag", "add", "seen", "/Flags"]);
    assert_eq!(code, 2);
}

#[test]
fn wrong_password_exits_3() {
    let f = Fixture::demo();
    // A password unlike any word of the message ("wrong user or password…").
    let out = f.cmd().env("CPMCTL_PASSWORD", "Pw-xq7-nope").args(["ls", "/"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stderr));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("error: "), "{err}");
    assert!(!err.contains("Pw-xq7-nope"), "the password must not be printed: {err}");
    let out = f.cmd().env("CPMCTL_PASSWORD", "wrong").args(["rm", "--yes", "x"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
}

#[test]
fn server_down_exits_5() {
    let mut f = Fixture::demo();
    f.stop();
    for args in
        [&["ls", "/"][..], &["get", "abc"], &["search"], &["rm", "--yes", "abc"], &["flag", "add", "seen", "abc"]]
    {
        let out = f.cmd().args(["--retries", "0"]).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(5), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
}

#[test]
fn ls_records_piped_to_rm_r_delete_folders_and_objects() {
    let f = Fixture::demo();
    let loose = f.create_many("/Tree", 2);
    let nested = f.create_many("/Tree/inner", 2);
    // Folder ids work as ls arguments too.
    let folder = f.records(&["ls", "/Tree"]).into_iter().find(|r| r["kind"] == "folder").unwrap();
    let inner_id = folder["id"].as_str().unwrap().to_string();
    assert_eq!(f.records(&["ls", &inner_id]).len(), 2);
    let listing = f.ok(&["-o", "ndjson", "ls", "/Tree"]);
    assert_eq!(listing.lines().count(), 3);
    // Without -r the folder record is refused before anything is deleted.
    let out = f.cmd().args(["rm", "--yes", "-"]).write_stdin(listing.clone()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(loose.iter().chain(&nested).all(|i| f.exists(i)));
    let out = f.cmd().args(["-o", "ndjson", "rm", "-r", "--yes", "-"]).write_stdin(listing).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let kinds: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kinds.iter().filter(|k| *k == "folder").count(), 1);
    assert!(loose.iter().chain(&nested).all(|i| !f.exists(i)));
    // A bare folder id with -r is looked up as a folder.
    f.ok(&["mkdir", "-p", "/Tree2/x"]);
    let id = f.records(&["ls", "/Tree2"])[0]["id"].as_str().unwrap().to_string();
    f.ok(&["rm", "-r", "--yes", &id]);
    assert!(f.records(&["ls", "/Tree2"]).is_empty());
}

#[test]
fn write_commands_print_one_json_array_with_o_json() {
    let f = Fixture::demo();
    let ids = f.create_many("/JsonOut", 3);
    let out = f.ok(&["-o", "json", "flag", "add", "seen", &ids[0], &ids[1]]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("flag -o json is one document");
    assert_eq!(v.as_array().map(Vec::len), Some(2), "{out}");
    assert_eq!(v[0]["action"], "add");
    let out = f.ok(&["-o", "json", "rm", "--dry-run", &ids[0], &ids[1], &ids[2]]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("rm --dry-run -o json is one document");
    assert_eq!(v.as_array().map(Vec::len), Some(3), "{out}");
    assert!(v.as_array().into_iter().flatten().all(|r| r["dryRun"] == true));
    // Nothing to do is still a document: an empty array.
    let out = f.cmd().args(["-o", "json", "rm", "--yes", "-"]).write_stdin("").output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "[]");
    // A partly failed run still prints what was done as one array, and exits 6.
    let (code, out, err) = f.run(&["-o", "json", "rm", "--yes", &ids[0], "nosuchid"]);
    assert_eq!(code, 6, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("a failed run's output is one document");
    assert_eq!(v[0]["id"], ids[0].as_str());
    assert_eq!(v.as_array().map(Vec::len), Some(1));
}
