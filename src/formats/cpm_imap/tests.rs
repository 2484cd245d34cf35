//! Round trips of hand-made objects through the CPM IMAP form, and hostile input on read.

use super::*;
use crate::wire::{Attribute, AttributeList, FlagList, Object};

fn obj(attrs: &[(&str, &[&str])], flags: &[&str]) -> Object {
    Object {
        parent_folder_path: Some("/RCSMessageStore/conv-1".into()),
        attributes: AttributeList {
            attribute: attrs
                .iter()
                .map(|(n, v)| Attribute { name: n.to_string(), value: v.iter().map(|s| s.to_string()).collect() })
                .collect(),
        },
        flags: FlagList::new(flags.iter().copied()),
        last_mod_seq: Some(42),
        correlation_id: Some("Xy7k2Lq".into()),
        correlation_tag: None,
        ..Object::default()
    }
}

fn text(s: &str) -> PartBytes {
    PartBytes { content_type: "text/plain; charset=utf-8".into(), bytes: s.as_bytes().to_vec(), ..Default::default() }
}

fn written(id: Option<&str>, o: &Object, parts: &[PartBytes]) -> Vec<u8> {
    let mut out = Vec::new();
    write(id, o, parts, &mut out).unwrap();
    out
}

fn round_trip(id: Option<&str>, o: &Object, parts: &[PartBytes]) -> Vec<u8> {
    let bytes = written(id, o, parts);
    let back = read(&bytes).unwrap_or_else(|e| panic!("{e}\n{}", String::from_utf8_lossy(&bytes)));
    assert!(back.cpm_form);
    assert_eq!(back.id.as_deref(), id);
    assert_eq!(back.object, portable(o), "\n{}", String::from_utf8_lossy(&bytes));
    assert_eq!(back.parts, parts, "\n{}", String::from_utf8_lossy(&bytes));
    assert_eq!(written(id, o, parts), bytes, "deterministic");
    for line in bytes.split(|&b| b == b'\n') {
        assert!(line.len() <= 998, "line of {} bytes", line.len());
    }
    bytes
}

#[test]
fn sms_with_one_text_part_is_a_plain_text_mail() {
    let o = obj(
        &[
            ("Date", &["2024-05-01T10:00:00Z"]),
            ("Direction", &["In"]),
            ("From", &["tel:+15550002222"]),
            ("To", &["tel:+15550001111"]),
            ("Message-Context", &["pager-message"]),
            ("TextContent", &["hello"]),
        ],
        &["\\Seen", "\\Flagged"],
    );
    let bytes = round_trip(Some("abc123"), &o, &[text("hello")]);
    let s = String::from_utf8_lossy(&bytes);
    assert!(s.contains("From: \"tel:+15550002222\" <+15550002222@tel.invalid>\n"), "{s}");
    assert!(s.contains("Date: Wed, 1 May 2024 10:00:00 +0000\n"), "{s}");
    assert!(s.contains("Message-ID: <abc123@nms.cpmctl>\n"), "{s}");
    assert!(s.contains("Message-Context: pager-message\n"), "{s}");
    assert!(s.contains("X-NMS-Flags: \\Seen \\Flagged\n"), "{s}");
    assert!(s.contains("X-NMS-Attribute: TextContent: hello\n"), "{s}");
    assert!(s.contains("Content-Transfer-Encoding: 8bit\n\nhello"), "{s}");
    assert!(!s.contains('\r'), "local mail files end lines with LF: {s:?}");
    assert!(!s.contains("multipart"), "{s}");
}

