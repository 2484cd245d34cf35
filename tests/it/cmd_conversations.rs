//! `cpmctl conversations` through the real binary on the demo box, checked against counts
//! computed here, independently, from `search --all -o ndjson` of the same box.

use crate::cmd_support;

use std::collections::{BTreeMap, BTreeSet};

use cmd_support::{Fixture, file_part};
use serde_json::Value;

const OWN: &str = "+15550001111";

/// What the test expects of one conversation.
#[derive(Debug, Default, PartialEq, Eq)]
struct Expect {
    messages: u64,
    attachments: u64,
    unread: u64,
    objects: u64,
    first: Option<String>,
    last: Option<String>,
    group: bool,
    sms: bool,
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array().map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect()).unwrap_or_default()
}

/// The demo box spells numbers as `tel:+…`; everything else (SIP identities, the focus) stays.
fn peer(a: &str) -> String {
    a.strip_prefix("tel:").map(str::to_string).unwrap_or_else(|| a.to_lowercase())
}

/// Expected summaries by full key, grouped from search records.
fn expected(records: &[Value]) -> BTreeMap<String, Expect> {
    let mut out: BTreeMap<String, Expect> = BTreeMap::new();
    for r in records {
        let ctx = r["context"].as_str().unwrap_or("");
        let sms = ctx == "pager-message" || ctx == "multimedia-message";
        let key = match r["conversation"].as_str() {
            Some(c) if !sms => format!("conversation:{c}"),
            _ => {
                let mut peers: BTreeSet<String> = strs(&r["attributes"]["From"]).iter().map(|a| peer(a)).collect();
                peers.extend(strs(&r["to"]).iter().map(|a| peer(a)));
                peers.remove(OWN);
                format!("peers:{}", peers.into_iter().collect::<Vec<_>>().join(","))
            }
        };
        let e = out.entry(key).or_default();
        e.objects += 1;
        e.sms |= sms;
        e.group |= r["attributes"]["Is-CPM-Group"][0] == "yes";
        if ["imdn-message", "session-info", "group-state"].contains(&ctx) {
            continue;
        }
        e.messages += 1;
        let parts = r["parts"].as_array().unwrap();
        e.attachments += parts
            .iter()
            .filter(|p| p["contentType"].as_str().unwrap().starts_with("image/"))
            .filter(|p| !p["filename"].as_str().unwrap_or("").starts_with("thumbnail_"))
            .count() as u64;
        if !strs(&r["flags"]).iter().any(|f| f == "\\Seen") {
            e.unread += 1;
        }
        let date = r["date"].as_str().unwrap().to_string();
        if e.first.as_ref().is_none_or(|f| date < *f) {
            e.first = Some(date.clone());
        }
        if e.last.as_ref().is_none_or(|l| date > *l) {
            e.last = Some(date);
        }
    }
    out
}

fn got(c: &Value) -> Expect {
    let n = |k: &str| c[k].as_u64().unwrap();
    Expect {
        messages: n("messages"),
        attachments: n("attachments"),
        unread: n("unread"),
        objects: n("objects"),
        first: c["firstDate"].as_str().map(str::to_string),
        last: c["lastDate"].as_str().map(str::to_string),
        group: c["type"] == "group-chat",
        sms: c["type"] == "sms-mms",
    }
}

fn keys(records: &[Value]) -> Vec<String> {
    records.iter().map(|r| r["key"].as_str().unwrap().to_string()).collect()
}

