//! `ls -R` lists the whole tree (no stop after 100 entries) and its rows say which folder
//! they are in (issue 14, item 16), through the real binary.

use crate::cmd_support;

use cmd_support::Fixture;

#[test]
fn ls_recursive_lists_everything_with_folder_paths() {
    let f = Fixture::demo();
    f.ok(&["mkdir", "-p", "/Tree/big"]);
    f.ok(&["mkdir", "-p", "/Tree/small"]);
    let big = f.create_many("/Tree/big", 150);
    let small = f.create("/Tree/small", &[("Message-Context", "pager-message")], &[], vec![]);
    let out = f.ok(&["ls", "-R", "/Tree", "-o", "plain"]);
    let rows: Vec<Vec<&str>> = out.lines().map(|l| l.split('\t').collect()).collect();
    // 2 folder rows, 150 + 1 objects: nothing cut off.
    assert_eq!(rows.len(), 153, "{out}");
    for id in &big {
        let row = rows.iter().find(|r| r[0] == id).unwrap_or_else(|| panic!("{id} missing"));
        assert_eq!(row.last(), Some(&"/Tree/big"), "{row:?}");
    }
    let row = rows.iter().find(|r| r[0] == small).unwrap();
    assert_eq!(row.last(), Some(&"/Tree/small"));
    // Folder rows say where they are too.
    assert!(rows.iter().any(|r| r[8] == "big/" && r[9] == "/Tree"), "{out}");
    // An explicit --limit still stops, and says so.
    let (code, out, err) = f.run(&["ls", "-R", "/Tree", "-o", "plain", "--limit", "10"]);
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 10);
    assert!(err.contains("more entries"), "{err}");
    // A table says the folder in a section title above its rows, and lists everything.
    let table = f.ok(&["ls", "-R", "/Tree", "-o", "table"]);
    assert!(table.contains("/Tree/big:"), "{table}");
    assert!(table.contains("/Tree/small:"), "{table}");
    assert!(big.iter().all(|id| table.contains(id.as_str())));
}
