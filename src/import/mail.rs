//! Mail (one RFC 5322/MIME message from an mbox, an EML file or a Maildir) → an object to
//! create. The CPM IMAP form (what `sync` and `export` write) gives back the identical object;
//! an SMS Backup+ mail (`X-smssync-*` headers) becomes the SMS object the phone had; any other
//! mail becomes a standalone message with its MIME leaves as parts.

use mail_parser::MessageParser;

use crate::formats::cpm_imap::{self, PartBytes};
use crate::formats::smsbr::{self, SmsRecord, SmsType};
use crate::message::compose::creatable;
use crate::nms::NewObject;
use crate::wire::multipart::Part;
use crate::wire::{FlagList, names};

/// A payload part in the form the server takes on creation.
pub fn wire_part(p: &PartBytes) -> Part {
    let mut part = Part::new(&p.content_type, p.bytes.clone());
    if let Some(id) = &p.content_id {
        part = part.with_header("content-id", &format!("<{id}>"));
    }
    if let Some(loc) = &p.content_location {
        part = part.with_header("content-location", loc);
    }
    match (&p.disposition, &p.filename) {
        (Some(d), Some(f)) => {
            part = part.with_header("content-disposition", &crate::wire::multipart::disposition(d, f))
        }
        (Some(d), None) => part = part.with_header("content-disposition", d),
        (None, Some(f)) => {
            part = part.with_header("content-disposition", &crate::wire::multipart::disposition("attachment", f));
        }
        (None, None) => {}
    }
    part
}

/// The first value of header `name` (case-insensitive), unfolded and trimmed.
fn header(bytes: &[u8], name: &str) -> Option<String> {
    let msg = MessageParser::new().parse_headers(bytes)?;
    let top = msg.parts.first()?;
    let h = top.headers.iter().find(|h| h.name.as_str().eq_ignore_ascii_case(name))?;
    let raw = msg.raw_message.get(h.offset_start as usize..h.offset_end as usize)?;
    let text = std::str::from_utf8(raw).ok()?;
    Some(text.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|s| !s.is_empty())
}

/// Maps one mail. `maildir_letters` are the Maildir info flags of its file name, if any.
pub fn to_object(bytes: &[u8], maildir_letters: Option<&str>, own_address: &str) -> Result<NewObject, String> {
    let parsed = cpm_imap::read(bytes).map_err(|e| e.to_string())?;
    if parsed.cpm_form {
        let parts = parsed.parts.iter().map(wire_part).collect();
        return Ok(NewObject { object: creatable(parsed.object), parts });
    }
    match header(bytes, "X-smssync-datatype").map(|t| t.to_ascii_lowercase()).as_deref() {
        Some("sms") => return sms_backup_plus(bytes, &parsed, own_address),
        Some("mms") => return mms_backup_plus(bytes, &parsed, own_address),
        _ => {}
    }
    let mut object = parsed.object;
    let a = &mut object.attributes;
    a.set(names::MESSAGE_CONTEXT, vec!["standalone-message".into()]);
    let own = crate::message::address::normalise(own_address);
    let from_me = a.values(names::FROM).iter().any(|f| crate::message::address::normalise(f) == own);
    a.set(names::DIRECTION, vec![if from_me { "Out" } else { "In" }.into()]);
    if let Some(letters) = maildir_letters {
        object.flags = FlagList::new(crate::formats::flags_from_maildir(letters));
    }
    let parts = parsed.parts.iter().map(wire_part).collect();
    Ok(NewObject { object, parts })
}

