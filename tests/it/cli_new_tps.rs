//! `--tps-limit N` (issue 14, item 24): a global cap on requests per second for every
//! command. The pacing itself is proven by the limiter's unit test (no timed assertions
//! here); these check that the flag and its variable reach a real run and that nonsense is
//! refused before any request.

use crate::cmd_support;

use cmd_support::Fixture;

#[test]
fn tps_limit_is_a_global_flag_and_variable() {
    let f = Fixture::demo();
    let ids = f.create_many("/Paced", 5);
    let mut args = vec!["-o", "ndjson", "--tps-limit", "50", "get"];
    args.extend(ids.iter().map(String::as_str));
    let recs: Vec<serde_json::Value> = f.ok(&args).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(recs.len(), 5);
    // After the subcommand too, and from the environment.
    f.ok(&["ls", "/Paced", "--tps-limit", "100"]);
    let out = f.cmd().env("CPMCTL_TPS_LIMIT", "100").args(["ls", "/Paced"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for bad in ["0", "-3", "lots"] {
        let (code, _, err) = f.run(&["--tps-limit", bad, "ls", "/Paced"]);
        assert_eq!(code, 2, "--tps-limit {bad}: {err}");
        assert!(err.contains("--tps-limit") || err.contains("unexpected argument"), "{err}");
    }
}
