//! SMS Backup & Restore XML: a realistic backup read record by record, the writer → reader
//! round trip, the mapping to NMS objects, and hostile files (entity bombs, huge
//! attributes, deep nesting, truncation, bad base64) that cost only their own records.

use std::io::{BufReader, Read};
use std::sync::{Mutex, MutexGuard};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use cpmctl::formats::smsbr::{
    self, Header, Limits, MmsAddr, MmsPart, MmsRecord, MsgBox, Record, Reject, SmsRecord, SmsType, SmsbrReader,
    SmsbrWriter,
};
use cpmctl::wire::correlation::correlation_tag;

const OWN: &str = "tel:+15550001111";

/// Tests of this file run one at a time, so the peak-memory test measures only itself
/// (a panicking neighbour alone costs tens of MiB for symbolising its backtrace).
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A 1×1 PNG, as an MMS photo would carry it.
const PNG_B64: &str =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

const SMIL: &str = "&lt;smil&gt;&lt;head&gt;&lt;layout&gt;&lt;root-layout/&gt;&lt;/layout&gt;&lt;/head&gt;&lt;body&gt;&lt;par dur=&quot;5000ms&quot;&gt;&lt;img src=&quot;image000000.png&quot; region=&quot;Image&quot; /&gt;&lt;text src=&quot;text000001.txt&quot; region=&quot;Text&quot; /&gt;&lt;/par&gt;&lt;/body&gt;&lt;/smil&gt;";

