//! Records ↔ NMS objects, with the attribute names the reference server's demo box and
//! Samsung's client use (../shared/docs/nms-protocol.md §4.1): `<sms>` is a `pager-message`, `<mms>` a
//! `multimedia-message` with its parts.
//!
//! Dates: Java milliseconds become `Date` as `yyyy-MM-ddTHH:mm:ssZ` (the carrier form);
//! the milliseconds are dropped there, so an export of an imported message carries the
//! whole second. Addresses: phone numbers become `tel:` URIs with formatting removed;
//! anything else (an e-mail gateway, an alphanumeric sender) is kept as written. The
//! correlationTag is computed from the address exactly as the phone stored it, because
//! that is what a phone computes for the same message.

use std::collections::BTreeMap;

use crate::wire::correlation::{bare_number, correlation_tag};
use crate::wire::multipart::{Part, media_type, param};
use crate::wire::{AttributeList, FlagList, Object, names};

use super::{ADDR_BCC, ADDR_CC, ADDR_FROM, ADDR_TO, MmsAddr, MmsPart, MmsRecord, MsgBox, SmsRecord, SmsType};

/// The attribute that keeps Android's box for messages that are neither received, sent
/// nor drafts: `outbox`, `failed` or `queued`.
pub const BOX_ATTRIBUTE: &str = "X-Android-Box";

/// What the MMS stack writes instead of the own number in a sent MMS's From.
const ADDRESS_TOKEN: &str = "insert-address-token";

/// MIBenum of UTF-8 in `chset`.
const UTF8_MIB: &str = "106";

/// Why an object cannot become a record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MapError {
    #[error("the object has no Date attribute")]
    NoDate,
    #[error("the object's Date {0:?} is not an RFC 3339 time")]
    BadDate(String),
    #[error("the record's date {0} ms is outside the representable range")]
    DateRange(i64),
}

fn rfc3339(ms: i64) -> Result<String, MapError> {
    let t = jiff::Timestamp::from_millisecond(ms).map_err(|_| MapError::DateRange(ms))?;
    Ok(t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
}

fn millis(object: &Object) -> Result<i64, MapError> {
    let date = object.attributes.first(names::DATE).ok_or(MapError::NoDate)?;
    let t: jiff::Timestamp = date.trim().parse().map_err(|_| MapError::BadDate(date.to_string()))?;
    Ok(t.as_millisecond())
}

/// A phone number as a `tel:` URI (formatting removed); other addresses unchanged.
fn to_uri(address: &str) -> String {
    let a = address.trim();
    let phone = a.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c))
        && a.chars().filter(char::is_ascii_digit).count() >= 3
        && a.get(1..).is_some_and(|rest| !rest.contains('+'));
    if !phone {
        return a.to_string();
    }
    let digits: String = a.chars().filter(char::is_ascii_digit).collect();
    if a.starts_with('+') { format!("tel:+{digits}") } else { format!("tel:{digits}") }
}

/// A URI as the phone writes an address: `tel:` dropped, `sip:+1…@host` reduced to the number.
fn from_uri(uri: &str) -> String {
    let bare = bare_number(uri.trim());
    match bare.strip_prefix("sip:") {
        Some(sip) if sip.contains("user=phone") || sip.starts_with('+') => {
            sip.split(['@', ';']).next().unwrap_or(sip).to_string()
        }
        _ => bare.to_string(),
    }
}

fn box_name(code: u8) -> Option<&'static str> {
    match code {
        4 => Some("outbox"),
        5 => Some("failed"),
        6 => Some("queued"),
        _ => None,
    }
}

fn common(attrs: &mut AttributeList, date: i64, incoming: bool, context: &str) -> Result<(), MapError> {
    attrs.set(names::DATE, vec![rfc3339(date)?]);
    attrs.set(names::DIRECTION, vec![if incoming { "In" } else { "Out" }.to_string()]);
    attrs.set("Is-CPM-Group", vec!["no".to_string()]);
    attrs.set(names::MESSAGE_CONTEXT, vec![context.to_string()]);
    Ok(())
}

