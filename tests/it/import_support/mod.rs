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