/// A backup as the phone app writes it: declaration, comment, stylesheet, then records.
fn fixture() -> String {
    let mut xml = String::new();
    xml.push_str("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n");
    xml.push_str("<!--File Created By SMS Backup & Restore v10.20.002 on 26/11/2026 03:00:00-->\n");
    xml.push_str("<?xml-stylesheet type=\"text/xsl\" href=\"sms.xsl\"?>\n");
    xml.push_str("<smses count=\"6\" backup_set=\"5c0e1a2b-0000-4000-8000-000000000001\" backup_date=\"1764126000000\" type=\"full\">\n");
    // line 5: received, read, multi-line with entities
    xml.push_str("  <sms protocol=\"0\" address=\"+15550002222\" date=\"1700000000000\" type=\"1\" subject=\"null\" body=\"Fish &amp; chips &lt;3&#10;second line\" toa=\"null\" sc_toa=\"null\" service_center=\"+15550009999\" read=\"1\" status=\"-1\" locked=\"0\" date_sent=\"1699999999000\" sub_id=\"1\" readable_date=\"Nov 14, 2023 10:13:20 PM\" contact_name=\"Alice\" />\n");
    // line 6: sent with an emoji as a surrogate pair
    xml.push_str("  <sms protocol=\"0\" address=\"+15550002222\" date=\"1700000060000\" type=\"2\" subject=\"null\" body=\"On my way &#55357;&#56832;\" toa=\"null\" sc_toa=\"null\" service_center=\"null\" read=\"1\" status=\"-1\" locked=\"0\" date_sent=\"0\" sub_id=\"1\" readable_date=\"Nov 14, 2023 10:14:20 PM\" contact_name=\"Alice\" />\n");
    // line 7: draft, no address yet
    xml.push_str("  <sms protocol=\"0\" address=\"null\" date=\"1700000120000\" type=\"3\" subject=\"null\" body=\"unfinished\" toa=\"null\" sc_toa=\"null\" service_center=\"null\" read=\"1\" status=\"-1\" locked=\"0\" date_sent=\"0\" x_custom=\"kept\" />\n");
    // line 8: failed, CRLF body
    xml.push_str("  <sms protocol=\"0\" address=\"(555) 000-3333\" date=\"1700000180000\" type=\"5\" subject=\"null\" body=\"line one&#13;&#10;line two\" toa=\"null\" sc_toa=\"null\" service_center=\"null\" read=\"0\" status=\"64\" locked=\"1\" date_sent=\"0\" />\n");
    // line 9: a received MMS with SMIL, a photo and a caption
    xml.push_str("  <mms date=\"1700000240000\" ct_t=\"application/vnd.wap.multipart.related\" msg_box=\"1\" rr=\"129\" sub=\"null\" read_status=\"null\" address=\"+15550002222\" m_id=\"MMS0001ABC\" read=\"1\" m_size=\"4242\" m_type=\"132\" tr_id=\"T0001\" seen=\"1\" text_only=\"0\" d_rpt=\"129\" readable_date=\"Nov 14, 2023 10:17:20 PM\" contact_name=\"Alice\">\n");
    xml.push_str("    <parts>\n");
    xml.push_str(&format!("      <part seq=\"-1\" ct=\"application/smil\" name=\"null\" chset=\"null\" cd=\"null\" fn=\"null\" cid=\"&lt;smil&gt;\" cl=\"smil.xml\" ctt_s=\"null\" ctt_t=\"null\" text=\"{SMIL}\" />\n"));
    xml.push_str(&format!("      <part seq=\"0\" ct=\"image/png\" name=\"image000000.png\" chset=\"null\" cd=\"null\" fn=\"null\" cid=\"&lt;image000000&gt;\" cl=\"image000000.png\" ctt_s=\"null\" ctt_t=\"null\" text=\"null\" data=\"{PNG_B64}\" />\n"));
    xml.push_str("      <part seq=\"0\" ct=\"text/plain\" name=\"null\" chset=\"106\" cd=\"null\" fn=\"null\" cid=\"&lt;text000001&gt;\" cl=\"text000001.txt\" ctt_s=\"null\" ctt_t=\"null\" text=\"Look at this &#55357;&#56832;\" />\n");
    xml.push_str("    </parts>\n    <addrs>\n");
    xml.push_str("      <addr address=\"+15550002222\" type=\"137\" charset=\"106\" />\n");
    xml.push_str("      <addr address=\"+15550001111\" type=\"151\" charset=\"106\" />\n");
    xml.push_str("    </addrs>\n  </mms>\n");
    // line 20: a sent group MMS with To and Cc
    xml.push_str("  <mms date=\"1700000300000\" msg_box=\"2\" address=\"+15550002222~+15550004444~+15550005555\" m_id=\"MMS0002DEF\" read=\"1\" m_type=\"128\" sub=\"Dinner?\" text_only=\"1\">\n");
    xml.push_str("    <parts>\n");
    xml.push_str(
        "      <part seq=\"0\" ct=\"text/plain\" chset=\"106\" cl=\"text000000.txt\" text=\"7pm at Luigi&apos;s\" />\n",
    );
    xml.push_str("    </parts>\n    <addrs>\n");
    xml.push_str("      <addr address=\"insert-address-token\" type=\"137\" charset=\"106\" />\n");
    xml.push_str("      <addr address=\"+15550002222\" type=\"151\" charset=\"106\" />\n");
    xml.push_str("      <addr address=\"+15550004444\" type=\"151\" charset=\"106\" />\n");
    xml.push_str("      <addr address=\"+15550005555\" type=\"130\" charset=\"106\" />\n");
    xml.push_str("    </addrs>\n  </mms>\n");
    xml.push_str("</smses>\n");
    xml
}

fn read_all(bytes: &[u8]) -> Vec<Result<Record, Reject>> {
    SmsbrReader::new(bytes).collect()
}

fn records(items: &[Result<Record, Reject>]) -> Vec<Record> {
    items.iter().filter_map(|i| i.as_ref().ok().cloned()).collect()
}

fn rejects(items: &[Result<Record, Reject>]) -> Vec<Reject> {
    items.iter().filter_map(|i| i.as_ref().err().cloned()).collect()
}

