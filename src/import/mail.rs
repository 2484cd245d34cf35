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
    if header(bytes, "X-smssync-datatype").is_some_and(|t| t.eq_ignore_ascii_case("sms")) {
        return sms_backup_plus(bytes, &parsed, own_address);
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
    super::source::sms_object(&sms, own)
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
