//! Reading a message with mail-parser: the CPM form back into the identical object, or any other
//! mail mapped to an object (From/To/Cc/Date/Subject/Message-ID) with its parts.

use base64::Engine;
use mail_parser::{Address, HeaderName, HeaderValue, Message, MessageParser, MessagePart, MimeHeaders, PartType};

use super::{ImapFormError, MAX_ATTRIBUTES, MAX_HEADERS, MAX_MESSAGE_BYTES, MAX_PARTS, ParsedObject, PartBytes, dec};
use crate::wire::{Attribute, AttributeList, FlagList, Object};

/// Parses one RFC 5322/MIME message. A CPM-form message (`X-NMS-Version`) gives back exactly the
/// object and parts it was written from; any other mail is mapped (see [`ParsedObject::cpm_form`]).
/// Bounded: at most [`MAX_MESSAGE_BYTES`], [`MAX_PARTS`] parts, [`MAX_HEADERS`] fields per part
/// and [`MAX_ATTRIBUTES`] attributes; anything malformed is an error, never a panic.
pub fn read(bytes: &[u8]) -> Result<ParsedObject, ImapFormError> {
    if bytes.len() > MAX_MESSAGE_BYTES {
        return Err(ImapFormError::TooLarge { size: bytes.len(), max: MAX_MESSAGE_BYTES });
    }
    // mail-parser has `debug_assert!`s and unchecked offset arithmetic on paths only odd input
    // reaches; a panic there must become an error for this one message, not end the program.
    let parsed = std::panic::catch_unwind(|| MessageParser::new().parse(bytes))
        .map_err(|_| ImapFormError::BadPart { index: 0, why: "the MIME structure could not be parsed".into() })?;
    let msg = parsed.ok_or(ImapFormError::NotMime)?;
    if msg.parts.len() > MAX_PARTS {
        return Err(ImapFormError::TooMany { what: "MIME parts", max: MAX_PARTS });
    }
    if msg.parts.iter().any(|p| p.headers.len() > MAX_HEADERS) {
        return Err(ImapFormError::TooMany { what: "header fields in one part", max: MAX_HEADERS });
    }
    let top = msg.parts.first().ok_or(ImapFormError::NotMime)?;
    if top.headers.is_empty() {
        return Err(ImapFormError::NotMime);
    }
    if raw_header(&msg, top, "X-NMS-Version").is_some() { cpm_form(&msg, top) } else { plain(&msg, top) }
}

/// The raw value of the first header `name` of `part` (case-insensitive), folding included.
fn raw_header<'a>(msg: &'a Message<'_>, part: &MessagePart<'_>, name: &str) -> Option<&'a str> {
    raw_headers(msg, part, name).next()
}

fn raw_headers<'a>(msg: &'a Message<'_>, part: &MessagePart<'_>, name: &str) -> impl Iterator<Item = &'a str> {
    let name = name.to_string();
    let ranges: Vec<(usize, usize)> = part
        .headers
        .iter()
        .filter(|h| h.name.as_str().eq_ignore_ascii_case(&name))
        .map(|h| (h.offset_start as usize, h.offset_end as usize))
        .collect();
    ranges.into_iter().map(|(s, e)| msg.raw_message.get(s..e).and_then(|r| std::str::from_utf8(r).ok()).unwrap_or(""))
}

/// An optional `X-NMS-*` string header, decoded.
fn x_nms(msg: &Message<'_>, part: &MessagePart<'_>, name: &'static str) -> Result<Option<String>, ImapFormError> {
    raw_header(msg, part, name).map(|raw| dec(raw, name)).transpose()
}

