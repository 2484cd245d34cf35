//! Output rendering of the CLI layer into in-memory buffers: every format, width fitting, sanitising.

use cpmctl::cli::output::{Output, OutputFormat};
use serde::Serialize;

#[derive(Serialize)]
struct Message {
    id: &'static str,
    date: &'static str,
    from: &'static str,
    subject: &'static str,
}

const MESSAGES: [Message; 3] = [
    Message { id: "obj1", date: "2026-01-05T10:00:00Z", from: "tel:+15550002222", subject: "lunch?" },
    Message {
        id: "obj2",
        date: "2026-01-05T10:01:00Z",
        from: "tel:+15550003333",
        subject: "\x1b[31mred alert\x1b[0m with a \u{202e}reversed\u{202c} part\nand a second line",
    },
    Message {
        id: "obj3",
        date: "2026-01-06T08:30:00Z",
        from: "sip:alice@example.com",
        subject: "a subject long enough that it has to be cut when the terminal is narrow",
    },
];

fn render(format: OutputFormat, width: Option<u16>) -> String {
    let (out, stdout, _) = Output::captured(format);
    let mut out = out.with_width(width);
    let mut list = out.list(&["id", "date", "from", "subject"]);
    for m in &MESSAGES {
        list.push(m, vec![m.id.into(), m.date.into(), m.from.into(), m.subject.into()]).unwrap();
    }
    list.finish().unwrap();
    stdout.text()
}

#[test]
fn table_natural_width() {
    insta::assert_snapshot!(render(OutputFormat::Table, None));
}

#[test]
fn table_fitted_to_80_columns() {
    let text = render(OutputFormat::Table, Some(80));
    assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
    // Short columns stay whole; the free text is cut.
    assert!(text.contains("2026-01-06T08:30:00Z") && text.contains("sip:alice@example.com"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn plain_rows() {
    let text = render(OutputFormat::Plain, None);
    assert!(text.lines().all(|l| l.split('\t').count() == 4), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn json_document_keeps_server_strings_exact() {
    let text = render(OutputFormat::Json, None);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v[1]["subject"], MESSAGES[1].subject);
    insta::assert_snapshot!(text);
}

#[test]
fn ndjson_one_object_per_line() {
    let text = render(OutputFormat::Ndjson, None);
    let ids: Vec<String> = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["obj1", "obj2", "obj3"]);
}

#[test]
fn record_as_key_value() {
    let m = &MESSAGES[1];
    let fields = [("id", m.id.to_string()), ("from", m.from.to_string()), ("subject", m.subject.to_string())];
    let run = |f| {
        let (mut out, stdout, _) = Output::captured(f);
        out.record(m, &fields).unwrap();
        out.flush().unwrap();
        stdout.text()
    };
    insta::assert_snapshot!("record_table", run(OutputFormat::Table));
    insta::assert_snapshot!("record_plain", run(OutputFormat::Plain));
}