/// An SMS Backup+ mail: the `X-smssync-*` headers carry the phone's own record (address,
/// type, date in ms, read), the text body is the SMS.
fn sms_backup_plus(bytes: &[u8], parsed: &cpm_imap::ParsedObject, own: &str) -> Result<NewObject, String> {
    let date: i64 = header(bytes, "X-smssync-date")
        .ok_or("an SMS Backup+ mail without X-smssync-date")?
        .parse()
        .map_err(|_| "X-smssync-date is not a number of milliseconds".to_string())?;
    let kind = match header(bytes, "X-smssync-type") {
        Some(t) => SmsType::from_code(&t).ok_or_else(|| format!("X-smssync-type {t:?} is not 1 to 6"))?,
        None => SmsType::Received,
    };
    let read = header(bytes, "X-smssync-read").map(|r| r.trim() == "1");
    let body = parsed
        .parts
        .iter()
        .find(|p| p.content_type.to_ascii_lowercase().starts_with("text/plain"))
        .map(|p| String::from_utf8_lossy(&p.bytes).into_owned())
        .unwrap_or_default();
    // A MIME text body ends with a line break the SMS never had (the correlationTag hashes the
    // exact text a phone holds).
    let body = body.strip_suffix("\r\n").or_else(|| body.strip_suffix('\n')).unwrap_or(&body).to_string();
    let sms = SmsRecord {
        address: header(bytes, "X-smssync-address").filter(|a| a != smsbr::NULL),
        date,
        kind,
        body: Some(body),
        read,
        ..SmsRecord::default()
    };
    super::records::sms_object(&sms, own)
}

/// The phone number of a mail address SMS Backup+ made of one (`5550002222@unknown.email`), or
/// the address as it is.
fn phone_of(mail_address: &str) -> String {
    let a = mail_address.trim().trim_start_matches("mailto:");
    match a.split_once('@') {
        Some((local, _)) if !local.is_empty() && local.chars().all(|c| c.is_ascii_digit() || c == '+') => {
            local.to_string()
        }
        _ => a.to_string(),
    }
}

