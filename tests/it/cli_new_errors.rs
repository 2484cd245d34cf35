//! Per-item errors of rm, mv and flag batches in plain words (`no object X in box Y`), with
//! the server's messageId kept for `-v` and JSON errors (issue 14, item 11), through the
//! real binary against the reference server.

use crate::cmd_support;

use cmd_support::Fixture;

const MISSING: &str = "0000000000000000";

#[test]
fn missing_items_of_a_batch_are_named_in_plain_words() {
    let f = Fixture::demo();
    f.ok(&["mkdir", "/Archive"]);
    let known = f.create("/Inbox", &[("Message-Context", "pager-message")], &[], vec![]);
    let box_id = "tel:+15550001111";
    for args in [
        vec!["flag", "add", "seen", MISSING, &known],
        vec!["mv", MISSING, &known, "/Archive"],
        vec!["rm", "--yes", MISSING, &known],
    ] {
        let (code, _, err) = f.run(&args);
        assert_eq!(code, 6, "{args:?}: {err}");
        assert!(err.contains(&format!("error: no object {MISSING} in box {box_id}")), "{args:?}: {err}");
        assert!(!err.contains(&format!("{MISSING}: not found")), "{args:?}: {err}");
        assert!(!err.contains("SVC0004") && !err.contains("No valid addresses"), "{args:?}: {err}");
    }
    // -v adds the server's messageId; JSON errors carry it.
    let (_, _, err) = f.run(&["-v", "flag", "add", "seen", MISSING, &known]);
    assert!(err.contains("messageId: SVC0004"), "{err}");
    let (_, _, err) = f.run(&["-o", "json", "flag", "add", "seen", MISSING, &known]);
    let line = err.lines().find(|l| l.starts_with("{\"error\"")).expect(&err);
    let v: serde_json::Value = serde_json::from_str(line).unwrap();
    assert_eq!(v["error"]["message_id"], "SVC0004", "{err}");
}