fn cpm_form(msg: &Message<'_>, top: &MessagePart<'_>) -> Result<ParsedObject, ImapFormError> {
    let mut object = Object {
        correlation_id: x_nms(msg, top, "X-NMS-Correlation-Id")?,
        correlation_tag: x_nms(msg, top, "X-NMS-Correlation-Tag")?,
        parent_folder_path: x_nms(msg, top, "X-NMS-Parent-Folder-Path")?,
        ..Object::default()
    };
    if let Some(raw) = raw_header(msg, top, "X-NMS-Last-Mod-Seq") {
        let seq = raw.trim().parse().map_err(|e| ImapFormError::BadHeader {
            header: "X-NMS-Last-Mod-Seq",
            why: format!("{e}: {:?}", raw.trim()),
        })?;
        object.last_mod_seq = Some(seq);
    }
    if let Some(raw) = raw_header(msg, top, "X-NMS-Flags") {
        let flags = raw.split_ascii_whitespace().map(|f| dec(f, "X-NMS-Flags")).collect::<Result<Vec<_>, _>>()?;
        object.flags = FlagList::new(flags);
    }
    let mut attributes: Vec<Attribute> = Vec::new();
    for raw in raw_headers(msg, top, "X-NMS-Attribute") {
        let (name, value) = match raw.split_once(':') {
            Some((n, v)) => (dec(n, "X-NMS-Attribute")?, Some(dec(v, "X-NMS-Attribute")?)),
            None => (dec(raw, "X-NMS-Attribute")?, None),
        };
        if name.is_empty() {
            return Err(ImapFormError::BadHeader { header: "X-NMS-Attribute", why: "no attribute name".into() });
        }
        // Consecutive values of one name form one attribute; a value-less line always starts its own.
        match (attributes.last_mut(), value) {
            (Some(last), Some(v)) if last.name == name && !last.value.is_empty() => {
                if last.value.len() >= MAX_ATTRIBUTES {
                    return Err(ImapFormError::TooMany { what: "values of one attribute", max: MAX_ATTRIBUTES });
                }
                last.value.push(v);
            }
            (_, value) => {
                if attributes.len() >= MAX_ATTRIBUTES {
                    return Err(ImapFormError::TooMany { what: "attributes", max: MAX_ATTRIBUTES });
                }
                attributes.push(Attribute { name, value: value.into_iter().collect() });
            }
        }
    }
    object.attributes = AttributeList { attribute: attributes };

    let said = match raw_header(msg, top, "X-NMS-Payload-Parts") {
        Some(raw) => Some(raw.trim().parse::<usize>().map_err(|e| ImapFormError::BadHeader {
            header: "X-NMS-Payload-Parts",
            why: format!("{e}: {:?}", raw.trim()),
        })?),
        None => None,
    };
    let mut parts = Vec::new();
    if said != Some(0) {
        for (index, part) in leaves(msg).enumerate() {
            parts.push(cpm_part(msg, part).map_err(|why| ImapFormError::BadPart { index, why })?);
        }
    }
    if let Some(said) = said
        && said != parts.len()
    {
        return Err(ImapFormError::PartCount { said, found: parts.len() });
    }
    let id = x_nms(msg, top, "X-NMS-Object-Id")?;
    Ok(ParsedObject { id, object, parts, cpm_form: true })
}

/// The leaf parts of the message in order (containers skipped; a nested message is one leaf).
fn leaves<'a, 'x>(msg: &'a Message<'x>) -> impl Iterator<Item = &'a MessagePart<'x>> {
    msg.parts.iter().filter(|p| !matches!(p.body, PartType::Multipart(_)))
}

/// One part of a CPM-form message: the exact `X-NMS-*` values first, the MIME headers as a
/// fallback, and the bytes decoded from the raw body (no charset conversion, so they are exact).
fn cpm_part(msg: &Message<'_>, part: &MessagePart<'_>) -> Result<PartBytes, String> {
    let x = |name: &'static str| x_nms(msg, part, name).map_err(|e| e.to_string());
    let mut p = plain_part(part);
    if let Some(v) = x("X-NMS-Content-Type")? {
        p.content_type = v;
    }
    for (name, field) in [
        ("X-NMS-Content-ID", &mut p.content_id),
        ("X-NMS-Content-Location", &mut p.content_location),
        ("X-NMS-Disposition", &mut p.disposition),
        ("X-NMS-Filename", &mut p.filename),
    ] {
        // Written whenever the object had the value: absent means absent, not "take the MIME one".
        *field = x(name)?;
    }
    let raw = msg.raw_message.get(part.offset_body as usize..part.offset_end as usize).ok_or("body out of range")?;
    // The declared encoding, not mail-parser's: it falls back to "none" when a body does not decode.
    let cte = raw_header(msg, part, "Content-Transfer-Encoding").unwrap_or("").trim().to_ascii_lowercase();
    p.bytes = match cte.as_str() {
        "base64" => {
            let compact: Vec<u8> = raw.iter().copied().filter(|b| !b.is_ascii_whitespace()).collect();
            base64::engine::general_purpose::STANDARD.decode(compact).map_err(|e| format!("bad base64 body: {e}"))?
        }
        "" | "7bit" | "8bit" | "binary" => raw.to_vec(),
        // Not what `write` produces (a file edited by hand): trust mail-parser's decoding.
        "quoted-printable" if !part.is_encoding_problem => part.contents().to_vec(),
        other => return Err(format!("cannot decode a body in Content-Transfer-Encoding {other:?}")),
    };
    Ok(p)
}

