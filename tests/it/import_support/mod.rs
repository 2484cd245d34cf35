//! Fixtures of the `cmd_import*` tests: SMS Backup & Restore files generated with known content,
//! and counting what a test imported (everything it writes is dated in 2015, far from the demo
//! box's messages).
#![allow(dead_code)]

use base64::Engine;
use futures::StreamExt;

use cpmctl::wire::{Object, SearchCriteria, SearchCriterion, SelectionCriteria};

use crate::cmd_support::Fixture;

/// 2015-01-01T00:00:00Z in ms.
pub const BASE_MS: i64 = 1_420_070_400_000;
pub const OWN: &str = "+15550001111";

pub fn peer(i: usize) -> String {
    format!("+1 (555) 010-{:04}", i % 5)
}

/// The body of SMS number `i`: repeated "Ok"s from one peer, emoji, entities, several lines.
pub fn body(i: usize) -> String {
    match i % 4 {
        _ if i.is_multiple_of(50) => "Ok".to_string(),
        0 => format!("plain {i}"),
        1 => format!("emoji 😀 {i}"),
        2 => format!("a & b <c> \"q\" {i}"),
        _ => format!("line one {i}\nline two"),
    }
}

pub fn sms_date(i: usize) -> i64 {
    BASE_MS + i as i64 * 60_000 + (i % 1000) as i64
}

pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\n', "&#10;")
}

/// `<sms>` number `i`.
pub fn sms(i: usize) -> String {
    let kind = if i.is_multiple_of(7) { 2 } else { 1 };
    let address = if i.is_multiple_of(50) { peer(0) } else { peer(i) };
    format!(
        "  <sms protocol=\"0\" address=\"{}\" date=\"{}\" type=\"{kind}\" subject=\"null\" body=\"{}\" toa=\"null\" sc_toa=\"null\" service_center=\"null\" read=\"{}\" status=\"-1\" locked=\"0\" date_sent=\"0\" readable_date=\"Jan 1, 2015\" contact_name=\"(Unknown)\" />\n",
        esc(&address),
        sms_date(i),
        esc(&body(i)),
        i % 2
    )
}

/// The image bytes of MMS `j`.
pub fn image(j: usize) -> Vec<u8> {
    (0..300u32).map(|k| (k as usize * 7 + j) as u8).collect()
}

/// `<mms>` number `j`: SMIL, text and an image; even ones are group MMS (two other peers).
pub fn mms(j: usize) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(image(j));
    let mut addrs = format!(
        "      <addr address=\"+15550100001\" type=\"137\" charset=\"106\" />\n      <addr address=\"{OWN}\" type=\"151\" charset=\"106\" />\n"
    );
    if j.is_multiple_of(2) {
        addrs.push_str("      <addr address=\"+15550100002\" type=\"151\" charset=\"106\" />\n");
    }
    format!(
        "  <mms date=\"{}\" msg_box=\"1\" m_id=\"mid-{j}\" ct_t=\"application/vnd.wap.multipart.related\" read=\"1\" sub=\"null\" address=\"+15550100001\">\n    <parts>\n      <part seq=\"-1\" ct=\"application/smil\" name=\"null\" chset=\"null\" cl=\"smil.xml\" text=\"&lt;smil&gt;&lt;body&gt;&lt;/body&gt;&lt;/smil&gt;\" />\n      <part seq=\"0\" ct=\"text/plain\" chset=\"106\" cl=\"text.txt\" text=\"picture {j} 📷\" />\n      <part seq=\"0\" ct=\"image/png\" cl=\"img{j}.png\" name=\"img{j}.png\" data=\"{b64}\" />\n    </parts>\n    <addrs>\n{addrs}    </addrs>\n  </mms>\n",
        BASE_MS + 200_000_000 + j as i64 * 60_000
    )
}