/// `<sms>` → a `pager-message` object (its text also in [`sms_payload`]).
pub fn sms_to_object(sms: &SmsRecord, own_address: &str) -> Result<Object, MapError> {
    let incoming = sms.kind == SmsType::Received;
    let mut attrs = AttributeList::default();
    common(&mut attrs, sms.date, incoming, "pager-message")?;
    let peer = sms.address.as_deref().map(to_uri).unwrap_or_default();
    let (from, to) = if incoming { (peer, own_address.to_string()) } else { (own_address.to_string(), peer) };
    if !from.is_empty() {
        attrs.set(names::FROM, vec![from]);
    }
    if !to.is_empty() {
        attrs.set(names::TO, vec![to]);
    }
    if let Some(subject) = &sms.subject {
        attrs.set(names::SUBJECT, vec![subject.clone()]);
    }
    let body = sms.body.as_deref().unwrap_or("");
    attrs.set(names::TEXT_CONTENT, vec![body.to_string()]);
    if let Some(name) = box_name(sms.kind.code()) {
        attrs.set(BOX_ATTRIBUTE, vec![name.to_string()]);
    }
    let mut flags = Vec::new();
    if sms.read == Some(true) {
        flags.push(names::SEEN.to_string());
    }
    if sms.kind == SmsType::Draft {
        flags.push(names::DRAFT.to_string());
    }
    let tag = correlation_tag(sms.address.as_deref().map(bare_number), incoming, body);
    Ok(Object { attributes: attrs, flags: FlagList::new(flags), correlation_tag: Some(tag), ..Object::default() })
}

/// The payload part of an SMS object, as Samsung's client and the demo box store it.
pub fn sms_payload(sms: &SmsRecord) -> Part {
    Part::new("text/plain; charset=utf-8", sms.body.clone().unwrap_or_default())
        .with_header("content-disposition", "attachment; filename=\"sms.txt\"")
}

/// `<mms>` → a `multimedia-message` object and its payload parts (SMIL included).
pub fn mms_to_object(mms: &MmsRecord, own_address: &str) -> Result<(Object, Vec<Part>), MapError> {
    let incoming = mms.msg_box == MsgBox::Inbox;
    let mut attrs = AttributeList::default();
    common(&mut attrs, mms.date, incoming, "multimedia-message")?;
    let address = |a: &MmsAddr| -> Option<String> {
        let raw = a.address.as_deref()?.trim();
        Some(if raw.eq_ignore_ascii_case(ADDRESS_TOKEN) { own_address.to_string() } else { to_uri(raw) })
    };
    let by_type = |kind: u16| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for uri in mms.addrs.iter().filter(|a| a.kind == Some(kind)).filter_map(address) {
            if !out.contains(&uri) {
                out.push(uri);
            }
        }
        out
    };
    let (mut from, mut to) = (by_type(ADDR_FROM), by_type(ADDR_TO));
    if mms.addrs.is_empty() {
        // No addrs: the `address` attribute holds the peer(s), `~`-separated.
        let peers: Vec<String> =
            mms.address.iter().flat_map(|a| a.split('~')).filter(|a| !a.trim().is_empty()).map(to_uri).collect();
        if incoming {
            from = peers.into_iter().take(1).collect();
            to = vec![own_address.to_string()];
        } else {
            from = vec![own_address.to_string()];
            to = peers;
        }
    }
    for (name, values) in [(names::FROM, from), (names::TO, to), ("Cc", by_type(ADDR_CC)), ("Bcc", by_type(ADDR_BCC))] {
        if !values.is_empty() {
            attrs.set(name, values);
        }
    }
    if let Some(sub) = &mms.sub {
        attrs.set(names::SUBJECT, vec![sub.clone()]);
    }
    if let Some(id) = &mms.m_id {
        attrs.set("Message-Id", vec![id.clone()]);
    }
    let text: Vec<&str> = mms
        .parts
        .iter()
        .filter(|p| p.ct.as_deref().is_some_and(|ct| media_type(ct) == "text/plain"))
        .filter_map(|p| p.text.as_deref())
        .collect();
    if !text.is_empty() {
        attrs.set(names::TEXT_CONTENT, vec![text.join("\n")]);
    }
    if let Some(name) = box_name(mms.msg_box.code()) {
        attrs.set(BOX_ATTRIBUTE, vec![name.to_string()]);
    }
    let mut flags = Vec::new();
    if mms.read == Some(true) {
        flags.push(names::SEEN.to_string());
    }
    if mms.msg_box == MsgBox::Drafts {
        flags.push(names::DRAFT.to_string());
    }
    let parts = mms.parts.iter().map(part_to_wire).collect();
    let object = Object {
        attributes: attrs,
        flags: FlagList::new(flags),
        correlation_id: mms.m_id.clone(),
        ..Object::default()
    };
    Ok((object, parts))
}

