//! Narrow tables (issue 14, item 10): at 80 columns low-value columns (size, direction,
//! then context and flags) go before PEER or SUBJECT/TEXT falls under ~20 characters, and
//! peers show as the number people know. 80- and 120-column snapshots of the real binary.

use crate::cmd_support;

use cmd_support::{Fixture, filters};

fn fixture() -> Fixture {
    let f = Fixture::demo();
    let msgs = [
        (
            "2024-05-01T10:00:00Z",
            "In",
            "sip:+15550002222@ims.example.net",
            "Rent split: 1250/2 = 625 each, transfer by Friday",
        ),
        ("2024-05-02T10:00:00Z", "Out", "tel:+15550001111", "Running late, stuck on the bridge behind a truck"),
        ("2024-05-03T10:00:00Z", "In", "tel:+1-555-000-3333", "Are you home?"),
    ];
    for (date, dir, from, text) in msgs {
        let to = if dir == "Out" { "tel:+15550004444" } else { "tel:+15550001111" };
        f.create(
            "/Narrow",
            &[
                ("Date", date),
                ("Direction", dir),
                ("From", from),
                ("To", to),
                ("Message-Context", "pager-message"),
                ("TextContent", text),
            ],
            &["\\Seen", "\\Answered"],
            vec![],
        );
    }
    f
}

fn table(f: &Fixture, width: usize, args: &[&str]) -> String {
    let out = f.cmd().env("COLUMNS", width.to_string()).args(["-o", "table"]).args(args).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn narrow_tables_drop_low_value_columns_before_cutting_text() {
    let f = fixture();
    for args in [&["ls", "/Narrow"][..], &["search", "--folder", "/Narrow"][..]] {
        let text = table(&f, 80, args);
        assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
        let header = text.lines().next().unwrap();
        assert!(!header.contains("SIZE") && !header.contains(" DIR "), "{text}");
        assert!(header.contains("PEER") && header.contains("SUBJECT/TEXT"), "{text}");
        // The free text keeps at least 20 characters; peers are numbers, not URIs.
        assert!(text.contains("Rent split: 1250/2 = "), "{text}");
        assert!(text.contains("+15550002222"), "{text}");
        assert!(text.contains("+15550003333"), "{text}");
        assert!(!text.contains("sip:") && !text.contains("tel:"), "{text}");
        // 120 columns have room for everything.
        let wide = table(&f, 120, args);
        let header = wide.lines().next().unwrap();
        for name in ["ID", "DATE", "DIR", "PEER", "CONTEXT", "FLAGS", "SIZE", "SUBJECT/TEXT"] {
            assert!(header.contains(name), "{name} at 120:\n{wide}");
        }
    }
    insta::with_settings!({filters => filters()}, {
        insta::assert_snapshot!("ls_80_columns", table(&f, 80, &["ls", "/Narrow"]));
        insta::assert_snapshot!("ls_120_columns", table(&f, 120, &["ls", "/Narrow"]));
    });
}
