//! `ls`, `search` and `get` through the real binary against the in-process reference server.

use crate::cmd_support;

use std::collections::HashSet;

use cmd_support::{Fixture, file_part, filters};

/// Ids of the fixture objects under `/Fixture/conv-a`.
struct Ids {
    sms_in: String,
    sms_out: String,
    chat: String,
    file: String,
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\nnot really a png";

fn fixture() -> (Fixture, Ids) {
    let f = Fixture::demo();
    let folder = "/Fixture/conv-a";
    let sms_in = f.create(
        folder,
        &[
            ("Date", "2024-05-01T10:00:00Z"),
            ("Direction", "In"),
            ("From", "tel:+15550002222"),
            ("To", "tel:+15550001111"),
            ("Message-Context", "pager-message"),
            ("TextContent", "hello there"),
        ],
        &["\\Seen"],
        vec![],
    );
    let sms_out = f.create(
        folder,
        &[
            ("Date", "2024-05-02T11:00:00Z"),
            ("Direction", "Out"),
            ("From", "tel:+15550001111"),
            ("To", "tel:+15550002222"),
            ("Message-Context", "pager-message"),
            ("TextContent", "see you"),
        ],
        &[],
        vec![],
    );
    let chat = f.create(
        folder,
        &[
            ("Date", "2024-05-03T12:00:00Z"),
            ("Direction", "In"),
            ("From", "tel:+15550003333"),
            ("To", "tel:+15550001111"),
            ("Message-Context", "chat-message"),
            ("Conversation-ID", "conv-a-id"),
            ("Subject", "Lunch?"),
        ],
        &["\\Flagged"],
        vec![file_part("text/plain", "chat.txt", b"Lunch at noon?")],
    );
    let file = f.create(
        folder,
        &[
            ("Date", "2024-05-04T13:00:00Z"),
            ("Direction", "In"),
            ("From", "tel:+15550003333"),
            ("To", "tel:+15550001111"),
            ("Message-Context", "file-message"),
            ("Conversation-ID", "conv-a-id"),
        ],
        &[],
        vec![file_part("image/png", "cat.png", PNG), file_part("text/x-shellscript", "../../evil.sh", b"rm -rf /")],
    );
    (f, Ids { sms_in, sms_out, chat, file })
}

fn ids_of(records: &[serde_json::Value]) -> Vec<String> {
    records.iter().map(|r| r["id"].as_str().unwrap().to_string()).collect()
}

#[test]
fn ls_root_and_folder_plain_rows_start_with_the_id() {
    let (f, ids) = fixture();
    let root = f.ok(&["ls", "/"]);
    assert!(root.lines().any(|l| l.ends_with("\tFixture/")), "{root}");
    let rows = f.ok(&["ls", "/Fixture/conv-a"]);
    let first: Vec<&str> = rows.lines().map(|l| l.split('\t').next().unwrap()).collect();
    // Newest first.
    assert_eq!(first, [ids.file.as_str(), &ids.chat, &ids.sms_out, &ids.sms_in]);
    let chat_row: Vec<&str> = rows.lines().nth(1).unwrap().split('\t').collect();
    assert_eq!(chat_row[1], "2024-05-03T12:00:00Z");
    assert_eq!(chat_row[5], "chat-message");
    assert_eq!(chat_row[6], "\\Flagged");
    assert_eq!(chat_row[8], "Lunch?");
}

#[test]
fn ls_json_records_have_id_kind_and_path() {
    let (f, ids) = fixture();
    let recs = f.records(&["ls", "/Fixture"]);
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0]["kind"], "folder");
    assert_eq!(recs[0]["path"], "/Fixture/conv-a");
    assert_eq!(recs[0]["name"], "conv-a");
    let recs = f.records(&["ls", "/Fixture/conv-a"]);
    let chat = recs.iter().find(|r| r["id"] == ids.chat.as_str()).unwrap();
    assert_eq!(chat["kind"], "object");
    assert_eq!(chat["path"], format!("/Fixture/conv-a/{}", ids.chat));
    assert_eq!(chat["subject"], "Lunch?");
    // `-o json` is one array with the same records.
    let arr: serde_json::Value = serde_json::from_str(&f.ok(&["-o", "json", "ls", "/Fixture/conv-a"])).unwrap();
    assert_eq!(arr.as_array().unwrap().len(), 4);
}