fn part_to_wire(p: &MmsPart) -> Part {
    let ct = p.ct.clone().unwrap_or_else(|| "application/octet-stream".to_string());
    let textual = ct.starts_with("text/") || media_type(&ct) == "application/smil";
    let content_type = if textual && p.chset.as_deref() == Some(UTF8_MIB) && param(&ct, "charset").is_none() {
        format!("{ct}; charset=utf-8")
    } else {
        ct
    };
    let body = match (&p.data, &p.text) {
        (Some(data), _) => data.clone(),
        (None, Some(text)) => text.as_bytes().to_vec(),
        (None, None) => Vec::new(),
    };
    let mut part = Part::new(&content_type, body);
    if let Some(cid) = &p.cid {
        part = part.with_header("content-id", cid);
    }
    if let Some(cl) = &p.cl {
        part = part.with_header("content-location", cl);
    }
    if let Some(name) = p.name.as_ref().or(p.file_name.as_ref()).or(p.cl.as_ref()) {
        let safe: String = name.chars().filter(|c| *c != '"' && !c.is_control()).collect();
        part = part.with_header("content-disposition", &format!("attachment; filename=\"{safe}\""));
    }
    part
}

fn peer_of(object: &Object, incoming: bool) -> Vec<String> {
    let attr = if incoming { names::FROM } else { names::TO };
    object.attributes.values(attr).iter().map(|a| from_uri(a)).collect()
}

fn android_box(object: &Object) -> Option<u8> {
    match object.attributes.first(BOX_ATTRIBUTE)?.to_ascii_lowercase().as_str() {
        "outbox" => Some(4),
        "failed" => Some(5),
        "queued" => Some(6),
        _ => None,
    }
}

fn is_incoming(object: &Object) -> bool {
    object.attributes.first(names::DIRECTION).is_some_and(|d| d.eq_ignore_ascii_case("in"))
}

/// A `pager-message` object → `<sms>` (for export). The text is `TextContent`.
pub fn object_to_sms(object: &Object) -> Result<SmsRecord, MapError> {
    let incoming = is_incoming(object);
    let kind = if incoming {
        SmsType::Received
    } else if object.flags.contains(names::DRAFT) {
        SmsType::Draft
    } else {
        android_box(object).and_then(|c| SmsType::from_code(&c.to_string())).unwrap_or(SmsType::Sent)
    };
    Ok(SmsRecord {
        protocol: Some("0".into()),
        address: peer_of(object, incoming).into_iter().next(),
        date: millis(object)?,
        kind,
        subject: object.attributes.first(names::SUBJECT).map(str::to_string),
        body: object.attributes.first(names::TEXT_CONTENT).map(str::to_string),
        read: Some(object.flags.contains(names::SEEN)),
        status: Some(-1),
        locked: Some(false),
        date_sent: Some(0),
        ..SmsRecord::default()
    })
}

/// A `multimedia-message` object and its payload parts → `<mms>` (for export).
pub fn object_to_mms(object: &Object, parts: &[Part]) -> Result<MmsRecord, MapError> {
    let incoming = is_incoming(object);
    let msg_box = if incoming {
        MsgBox::Inbox
    } else if object.flags.contains(names::DRAFT) {
        MsgBox::Drafts
    } else {
        android_box(object).and_then(|c| MsgBox::from_code(&c.to_string())).unwrap_or(MsgBox::Sent)
    };
    let mut addrs = Vec::new();
    for (name, kind) in [(names::FROM, ADDR_FROM), (names::TO, ADDR_TO), ("Cc", ADDR_CC), ("Bcc", ADDR_BCC)] {
        for a in object.attributes.values(name) {
            addrs.push(MmsAddr {
                address: Some(from_uri(a)),
                kind: Some(kind),
                charset: Some(UTF8_MIB.into()),
                extra: BTreeMap::new(),
            });
        }
    }
    let mms_parts: Vec<MmsPart> = parts.iter().map(part_from_wire).collect();
    let text_only =
        mms_parts.iter().all(|p| p.ct.as_deref().is_some_and(|ct| ct.starts_with("text/") || ct == "application/smil"));
    let m_id = object.correlation_id.clone().or_else(|| object.attributes.first("Message-Id").map(str::to_string));
    Ok(MmsRecord {
        date: millis(object)?,
        msg_box,
        address: Some(peer_of(object, incoming).join("~")).filter(|a| !a.is_empty()),
        m_id,
        m_type: Some(if incoming { "132" } else { "128" }.into()),
        ct_t: Some("application/vnd.wap.multipart.related".into()),
        sub: object.attributes.first(names::SUBJECT).map(str::to_string),
        read: Some(object.flags.contains(names::SEEN)),
        seen: Some(true),
        text_only: Some(text_only),
        locked: Some(false),
        addrs,
        parts: mms_parts,
        ..MmsRecord::default()
    })
}

