//! Composing message objects from files and imported records: attributes from what the
//! caller gives (flags of `put`, fields of an imported record), the payload part of a file,
//! TextContent for SMS text, and the SMS correlationTag (../shared/docs/nms-protocol.md §6.1).

use jiff::Timestamp;

use crate::wire::multipart::Part;
use crate::wire::{Object, correlation, names};

use super::context::{self, Direction};
use super::time::{parse_when, wire_date};

/// Message attributes to give a new object (from `put`'s flags or an imported record).
/// Error messages name the `put` flag each field comes from.
#[derive(Debug, Clone, Default)]
pub struct Compose {
    /// Message context: sms, mms, chat, file, standalone, … or a full Message-Context value.
    pub context: Option<String>,
    /// Sender address (From).
    pub from: Option<String>,
    /// Recipient address (To); repeatable.
    pub to: Vec<String>,
    /// Message date: RFC 3339, a day, or an age like 2h (default: now).
    pub date: Option<String>,
    /// Direction: in or out (for SMS inferred from --from/--to when omitted).
    pub direction: Option<String>,
    /// Conversation-ID.
    pub conversation: Option<String>,
    /// Subject.
    pub subject: Option<String>,
    /// Any attribute NAME=VALUE; repeatable (a repeated NAME adds values).
    pub attrs: Vec<String>,
    /// Flags to set on the new object (seen, flagged, …); repeatable.
    pub flags: Vec<String>,
    /// correlationId to store (IMDN Message-ID, MMS Message-ID).
    pub correlation_id: Option<String>,
    /// correlationTag to store instead of the computed SMS hash.
    pub correlation_tag: Option<String>,
    /// Content type of the payload (default: guessed from the file name).
    pub content_type: Option<String>,
}

/// A local payload: its name, content type and bytes.
pub struct Payload {
    pub filename: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

impl Payload {
    /// The text of a textual payload, `None` for binary content.
    pub fn text(&self) -> Option<&str> {
        let media = crate::wire::multipart::media_type(&self.content_type);
        if media.starts_with("text/") { std::str::from_utf8(&self.bytes).ok() } else { None }
    }

    /// The payload as an attachment part.
    pub fn part(&self) -> Part {
        let name: String =
            self.filename.chars().map(|c| if c == '"' || c == '\\' || c.is_control() { '_' } else { c }).collect();
        Part::new(&self.content_type, self.bytes.clone())
            .with_header("content-disposition", &format!("attachment; filename=\"{name}\""))
    }
}

impl Compose {
    /// Applies the flags to `object` (attributes set by flags replace those of a template).
    pub fn apply(&self, object: &mut Object, payload: Option<&Payload>, now: Timestamp) -> Result<(), String> {
        let a = &mut object.attributes;
        let date = match &self.date {
            Some(d) => wire_date(parse_when(d, now).map_err(|e| format!("--date: {e}"))?),
            None => a.first(names::DATE).map(str::to_string).unwrap_or_else(|| wire_date(now)),
        };
        a.set(names::DATE, vec![date]);
        if let Some(ctx) = &self.context {
            a.set(names::MESSAGE_CONTEXT, vec![names::message_context(ctx)]);
        }
        if let Some(f) = &self.from {
            a.set(names::FROM, vec![f.clone()]);
        }
        if !self.to.is_empty() {
            a.set(names::TO, self.to.clone());
        }
        if let Some(c) = &self.conversation {
            a.set(names::CONVERSATION_ID, vec![c.clone()]);
        }
        if let Some(s) = &self.subject {
            a.set(names::SUBJECT, vec![s.clone()]);
        }
        let mut replaced: Vec<String> = Vec::new();
        for kv in &self.attrs {
            let (n, v) = kv.split_once('=').ok_or_else(|| format!("--attr {kv:?}: expected NAME=VALUE"))?;
            let n = names::canonical_attribute(n.trim());
            if n.is_empty() {
                return Err(format!("--attr {kv:?}: the attribute name is empty"));
            }
            // The first --attr of a name replaces a template's value; later ones add values.
            if replaced.iter().any(|r| r.eq_ignore_ascii_case(&n)) {
                a.push(&n, v);
            } else {
                a.set(&n, vec![v.to_string()]);
                replaced.push(n);
            }
        }
        let sms = a.first(names::MESSAGE_CONTEXT).is_some_and(context::is_sms);
        let direction = match &self.direction {
            // Anything but `out` is incoming (the flag's parser allows only in and out).
            Some(d) => Some(Direction::parse(d).unwrap_or(Direction::In).as_str().to_string()),
            None => a
                .first(names::DIRECTION)
                .map(str::to_string)
                .or_else(|| sms.then(|| Direction::infer(a).as_str().to_string())),
        };
        if let Some(d) = &direction {
            a.set(names::DIRECTION, vec![d.clone()]);
        }
        if sms && let Some(text) = payload.and_then(Payload::text) {
            a.set(names::TEXT_CONTENT, vec![text.to_string()]);
        }
        for f in &self.flags {
            let f = names::canonical_flag(f);
            if !object.flags.contains(&f) {
                object.flags.flag.push(f);
            }
        }
        if let Some(id) = &self.correlation_id {
            object.correlation_id = Some(id.clone());
        }
        if let Some(tag) = &self.correlation_tag {
            object.correlation_tag = Some(tag.clone());
        } else if sms && object.correlation_tag.is_none() {
            let a = &object.attributes;
            let incoming = !direction.as_deref().is_some_and(|d| d.eq_ignore_ascii_case("out"));
            let remote = if incoming { a.first(names::FROM) } else { a.first(names::TO) };
            let body = a.first(names::TEXT_CONTENT).map(str::to_string);
            if let Some(body) = body {
                let tag = correlation::correlation_tag(remote.map(correlation::bare_number), incoming, &body);
                object.correlation_tag = Some(tag);
            }
        }
        Ok(())
    }
}

/// Keeps only what a client may send on creation (TS 5.3.2.1: server-only fields dropped).
pub fn creatable(mut o: Object) -> Object {
    o.resource_url = None;
    o.path = None;
    o.payload_url = None;
    o.payload_part.clear();
    o.last_mod_seq = None;
    o.flags.resource_url = None;
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2024-06-10T12:00:00Z".parse().unwrap()
    }