#[test]
fn ls_limit_prints_a_cursor_that_continues_the_listing() {
    let f = Fixture::demo();
    let created: HashSet<String> = f.create_many("/Paged", 7).into_iter().collect();
    let mut seen = HashSet::new();
    let mut args: Vec<String> =
        vec!["-o".into(), "ndjson".into(), "ls".into(), "/Paged".into(), "--limit".into(), "3".into()];
    for round in 0..5 {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, out, err) = f.run(&a);
        assert_eq!(code, 0, "{err}");
        for l in out.lines() {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            assert!(seen.insert(v["id"].as_str().unwrap().to_string()), "duplicate in round {round}");
        }
        let Some(pos) = err.find("--cursor '") else { break };
        let rest = &err[pos + 10..];
        let cursor = &rest[..rest.find('\'').unwrap()];
        args.truncate(6);
        args.extend(["--cursor".into(), cursor.into()]);
    }
    assert_eq!(seen, created);
}

#[test]
fn ls_recursive_walks_the_tree() {
    let (f, ids) = fixture();
    f.create("/Fixture/conv-a/sub", &[("Date", "2024-06-01T00:00:00Z")], &[], vec![]);
    let recs = f.records(&["ls", "-R", "/Fixture", "--all"]);
    let paths: Vec<&str> = recs.iter().map(|r| r["path"].as_str().unwrap()).collect();
    assert!(paths.contains(&"/Fixture/conv-a"));
    assert!(paths.contains(&"/Fixture/conv-a/sub"));
    assert!(paths.contains(&format!("/Fixture/conv-a/{}", ids.chat).as_str()));
    assert_eq!(recs.iter().filter(|r| r["kind"] == "object").count(), 5);
    // A table has one section per folder.
    let table = f.ok(&["-o", "table", "ls", "-R", "/Fixture"]);
    assert!(table.contains("/Fixture/conv-a:\n"), "{table}");
    assert!(table.contains("/Fixture/conv-a/sub:\n"), "{table}");
}

#[test]
fn ls_unknown_folder_exits_4() {
    let (f, _) = fixture();
    let (code, _, err) = f.run(&["ls", "/No/Such/Folder"]);
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("error: no folder /No/Such/Folder"), "{err}");
}

#[test]
fn search_filters_build_the_right_criteria() {
    let (f, ids) = fixture();
    let s = |args: &[&str]| {
        let mut all = vec!["search", "--folder", "/Fixture", "--all"];
        all.extend_from_slice(args);
        let mut got = ids_of(&f.records(&all));
        got.sort();
        got
    };
    let sorted = |v: &[&String]| {
        let mut v: Vec<String> = v.iter().map(|s| s.to_string()).collect();
        v.sort();
        v
    };
    assert_eq!(s(&["--context", "sms"]), sorted(&[&ids.sms_in, &ids.sms_out]));
    assert_eq!(s(&["--from", "tel:+15550003333"]), sorted(&[&ids.chat, &ids.file]));
    assert_eq!(s(&["--participant", "tel:+15550002222"]), sorted(&[&ids.sms_in, &ids.sms_out]));
    // --participant with other filters is checked on the client.
    assert_eq!(
        s(&["--participant", "tel:+15550002222", "--context", "sms", "--no-flag", "seen"]),
        sorted(&[&ids.sms_out])
    );
    assert_eq!(s(&["--conversation", "conv-a-id"]), sorted(&[&ids.chat, &ids.file]));
    assert_eq!(s(&["--flag", "flagged"]), sorted(&[&ids.chat]));
    assert_eq!(s(&["--since", "2024-05-02", "--until", "2024-05-03"]), sorted(&[&ids.sms_out]));
    assert_eq!(s(&["--text", "HELLO"]), sorted(&[&ids.sms_in]));
    assert_eq!(s(&["--attr", "Subject=Lunch?"]), sorted(&[&ids.chat]));
    // Sorting.
    let asc = ids_of(&f.records(&["search", "--folder", "/Fixture", "--sort", "date"]));
    assert_eq!(asc, [ids.sms_in.clone(), ids.sms_out.clone(), ids.chat.clone(), ids.file.clone()]);
}