fn sms(r: &Record) -> &SmsRecord {
    match r {
        Record::Sms(s) => s,
        Record::Mms(_) => panic!("expected an sms, got {r:?}"),
    }
}

fn mms(r: &Record) -> &MmsRecord {
    match r {
        Record::Mms(m) => m,
        Record::Sms(_) => panic!("expected an mms, got {r:?}"),
    }
}

#[test]
fn a_real_backup_reads_with_every_value_decoded() {
    let _serial = serial();
    let xml = fixture();
    let mut reader = SmsbrReader::new(xml.as_bytes());
    let items: Vec<_> = reader.by_ref().collect();
    assert!(rejects(&items).is_empty(), "{:?}", rejects(&items));
    let header = reader.header().cloned().unwrap_or_default();
    assert_eq!(header.count, Some(6));
    assert_eq!(header.backup_date, Some(1_764_126_000_000));
    assert_eq!(header.kind.as_deref(), Some("full"));
    let recs = records(&items);
    assert_eq!(recs.len(), 6);

    let received = sms(&recs[0]);
    assert_eq!(received.kind, SmsType::Received);
    assert_eq!(received.date, 1_700_000_000_000);
    assert_eq!(received.body.as_deref(), Some("Fish & chips <3\nsecond line"));
    assert_eq!(received.subject, None, "null means absent");
    assert_eq!(received.toa, None);
    assert_eq!(received.service_center.as_deref(), Some("+15550009999"));
    assert_eq!((received.read, received.status, received.locked), (Some(true), Some(-1), Some(false)));
    assert_eq!(received.date_sent, Some(1_699_999_999_000));
    assert_eq!(received.contact_name.as_deref(), Some("Alice"));

    let sent = sms(&recs[1]);
    assert_eq!(sent.kind, SmsType::Sent);
    assert_eq!(sent.body.as_deref(), Some("On my way 😀"), "a surrogate pair is one UTF-8 character");

    let draft = sms(&recs[2]);
    assert_eq!((draft.kind, draft.address.as_deref()), (SmsType::Draft, None));
    assert_eq!(draft.extra.get("x_custom").map(String::as_str), Some("kept"));

    let failed = sms(&recs[3]);
    assert_eq!(failed.kind, SmsType::Failed);
    assert_eq!(failed.body.as_deref(), Some("line one\r\nline two"));
    assert_eq!((failed.status, failed.locked, failed.read), (Some(64), Some(true), Some(false)));

    let photo = mms(&recs[4]);
    assert_eq!(
        (photo.msg_box, photo.date, photo.m_id.as_deref()),
        (MsgBox::Inbox, 1_700_000_240_000, Some("MMS0001ABC"))
    );
    assert_eq!(photo.extra.get("d_rpt").map(String::as_str), Some("129"));
    assert_eq!(photo.parts.len(), 3);
    assert_eq!(photo.parts[0].ct.as_deref(), Some("application/smil"));
    assert!(
        photo.parts[0].text.as_deref().is_some_and(|t| t.starts_with("<smil><head>") && t.contains("dur=\"5000ms\""))
    );
    assert_eq!(photo.parts[0].cid.as_deref(), Some("<smil>"));
    assert_eq!(photo.parts[1].data, STANDARD.decode(PNG_B64).ok());
    assert_eq!(photo.parts[1].text, None);
    assert_eq!(photo.parts[2].text.as_deref(), Some("Look at this 😀"));
    assert_eq!(photo.addrs.iter().map(|a| a.kind).collect::<Vec<_>>(), [Some(137), Some(151)]);

    let group = mms(&recs[5]);
    assert_eq!(group.msg_box, MsgBox::Sent);
    assert_eq!(group.sub.as_deref(), Some("Dinner?"));
    assert_eq!(group.parts[0].text.as_deref(), Some("7pm at Luigi's"));
    assert_eq!(group.addrs.len(), 4);
}

