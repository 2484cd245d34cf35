//! `get` of many ids reads their metadata concurrently (`--concurrency`, bounded) and still
//! prints the records in the order the ids were given (issue 14, item 23).

use crate::cmd_support;

use cmd_support::Fixture;

#[test]
fn concurrent_get_keeps_the_input_order() {
    let f = Fixture::demo();
    let mut ids = f.create_many("/Many", 60);
    ids.reverse();
    ids.swap(3, 40);
    let stdin = ids.join("\n");
    for conc in ["1", "16", "64"] {
        let out = f
            .cmd()
            .args(["-o", "ndjson", "get", "-", "--concurrency", conc])
            .write_stdin(stdin.clone())
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let got: Vec<String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(got, ids, "--concurrency {conc}");
    }
    // One JSON array in the same order.
    let out = f.cmd().args(["-o", "json", "get", "-"]).write_stdin(stdin.clone()).output().unwrap();
    let arr: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let got: Vec<&str> = arr.iter().map(|v| v["id"].as_str().unwrap()).collect();
    assert_eq!(got, ids.iter().map(String::as_str).collect::<Vec<_>>());
    // An unknown id among them is still reported, with exit 4.
    let mut with_bad = ids.clone();
    with_bad.insert(30, "0000000000000000".into());
    let out = f.cmd().args(["-o", "ndjson", "get", "-"]).write_stdin(with_bad.join("\n")).output().unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no object 0000000000000000"));
    // Out-of-range values are refused before any request.
    let (code, _, err) = f.run(&["get", &ids[0], "--concurrency", "0"]);
    assert_eq!(code, 2, "{err}");
}
