//! `cpmctl stats` (issue 14, item 22): a box overview in one streaming pass, and one row per
//! box plus a total over many boxes, through the real binary against the reference server.

use crate::cmd_support;

use cmd_support::Fixture;

#[test]
fn stats_of_one_box_add_up() {
    let f = Fixture::demo();
    let n = f.ids(&[]).len() as u64;
    let out = f.ok(&["-o", "json", "stats", "--top", "3"]);
    let r: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["box"], "tel:+15550001111");
    assert_eq!(r["objects"].as_u64(), Some(n));
    let sum = |k: &str| r[k].as_array().unwrap().iter().map(|g| g["objects"].as_u64().unwrap()).sum::<u64>();
    assert_eq!(sum("byContext"), n);
    assert_eq!(sum("byMonth"), n);
    assert_eq!(r["byFolder"].as_array().unwrap().len(), 3);
    let largest: Vec<u64> = r["largest"].as_array().unwrap().iter().map(|l| l["bytes"].as_u64().unwrap()).collect();
    assert_eq!(largest.len(), 3);
    assert!(largest.windows(2).all(|w| w[0] >= w[1]), "{largest:?}");
    assert!(r["oldest"].as_str().unwrap() <= r["newest"].as_str().unwrap());
    let table = f.ok(&["-o", "table", "stats"]);
    assert!(table.contains("by message context") && table.contains("largest objects"), "{table}");
}

#[test]
fn stats_over_many_boxes_one_row_each_and_a_total() {
    let f = Fixture::demo();
    let b = "tel:+15550001111";
    let list = f.work().join("boxes.txt");
    std::fs::write(&list, format!("# boxes\n{b}\n\n")).unwrap();
    let recs = f.records(&["stats", "--box-id", b, "--boxes", list.to_str().unwrap()]);
    assert_eq!(recs.len(), 3, "{recs:?}");
    assert_eq!(recs[2]["box"], "TOTAL");
    let one = recs[0]["objects"].as_u64().unwrap();
    assert_eq!(recs[2]["objects"].as_u64(), Some(2 * one));
    // A box the user may not open fails alone (exit 6); the others are still reported.
    let (code, out, err) = f.run(&["-o", "plain", "stats", "--box-id", b, "--box-id", "tel:+15550009999"]);
    assert_eq!(code, 6, "{err}");
    assert!(out.lines().any(|l| l.starts_with(b)) && out.lines().any(|l| l.starts_with("TOTAL")), "{out}");
    assert!(err.contains("tel:+15550009999"), "{err}");
    let (code, _, _) = f.run(&["stats", "--top", "0"]);
    assert_eq!(code, 2);
}