#[test]
fn sms_records_map_to_pager_messages() {
    let _serial = serial();
    let recs = records(&read_all(fixture().as_bytes()));
    let Ok(o) = smsbr::sms_to_object(sms(&recs[0]), OWN) else { panic!("maps") };
    assert_eq!(o.attributes.first("Message-Context"), Some("pager-message"));
    assert_eq!(o.attributes.first("Direction"), Some("In"));
    assert_eq!(o.attributes.first("Date"), Some("2023-11-14T22:13:20Z"));
    assert_eq!(o.attributes.first("From"), Some("tel:+15550002222"));
    assert_eq!(o.attributes.first("To"), Some(OWN));
    assert_eq!(o.attributes.first("TextContent"), Some("Fish & chips <3\nsecond line"));
    assert!(o.flags.contains("\\Seen"));
    assert_eq!(o.correlation_tag, Some(correlation_tag(Some("+15550002222"), true, "Fish & chips <3\nsecond line")));

    let Ok(o) = smsbr::sms_to_object(sms(&recs[1]), OWN) else { panic!("maps") };
    assert_eq!((o.attributes.first("Direction"), o.attributes.first("From")), (Some("Out"), Some(OWN)));
    assert_eq!(o.correlation_tag, Some(correlation_tag(Some("+15550002222"), false, "On my way 😀")));

    let Ok(o) = smsbr::sms_to_object(sms(&recs[2]), OWN) else { panic!("maps") };
    assert!(o.flags.contains("\\Draft"));
    assert_eq!(o.attributes.first("To"), None, "a draft without an address has no To");

    let Ok(o) = smsbr::sms_to_object(sms(&recs[3]), OWN) else { panic!("maps") };
    assert_eq!(o.attributes.first(smsbr::BOX_ATTRIBUTE), Some("failed"));
    assert_eq!(o.attributes.first("To"), Some("tel:5550003333"));
    assert!(!o.flags.contains("\\Seen"));

    // And back, for export.
    let Ok(back) = smsbr::object_to_sms(&o) else { panic!("maps back") };
    assert_eq!((back.kind, back.address.as_deref(), back.read), (SmsType::Failed, Some("5550003333"), Some(false)));
    assert_eq!(back.body.as_deref(), Some("line one\r\nline two"));
}

#[test]
fn mms_records_map_to_multimedia_messages_with_their_parts() {
    let _serial = serial();
    let recs = records(&read_all(fixture().as_bytes()));
    let Ok((o, parts)) = smsbr::mms_to_object(mms(&recs[4]), OWN) else { panic!("maps") };
    assert_eq!(o.attributes.first("Message-Context"), Some("multimedia-message"));
    assert_eq!(o.attributes.first("Direction"), Some("In"));
    assert_eq!(o.correlation_id.as_deref(), Some("MMS0001ABC"));
    assert_eq!(o.attributes.first("From"), Some("tel:+15550002222"));
    assert_eq!(o.attributes.values("To"), ["tel:+15550001111"]);
    assert_eq!(o.attributes.first("TextContent"), Some("Look at this 😀"));
    assert_eq!(parts.len(), 3, "SMIL is kept");
    assert_eq!(parts[0].media_type(), "application/smil");
    assert_eq!(parts[1].media_type(), "image/png");
    assert_eq!(Some(parts[1].body.clone()), STANDARD.decode(PNG_B64).ok());
    assert_eq!(parts[1].filename().as_deref(), Some("image000000.png"));
    assert_eq!(parts[2].content_type(), "text/plain; charset=utf-8");
    assert_eq!(parts[2].body, "Look at this 😀".as_bytes());

    let Ok((g, _)) = smsbr::mms_to_object(mms(&recs[5]), OWN) else { panic!("maps") };
    assert_eq!(g.attributes.first("Direction"), Some("Out"));
    assert_eq!(g.attributes.values("From"), [OWN], "insert-address-token is the own number");
    assert_eq!(g.attributes.values("To"), ["tel:+15550002222", "tel:+15550004444"]);
    assert_eq!(g.attributes.values("Cc"), ["tel:+15550005555"]);
    assert_eq!(g.attributes.first("Subject"), Some("Dinner?"));

    // And back, for export: bytes, types and addresses survive.
    let Ok(back) = smsbr::object_to_mms(&o, &parts) else { panic!("maps back") };
    assert_eq!(back.msg_box, MsgBox::Inbox);
    assert_eq!(back.m_id.as_deref(), Some("MMS0001ABC"));
    assert_eq!(back.parts[1].data, STANDARD.decode(PNG_B64).ok());
    assert_eq!(back.parts[2].text.as_deref(), Some("Look at this 😀"));
    assert_eq!(back.parts[0].ct.as_deref(), Some("application/smil"));
    let kinds: Vec<_> = back.addrs.iter().map(|a| (a.kind, a.address.clone())).collect();
    assert_eq!(kinds, [(Some(137), Some("+15550002222".into())), (Some(151), Some("+15550001111".into()))]);
}

