//! Tests of the demo content: determinism, coverage of every message kind, and the integrity of what it carries.

use std::collections::{HashMap, HashSet};

use super::*;
use crate::wire::correlation::{bare_number, correlation_tag};

fn now() -> jiff::Timestamp {
    "2025-06-15T12:00:00Z".parse().unwrap()
}

fn context(o: &DemoObject) -> &str {
    o.object.attributes.first("Message-Context").unwrap()
}

fn of<'a>(b: &'a DemoBox, ctx: &'a str) -> impl Iterator<Item = &'a DemoObject> + 'a {
    b.objects.iter().filter(move |o| context(o) == ctx)
}

#[test]
fn deterministic_and_dates_follow_now() {
    let a = demo_content(now());
    assert_eq!(a, demo_content(now()));
    // A whole number of days later, so that the time-of-day shaping maps every instant the same way.
    let later: jiff::Timestamp = "2025-09-01T12:00:00Z".parse().unwrap();
    let b = demo_content(later);
    assert_ne!(a, b);
    // Same shape, only dates move (by exactly the difference).
    assert_eq!(a.objects.len(), b.objects.len());
    assert_eq!(a.folders, b.folders);
    let shift = later.as_second() - now().as_second();
    for (x, y) in a.objects.iter().zip(&b.objects) {
        let dx: jiff::Timestamp = x.object.attributes.first("Date").unwrap().parse().unwrap();
        let dy: jiff::Timestamp = y.object.attributes.first("Date").unwrap().parse().unwrap();
        assert_eq!(dy.as_second() - dx.as_second(), shift);
        assert_eq!(x.object.correlation_id, y.object.correlation_id);
        assert_eq!(x.object.correlation_tag, y.object.correlation_tag);
    }
}

#[test]
fn counts_and_every_context() {
    let b = demo_content(now());
    assert!(b.objects.len() >= 300, "only {} objects", b.objects.len());
    assert!(b.objects.len() <= 700, "{} objects", b.objects.len());
    let mut per: HashMap<&str, usize> = HashMap::new();
    for o in &b.objects {
        *per.entry(context(o)).or_default() += 1;
    }
    for ctx in [
        "pager-message",
        "multimedia-message",
        "chat-message",
        "file-message",
        "standalone-message",
        "session-info",
        "group-state",
        "imdn-message",
    ] {
        assert!(per.get(ctx).copied().unwrap_or(0) >= 4, "{ctx}: {per:?}");
    }
    let conversations: Vec<&str> = b.folders.iter().filter_map(|f| f.attributes.first("Conversation-ID")).collect();
    assert!(conversations.len() >= 10);
    let unique: HashSet<&str> = conversations.iter().copied().collect();
    assert_eq!(unique.len(), conversations.len(), "duplicate Conversation-ID");
    let groups = of(&b, "chat-message").filter(|o| o.object.attributes.first("Is-CPM-Group") == Some("yes")).count();
    assert!(groups >= 20);
    assert!(of(&b, "chat-message").any(|o| o.object.attributes.first("InReplyTo-Contribution-ID").is_some()));
}

#[test]
fn folders_are_consistent() {
    let b = demo_content(now());
    assert_eq!(b.folders[0].path, "/RCSMessageStore");
    let paths: HashSet<&str> = b.folders.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths.len(), b.folders.len(), "duplicate folder path");
    for (i, f) in b.folders.iter().enumerate() {
        let parent = f.path.rsplit_once('/').unwrap().0;
        assert!(parent.is_empty() || b.folders[..i].iter().any(|p| p.path == parent), "{} before its parent", f.path);
        if let Some(id) = f.attributes.first("Conversation-ID") {
            assert_eq!(f.path, format!("/RCSMessageStore/conv-{id}"));
        }
    }
    assert!(paths.contains("/RCSMessageStore/sms-+15550002222"));
    assert!(paths.contains("/RCSMessageStore/standalone"));
    for o in &b.objects {
        assert!(paths.contains(o.folder_path.as_str()), "{}", o.folder_path);
        if let Some(id) = o.object.attributes.first("Conversation-ID")
            && o.folder_path.contains("/conv-")
        {
            assert!(o.folder_path.ends_with(id));
        }
    }
}

#[test]
fn attributes_dates_and_flags() {
    check_dates_and_flags(now());
    // Just after midnight UTC: the time-of-day shaping must still keep every date in the past.
    check_dates_and_flags("2026-01-01T00:30:00Z".parse().unwrap());
}

fn check_dates_and_flags(now: jiff::Timestamp) {
    let b = demo_content(now);
    let now_s = now.as_second();
    let (mut week, mut month) = (0, 0);
    let mut flags: HashSet<String> = HashSet::new();
    let mut unread = 0;
    for o in &b.objects {
        let attrs = &o.object.attributes;
        for a in &attrs.attribute {
            assert_eq!(a.name, crate::wire::names::canonical_attribute(&a.name), "non-canonical name");
            assert!(!a.value.is_empty());
        }
        for required in ["Date", "From", "To", "Direction", "Message-Context"] {
            assert!(attrs.first(required).is_some(), "{required} missing in {attrs:?}");
        }
        let date = attrs.first("Date").unwrap();
        assert_eq!(date.len(), 20, "{date}");
        assert!(date.ends_with('Z') && date.as_bytes()[10] == b'T');
        let t = date.parse::<jiff::Timestamp>().unwrap().as_second();
        assert!(t <= now_s && t > now_s - 200 * DAY, "{date}");
        week += usize::from(now_s - t <= 7 * DAY);
        month += usize::from(now_s - t <= 30 * DAY);
        assert!(matches!(attrs.first("Direction"), Some("In" | "Out")));
        flags.extend(o.object.flags.flag.iter().cloned());
        if attrs.first("Direction") == Some("In") && !o.object.flags.contains(names::SEEN) {
            unread += 1;
        }
    }
    assert!(week >= 20, "{week} in the last week");
    assert!(month >= 60, "{month} in the last month");
    assert!(unread >= 3, "{unread} unread");
    for f in [
        names::SEEN,
        names::FLAGGED,
        names::ANSWERED,
        names::FORWARDED,
        names::READ_REPORT_SENT,
        names::ARCHIVED,
        names::DELETED,
    ] {
        assert!(flags.contains(f), "flag {f} never used");
    }
}

