//! `--mirror DIR` for `conversations` and `export`: a mirror made by `cpmctl sync` read offline
//! (the server stopped) gives the same conversations and the same export as the store.

use crate::cmd_support;

use std::collections::BTreeMap;
use std::path::Path;

use cmd_support::Fixture;
use sha2::{Digest, Sha256};

/// Every file under `dir` with its SHA-256, except what legitimately differs offline (the
/// manifest's time and the records' server URLs, checked separately).
fn hashes(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let rel = p.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
            if rel.ends_with(".html") || rel.ends_with("messages.jsonl") || rel == "manifest.json" {
                continue;
            }
            out.insert(rel, hex::encode(Sha256::digest(std::fs::read(&p).unwrap())));
        }
    }
    out
}

/// (id, flags, attributes) of every record, by id.
fn records(dir: &Path) -> BTreeMap<String, (serde_json::Value, serde_json::Value)> {
    let mut out = BTreeMap::new();
    for (rel, _) in hashes(dir).iter().filter(|(r, _)| r.ends_with("transcript.txt")) {
        let jsonl = dir.join(rel.replace("transcript.txt", "messages.jsonl"));
        for line in std::fs::read_to_string(jsonl).unwrap().lines() {
            let r: serde_json::Value = serde_json::from_str(line).unwrap();
            let o = &r["object"];
            out.insert(r["id"].as_str().unwrap().to_string(), (o["flags"]["flag"].clone(), o["attributes"].clone()));
        }
    }
    out
}

#[test]
fn a_mirror_reads_offline_like_the_store() {
    let mut f = Fixture::demo();
    let online_convs = f.ok(&["-o", "json", "conversations"]);
    f.ok(&["sync", "mirror"]);
    f.ok(&["export", "--all", "--out", "online", "--tz", "UTC"]);
    f.stop();

    let offline_convs = f.ok(&["-o", "json", "conversations", "--mirror", "mirror"]);
    assert_eq!(offline_convs, online_convs, "the same conversations, counts and members");
    let one: Vec<serde_json::Value> = serde_json::from_str(&online_convs).unwrap();
    let bob = f.ok(&["-o", "json", "conversations", "--mirror", "mirror", "--participant", "+1 555 000 2222"]);
    let bob: Vec<serde_json::Value> = serde_json::from_str(&bob).unwrap();
    assert!(!bob.is_empty() && bob.len() < one.len());

    f.ok(&["export", "--all", "--mirror", "mirror", "--out", "offline", "--tz", "UTC"]);
    let (on, off) = (f.work().join("online"), f.work().join("offline"));
    assert_eq!(hashes(&off), hashes(&on), "same folders, attachments, text transcripts and index");
    assert_eq!(records(&off), records(&on), "same objects with the same flags and attributes");
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(off.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(m["box"], f.info.box_id.as_str());
    assert_eq!(m["query"]["mirror"], "mirror");

    // A directory that is not a mirror is a usage error, and nothing is written.
    std::fs::create_dir_all(f.work().join("empty")).unwrap();
    let (code, _, err) = f.run(&["export", "--all", "--mirror", "empty", "--out", "x"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not a mirror"), "{err}");
    assert!(!f.work().join("x").exists());
}
