//! What a person sees of `cpmctl sync` (issue 11, Build §5): off a terminal `--progress log`
//! gives plain lines, the last one counting the objects and the bytes moved with their rate; the
//! summary always says bytes and seconds; `-o json` makes it one object on stdout.

use crate::cmd_support;

use cmd_support::Fixture;

#[test]
fn progress_log_counts_objects_and_bytes_and_json_is_one_summary_object() {
    let f = Fixture::demo();
    for i in 0..3 {
        f.create(
            "/Files",
            &[("Date", "2024-02-02T10:00:00Z"), ("Message-Context", "file-message")],
            &[],
            vec![cmd_support::file_part("application/octet-stream", &format!("f{i}.bin"), &[i as u8; 5000])],
        );
    }
    let total = f.ids(&[]).len();
    let dir = f.work().join("mirror");
    let d = dir.to_str().unwrap();
    let out = f.cmd().args(["--progress", "log", "-o", "json", "sync", d]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let err = String::from_utf8_lossy(&out.stderr);
    let last = err.lines().last().unwrap_or_default();
    assert!(last.starts_with(&format!("sync: done {total}, failed 0")), "{err}");
    assert!(last.contains("KiB (") && last.ends_with("/s)"), "bytes and rate on the last line: {err}");
    // stdout is exactly one JSON object: the summary, with bytes and seconds.
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(s.is_object(), "{s}");
    assert!(s["bytes"].as_u64().unwrap() >= 15_000, "{s}");
    assert!(s["seconds"].as_f64().is_some(), "{s}");
    assert_eq!(s["downloaded"], total as u64, "{s}");

    // Without -o json the summary line says bytes and seconds too.
    let (code, out, err) = f.run(&["--progress", "none", "sync", d]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("synced: ") && out.contains(" bytes in ") && out.trim_end().ends_with('s'), "{out}");
}