#[test]
fn search_with_no_result_exits_0_and_prints_nothing() {
    let (f, _) = fixture();
    let (code, out, err) = f.run(&["search", "--folder", "/Fixture", "--context", "imdn"]);
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    let (code, out, _) = f.run(&["-o", "json", "search", "--folder", "/Fixture", "--context", "imdn"]);
    assert_eq!((code, out.trim()), (0, "[]"));
}

#[test]
fn search_criteria_file_and_stdin() {
    let (f, ids) = fixture();
    let path = f.work().join("c.json");
    std::fs::write(
        &path,
        r#"{"searchCriteria":{"operator":"Or","criterion":[
            {"type":"Attribute","name":"Subject","value":"Lunch?"},
            {"type":"AllTextAttributes","value":"see you"}]}}"#,
    )
    .unwrap();
    let mut got = ids_of(&f.records(&["search", "--folder", "/Fixture", "--criteria", path.to_str().unwrap()]));
    got.sort();
    let mut want = vec![ids.chat.clone(), ids.sms_out.clone()];
    want.sort();
    assert_eq!(got, want);
    let out = f
        .cmd()
        .args(["-o", "ndjson", "search", "--folder", "/Fixture", "--criteria", "-"])
        .write_stdin(r#"{"criterion":[{"type":"Flag","name":"\\Seen","value":"true"}]}"#)
        .output()
        .unwrap();
    assert!(out.status.success());
    let rec: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rec["id"], ids.sms_in.as_str());
    // Operators other than And cannot be mixed with flags.
    let (code, _, err) = f.run(&["search", "--criteria", path.to_str().unwrap(), "--context", "sms"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn search_limit_and_cursor_page_through_everything() {
    let f = Fixture::demo();
    let created: HashSet<String> = f.create_many("/Many", 25).into_iter().collect();
    let (code, out, err) = f.run(&["-o", "ndjson", "search", "--folder", "/Many", "--limit", "10"]);
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 10);
    let pos = err.find("--cursor '").expect(&err);
    let rest = &err[pos + 10..];
    let cursor = &rest[..rest.find('\'').unwrap()];
    let more = f.records(&["search", "--folder", "/Many", "--cursor", cursor, "--all"]);
    let mut all: HashSet<String> = out
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].as_str().unwrap().to_string())
        .collect();
    all.extend(ids_of(&more));
    assert_eq!(all, created);
    // A small page size still streams every page.
    assert_eq!(f.records(&["search", "--folder", "/Many", "--all", "--page-size", "4"]).len(), 25);
}

