//! Correct views through the real binary on the demo box: a message's text is its own
//! (never the group's Subject), and one party is one address however it is spelled.

use crate::cmd_support;

use std::collections::BTreeSet;

use cmd_support::Fixture;

fn first<'a>(r: &'a serde_json::Value, attr: &str) -> Option<&'a str> {
    r["attributes"][attr][0].as_str()
}

#[test]
fn group_chat_messages_show_their_text_not_the_subject() {
    let f = Fixture::demo();
    let records = f.records(&["search", "--all", "--context", "chat"]);
    let group: Vec<&serde_json::Value> = records.iter().filter(|r| first(r, "Is-CPM-Group") == Some("yes")).collect();
    assert!(group.len() > 5, "the demo box has group chats");
    for r in &group {
        let text = first(r, "TextContent").expect("demo chat messages carry TextContent");
        assert_eq!(r["text"], text);
        assert_eq!(r["subject"].as_str(), first(r, "Subject"));
        assert!(r["subject"].is_string());
        assert_ne!(r["text"], r["subject"]);
    }
    // The listing column shows each message's text (it showed the group's Subject).
    let conversation = first(group[0], "Conversation-ID").unwrap();
    let plain = f.ok(&["search", "--all", "-o", "plain", "--context", "chat", "--conversation", conversation]);
    let want: BTreeSet<String> = group
        .iter()
        .filter(|r| first(r, "Conversation-ID") == Some(conversation))
        .map(|r| first(r, "TextContent").unwrap().to_string())
        .collect();
    let shown: BTreeSet<String> =
        plain.lines().map(|l| l.rsplit('\t').next().unwrap_or_default().to_string()).collect();
    assert_eq!(shown, want);
}

#[test]
fn one_party_however_spelled() {
    let f = Fixture::demo();
    let spellings = [
        "+15550002222",
        "15550002222",
        "tel:+15550002222",
        "tel:+1-555-000-2222",
        "sip:+15550002222@ims.example.net;user=phone",
    ];
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    let base = sorted(f.ids(&["--participant", "tel:+15550002222"]));
    assert!(base.len() > 20, "Alice has SMS, MMS, chats and a group chat: {}", base.len());
    for s in spellings {
        assert_eq!(sorted(f.ids(&["--participant", s])), base, "--participant {s}");
    }
    let from = sorted(f.ids(&["--from", "tel:+15550002222"]));
    assert!(!from.is_empty() && from.len() < base.len());
    for s in spellings {
        assert_eq!(sorted(f.ids(&["--from", s])), from, "--from {s}");
    }
    let to = sorted(f.ids(&["--to", "+15550002222"]));
    for s in spellings {
        assert_eq!(sorted(f.ids(&["--to", s])), to, "--to {s}");
    }
    assert_eq!(from.len() + to.len(), base.len(), "no demo object has Alice on both sides");

    // A copy stored under a SIP URI is the same party when the test runs on the client.
    let sip = f.create(
        "/Fixture/alice",
        &[
            ("Date", "2024-05-01T10:00:00Z"),
            ("Direction", "In"),
            ("From", "sip:+15550002222@ims.example.net;user=phone"),
            ("To", "tel:+15550001111"),
            ("Message-Context", "pager-message"),
            ("TextContent", "from a SIP URI"),
        ],
        &[],
        vec![],
    );
    let sms = sorted(f.ids(&["--participant", "tel:+15550002222", "--context", "sms"]));
    assert!(sms.contains(&sip));
    for s in spellings {
        assert_eq!(sorted(f.ids(&["--participant", s, "--context", "sms"])), sms, "--participant {s} --context sms");
    }
    assert_eq!(f.ids(&["--from", "15550002222", "--to", "+15550001111", "--text", "from a SIP"]), vec![sip.clone()]);
    // An address alone is searched on the server, where a SIP URI's host is unknown: the object
    // stored only under a SIP URI is found all the same, with every spelling.
    for s in spellings {
        assert!(f.ids(&["--participant", s]).contains(&sip), "--participant {s} alone");
        assert!(f.ids(&["--from", s]).contains(&sip), "--from {s} alone");
    }
}

#[test]
fn an_empty_address_is_a_usage_error() {
    let f = Fixture::demo();
    let (code, _, err) = f.run(&["search", "--participant", "  "]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--participant"), "{err}");
}