    fn text(s: &str) -> Payload {
        Payload { filename: "sms.txt".into(), content_type: "text/plain".into(), bytes: s.as_bytes().to_vec() }
    }

    #[test]
    fn sms_gets_text_and_tag() {
        let args = Compose {
            context: Some("sms".into()),
            from: Some("tel:+15550002222".into()),
            to: vec!["tel:+15550001111".into()],
            flags: vec!["seen".into()],
            ..Default::default()
        };
        let mut o = Object::default();
        args.apply(&mut o, Some(&text("hello")), now()).unwrap();
        assert_eq!(o.attributes.first("Date"), Some("2024-06-10T12:00:00Z"));
        assert_eq!(o.attributes.first("Direction"), Some("In"));
        assert_eq!(o.attributes.first("TextContent"), Some("hello"));
        assert_eq!(o.flags.flag, vec!["\\Seen"]);
        let expected = correlation::correlation_tag(Some("+15550002222"), true, "hello");
        assert_eq!(o.correlation_tag.as_deref(), Some(expected.as_str()));
    }

    #[test]
    fn outgoing_uses_recipient() {
        let args = Compose {
            context: Some("pager-message".into()),
            to: vec!["tel:+15550003333".into()],
            ..Default::default()
        };
        let mut o = Object::default();
        args.apply(&mut o, Some(&text("hi")), now()).unwrap();
        assert_eq!(o.attributes.first("Direction"), Some("Out"));
        let expected = correlation::correlation_tag(Some("+15550003333"), false, "hi");
        assert_eq!(o.correlation_tag.as_deref(), Some(expected.as_str()));
    }

    #[test]
    fn explicit_tag_and_attrs() {
        let args = Compose {
            context: Some("sms".into()),
            correlation_tag: Some("abc".into()),
            attrs: vec!["x-a=1".into(), "X-A=2".into(), "subject=s".into()],
            date: Some("2024-05-01".into()),
            ..Default::default()
        };
        let mut o = Object::default();
        o.attributes.push("X-A", "template");
        args.apply(&mut o, Some(&text("hi")), now()).unwrap();
        assert_eq!(o.correlation_tag.as_deref(), Some("abc"));
        assert_eq!(o.attributes.values("x-a"), ["1", "2"]);
        assert_eq!(o.attributes.first("Subject"), Some("s"));
        assert_eq!(o.attributes.first("Date"), Some("2024-05-01T00:00:00Z"));
        assert!(Compose { attrs: vec!["nope".into()], ..Default::default() }.apply(&mut o, None, now()).is_err());
    }

    #[test]
    fn binary_payload_has_no_text() {
        let p = Payload { filename: "a\"b.jpg".into(), content_type: "image/jpeg".into(), bytes: vec![0xff, 0xd8] };
        assert!(p.text().is_none());
        assert_eq!(p.part().filename().as_deref(), Some("a_b.jpg"));
        let args = Compose { context: Some("file".into()), ..Default::default() };
        let mut o = Object::default();
        args.apply(&mut o, Some(&p), now()).unwrap();
        assert!(o.correlation_tag.is_none());
        assert!(o.attributes.first("Direction").is_none());
    }
}