/// An MMS part of the backup format from a part as the server takes it (text and SMIL inline,
/// anything else as bytes).
pub fn part_from_wire(p: &Part) -> MmsPart {
    let ct = media_type(p.content_type());
    let textual = ct.starts_with("text/") || ct == "application/smil";
    let text = if textual { String::from_utf8(p.body.clone()).ok() } else { None };
    let name = p.filename().or_else(|| p.header("content-location").map(str::to_string));
    MmsPart {
        seq: Some(if ct == "application/smil" { "-1" } else { "0" }.into()),
        chset: textual.then(|| UTF8_MIB.to_string()),
        name: name.clone(),
        file_name: name,
        cid: p.header("content-id").map(str::to_string),
        cl: p.header("content-location").map(str::to_string),
        data: if text.is_some() { None } else { Some(p.body.clone()) },
        text,
        ct: Some(ct),
        ..MmsPart::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert_eq!(to_uri("+1 (555) 000-2222"), "tel:+15550002222");
        assert_eq!(to_uri("5550002222"), "tel:5550002222");
        assert_eq!(to_uri("AMAZON"), "AMAZON");
        assert_eq!(to_uri("someone@example.com"), "someone@example.com");
        assert_eq!(to_uri("12+34"), "12+34");
        assert_eq!(from_uri("tel:+15550002222"), "+15550002222");
        assert_eq!(from_uri("sip:+15550002222@ims.example;user=phone"), "+15550002222");
        assert_eq!(from_uri("AMAZON"), "AMAZON");
    }

    #[test]
    fn sms_both_ways() {
        let sms = SmsRecord {
            address: Some("+15550002222".into()),
            date: 1_700_000_000_123,
            kind: SmsType::Failed,
            body: Some("Ok".into()),
            read: Some(true),
            ..SmsRecord::default()
        };
        let Ok(object) = sms_to_object(&sms, "tel:+15550001111") else { panic!("maps") };
        assert_eq!(object.attributes.first("Date"), Some("2023-11-14T22:13:20Z"));
        assert_eq!(object.attributes.first("Direction"), Some("Out"));
        assert_eq!(object.attributes.first("From"), Some("tel:+15550001111"));
        assert_eq!(object.attributes.first("To"), Some("tel:+15550002222"));
        assert_eq!(object.attributes.first(BOX_ATTRIBUTE), Some("failed"));
        assert!(object.flags.contains("\\Seen"));
        assert_eq!(object.correlation_tag, Some(correlation_tag(Some("+15550002222"), false, "Ok")));
        let Ok(back) = object_to_sms(&object) else { panic!("maps back") };
        assert_eq!(back.kind, SmsType::Failed);
        assert_eq!(back.address.as_deref(), Some("+15550002222"));
        assert_eq!(back.date, 1_700_000_000_000);
        assert_eq!(back.body.as_deref(), Some("Ok"));
    }

    #[test]
    fn a_bad_date_is_an_error() {
        let mut object = Object::default();
        assert_eq!(object_to_sms(&object), Err(MapError::NoDate));
        object.attributes.set("Date", vec!["yesterday".into()]);
        assert!(matches!(object_to_sms(&object), Err(MapError::BadDate(_))));
        let sms = SmsRecord { date: i64::MAX, ..SmsRecord::default() };
        assert!(sms_to_object(&sms, "tel:+1").is_err());
    }
}