/// A part of any mail: its MIME headers and its decoded contents (text converted to UTF-8).
fn plain_part(part: &MessagePart<'_>) -> PartBytes {
    let is_text = matches!(part.body, PartType::Text(_) | PartType::Html(_));
    let content_type = part.content_type().map_or_else(
        || "text/plain".to_string(),
        |ct| {
            let mut s = match ct.subtype() {
                Some(sub) => format!("{}/{}", ct.ctype(), sub),
                None => ct.ctype().to_string(),
            };
            for a in ct.attributes().unwrap_or_default() {
                // Text bodies come out of mail-parser as UTF-8 whatever the charset said.
                let value = if is_text && a.name.eq_ignore_ascii_case("charset") { "utf-8" } else { a.value.as_ref() };
                s.push_str("; ");
                s.push_str(&a.name);
                s.push('=');
                s.push_str(&param_value(value));
            }
            s
        },
    );
    PartBytes {
        content_type,
        content_id: part.content_id().map(str::to_string),
        content_location: part.content_location().map(str::to_string),
        disposition: part.content_disposition().map(|d| d.ctype().to_string()),
        filename: part.attachment_name().map(str::to_string),
        bytes: part.contents().to_vec(),
    }
}

/// A parameter value as written in a Content-Type: bare when it is a token, quoted otherwise.
fn param_value(v: &str) -> String {
    let token = !v.is_empty() && v.chars().all(|c| c.is_ascii_graphic() && !"()<>@,;:\\\"/[]?=".contains(c));
    if token { v.to_string() } else { format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\"")) }
}

/// Splits a Content-Disposition value (`attachment; filename="a.png"`) into its type and file name
/// with mail-parser, so RFC 2231 and RFC 2047 forms are understood.
pub(super) fn split_disposition(value: &str) -> (Option<String>, Option<String>) {
    let clean: String = value.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let raw = format!("Content-Disposition: {clean}\r\n\r\n");
    let parsed = MessageParser::new().parse_headers(raw.as_bytes());
    let Some(cd) = parsed.as_ref().and_then(|m| m.parts.first()).and_then(|p| p.content_disposition()) else {
        return (Some(clean.trim().to_string()).filter(|s| !s.is_empty()), None);
    };
    let kind = Some(cd.ctype().to_string()).filter(|s| !s.is_empty());
    (kind, cd.attribute("filename").map(str::to_string))
}

/// Any other mail: From/To/Cc (addresses), Date (UTC, `YYYY-MM-DDThh:mm:ssZ`), Subject and
/// Message-Id become attributes; the Message-ID is also the correlationId; every leaf is a part.
fn plain(msg: &Message<'_>, top: &MessagePart<'_>) -> Result<ParsedObject, ImapFormError> {
    let mut attrs = AttributeList::default();
    for (header, name) in [(HeaderName::From, "From"), (HeaderName::To, "To"), (HeaderName::Cc, "Cc")] {
        let values = addresses(top.headers.iter().find(|h| h.name == header).map(|h| &h.value));
        if !values.is_empty() {
            attrs.set(name, values);
        }
    }
    if let Some(date) = msg.date() {
        let stamp = jiff::Timestamp::from_second(date.to_timestamp())
            .map_err(|e| ImapFormError::BadHeader { header: "Date", why: e.to_string() })?;
        attrs.set("Date", vec![stamp.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()]);
    }
    if let Some(subject) = msg.subject() {
        attrs.set("Subject", vec![subject.to_string()]);
    }
    let message_id = msg.message_id().map(str::to_string);
    if let Some(id) = &message_id {
        attrs.set("Message-Id", vec![id.clone()]);
    }
    let parts: Vec<PartBytes> = leaves(msg).map(plain_part).collect();
    let object = Object { attributes: attrs, correlation_id: message_id, ..Object::default() };
    Ok(ParsedObject { id: None, object, parts, cpm_form: false })
}

/// The addresses of an address header (`a@b`, `tel:+1…`), display names where there is no address.
fn addresses(value: Option<&HeaderValue<'_>>) -> Vec<String> {
    let addr = |a: &mail_parser::Addr<'_>| a.address.as_deref().or(a.name.as_deref()).map(str::to_string);
    match value {
        Some(HeaderValue::Address(Address::List(list))) => list.iter().filter_map(addr).collect(),
        Some(HeaderValue::Address(Address::Group(groups))) => {
            groups.iter().flat_map(|g| g.addresses.iter()).filter_map(addr).collect()
        }
        Some(HeaderValue::Text(t)) => vec![t.to_string()],
        _ => Vec::new(),
    }
}
