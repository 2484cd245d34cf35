//! `put` with the import guarantees: a re-run of an interrupted `put` (kill -9 at several points)
//! stores every file exactly once; the same command twice stores nothing new; `put -` drops one
//! trailing newline unless `--raw`; an image without `--context` says what it was stored as.

use crate::cmd_support;

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::process::Stdio;

use cmd_support::{Fixture, std_cmd_for};

#[test]
fn kill_9_during_put_then_the_same_command_stores_each_file_once() {
    const FILES: usize = 600;
    let fx = Fixture::demo();
    let dir = fx.work().join("files");
    std::fs::create_dir(&dir).unwrap();
    for i in 0..FILES {
        // Same size and no text: only the ledger and the part sizes tell them apart.
        std::fs::write(dir.join(format!("f{i:04}.bin")), format!("{i:08}")).unwrap();
    }
    let dir_s = dir.display().to_string();
    let args = ["-o", "ndjson", "put", "--folder", "/PutKill", "--concurrency", "4", dir_s.as_str()];
    for lines in [1, 150, 320, 480] {
        let mut child = std_cmd_for(&fx.info.base_url, &fx.info.user, &fx.info.password, fx.dir.path())
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        for _ in 0..lines {
            line.clear();
            if out.read_line(&mut line).unwrap() == 0 {
                break;
            }
        }
        child.kill().unwrap();
        child.wait().unwrap();
    }
    let out = fx.ok(&args);
    let ids: Vec<String> = out
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), FILES, "one result per file");
    let stored: HashSet<String> = fx.ids(&["--folder", "/PutKill"]).into_iter().collect();
    assert_eq!(stored.len(), FILES, "every file exactly once ({} printed ids)", ids.len());
    assert_eq!(ids.into_iter().collect::<HashSet<_>>(), stored);
}

#[test]
fn the_same_put_twice_stores_nothing_new_and_prints_the_same_ids() {
    let fx = Fixture::demo();
    let a = fx.work().join("a.txt");
    let b = fx.work().join("b.txt");
    std::fs::write(&a, "first").unwrap();
    std::fs::write(&b, "second").unwrap();
    let args = ["put", "--folder", "/Twice", a.to_str().unwrap(), b.to_str().unwrap()];
    let first = fx.ok(&args);
    let (code, second, err) = fx.run(&args);
    assert_eq!(code, 0, "{err}");
    assert_eq!(first, second);
    assert!(err.contains("skipped 2") || err.contains("put: done 0"), "{err}");
    assert_eq!(fx.ids(&["--folder", "/Twice"]).len(), 2);
    // A changed file is a new object.
    std::fs::write(&b, "second, edited").unwrap();
    fx.ok(&args);
    assert_eq!(fx.ids(&["--folder", "/Twice"]).len(), 3);
}

#[test]
fn put_stdin_drops_one_trailing_newline_unless_raw() {
    let fx = Fixture::demo();
    let put = |extra: &[&str], folder: &str| {
        let mut args =
            vec!["-o", "ndjson", "put", "-", "--context", "sms", "--from", "tel:+15550002222", "--folder", folder];
        args.extend_from_slice(extra);
        let out = fx.cmd().args(&args).write_stdin("See you at 8\n").output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        fx.records(&["get", v["id"].as_str().unwrap()]).remove(0)
    };
    let rec = put(&[], "/Echo");
    assert_eq!(rec["text"], "See you at 8");
    let tag = cpmctl::wire::correlation::correlation_tag(Some("+15550002222"), true, "See you at 8");
    assert_eq!(rec["correlationTag"], tag.as_str());
    let rec = put(&["--raw"], "/EchoRaw");
    assert_eq!(rec["text"], "See you at 8\n");
}

#[test]
fn put_an_image_without_context_says_what_it_assumed() {
    let fx = Fixture::demo();
    let img = fx.work().join("photo.jpg");
    std::fs::write(&img, b"\xff\xd8\xff fake jpeg").unwrap();
    let (code, out, err) = fx.run(&["-o", "ndjson", "put", "--folder", "/Photos", img.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("no --context given") && err.contains("file-message"), "{err}");
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    let rec = fx.records(&["get", v["id"].as_str().unwrap()]).remove(0);
    assert_eq!(rec["context"], "file-message");
}