#[test]
fn every_demo_conversation_once_with_its_counts() {
    let f = Fixture::demo();
    let objects = f.records(&["search", "--all"]);
    let want = expected(&objects);
    let convs = f.records(&["conversations"]);
    let listed = keys(&convs);
    assert_eq!(listed.iter().collect::<BTreeSet<_>>().len(), listed.len(), "each once: {listed:?}");
    assert_eq!(
        listed.iter().cloned().collect::<BTreeSet<_>>(),
        want.keys().cloned().collect(),
        "the same conversations"
    );
    for c in &convs {
        let key = c["key"].as_str().unwrap();
        assert_eq!(got(c), want[key], "{key}");
        assert_eq!(c["kind"], "conversation");
        let id = c["id"].as_str().unwrap();
        assert_eq!(id.len(), 12);
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
    }
    let total: u64 = convs.iter().map(|c| c["objects"].as_u64().unwrap()).sum();
    assert_eq!(total, objects.len() as u64, "every demo object is in exactly one conversation");

    // Newest activity first.
    let lasts: Vec<&str> = convs.iter().map(|c| c["lastDate"].as_str().unwrap()).collect();
    assert!(lasts.windows(2).all(|w| w[0] >= w[1]), "{lasts:?}");

    // The demo's kinds: 8 one-to-one chats, 4 groups with their subjects, 6 SMS/MMS threads.
    let of = |t: &str| convs.iter().filter(|c| c["type"] == t).collect::<Vec<_>>();
    let subjects: BTreeSet<&str> = of("group-chat").iter().map(|c| c["subject"].as_str().unwrap()).collect();
    assert_eq!(
        subjects,
        BTreeSet::from(["Weekend hike 🥾", "Family", "Project Falcon standup", "Book club <Thursdays>"])
    );
    let hike = of("group-chat").into_iter().find(|c| c["subject"] == "Weekend hike 🥾").unwrap();
    assert_eq!(strs(&hike["peers"]), ["+15550001234", "+15550002222", "+15550003333", "+15550006666"]);
    assert_eq!(of("sms-mms").len(), 6);
    assert!(of("sms-mms").iter().all(|c| c["subject"].is_null()));
    assert!(of("chat").len() >= 8);

    // Stable across runs; the JSON array holds the same records.
    let again = f.ok(&["-o", "json", "conversations"]);
    let array: Vec<Value> = serde_json::from_str(&again).unwrap();
    assert_eq!(array, convs);
}

