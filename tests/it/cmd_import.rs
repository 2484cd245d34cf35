//! `cpmctl import` of SMS Backup & Restore files against the real server: mapping, idempotence,
//! overlapping backups, dry runs, rejects and hostile input.

use crate::cmd_support;
use crate::import_support;

use cmd_support::Fixture;
use import_support::*;

#[test]
fn smsbr_maps_every_field_and_reimport_creates_nothing() {
    // The suite's size; `import_full_size` runs the same cycle with 5,000 SMS and 200 MMS.
    full_cycle(&Fixture::demo(), 300, 8);
}

#[test]
fn the_store_is_checked_when_the_ledger_is_lost_or_pending() {
    let fx = Fixture::demo();
    let file = write(&fx, "b.xml", backup(0..250, 0..2).as_bytes());
    fx.ok(&["import", &file]);
    assert_eq!(imported(&fx).len(), 252);
    // Every row back to pending, as if the process died between the creates and their commit.
    let ledger = fx.dir.path().join("data").join("import-ledger.sqlite");
    let conn = rusqlite::Connection::open(&ledger).unwrap();
    conn.execute("UPDATE entries SET done = 0, object_id = NULL", []).unwrap();
    drop(conn);
    let (code, _, err) = fx.run(&["import", &file]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("pending"), "{err}");
    assert!(err.contains("imported 0, already present 252"), "{err}");
    // No ledger at all (another machine, a wiped data dir): still nothing twice.
    std::fs::remove_file(&ledger).unwrap();
    fx.ok(&["import", &file]);
    assert_eq!(imported(&fx).len(), 252);
}

#[test]
fn dry_run_writes_nothing_at_all() {
    let fx = Fixture::demo();
    let file = write(&fx, "b.xml", backup(0..20, 0..1).as_bytes());
    let recs = records(&fx.ok(&["import", "--dry-run", "-o", "ndjson", &file]));
    assert_eq!(outcomes(&recs, "wouldCreate"), 21);
    assert!(recs.iter().all(|r| r["folder"].as_str().is_some_and(|f| f.starts_with("/RCSMessageStore/"))));
    assert!(imported(&fx).is_empty());
    assert!(!fx.dir.path().join("data").join("import-ledger.sqlite").exists());
}

#[test]
fn flat_folder_and_json_array() {
    let fx = Fixture::demo();
    let file = write(&fx, "b.xml", backup(0..5, 0..0).as_bytes());
    let out = fx.ok(&["import", "--folder", "/Imported/2015", "-o", "json", &file]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 5);
    assert!(imported(&fx).iter().all(|o| o.path.as_deref().is_some_and(|p| p.starts_with("/Imported/2015/"))));
}

#[test]
fn bad_and_hostile_records_are_rejected_and_the_run_goes_on() {
    let fx = Fixture::demo();
    let huge = "x".repeat(3 << 20);
    let xml = format!(
        "<?xml version='1.0'?>\n<smses count=\"6\">\n{}  <sms address=\"+15550109999\" date=\"1420070400000\" type=\"9\" body=\"bad type\" read=\"1\" />\n  <sms address=\"+15550109999\" date=\"1420070400000\" type=\"1\" body=\"{huge}\" read=\"1\" />\n  <mms date=\"1420070400000\" msg_box=\"1\"><parts><part ct=\"image/png\" data=\"!!!notbase64\" /></parts><addrs /></mms>\n{}</smses>\n",
        sms(1),
        sms(2)
    );
    let file = write(&fx, "bad.xml", xml.as_bytes());
    let (code, out, err) = fx.run(&["import", "-o", "ndjson", "--rejects", "rej", &file]);
    assert_eq!(code, 6, "{err}");
    let recs = records(&out);
    assert_eq!(outcomes(&recs, "created"), 2, "{out}");
    assert_eq!(outcomes(&recs, "rejected"), 3, "{out}");
    let rej = fx.work().join("rej");
    let log = std::fs::read_to_string(rej.join("rejects.log")).unwrap();
    assert_eq!(log.lines().count(), 3, "{log}");
    assert!(log.contains("type"), "{log}");
    let xml = std::fs::read_to_string(rej.join("rejects.xml")).unwrap();
    assert!(xml.contains("bad type") && xml.contains("notbase64"), "{xml}");
    // The fixed rejects import; the re-run of the original creates nothing new.
    let fixed = xml.replace("type=\"9\"", "type=\"1\"");
    let fixed_file = write(&fx, "fixed.xml", fixed.as_bytes());
    let (_, out, _) = fx.run(&["import", "-o", "ndjson", "--rejects", "rej2", &fixed_file]);
    assert_eq!(outcomes(&records(&out), "created"), 1, "{out}");

    // Entity expansion and deep nesting: rejections, not a crash.
    let bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE smses [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>\n<smses count=\"2\">\n  <sms address=\"1\" date=\"1420070400001\" type=\"1\" body=\"&c;\" />\n  <mms date=\"1420070400002\" msg_box=\"1\"><parts><a><b><c><d><e><f><g><h><i><j><k><l><m><n><o><p><q><r><s></s></r></q></p></o></n></m></l></k></j></i></h></g></f></e></d></c></b></a></parts></mms>\n</smses>\n";
    let bomb_file = write(&fx, "bomb.xml", bomb.as_bytes());
    let (code, _, err) = fx.run(&["import", "--rejects", "rej3", &bomb_file]);
    assert_eq!(code, 6, "{err}");
    assert!(fx.work().join("rej3").join("rejects.log").exists());
}