#[test]
fn sms_correlation_tags_recompute() {
    let b = demo_content(now());
    let mut n = 0;
    for o in of(&b, "pager-message") {
        let a = &o.object.attributes;
        let incoming = a.first("Direction") == Some("In");
        let remote = if incoming { a.first("From") } else { a.first("To") }.unwrap();
        let text = a.first("TextContent").unwrap();
        let tag = correlation_tag(Some(bare_number(remote)), incoming, text);
        assert_eq!(o.object.correlation_tag.as_deref(), Some(tag.as_str()));
        assert_eq!(o.parts.len(), 1);
        assert_eq!(o.parts[0].body, text.as_bytes());
        assert_eq!(o.parts[0].media_type(), "text/plain");
        n += 1;
    }
    assert!(n >= 50);
    // Only SMS carry a correlationTag; every other message kind but session/group state a correlationId.
    for o in &b.objects {
        let ctx = context(o);
        assert_eq!(o.object.correlation_tag.is_some(), ctx == "pager-message");
        let wants_id = !matches!(ctx, "pager-message" | "session-info" | "group-state");
        assert_eq!(o.object.correlation_id.is_some(), wants_id, "{ctx}");
    }
}

#[test]
fn cpm_ids_and_imdns_link_up() {
    let b = demo_content(now());
    let mut ids = HashSet::new();
    for o in b.objects.iter().filter(|o| matches!(context(o), "chat-message" | "file-message" | "standalone-message")) {
        let id = o.object.correlation_id.as_deref().unwrap();
        assert_eq!(o.object.attributes.first("IMDN-Message-ID"), Some(id));
        assert!(o.object.attributes.first("Contribution-ID").is_some());
        assert!(o.object.attributes.first("Conversation-ID").is_some());
        assert!(ids.insert(id.to_string()), "duplicate IMDN id {id}");
    }
    let mut imdns = 0;
    for o in of(&b, "imdn-message") {
        let a = &o.object.attributes;
        let original = a.first("DispositionOriginalMessageID").unwrap();
        assert_eq!(o.object.correlation_id.as_deref(), Some(original));
        assert!(ids.contains(original), "IMDN for an unknown message");
        assert!(matches!(
            (a.first("DispositionType"), a.first("DispositionStatus")),
            (Some("delivery"), Some("delivered")) | (Some("display"), Some("displayed"))
        ));
        assert!(a.first("DispositionOriginalTo").is_some());
        assert!(o.parts.is_empty());
        imdns += 1;
    }
    assert!(imdns >= 20);
    for o in of(&b, "multimedia-message") {
        assert_eq!(o.object.correlation_id.as_deref(), o.object.attributes.first("Message-Id"));
        assert_eq!(o.parts.len(), 2);
        assert!(o.parts.iter().all(|p| p.header("content-location").is_some() && p.filename().is_some()));
        png::check::validate(&o.parts[1].body).unwrap();
    }
}

#[test]
fn file_transfers_carry_valid_pngs() {
    let b = demo_content(now());
    let mut n = 0;
    for o in of(&b, "file-message") {
        let [file, thumb] = &o.parts[..] else { panic!("two parts expected") };
        assert_eq!(file.header("file-icon"), Some("cid:thumbnail"));
        assert!(file.header("content-disposition").unwrap().starts_with("attachment;"));
        assert!(file.filename().unwrap().starts_with("photo-"));
        assert!(thumb.header("content-disposition").unwrap().starts_with("icon"));
        assert_eq!(thumb.content_id().as_deref(), Some("thumbnail"));
        let big = png::check::validate(&file.body).unwrap();
        let small = png::check::validate(&thumb.body).unwrap();
        assert_eq!((big.width, big.height), (32, 24));
        assert_eq!((small.width, small.height), (8, 6));
        n += 1;
    }
    assert!(n >= 8, "{n} file transfers");
}

#[test]
fn sessions_and_group_state_documents() {
    let b = demo_content(now());
    for o in of(&b, "group-state") {
        let xml = std::str::from_utf8(&o.parts[0].body).unwrap();
        assert!(xml.starts_with("<?xml"));
        assert!(xml.contains("xmlns=\"urn:oma:xml:cpm:groupstate:1.0\""));
        assert!(xml.contains("lastfocussessionid=\"sip:"));
        assert!(xml.matches("<participant ").count() >= 3);
        assert_eq!(xml.matches("<groupstate ").count(), 1);
        assert!(xml.trim_end().ends_with("</groupstate>"));
        // Text that needs escaping (O'Brien) must not break the attribute quoting.
        assert_eq!(xml.matches('"').count() % 2, 0);
        assert!(!xml.contains("'B"));
    }
    let sessions: Vec<_> = of(&b, "session-info").collect();
    assert!(sessions.len() >= 10);
    for o in &sessions {
        assert_eq!(o.object.attributes.first("Content-Type"), Some("Application/X-CPM-Session"));
        let body = std::str::from_utf8(&o.parts[0].body).unwrap();
        assert!(body.contains("<session-info>") && body.contains("</session-info>"));
    }
    assert!(sessions.iter().any(|o| o.object.attributes.first("InReplyTo-Contribution-ID").is_some()));
}