#[test]
fn writer_then_reader_gives_the_same_records() {
    let _serial = serial();
    let mut recs = records(&read_all(fixture().as_bytes()));
    // Values a writer must escape, and binary data that is no valid UTF-8.
    recs.push(Record::Sms(SmsRecord {
        address: Some("+15550002222".into()),
        date: 1_700_000_400_000,
        kind: SmsType::Queued,
        body: Some("quotes \" ' & <tags> > \t tab\r\n😀 \u{1} end".into()),
        read: Some(false),
        ..SmsRecord::default()
    }));
    recs.push(Record::Mms(MmsRecord {
        date: 1_700_000_500_000,
        msg_box: MsgBox::Outbox,
        parts: vec![MmsPart {
            ct: Some("application/octet-stream".into()),
            data: Some((0..=255).collect()),
            ..MmsPart::default()
        }],
        addrs: vec![MmsAddr { address: Some("a&b".into()), kind: Some(151), ..MmsAddr::default() }],
        ..MmsRecord::default()
    }));
    let header = Header { count: Some(recs.len() as u64), backup_set: Some("set".into()), ..Header::default() };
    let Ok(mut writer) = SmsbrWriter::new(Vec::new(), &header) else { panic!("writer") };
    for r in &recs {
        assert!(writer.write(r).is_ok());
    }
    let Ok(out) = writer.finish() else { panic!("finish") };
    let mut reader = SmsbrReader::new(&out[..]);
    let items: Vec<_> = reader.by_ref().collect();
    assert!(rejects(&items).is_empty(), "{:?}\n{}", rejects(&items), String::from_utf8_lossy(&out));
    assert_eq!(records(&items), recs);
    assert_eq!(reader.header().and_then(|h| h.count), Some(recs.len() as u64));
}

#[test]
fn bad_records_are_rejected_with_positions_and_the_rest_still_reads() {
    let _serial = serial();
    let xml = fixture()
        .replace(&format!("data=\"{PNG_B64}\""), "data=\"not*base64!\"")
        .replace("date=\"1700000060000\" type=\"2\"", "date=\"yesterday\" type=\"2\"")
        .replace("date=\"1700000180000\" type=\"5\"", "date=\"1700000180000\" type=\"9\"");
    let items = read_all(xml.as_bytes());
    let bad = rejects(&items);
    assert_eq!(records(&items).len(), 3, "{bad:?}");
    assert_eq!(bad.len(), 3, "{bad:?}");
    let lines: Vec<u64> = bad.iter().map(|r| r.line).collect();
    assert_eq!(lines, [6, 8, 9]);
    assert!(bad[0].reason.contains("date"), "{}", bad[0]);
    assert!(bad[1].reason.contains("type"), "{}", bad[1]);
    assert!(bad[2].reason.contains("base64"), "{}", bad[2]);
    for r in &bad {
        let start = usize::try_from(r.offset).unwrap_or(usize::MAX);
        assert!(xml.as_bytes()[start..].starts_with(&r.raw), "raw is the record's own text");
        assert!(!r.raw_truncated);
    }
    // The rejected MMS's raw text is the whole element, ready for a rejects file.
    assert!(bad[2].raw.starts_with(b"<mms ") && bad[2].raw.ends_with(b"</mms>"));
}