/// An SMS Backup+ MMS mail: `X-smssync-date` is the phone's MMS date (Android keeps those in
/// seconds; a value already in milliseconds is taken as it is), `X-smssync-type` its m_type
/// (128 sent, 132 or 130 received), the peer in `X-smssync-address`, the recipients of a sent
/// (group) MMS in `To`; every MIME leaf is a part. It becomes the multimedia-message an SMS
/// Backup & Restore `<mms>` of the same message would.
fn mms_backup_plus(bytes: &[u8], parsed: &cpm_imap::ParsedObject, own: &str) -> Result<NewObject, String> {
    let raw: i64 = header(bytes, "X-smssync-date")
        .ok_or("an SMS Backup+ MMS mail without X-smssync-date")?
        .parse()
        .map_err(|_| "X-smssync-date is not a number".to_string())?;
    let date = if raw.abs() < 100_000_000_000 { raw.saturating_mul(1000) } else { raw };
    let peer = header(bytes, "X-smssync-address").filter(|a| a != smsbr::NULL);
    let own_norm = crate::message::address::normalise(own);
    let mine = |a: &str| crate::message::address::normalise(&phone_of(a)) == own_norm;
    let a = &parsed.object.attributes;
    let incoming = match header(bytes, "X-smssync-type").as_deref().map(str::trim) {
        Some("128") => false,
        Some("130" | "132") => true,
        _ => !a.values(names::FROM).iter().any(|f| mine(f)),
    };
    let addr =
        |address: String, kind: u16| smsbr::MmsAddr { address: Some(address), kind: Some(kind), ..Default::default() };
    let mut addrs = Vec::new();
    if incoming {
        let from = peer.clone().or_else(|| a.first(names::FROM).map(phone_of));
        addrs.extend(from.map(|f| addr(f, 137)));
        addrs.push(addr(own.to_string(), 151));
    } else {
        addrs.push(addr(own.to_string(), 137));
        let to: Vec<String> = a.values(names::TO).iter().filter(|t| !mine(t)).map(|t| phone_of(t)).collect();
        if to.is_empty() {
            addrs.extend(peer.clone().map(|p| addr(p, 151)));
        } else {
            addrs.extend(to.into_iter().map(|t| addr(t, 151)));
        }
    }
    let mms = smsbr::MmsRecord {
        date,
        msg_box: if incoming { smsbr::MsgBox::Inbox } else { smsbr::MsgBox::Sent },
        address: peer,
        m_type: header(bytes, "X-smssync-type"),
        read: header(bytes, "X-smssync-read").map(|r| r.trim() == "1"),
        parts: parsed.parts.iter().map(|p| smsbr::part_from_wire(&wire_part(p))).collect(),
        addrs,
        ..Default::default()
    };
    super::records::mms_object(&mms, own)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sms_backup_plus_mail_is_an_sms() {
        let mail = b"From: Bob <5550002222@unknown.email>\r\nTo: me@example.com\r\nSubject: SMS with Bob\r\n\
X-smssync-address: +15550002222\r\nX-smssync-datatype: SMS\r\nX-smssync-type: 1\r\n\
X-smssync-date: 1700000000123\r\nX-smssync-read: 1\r\nMessage-ID: <a@sms-backup-plus.local>\r\n\
Content-Type: text/plain; charset=utf-8\r\n\r\nSee you at 8\r\n";
        let o = to_object(mail, None, "tel:+15550001111").unwrap();
        let a = &o.object.attributes;
        assert_eq!(a.first("Message-Context"), Some("pager-message"));
        assert_eq!(a.first("Date"), Some("2023-11-14T22:13:20.123Z"));
        assert_eq!(a.first("From"), Some("tel:+15550002222"));
        assert!(o.object.flags.contains("\\Seen"));
        assert_eq!(a.first("TextContent"), Some("See you at 8"));
    }

    #[test]
    fn sms_backup_plus_mms_mail_is_an_mms() {
        // A sent group MMS: date in seconds, the recipients in To, a text and an image part.
        let mail = b"From: Me <+15550001111@unknown.email>\r\nTo: Bob <+15550002222@unknown.email>, \
Carol <+15550003333@unknown.email>\r\nSubject: SMS with Bob\r\nX-smssync-address: +15550002222\r\n\
X-smssync-datatype: MMS\r\nX-smssync-type: 128\r\nX-smssync-date: 1700000000\r\nX-smssync-read: 1\r\n\
Message-ID: <b@sms-backup-plus.local>\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"xx\"\r\n\r\n--xx\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
Look \xf0\x9f\x93\xb7\r\n--xx\r\nContent-Type: image/png; name=\"p.png\"\r\nContent-Transfer-Encoding: base64\r\n\
Content-Disposition: attachment; filename=\"p.png\"\r\n\r\niVBORw0KGgo=\r\n--xx--\r\n";
        let o = to_object(mail, None, "tel:+15550001111").unwrap();
        let a = &o.object.attributes;
        assert_eq!(a.first("Message-Context"), Some("multimedia-message"));
        assert_eq!(a.first("Date"), Some("2023-11-14T22:13:20Z"));
        assert_eq!(a.first("Direction"), Some("Out"));
        let mut to: Vec<&str> = a.values("To").iter().map(String::as_str).collect();
        to.sort_unstable();
        assert_eq!(to, ["tel:+15550002222", "tel:+15550003333"]);
        assert!(o.object.flags.contains("\\Seen"));
        let img = o.parts.iter().find(|p| p.content_type().starts_with("image/png")).unwrap();
        assert_eq!(img.body, b"\x89PNG\r\n\x1a\n");
        assert!(o.parts.iter().any(|p| p.body == "Look 📷".as_bytes()));
    }

    #[test]
    fn other_mail_is_standalone() {
        let mail =
            b"From: a@example.com\r\nTo: b@example.com\r\nSubject: hi\r\nDate: Tue, 1 Oct 2024 10:00:00 +0000\r\n\
Message-ID: <m1@example.com>\r\n\r\nbody\r\n";
        let o = to_object(mail, Some("S"), "tel:+15550001111").unwrap();
        assert_eq!(o.object.attributes.first("Message-Context"), Some("standalone-message"));
        assert_eq!(o.object.correlation_id.as_deref(), Some("m1@example.com"));
        assert!(o.object.flags.contains("\\Seen"));
        assert_eq!(o.parts.len(), 1);
    }
}