#[test]
fn unicode_newlines_controls_and_long_values_survive() {
    let long = "lorem ipsum ".repeat(200);
    let o = obj(
        &[
            ("Subject", &["Grüße 😀 from 東京\r\nBcc: evil@example.com"]),
            (
                "TextContent",
                &["line one\nline two\r\n\ttabbed\u{0}\u{7f}\u{202e}", "  spaced  ", "", "%41 =?utf-8?q?x?="],
            ),
            ("Long", &[long.as_str()]),
            ("Empty-Attr", &[]),
            ("Name:With;Odd Chars ü", &["v"]),
            ("To", &["tel:+1", "sip:bob@example.com;user=phone"]),
        ],
        &["\\Seen", "$Forwarded", "Archived", "odd flag%"],
    );
    let bytes = round_trip(Some("id with spaces/and:colons ü"), &o, &[text("multi\nline\n\ntext 😀\r\n")]);
    let s = String::from_utf8_lossy(&bytes);
    assert!(!s.contains("\r\nBcc:"), "header injection: {s}");
}

#[test]
fn mms_with_binary_parts_names_and_ids() {
    let png: Vec<u8> = (0..=255u8).cycle().take(5000).collect();
    let parts = vec![
        text("Look at this 😀"),
        PartBytes {
            content_type: "image/png".into(),
            content_id: Some("photo;1.png".into()),
            content_location: Some("photo 1.png".into()),
            disposition: Some("attachment".into()),
            filename: Some("Fotó; \"2024\" été.png".into()),
            bytes: png.clone(),
        },
        PartBytes {
            content_type: "image/png".into(),
            content_id: Some("thumbnail".into()),
            disposition: Some("icon".into()),
            filename: Some("thumbnail_photo-1.png".into()),
            bytes: png[..100].to_vec(),
            ..Default::default()
        },
        PartBytes {
            content_type: "application/octet-stream".into(),
            bytes: vec![0, 13, 10, 255],
            ..Default::default()
        },
        PartBytes {
            content_type: "Text/Plain;Charset=\"ISO-8859-1\"".into(),
            bytes: b"caf\xe9".to_vec(),
            ..Default::default()
        },
        PartBytes { content_type: "text/plain".into(), bytes: Vec::new(), ..Default::default() },
    ];
    let o = obj(&[("Message-Context", &["multimedia-message"]), ("Cc", &["tel:+2"])], &[]);
    let bytes = round_trip(None, &o, &parts);
    let s = String::from_utf8_lossy(&bytes);
    assert!(s.contains("Content-Type: multipart/mixed"), "{s}");
    assert!(s.contains("Content-ID: <thumbnail>"), "{s}");
}

#[test]
fn objects_without_payload_and_without_optional_fields() {
    let o = Object {
        attributes: AttributeList { attribute: vec![Attribute::new("Message-Context", "imdn-message")] },
        ..Object::default()
    };
    round_trip(None, &o, &[]);
    let bare = Object::default();
    round_trip(None, &bare, &[]);
    let empty_strings = Object {
        correlation_id: Some(String::new()),
        correlation_tag: Some(String::new()),
        parent_folder_path: Some(String::new()),
        ..Object::default()
    };
    round_trip(Some(""), &empty_strings, &[]);
    // A single non-text part still goes into a multipart container.
    round_trip(
        Some("x"),
        &bare,
        &[PartBytes { content_type: "image/gif".into(), bytes: b"GIF89a".to_vec(), ..Default::default() }],
    );
}

#[test]
fn server_fields_are_not_carried() {
    let mut o = obj(&[("Date", &["2024-05-01T10:00:00Z"])], &["\\Seen"]);
    o.resource_url = Some("http://h/objects/1".into());
    o.flags.resource_url = Some("http://h/objects/1/flags".into());
    let back = read(&written(Some("1"), &o, &[])).unwrap();
    assert_eq!(back.object, portable(&o));
    assert_eq!(back.object.resource_url, None);
}

