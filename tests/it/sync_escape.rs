//! The escape of `cpmctl sync` (issue 11, Build §1): when the change log cannot be followed, the
//! reconciling listing keeps every local file it can match — by object id, then correlationId,
//! then correlationTag plus Date — so objects re-created on the store under new ids (as after a
//! resetBox) keep their files instead of being trashed and downloaded again.

use crate::cmd_support;

use std::path::Path;

use cmd_support::Fixture;
use cpmctl::nms::NewObject;
use cpmctl::wire::Object;

fn summary(f: &Fixture, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["-o", "json", "sync"];
    all.extend_from_slice(args);
    serde_json::from_str(&f.ok(&all)).unwrap()
}

fn files_with(dir: &Path, base: &str) -> Vec<String> {
    let mut out = Vec::new();
    for e in walkdir(dir) {
        let name = e.rsplit('/').next().unwrap_or("").to_string();
        if !e.contains("/.cpmctl/") && name.starts_with(&format!("{base}:2,")) {
            out.push(e);
        }
    }
    out
}

fn walkdir(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else { return out };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walkdir(&p));
        } else {
            out.push(p.to_string_lossy().into_owned());
        }
    }
    out
}

#[test]
fn objects_recreated_with_new_ids_keep_their_files_on_escape() {
    let f = Fixture::demo();
    let client = f.client();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let make = |cid: Option<&str>, tag: Option<&str>, text: &str| -> (Object, Vec<cpmctl::wire::multipart::Part>) {
        let mut o = cmd_support::object(
            "/Recreated",
            &[("Date", "2024-05-05T05:05:05Z"), ("Message-Context", "pager-message"), ("TextContent", text)],
            &["\\Seen"],
        );
        o.correlation_id = cid.map(String::from);
        o.correlation_tag = tag.map(String::from);
        (o, vec![cmd_support::file_part("image/png", "p.png", text.as_bytes())])
    };
    let specs = [(Some("cid-a@example.com"), None, "by correlationId"), (None, Some("tag-b"), "by tag and date")];
    let create = |(cid, tag, text): (Option<&str>, Option<&str>, &str)| {
        let (object, parts) = make(cid, tag, text);
        cpmctl::nms::id_from_url(&rt.block_on(client.create_object(&NewObject { object, parts })).unwrap().resource_url)
    };
    let old: Vec<String> = specs.iter().map(|s| create(*s)).collect();
    let dir = f.work().join("mirror");
    let d = dir.to_str().unwrap();
    summary(&f, &[d]);

    // The store loses the objects and gets them back under new ids; the token is gone too.
    let mut rm = vec!["rm", "--yes"];
    rm.extend(old.iter().map(String::as_str));
    f.ok(&rm);
    let new: Vec<String> = specs.iter().map(|s| create(*s)).collect();
    let conn = rusqlite::Connection::open(dir.join(".cpmctl/index.sqlite")).unwrap();
    conn.execute("UPDATE meta SET value = 'expired-token' WHERE key = 'restart_token'", []).unwrap();
    drop(conn);

    let s = summary(&f, &[d]);
    assert_eq!(s["escaped"], true, "{s}");
    assert_eq!(s["rematched"], 2, "{s}");
    assert_eq!(s["downloaded"], 0, "the matched files are kept, not downloaded: {s}");
    assert_eq!(s["deleted"], 0, "{s}");
    for (o, n) in old.iter().zip(&new) {
        assert!(files_with(&dir, &cpmctl::formats::safe_file_name(o)).is_empty(), "old file of {o} left");
        assert_eq!(files_with(&dir, &cpmctl::formats::safe_file_name(n)).len(), 1, "no file for {n}");
    }
    // Nothing went to the trash: the files were kept, not replaced.
    let trash = walkdir(&dir.join(".cpmctl/trash"));
    assert!(trash.is_empty(), "{trash:?}");
    let (code, out, err) = f.run(&["check", d]);
    assert_eq!(code, 0, "{out}\n{err}");
}

/// A correlationTag alone is shared by repeated texts: without the same Date it does not match.
#[test]
fn a_tag_with_another_date_is_not_a_match() {
    let f = Fixture::demo();
    let client = f.client();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let create = |date: &str| {
        let mut o = cmd_support::object("/Tags", &[("Date", date), ("TextContent", "ok")], &[]);
        o.correlation_tag = Some("same-tag".into());
        cpmctl::nms::id_from_url(
            &rt.block_on(client.create_object(&NewObject { object: o, parts: Vec::new() })).unwrap().resource_url,
        )
    };
    let old = create("2024-01-01T00:00:00Z");
    let dir = f.work().join("mirror");
    let d = dir.to_str().unwrap();
    summary(&f, &[d]);
    f.ok(&["rm", "--yes", &old]);
    create("2024-01-02T00:00:00Z");
    let s = summary(&f, &["--resync", d]);
    assert_eq!(
        (s["rematched"].as_u64(), s["downloaded"].as_u64(), s["deleted"].as_u64()),
        (Some(0), Some(1), Some(1)),
        "{s}"
    );
}
