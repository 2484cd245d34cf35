//! Unit tests of the streaming reader: positions, raw text, resync after bad tokens, limits.

use super::*;

fn read(xml: &str) -> Vec<Item> {
    SmsbrReader::new(xml.as_bytes()).collect()
}

#[test]
fn reads_a_record_and_the_header() {
    let xml = "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<smses count=\"1\" backup_set=\"x\">\n  <sms address=\"+1555\" date=\"1000\" type=\"2\" body=\"a&#10;b\" subject=\"null\" />\n</smses>\n";
    let mut reader = SmsbrReader::new(xml.as_bytes());
    let Some(Ok(Record::Sms(sms))) = reader.next() else { panic!("one sms") };
    assert_eq!(sms.body.as_deref(), Some("a\nb"));
    assert_eq!(sms.subject, None);
    assert_eq!(reader.header().and_then(|h| h.count), Some(1));
    assert!(reader.next().is_none());
}

#[test]
fn a_bad_record_is_rejected_with_its_position_and_text() {
    let xml = "<smses>\n<sms date=\"1\" type=\"1\" />\n<sms date=\"x\" type=\"1\" />\n<sms date=\"2\" type=\"1\" />\n</smses>";
    let items = read(xml);
    assert_eq!(items.len(), 3, "{items:?}");
    let Err(reject) = &items[1] else { panic!("second is a reject") };
    assert_eq!((reject.line, reject.offset), (3, 34));
    assert_eq!(reject.raw, b"<sms date=\"x\" type=\"1\" />");
    assert!(reject.reason.contains("date"), "{reject}");
    assert!(matches!(items[2], Ok(Record::Sms(SmsRecord { date: 2, .. }))));
}

#[test]
fn an_oversized_token_is_skipped() {
    let limits = Limits { max_attr_bytes: 16, ..Limits::default() };
    let body = "x".repeat(200_000);
    let xml = format!("<smses><sms date=\"1\" type=\"1\" body=\"{body}\" /><sms date=\"2\" type=\"2\" /></smses>");
    let items: Vec<Item> = SmsbrReader::with_limits(xml.as_bytes(), limits).collect();
    assert_eq!(items.len(), 2, "{items:?}");
    let Err(reject) = &items[0] else { panic!("reject") };
    assert!(reject.raw_truncated);
    assert!(reject.raw.starts_with(b"<sms date=\"1\""));
    assert_eq!(reject.offset, 7);
    let Ok(Record::Sms(sms)) = &items[1] else { panic!("second sms") };
    assert_eq!(sms.date, 2);
}

#[test]
fn counts_are_bounded_and_required_values_checked() {
    let limits = Limits { max_attributes: 4, max_children: 2, ..Limits::default() };
    let many = (0..5).map(|i| format!(" a{i}=\"x\"")).collect::<String>();
    let xml = format!(
        "<smses><sms date=\"1\" type=\"1\"{many}/><mms date=\"1\" msg_box=\"1\"><addrs><addr type=\"151\"/><addr type=\"151\"/><addr type=\"151\"/></addrs></mms><sms type=\"1\"/><mms date=\"1\"/><sms date=\"3\" type=\"1\"/></smses>"
    );
    let items: Vec<Item> = SmsbrReader::with_limits(xml.as_bytes(), limits).collect();
    let reasons: Vec<String> = items.iter().filter_map(|i| i.as_ref().err().map(|r| r.reason.clone())).collect();
    assert_eq!(reasons, ["more than 4 attributes", "more than 2 addrs", "no date", "no msg_box"], "{items:?}");
    assert!(matches!(items.last(), Some(Ok(Record::Sms(SmsRecord { date: 3, .. })))));
}

#[test]
fn mismatched_end_tags_are_reported() {
    let items = read("<smses><ab></abc><sms date=\"1\" type=\"1\"><x></y></sms><sms date=\"2\" type=\"1\"/></smses>");
    assert_eq!(items.len(), 4, "{items:?}");
    assert!(matches!(&items[0], Err(r) if r.reason.contains("unexpected element <ab>")));
    assert!(matches!(&items[1], Err(r) if r.reason.contains("</abc>")));
    assert!(matches!(&items[2], Err(r) if r.reason.contains("</y>") && r.raw.ends_with(b"</sms>")));
    assert!(matches!(items[3], Ok(Record::Sms(SmsRecord { date: 2, .. }))));
}

#[test]
fn malformed_markup_inside_an_mms_costs_only_that_mms() {
    let xml = "<smses><mms date=\"1\" msg_box=\"1\"><parts><part ct=\"text/plain\" text=\"a\" / ></parts></mms>\n<sms date=\"2\" type=\"1\"/></smses>";
    let items = read(xml);
    assert!(matches!(items.last(), Some(Ok(Record::Sms(_)))), "{items:?}");
    assert_eq!(items.iter().filter(|i| i.is_err()).count(), 1, "{items:?}");
}

#[test]
fn elements_left_open_in_a_broken_record_do_not_leak_into_the_next() {
    let xml = "<smses><mms date=\"1\" msg_box=\"1\"><parts><part ct=\"a\" data=\"!!\" ></parts><x></mms>\n<sms date=\"2\" type=\"1\"/></smses>";
    let items = read(xml);
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(matches!(&items[0], Err(r) if r.reason.contains("base64") && r.raw.ends_with(b"</mms>")), "{items:?}");
    assert!(matches!(items[1], Ok(Record::Sms(SmsRecord { date: 2, .. }))));
}

#[test]
fn a_broken_root_tag_still_lets_the_records_through() {
    let limits = Limits { max_attr_bytes: 16, ..Limits::default() };
    let junk = "x".repeat(200_000);
    let xml = format!(
        "<smses backup_set=\"{junk}\">\n<mms date=\"1\" msg_box=\"1\"><parts><part ct=\"a\" data=\"!!\"></parts></mms>\n<sms date=\"2\" type=\"1\"/></smses>\n"
    );
    let items: Vec<Item> = SmsbrReader::with_limits(xml.as_bytes(), limits).collect();
    assert_eq!(items.len(), 3, "{items:?}");
    assert!(matches!(&items[0], Err(r) if r.reason.contains("longer than") && r.offset == 0));
    assert!(matches!(&items[1], Err(r) if r.reason.contains("base64") && r.line == 2));
    assert!(matches!(items[2], Ok(Record::Sms(SmsRecord { date: 2, .. }))));
}