#[test]
fn search_into_a_closed_pipe_exits_0_quietly() {
    let f = Fixture::demo();
    f.create_many("/Big", 400);
    let bin = assert_cmd::cargo::cargo_bin!("cpmctl");
    let script = format!("set -o pipefail; '{}' -o ndjson search --folder /Big --all | head -1", bin.display());
    // bash with the binary's hermetic environment runs the pipeline.
    let base = cmd_support::std_cmd_for(&f.info.base_url, &f.info.user, &f.info.password, f.dir.path());
    let mut c = std::process::Command::new("bash");
    c.args(["-c", &script]).env_clear();
    for (k, v) in base.get_envs() {
        if let Some(v) = v {
            c.env(k, v);
        }
    }
    let out = c.output().unwrap();
    assert!(out.status.success(), "exit {:?}: {}", out.status.code(), String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn get_metadata_plain_json_and_by_path() {
    let (f, ids) = fixture();
    let plain = f.ok(&["get", &ids.chat]);
    assert!(plain.starts_with(&format!("id\t{}\n", ids.chat)), "{plain}");
    assert!(plain.contains("subject\tLunch?\n"), "{plain}");
    assert!(plain.contains("part\t1 ["), "{plain}");
    let by_path = f.records(&["get", &format!("/Fixture/conv-a/{}", ids.chat)]);
    assert_eq!(by_path[0]["id"], ids.chat.as_str());
    assert_eq!(by_path[0]["parts"][0]["filename"], "chat.txt");
    let two: serde_json::Value = serde_json::from_str(&f.ok(&["-o", "json", "get", &ids.chat, &ids.sms_in])).unwrap();
    assert_eq!(two.as_array().unwrap().len(), 2);
}

#[test]
fn get_unknown_id_exits_4() {
    let (f, _) = fixture();
    let (code, _, err) = f.run(&["get", "doesnotexist"]);
    assert_eq!(code, 4, "{err}");
    assert!(err.starts_with("error: no object doesnotexist"), "{err}");
}

#[test]
fn get_part_to_file_to_stdout_and_no_overwrite() {
    let (f, ids) = fixture();
    let out = f.work().join("img.png");
    f.ok(&["get", &ids.file, "--part", "1", "--out", out.to_str().unwrap()]);
    assert_eq!(std::fs::read(&out).unwrap(), PNG);
    // Not replaced without --force (exit 7), replaced with it.
    std::fs::write(&out, b"mine").unwrap();
    let (code, _, err) = f.run(&["get", &ids.file, "--part", "cat.png", "--out", out.to_str().unwrap()]);
    assert_eq!(code, 7, "{err}");
    assert_eq!(std::fs::read(&out).unwrap(), b"mine");
    f.ok(&["get", &ids.file, "--part", "1", "--out", out.to_str().unwrap(), "--force"]);
    assert_eq!(std::fs::read(&out).unwrap(), PNG);
    // stdout is a pipe here, so bytes may go there.
    let bytes = f.cmd().args(["get", &ids.chat, "--part", "1"]).output().unwrap();
    assert!(bytes.status.success());
    assert_eq!(bytes.stdout, b"Lunch at noon?");
    let (code, _, _) = f.run(&["get", &ids.file, "--part", "9"]);
    assert_eq!(code, 4);
}

#[test]
fn get_out_dir_keeps_hostile_names_inside() {
    let (f, ids) = fixture();
    let dir = f.work().join("export");
    f.ok(&["get", &ids.file, "--all-parts", "--out", &format!("{}/", dir.display())]);
    let mut names: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["cat.png", "evil.sh"]);
    assert!(!f.work().join("evil.sh").exists());
    assert!(!f.dir.path().join("evil.sh").exists());
    assert_eq!(std::fs::read(dir.join("evil.sh")).unwrap(), b"rm -rf /");
}

#[test]
fn reading_never_changes_flags() {
    let (f, ids) = fixture();
    assert!(f.flags(&ids.sms_out).is_empty());
    f.ok(&["get", &ids.sms_out]);
    f.ok(&["get", &ids.chat, "--payload", "--out", f.work().join("p").to_str().unwrap()]);
    f.ok(&["search", "--folder", "/Fixture", "--all"]);
    f.ok(&["ls", "-R", "/Fixture"]);
    assert!(f.flags(&ids.sms_out).is_empty());
    assert_eq!(f.flags(&ids.chat), ["\\Flagged"]);
}

#[test]
fn snapshots_of_table_plain_and_json() {
    let (f, ids) = fixture();
    let run = |args: &[&str]| {
        let out = f.cmd().env("COLUMNS", "160").args(args).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    insta::with_settings!({filters => filters()}, {
        insta::assert_snapshot!("ls_table", run(&["-o", "table", "ls", "/Fixture/conv-a"]));
        insta::assert_snapshot!("ls_plain", run(&["-o", "plain", "ls", "/Fixture/conv-a"]));
        insta::assert_snapshot!("search_table", run(&["-o", "table", "search", "--folder", "/Fixture", "--context", "sms"]));
        insta::assert_snapshot!("get_table", run(&["-o", "table", "get", &ids.file]));
        insta::assert_snapshot!("get_json", run(&["-o", "json", "get", &ids.chat]));
        insta::assert_snapshot!("search_ndjson", run(&["-o", "ndjson", "search", "--folder", "/Fixture", "--context", "sms"]));
    });
}

#[test]
fn table_at_80_columns_keeps_ids_whole() {
    let (f, ids) = fixture();
    let out = f.cmd().env("COLUMNS", "80").args(["-o", "table", "ls", "/Fixture/conv-a"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    for id in [&ids.sms_in, &ids.sms_out, &ids.chat, &ids.file] {
        assert!(text.contains(id.as_str()), "id {id} cut:\n{text}");
    }
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    // The header stays on one line; ID and DATE are never cut, and low-value columns go
    // before PEER and SUBJECT/TEXT are cut short (issue 14, item 10).
    for name in ["ID ", " DATE ", " PEER ", " SUBJECT/TEXT"] {
        assert!(header.contains(name), "{name:?} missing from the header:\n{text}");
    }
    assert_eq!(lines.count(), 4, "one line per object:\n{text}");
    assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
    insta::with_settings!({filters => filters()}, {
        insta::assert_snapshot!("ls_table_80_columns", text);
    });
}

#[test]
fn json_output_gets_a_json_error_on_stderr() {
    let f = Fixture::demo();
    for format in ["json", "ndjson"] {
        let (code, stdout, stderr) = f.run(&["get", "nonexistent", "-o", format]);
        assert_eq!(code, 4, "{stderr}");
        assert!(stdout.is_empty(), "{stdout}");
        assert_eq!(stderr.lines().count(), 1, "one JSON line:\n{stderr}");
        let v: serde_json::Value = serde_json::from_str(&stderr).unwrap();
        let e = &v["error"];
        assert_eq!(e["kind"], "not_found");
        assert_eq!(e["exit_code"], 4);
        assert!(e["message"].as_str().unwrap().contains("nonexistent"), "{v}");
        // The reference server answers a missing object with SVC0004.
        assert_eq!(e["message_id"], "SVC0004", "{v}");
        assert!(e["hints"].is_array(), "{v}");
    }
    // People keep the readable form.
    let (code, _, stderr) = f.run(&["get", "nonexistent"]);
    assert_eq!(code, 4);
    assert!(stderr.starts_with("error: "), "{stderr}");
}

#[test]
fn verbose_traces_requests_without_secrets() {
    let f = Fixture::demo();
    let (code, _, stderr) = f.run(&["-v", "ls", "/"]);
    assert_eq!(code, 0, "{stderr}");
    let get_folder = stderr
        .lines()
        .find(|l| l.starts_with("debug: GET ") && l.contains("/nms/v1/cpm/tel%3A%2B15550001111/folders/"))
        .unwrap_or_else(|| panic!("no folder GET traced:\n{stderr}"));
    assert!(get_folder.contains("-> 200 ("), "{get_folder}");
    assert!(!stderr.contains(&f.info.password), "password in the trace:\n{stderr}");
    // Without -v there is no trace.
    let (_, _, quiet) = f.run(&["ls", "/"]);
    assert!(!quiet.contains("debug:"), "{quiet}");
}