#[test]
fn a_billion_laughs_is_refused_without_expanding_anything() {
    let _serial = serial();
    let mut xml = String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE smses [\n <!ENTITY lol \"lol\">\n");
    xml.push_str(" <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n");
    for i in 2..=9 {
        let prev = format!("&lol{};", i - 1);
        xml.push_str(&format!(" <!ENTITY lol{i} \"{}\">\n", prev.repeat(10)));
    }
    xml.push_str("]>\n<smses count=\"2\">\n");
    xml.push_str("<sms address=\"+1555\" date=\"1\" type=\"1\" body=\"&lol9;\" />\n");
    xml.push_str("&lol9;\n");
    xml.push_str("<sms address=\"+1555\" date=\"2\" type=\"1\" body=\"fine\" />\n</smses>\n");
    let items = read_all(xml.as_bytes());
    let recs = records(&items);
    assert_eq!(recs.len(), 1);
    assert_eq!(sms(&recs[0]).body.as_deref(), Some("fine"));
    let bad = rejects(&items);
    assert_eq!(bad.len(), 3, "{bad:?}");
    assert!(bad[0].reason.contains("DOCTYPE"), "{}", bad[0]);
    assert!(bad[1].reason.contains("&lol9;") && !bad[1].raw.is_empty(), "{}", bad[1]);
    assert!(bad[2].reason.contains("&lol9;") && bad[2].raw.is_empty(), "{}", bad[2]);
}

#[test]
fn deep_nesting_is_counted_not_stored() {
    let _serial = serial();
    let depth = 200_000;
    let mut xml = String::from("<smses>\n");
    xml.push_str(&"<x>".repeat(depth));
    xml.push_str(&"</x>".repeat(depth));
    xml.push_str("\n<mms date=\"1\" msg_box=\"1\"><parts>");
    xml.push_str(&"<y>".repeat(1000));
    xml.push_str(&"</y>".repeat(1000));
    xml.push_str("</parts></mms>\n<sms date=\"2\" type=\"1\" body=\"after\" />\n</smses>\n");
    let items = read_all(xml.as_bytes());
    let bad = rejects(&items);
    assert_eq!(bad.len(), 3, "{bad:?}");
    assert!(bad[0].reason.contains("unexpected element <x>"), "{}", bad[0]);
    assert!(bad[1].reason.contains("deeper than"), "{}", bad[1]);
    assert!(bad[2].reason.contains("deeper than") && bad[2].raw.starts_with(b"<mms"), "{}", bad[2]);
    assert_eq!(bad[2].line, 3);
    let recs = records(&items);
    assert_eq!(recs.len(), 1);
    assert_eq!(sms(&recs[0]).body.as_deref(), Some("after"));
}

#[test]
fn a_truncated_file_gives_the_records_before_the_cut() {
    let _serial = serial();
    let xml = fixture();
    let cut = xml.find(PNG_B64).map(|i| i + 20).unwrap_or(0);
    let items = read_all(&xml.as_bytes()[..cut]);
    let recs = records(&items);
    assert_eq!(recs.len(), 4, "the four SMS before the MMS");
    let bad = rejects(&items);
    assert_eq!(bad.len(), 2, "{bad:?}");
    assert!(bad[0].reason.contains("truncated"), "{}", bad[0]);
    assert_eq!(bad[0].line, 9);
    assert!(bad[0].raw_truncated && bad[0].raw.starts_with(b"<mms date=\"1700000240000\""));
    assert!(bad[1].reason.contains("truncated"), "{}", bad[1]);
    // Cut between records: only the missing end is reported.
    let cut = xml.find("  <mms").unwrap_or(0);
    let items = read_all(&xml.as_bytes()[..cut]);
    assert_eq!(records(&items).len(), 4);
    assert_eq!(rejects(&items).len(), 1);
}

