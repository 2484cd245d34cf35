//! `put --json` with the guarantees of `put`: the same command again stores nothing new and
//! prints the same id, also after an interruption left the object pending in the ledger;
//! changed input is a new object.

use crate::cmd_support::Fixture;

fn id_of(out: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("{e}: {out}"));
    v["id"].as_str().unwrap_or_else(|| panic!("no id: {out}")).to_string()
}

#[test]
fn put_json_again_and_after_an_interruption_stores_one_object() {
    let fx = Fixture::demo();
    let json = fx.work().join("o.json");
    std::fs::write(
        &json,
        r#"{"object":{"attributes":{"attribute":[
            {"name":"Message-Context","value":["standalone-message"]},{"name":"Subject","value":"From JSON"}]}}}"#,
    )
    .unwrap();
    let img = fx.work().join("photo.png");
    std::fs::write(&img, b"\x89PNG fake").unwrap();
    let args =
        ["-o", "ndjson", "put", "--json", json.to_str().unwrap(), img.to_str().unwrap(), "--folder", "/JsonOnce"];
    let first = id_of(&fx.ok(&args));
    let (code, out, err) = fx.run(&args);
    assert_eq!(code, 0, "{err}");
    assert_eq!(id_of(&out), first, "the re-run prints the stored object's id");
    assert_eq!(fx.ids(&["--folder", "/JsonOnce"]), vec![first.clone()], "{err}");

    // As if the process died between the create and its ledger commit: the row is pending, and
    // the re-run finds the object in the store instead of creating it again.
    let ledger = fx.dir.path().join("data").join("import-ledger.sqlite");
    let conn = rusqlite::Connection::open(&ledger).unwrap();
    let n = conn.execute("UPDATE entries SET done = 0, object_id = NULL", []).unwrap();
    assert_eq!(n, 1);
    drop(conn);
    let (code, out, err) = fx.run(&args);
    assert_eq!(code, 0, "{err}");
    assert_eq!(id_of(&out), first, "{err}");
    assert_eq!(fx.ids(&["--folder", "/JsonOnce"]).len(), 1, "{err}");

    // A changed part is another object.
    std::fs::write(&img, b"\x89PNG other").unwrap();
    let second = id_of(&fx.ok(&args));
    assert_ne!(second, first);
    assert_eq!(fx.ids(&["--folder", "/JsonOnce"]).len(), 2);
}