#[test]
fn part_info_disposition_is_split() {
    let info = crate::wire::PayloadPartInfo {
        content_type: "image/png".into(),
        content_disposition: Some("icon; filename=\"thumbnail_photo-1.png\"".into()),
        ..Default::default()
    };
    let p = PartBytes::from_info(&info, vec![1]);
    assert_eq!(p.disposition.as_deref(), Some("icon"));
    assert_eq!(p.filename.as_deref(), Some("thumbnail_photo-1.png"));
    let p = PartBytes::from_info(
        &crate::wire::PayloadPartInfo {
            content_disposition: Some("attachment; filename*=UTF-8''caf%C3%A9.txt".into()),
            ..Default::default()
        },
        vec![],
    );
    assert_eq!(p.filename.as_deref(), Some("café.txt"));
}

#[test]
fn plain_mail_maps_headers_and_parts() {
    let eml = b"From: Alice <alice@example.com>\r\nTo: bob@example.com, \"Carol\" <carol@example.com>\r\n\
Subject: =?utf-8?q?caf=C3=A9?=\r\nDate: Wed, 1 May 2024 12:00:00 +0200\r\nMessage-ID: <m1@example.com>\r\n\
MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\r\ncaf=E9\r\n--b\r\nContent-Type: image/png\r\nContent-Disposition: attachment; filename=x.png\r\n\
Content-Transfer-Encoding: base64\r\n\r\nAAEC\r\n--b--\r\n";
    let p = read(eml).unwrap();
    assert!(!p.cpm_form);
    let a = &p.object.attributes;
    assert_eq!(a.values("From"), ["alice@example.com"]);
    assert_eq!(a.values("To"), ["bob@example.com", "carol@example.com"]);
    assert_eq!(a.first("Subject"), Some("café"));
    assert_eq!(a.first("Date"), Some("2024-05-01T10:00:00Z"));
    assert_eq!(a.first("Message-Id"), Some("m1@example.com"));
    assert_eq!(p.object.correlation_id.as_deref(), Some("m1@example.com"));
    assert_eq!(p.parts.len(), 2);
    assert_eq!(p.parts[0].bytes, "café".as_bytes());
    assert_eq!(p.parts[0].content_type, "text/plain; charset=utf-8");
    assert_eq!(p.parts[1].bytes, [0, 1, 2]);
    assert_eq!(p.parts[1].filename.as_deref(), Some("x.png"));
}