#[test]
fn not_a_backup_at_all() {
    let _serial = serial();
    for input in [&b""[..], b"just text", b"\xff\xfe<\x00s\x00"] {
        let items = read_all(input);
        assert!(records(&items).is_empty());
        assert!(!rejects(&items).is_empty(), "{input:?}");
    }
}

/// A reader that produces its bytes on the fly, so a test never holds the whole input.
struct Generated<F: FnMut() -> Option<Vec<u8>>> {
    next: F,
    chunk: Vec<u8>,
    pos: usize,
}

impl<F: FnMut() -> Option<Vec<u8>>> Read for Generated<F> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.pos == self.chunk.len() {
            match (self.next)() {
                Some(c) => {
                    self.chunk = c;
                    self.pos = 0;
                }
                None => return Ok(0),
            }
        }
        let n = (self.chunk.len() - self.pos).min(out.len());
        out[..n].copy_from_slice(&self.chunk[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

fn generated(next: impl FnMut() -> Option<Vec<u8>>) -> BufReader<impl Read> {
    BufReader::new(Generated { next, chunk: Vec::new(), pos: 0 })
}

/// A backup whose one MMS part carries `size` bytes of base64, followed by a good SMS.
fn huge_part(size: u64) -> BufReader<impl Read> {
    let mut stage = 0;
    let mut left = size;
    generated(move || {
        stage += 1;
        match stage {
            1 => Some(
                b"<smses count=\"2\">\n<mms date=\"1\" msg_box=\"1\"><parts><part ct=\"image/jpeg\" data=\"".to_vec(),
            ),
            _ if left > 0 => {
                let n = left.min(1 << 20);
                left -= n;
                stage = 1;
                Some(vec![b'A'; n as usize])
            }
            _ if stage < 100 => {
                stage = 100;
                Some(b"\" /></parts></mms>\n<sms date=\"2\" type=\"1\" body=\"after\" />\n</smses>\n".to_vec())
            }
            _ => None,
        }
    })
}

/// Peak resident memory of this process since the last reset, from /proc (Linux); `None`
/// elsewhere. Each call first tries to reset the peak to the current RSS (`clear_refs` 5),
/// so one case's peak does not hide the next one's; without that, peaks only grow.
fn peak_rss() -> Option<u64> {
    let peak = read_peak();
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    peak
}

fn read_peak() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

const MIB: u64 = 1 << 20;

/// The memory checks run one after another in one test, so that no other test of this
/// binary raises the process's peak while they measure it (the other tests are tiny).
#[test]
fn memory_stays_bounded_on_huge_inputs() {
    let _serial = serial();
    // 100,000 records in a loop: counted, nothing kept.
    let total = 100_000u64;
    let mut n = 0u64;
    let mut ended = false;
    let input = generated(move || {
        if n == 0 {
            n += 1;
            return Some(format!("<smses count=\"{total}\">\n").into_bytes());
        }
        if n > total {
            if ended {
                return None;
            }
            ended = true;
            return Some(b"</smses>\n".to_vec());
        }
        let mut chunk = Vec::new();
        for _ in 0..1000 {
            if n > total {
                break;
            }
            chunk.extend_from_slice(format!("  <sms protocol=\"0\" address=\"+1555000{:04}\" date=\"{}\" type=\"{}\" body=\"message {n} &#55357;&#56832;\" read=\"1\" status=\"-1\" />\n", n % 10_000, 1_600_000_000_000 + n, 1 + n % 2).as_bytes());
            n += 1;
        }
        Some(chunk)
    });
    peak_rss();
    let before = read_peak();
    let mut count = 0u64;
    let mut bad = 0u64;
    for item in SmsbrReader::new(input) {
        match item {
            Ok(_) => count += 1,
            Err(_) => bad += 1,
        }
    }
    assert_eq!((count, bad), (total, 0));
    let after = read_peak();
    eprintln!("100k records: peak RSS {:?} → {:?} MiB", before.map(|b| b / MIB), after.map(|a| a / MIB));
    if let (Some(b), Some(a)) = (before, after) {
        assert!(a <= b + 16 * MIB, "reading 100k records raised the peak by {} MiB", (a - b) / MIB);
    }

    // A 200 MiB attribute with a 1 MiB data limit: rejected after a few MiB, never held.
    let limits = Limits { max_data_bytes: MIB as usize, ..Limits::default() };
    peak_rss();
    let before = read_peak();
    let items: Vec<_> = SmsbrReader::with_limits(huge_part(200 * MIB), limits).collect();
    let after = read_peak();
    eprintln!(
        "200 MiB attribute, 1 MiB limit: peak RSS {:?} → {:?} MiB",
        before.map(|b| b / MIB),
        after.map(|a| a / MIB)
    );
    check_huge_part(&items);
    if let (Some(b), Some(a)) = (before, after) {
        assert!(a <= b + 48 * MIB, "a 200 MiB attribute raised the peak by {} MiB", (a - b) / MIB);
    }

    // The same with the default limits (64 MiB per part): bounded by the limit, not the input.
    peak_rss();
    let before = read_peak();
    let items: Vec<_> = SmsbrReader::new(huge_part(200 * MIB)).collect();
    let after = read_peak();
    eprintln!(
        "200 MiB attribute, default limits: peak RSS {:?} → {:?} MiB",
        before.map(|b| b / MIB),
        after.map(|a| a / MIB)
    );
    check_huge_part(&items);
    if let (Some(b), Some(a)) = (before, after) {
        assert!(a <= b + 200 * MIB, "a 200 MiB attribute raised the peak by {} MiB", (a - b) / MIB);
    }

    // A legitimate 40 MiB part (30 MiB decoded) within the default limits reads whole.
    peak_rss();
    let before = read_peak();
    let items: Vec<_> = SmsbrReader::new(huge_part(40 * MIB)).collect();
    let after = read_peak();
    eprintln!("40 MiB part, default limits: peak RSS {:?} → {:?} MiB", before.map(|b| b / MIB), after.map(|a| a / MIB));
    assert!(rejects(&items).is_empty(), "{:?}", rejects(&items));
    let recs = records(&items);
    assert_eq!(recs.len(), 2);
    assert_eq!(mms(&recs[0]).parts[0].data.as_ref().map(Vec::len), Some(30 << 20));
    // The parser's buffer, the record's raw copy and the decoded bytes: about 110 MiB;
    // a further copy of the base64 text (156 MiB measured) would break this.
    if let (Some(b), Some(a)) = (before, after) {
        assert!(a <= b + 128 * MIB, "a 40 MiB part raised the peak by {} MiB", (a - b) / MIB);
    }
    drop(recs);
    drop(items);
}

fn check_huge_part(items: &[Result<Record, Reject>]) {
    let bad = rejects(items);
    assert_eq!(bad.len(), 1, "{bad:?}");
    assert!(bad[0].reason.contains("longer than"), "{}", bad[0]);
    assert!(bad[0].raw_truncated && bad[0].raw.len() <= 64 * 1024 && bad[0].raw.starts_with(b"<mms date=\"1\""));
    assert_eq!((bad[0].line, bad[0].offset), (2, 18));
    let recs = records(items);
    assert_eq!(recs.len(), 1);
    assert_eq!(sms(&recs[0]).body.as_deref(), Some("after"));
}