#[test]
fn filters_as_search() {
    let f = Fixture::demo();
    let all = f.records(&["conversations"]);
    let alice = keys(&f.records(&["conversations", "--participant", "tel:+15550002222"]));
    // Alice: a 1-1 chat, an SMS/MMS thread and one group chat.
    assert_eq!(alice.len(), 3, "{alice:?}");
    assert!(alice.contains(&"peers:+15550002222".to_string()));
    for s in ["15550002222", "+1 555 000 2222", "sip:+15550002222@ims.example.net;user=phone"] {
        assert_eq!(keys(&f.records(&["conversations", "--participant", s])), alice, "--participant {s}");
    }
    // --since counts only what is newer; conversations idle since then drop out.
    let week = f.records(&["conversations", "--since", "7d"]);
    assert!(!week.is_empty() && week.len() < all.len(), "{} of {}", week.len(), all.len());
    for c in &week {
        let full = all.iter().find(|a| a["key"] == c["key"]).unwrap();
        assert!(c["messages"].as_u64() <= full["messages"].as_u64());
        assert_eq!(c["lastDate"], full["lastDate"]);
    }
    let old = f.records(&["conversations", "--until", "7d"]);
    assert!(!old.is_empty());
    let sms = f.records(&["conversations", "--folder", "/RCSMessageStore/sms-+15550002222"]);
    assert_eq!(keys(&sms), ["peers:+15550002222"]);
    let full = all.iter().find(|a| a["key"] == "peers:+15550002222").unwrap();
    assert_eq!(sms[0], *full);
    let (code, _, err) = f.run(&["conversations", "--since", "1d", "--until", "2d"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = f.run(&["conversations", "--participant", ""]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn plain_and_tables_at_80_and_120_columns() {
    let f = Fixture::demo();
    let convs = f.records(&["conversations"]);
    let plain = f.ok(&["-o", "plain", "conversations"]);
    let rows: Vec<Vec<&str>> = plain.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), convs.len());
    for (row, c) in rows.iter().zip(&convs) {
        assert_eq!(row.len(), 10, "{row:?}");
        assert_eq!(row[0], c["id"]);
        assert_eq!(row[1], c["type"]);
        assert_eq!(row[4], c["messages"].to_string());
        assert_eq!(row[9], c["key"]);
    }
    for width in [80usize, 120] {
        let out = f.cmd().env("COLUMNS", width.to_string()).args(["-o", "table", "conversations"]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8(out.stdout).unwrap();
        let mut lines = text.lines();
        let header = lines.next().unwrap();
        for name in ["ID", "LAST", "TYPE", "MSGS", "FILES", "UNREAD", "WITH"] {
            assert!(header.contains(name), "{name} at {width}:\n{text}");
        }
        assert_eq!(lines.count(), convs.len(), "one line per conversation at {width}:\n{text}");
        assert!(text.lines().all(|l| l.chars().count() <= width), "{width}:\n{text}");
        for c in &convs {
            assert!(text.contains(c["id"].as_str().unwrap()), "id cut at {width}:\n{text}");
        }
        if width == 120 {
            assert!(text.contains("Book club <Thursdays> (4 peers)"), "{text}");
        }
    }
}

#[test]
fn group_members_come_from_the_newest_group_state_document() {
    let f = Fixture::demo();
    let folder = "/Fixture/group";
    let base = [("Conversation-ID", "gs-1"), ("Is-CPM-Group", "yes"), ("Subject", "Planning")];
    let with = |extra: &[(&'static str, &'static str)]| base.iter().chain(extra).copied().collect::<Vec<_>>();
    f.create(
        folder,
        &with(&[
            ("Date", "2024-05-01T10:00:00Z"),
            ("Message-Context", "chat-message"),
            ("From", "tel:+15550002222"),
            ("To", "tel:+15550001111"),
            ("TextContent", "hi all"),
        ]),
        &["\\Seen"],
        vec![],
    );
    let doc = |members: &[&str]| {
        let mut xml = String::from("<?xml version=\"1.0\"?><groupstate xmlns=\"urn:oma:xml:cpm:groupstate:1.0\">");
        for m in members {
            xml.push_str(&format!("<participant name=\"x\" comm-addr=\"{m}\"/>"));
        }
        xml.push_str("</groupstate>");
        file_part("application/vnd.oma.cpm-groupstate+xml", "groupstate.xml", xml.as_bytes())
    };
    let state = |date: &'static str| {
        with(&[
            ("Date", date),
            ("Message-Context", "group-state"),
            ("From", "sip:focus@conf"),
            ("To", "tel:+15550001111"),
        ])
    };
    // The newer document names a member who has not written yet; the older one is stale.
    f.create(folder, &state("2024-05-01T09:00:00Z"), &[], vec![doc(&["tel:+15550001111", "tel:+15550004444"])]);
    f.create(
        folder,
        &state("2024-05-01T11:00:00Z"),
        &[],
        vec![doc(&["tel:+15550001111", "sip:+15550002222@ims.example.net;user=phone", "tel:+15550000042"])],
    );
    let convs = f.records(&["conversations", "--folder", folder]);
    assert_eq!(convs.len(), 1, "{convs:?}");
    let c = &convs[0];
    assert_eq!(c["key"], "conversation:gs-1");
    assert_eq!(c["type"], "group-chat");
    assert_eq!(c["subject"], "Planning");
    assert_eq!(strs(&c["peers"]), ["+15550000042", "+15550002222"]);
    assert_eq!((c["messages"].as_u64(), c["objects"].as_u64()), (Some(1), Some(3)));
    // The member named only by the group state is a participant for the filter too.
    assert_eq!(keys(&f.records(&["conversations", "--participant", "+15550000042"])), ["conversation:gs-1"]);
}