/// A backup of SMS `sms_range` and MMS `mms_range`.
pub fn backup(sms_range: std::ops::Range<usize>, mms_range: std::ops::Range<usize>) -> String {
    let count = sms_range.len() + mms_range.len();
    let mut s = format!(
        "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<smses count=\"{count}\" backup_set=\"x\" backup_date=\"1\" type=\"full\">\n"
    );
    for i in sms_range {
        s.push_str(&sms(i));
    }
    for j in mms_range {
        s.push_str(&mms(j));
    }
    s.push_str("</smses>\n");
    s
}

/// Every object dated in 2015 (what the tests import), with full attributes.
pub fn imported(fx: &Fixture) -> Vec<Object> {
    let client = fx.client();
    fx.rt.block_on(async {
        let c = SelectionCriteria {
            max_entries: 1000,
            search_criteria: Some(SearchCriteria {
                criterion: vec![SearchCriterion::new(
                    "Date",
                    None,
                    "minDate=2015-01-01T00:00:00Z&maxDate=2016-01-01T00:00:00Z",
                )],
                operator: None,
            }),
            ..Default::default()
        };
        let mut out = Vec::new();
        let mut pages = client.search_stream(c);
        while let Some(p) = pages.next().await {
            out.extend(p.unwrap().object);
        }
        out
    })
}

/// Writes `text` to `name` in the fixture's work dir and returns the path as a string.
pub fn write(fx: &Fixture, name: &str, text: &[u8]) -> String {
    let p = fx.work().join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

/// Checks what an import of `backup(sms, mms)` stored, found by a map per kind (so the check is
/// linear in the number of records): every SMS's direction, Date to the ms, peer, body, read flag,
/// correlationTag and conversation folder; every MMS's context, group addresses, SMIL part and
/// image bytes (downloaded) equal to the base64 in the file; the repeated "Ok"s all kept.
pub fn verify_smsbr(fx: &Fixture, objects: &[Object], sms: std::ops::Range<usize>, mms: std::ops::Range<usize>) {
    use std::collections::HashMap;
    let mut by_date: HashMap<i64, &Object> = HashMap::new();
    let mut by_mid: HashMap<&str, &Object> = HashMap::new();
    for o in objects {
        match o.attributes.first("Message-Context") {
            Some("pager-message") => {
                let ms = o
                    .attributes
                    .first("Date")
                    .and_then(|d| d.parse::<jiff::Timestamp>().ok())
                    .map(|t| t.as_millisecond());
                let ms = ms.unwrap_or_else(|| panic!("an SMS without a readable Date: {o:?}"));
                assert!(by_date.insert(ms, o).is_none(), "two SMS at {ms}");
            }
            Some("multimedia-message") => {
                let mid = o.correlation_id.as_deref().unwrap_or_else(|| panic!("an MMS without m_id: {o:?}"));
                assert!(by_mid.insert(mid, o).is_none(), "two MMS {mid}");
            }
            other => panic!("unexpected context {other:?}"),
        }
    }
    assert_eq!(by_date.len(), sms.len(), "SMS objects");
    assert_eq!(by_mid.len(), mms.len(), "MMS objects");
    let mut oks = 0;
    for i in sms {
        let o = by_date.get(&sms_date(i)).unwrap_or_else(|| panic!("sms {i} missing"));
        let incoming = !i.is_multiple_of(7);
        let bare = if i.is_multiple_of(50) { "+15550100000".to_string() } else { format!("+1555010{:04}", i % 5) };
        assert_eq!(o.attributes.first("Direction"), Some(if incoming { "In" } else { "Out" }), "sms {i}");
        let peer_attr = if incoming { "From" } else { "To" };
        assert_eq!(o.attributes.first(peer_attr), Some(format!("tel:{bare}").as_str()), "sms {i}");
        assert_eq!(o.attributes.first("TextContent"), Some(body(i).as_str()), "sms {i}");
        assert_eq!(o.flags.contains("\\Seen"), i % 2 == 1, "sms {i}");
        let raw_peer = if i.is_multiple_of(50) { peer(0) } else { peer(i) };
        let tag = cpmctl::wire::correlation::correlation_tag(Some(&raw_peer), incoming, &body(i));
        assert_eq!(o.correlation_tag.as_deref(), Some(tag.as_str()), "sms {i}");
        assert!(
            o.path.as_deref().is_some_and(|p| p.starts_with(&format!("/RCSMessageStore/sms-{bare}/"))),
            "sms {i}: {:?}",
            o.path
        );
        if body(i) == "Ok" {
            oks += 1;
        }
    }
    // Repeated "Ok"s from one peer share a correlationTag and are all kept.
    let stored_oks = by_date.values().filter(|o| o.attributes.first("TextContent") == Some("Ok")).count();
    assert_eq!(stored_oks, oks);

    let client = fx.client();
    for j in mms {
        let o = by_mid.get(format!("mid-{j}").as_str()).unwrap_or_else(|| panic!("mms {j} missing"));
        let to = o.attributes.values("To");
        assert_eq!(to.len(), if j.is_multiple_of(2) { 2 } else { 1 }, "mms {j}: {to:?}");
        assert!(o.payload_part.iter().any(|p| p.content_type.starts_with("application/smil")), "mms {j}");
        let img = o.payload_part.iter().find(|p| p.content_type == "image/png").unwrap_or_else(|| panic!("mms {j}"));
        let bytes = fx.rt.block_on(async { client.download(&img.href).await.unwrap().bytes().await.unwrap() });
        let b64 = base64::engine::general_purpose::STANDARD.encode(image(j));
        assert_eq!(bytes, base64::engine::general_purpose::STANDARD.decode(b64).unwrap(), "mms {j}");
    }
}

/// The `-o ndjson` result records of a run.
pub fn records(out: &str) -> Vec<serde_json::Value> {
    out.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).unwrap()).collect()
}

