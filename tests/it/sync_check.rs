//! `cpmctl check --download` (issue 11, Build §4): payload bytes are fetched from the store
//! again and compared with the file's parts, so a payload corrupted before its hash was recorded
//! (the file and the index agree, the store does not) is reported.

use crate::cmd_support;

use cmd_support::Fixture;
use sha2::{Digest, Sha256};

#[test]
fn check_download_reports_a_locally_corrupted_payload() {
    let f = Fixture::demo();
    let id = f.create(
        "/Pics",
        &[("Date", "2024-02-02T10:00:00Z"), ("Message-Context", "file-message")],
        &[],
        vec![cmd_support::file_part("image/png", "a.png", &[7u8; 300])],
    );
    let dir = f.work().join("mirror");
    let d = dir.to_str().unwrap();
    f.ok(&["sync", d]);
    let (code, _, err) = f.run(&["check", "--download", d]);
    assert_eq!(code, 0, "a fresh mirror has the store's bytes: {err}");

    // One byte of the payload flips inside the file, and the index records the file as it is
    // now: the hash check cannot see it, only the store's bytes can.
    let rel = format!("Pics/cur/{}:2,", cpmctl::formats::safe_file_name(&id));
    let path = dir.join(&rel);
    let parsed = cpmctl::formats::read(&std::fs::read(&path).unwrap()).unwrap();
    let mut parts = parsed.parts.clone();
    parts[0].bytes[10] ^= 0x55;
    let mut bytes = Vec::new();
    cpmctl::formats::write(parsed.id.as_deref(), &parsed.object, &parts, &mut bytes).unwrap();
    std::fs::write(&path, &bytes).unwrap();
    let conn = rusqlite::Connection::open(dir.join(".cpmctl/index.sqlite")).unwrap();
    let n = conn
        .execute("UPDATE objects SET sha256 = ?1 WHERE id = ?2", [hex::encode(Sha256::digest(&bytes)), id.clone()])
        .unwrap();
    assert_eq!(n, 1);
    drop(conn);

    let (code, out, err) = f.run(&["check", d]);
    assert_eq!(code, 0, "without --download the hashes agree: {out}\n{err}");
    let out = f.cmd().args(["-o", "json", "check", "--download", d]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let diffs = report["differences"].as_array().unwrap();
    assert_eq!(diffs.len(), 1, "{report}");
    assert_eq!(diffs[0]["kind"], "payload", "{report}");
    assert_eq!(diffs[0]["id"], id.as_str());
    assert!(report["downloaded"].as_u64().unwrap() > 1, "{report}");
    // check changes nothing.
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}
