//! Issue 13's round trip through the real commands: `export --format jsonl` of the demo box,
//! the box emptied, `import` of that export, `export` again: the records are identical except
//! for what the store assigns (ids, URLs, lastModSeq) and the attachment file names built from ids.

use crate::cmd_support;

use std::path::Path;

use cmd_support::Fixture;
use serde_json::Value;

/// Every record of every messages.jsonl under `dir`, with store-assigned fields removed, as
/// canonical JSON strings, sorted.
fn records(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n == "messages.jsonl") {
                for line in std::fs::read_to_string(&p).unwrap().lines().filter(|l| !l.trim().is_empty()) {
                    let mut v: Value = serde_json::from_str(line).unwrap();
                    strip(&mut v);
                    out.push(serde_json::to_string(&v).unwrap());
                }
            }
        }
    }
    out.sort();
    out
}

fn strip(v: &mut Value) {
    let Some(m) = v.as_object_mut() else { return };
    m.remove("id");
    if let Some(o) = m.get_mut("object").and_then(Value::as_object_mut) {
        for k in ["resourceURL", "parentFolder", "payloadURL", "lastModSeq", "path"] {
            o.remove(k);
        }
        if let Some(parts) = o.get_mut("payloadPart").and_then(Value::as_array_mut) {
            for p in parts {
                if let Some(p) = p.as_object_mut() {
                    p.remove("href");
                }
            }
        }
        if let Some(flags) = o.get_mut("flags").and_then(Value::as_object_mut) {
            flags.remove("resourceURL");
            // Flags are a set; the store may keep them in another order.
            if let Some(list) = flags.get_mut("flag").and_then(Value::as_array_mut) {
                list.sort_by_key(|f| f.to_string());
            }
        }
    }
    if let Some(parts) = m.get_mut("parts").and_then(Value::as_array_mut) {
        for p in parts {
            if let Some(p) = p.as_object_mut() {
                p.remove("file");
            }
        }
    }
}

#[test]
fn export_import_export_gives_identical_records() {
    let fx = Fixture::demo();
    let first = fx.work().join("first");
    let second = fx.work().join("second");
    fx.ok(&["export", "--all", "--format", "jsonl", "--out", &first.display().to_string()]);
    let before = records(&first);
    assert!(before.len() > 300, "the demo box has some 400 objects: {}", before.len());

    let ids = fx.ok(&["search", "--all", "-o", "ndjson"]);
    let ids: String = ids
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["id"].as_str().unwrap().to_string() + "\n")
        .collect();
    let out = fx.cmd().args(["rm", "--yes", "-"]).write_stdin(ids).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(fx.ok(&["search", "--all", "-o", "ndjson"]).lines().count(), 0);

    let (code, _, err) = fx.run(&["import", &first.display().to_string()]);
    assert_eq!(code, 0, "{err}");
    fx.ok(&["export", "--all", "--format", "jsonl", "--out", &second.display().to_string()]);
    let after = records(&second);
    assert_eq!(after.len(), before.len());
    for (a, b) in after.iter().zip(&before) {
        assert_eq!(a, b);
    }
}