/// How many records ended with `what` (`created`, `present`, …).
pub fn outcomes(records: &[serde_json::Value], what: &str) -> usize {
    records.iter().filter(|r| r["outcome"] == what).count()
}

/// Import of `backup(0..sms, 0..mms)` verified field by field, the same file again (nothing new),
/// and a newer backup overlapping the last fifth (only its new messages).
pub fn full_cycle(fx: &Fixture, sms: usize, mms: usize) {
    let file = write(fx, "backup.xml", backup(0..sms, 0..mms).as_bytes());
    let (code, out, err) = fx.run(&["import", "-o", "ndjson", &file]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(outcomes(&records(&out), "created"), sms + mms, "{err}");
    let objects = imported(fx);
    assert_eq!(objects.len(), sms + mms);
    verify_smsbr(fx, &objects, 0..sms, 0..mms);

    let (code, out, err) = fx.run(&["import", "-o", "ndjson", &file]);
    assert_eq!(code, 0, "{err}");
    let recs = records(&out);
    assert_eq!(outcomes(&recs, "created"), 0, "{err}");
    assert_eq!(outcomes(&recs, "present"), sms + mms, "{err}");
    assert!(err.contains(&format!("already present {}", sms + mms)), "{err}");

    // Archive mode: a newer backup re-exports the last fifth along with what came since.
    let (sms_new, mms_new) = (sms / 4, mms / 4);
    let newer = write(fx, "newer.xml", backup(sms - sms / 5..sms + sms_new, mms - mms / 5..mms + mms_new).as_bytes());
    let recs = records(&fx.ok(&["import", "-o", "ndjson", &newer]));
    assert_eq!(outcomes(&recs, "created"), sms_new + mms_new);
    assert_eq!(outcomes(&recs, "present"), sms / 5 + mms / 5);
    let objects = imported(fx);
    assert_eq!(objects.len(), sms + sms_new + mms + mms_new);
    verify_smsbr(fx, &objects, 0..sms + sms_new, 0..mms + mms_new);
}