#[test]
fn hostile_input_is_an_error_not_a_panic() {
    assert!(matches!(read(b""), Err(ImapFormError::NotMime)));
    let many = format!(
        "Subject: x\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n{}--b--\r\n",
        "--b\r\n\r\nx\r\n".repeat(MAX_PARTS + 5)
    );
    assert!(matches!(read(many.as_bytes()), Err(ImapFormError::TooMany { .. })), "{:?}", read(many.as_bytes()).err());
    let headers = format!("{}\r\nbody", "X-A: b\r\n".repeat(MAX_HEADERS + 1));
    assert!(matches!(read(headers.as_bytes()), Err(ImapFormError::TooMany { .. })));
    let deep = format!(
        "{}x{}",
        (0..200).map(|i| format!("Content-Type: multipart/mixed; boundary=b{i}\r\n\r\n--b{i}\r\n")).collect::<String>(),
        "\r\n"
    );
    let _ = read(deep.as_bytes());
    let big = vec![b'a'; MAX_MESSAGE_BYTES + 1];
    assert!(matches!(read(&big), Err(ImapFormError::TooLarge { .. })));
    for bad in [
        "X-NMS-Version: 1\r\nX-NMS-Attribute: %FF: x\r\n\r\n",
        "X-NMS-Version: 1\r\nX-NMS-Last-Mod-Seq: nope\r\n\r\n",
        "X-NMS-Version: 1\r\nX-NMS-Payload-Parts: 3\r\n\r\nbody",
        "X-NMS-Version: 1\r\nX-NMS-Attribute: : x\r\n\r\n",
        "X-NMS-Version: 1\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!!",
    ] {
        assert!(read(bad.as_bytes()).is_err(), "{bad:?}");
    }
    // Garbage of every byte value never panics.
    let junk: Vec<u8> = (0..20_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let _ = read(&junk);
}

#[test]
fn message_parts_are_base64_shown_as_text_and_come_back_exact() {
    let cpim = "From: <sip:+15550005555@ims.example.net>\r\nNS: imdn <urn:ietf:params:imdn>\r\n\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThese are amazing 😍";
    let odd = b"From: x\nbare LF\r\n\0nul\r\n".to_vec();
    let not_utf8 = b"From: x\r\n\r\n\xff\xfe".to_vec();
    for (body, shown) in [
        (cpim.as_bytes().to_vec(), "text/plain"),
        (format!("{cpim}\r\n").into_bytes(), "text/plain"),
        (odd, "text/plain"),
        (not_utf8, "application/octet-stream"),
    ] {
        let part = PartBytes { content_type: "message/cpim".into(), bytes: body, ..Default::default() };
        for parts in [vec![part.clone()], vec![text("caption"), part.clone()]] {
            // round_trip checks the bytes come back exact, CRLFs included.
            let bytes = round_trip(Some("m"), &Object::default(), &parts);
            let s = String::from_utf8_lossy(&bytes);
            assert!(s.contains("Content-Transfer-Encoding: base64\n"), "{s}");
            assert!(s.contains(&format!("Content-Type: {shown}")), "{s}");
            assert!(s.contains("X-NMS-Content-Type: message/cpim\n"), "{s}");
            assert!(!s.contains('\r'), "{s:?}");
        }
    }
}

#[test]
fn mutated_files_never_panic() {
    let o = obj(&[("Subject", &["Grüße\nzwei"]), ("To", &["tel:+1", "tel:+2"])], &["\\Seen"]);
    let parts = vec![
        text("hi"),
        PartBytes { content_type: "message/cpim".into(), bytes: b"A: b\r\n\r\nc".to_vec(), ..Default::default() },
        PartBytes {
            content_type: "image/png".into(),
            filename: Some("ü;.png".into()),
            bytes: vec![7; 300],
            ..Default::default()
        },
    ];
    let good = written(Some("id"), &o, &parts);
    // A fixed splitmix64 sequence: reproducible, and varied enough to hit headers, boundaries and bodies.
    let mut state = 0x1234_5678_u64;
    let mut next = || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    for _ in 0..3_000 {
        let mut bad = good.clone();
        for _ in 0..(next() % 4 + 1) {
            if bad.len() < 2 {
                break;
            }
            let at = (next() as usize) % bad.len();
            match next() % 3 {
                0 => bad[at] = next() as u8,
                1 => {
                    bad.remove(at);
                }
                _ => bad.truncate(at.max(1)),
            }
        }
        let _ = read(&bad);
    }
}

#[test]
fn write_refuses_what_read_would_refuse() {
    let many = vec![text("x"); MAX_PARTS];
    assert!(matches!(write(None, &Object::default(), &many, Vec::new()), Err(ImapFormError::TooMany { .. })));
    let mut o = Object::default();
    o.attributes.set("Big", (0..MAX_HEADERS).map(|i| i.to_string()).collect());
    assert!(matches!(write(None, &o, &[], Vec::new()), Err(ImapFormError::TooMany { .. })));
    // Just under the limits is written and read back.
    let mut o = Object::default();
    o.attributes.set("Big", (0..MAX_ATTRIBUTES).map(|i| i.to_string()).collect());
    round_trip(None, &o, &vec![text("x"); 3]);
}

#[test]
fn the_no_escape_shortcut_gives_what_percent_encoding_gives() {
    let mut cases: Vec<String> = (0u8..=0x7f).map(|b| format!("a{}b", char::from(b))).collect();
    cases.extend(["", "plain", "é", "a:b", "50%", "x y", "\u{7f}", "tel:+1555"].map(String::from));
    for s in &cases {
        assert_eq!(enc_word(s), utf8_percent_encode(s, VALUE_SET).to_string(), "value {s:?}");
        assert_eq!(enc_name(s), utf8_percent_encode(s, NAME_SET).to_string(), "name {s:?}");
    }
}
