//! Writing an object in the CPM IMAP form with mail-builder (layout in the parent module's doc).

use std::borrow::Cow;
use std::io::Write;

use base64::Engine;
use mail_builder::MessageBuilder;
use mail_builder::headers::HeaderType;
use mail_builder::headers::address::Address;
use mail_builder::headers::content_type::ContentType;
use mail_builder::headers::date::Date;
use mail_builder::headers::message_id::MessageId;
use mail_builder::headers::raw::Raw;
use mail_builder::headers::text::Text;
use mail_builder::mime::{BodyPart, MimePart};
use sha2::{Digest, Sha256};

use super::{ImapFormError, MAX_ATTRIBUTES, MAX_HEADERS, MAX_PARTS, PartBytes, enc_name, enc_value, enc_word};
use crate::wire::Object;

/// Attributes shown as headers of the same name, for mail clients (CPM profile Appendix C and the
/// two the CPM IMAP objects always carry).
const DISPLAY_HEADERS: &[&str] = &[
    "Message-Context",
    "Direction",
    "Conversation-ID",
    "Contribution-ID",
    "InReplyTo-Contribution-ID",
    "IMDN-Message-ID",
    "P-Asserted-Service",
    "Message-Correlator",
];

/// Header lines the form adds besides the attribute lines (display headers, the rest of the
/// `X-NMS-*` block, MIME headers), with room to spare.
const HEADER_ROOM: usize = 64;

/// Longest text body kept `8bit` rather than base64 (well under RFC 5322's 998-byte lines).
const MAX_8BIT: usize = 900;

/// Writes `obj` (with its id, when known) and its payload `parts` as one RFC 5322/MIME message.
/// The output is deterministic: the same input always gives the same bytes.
/// Refuses what [`read`](super::read) would refuse, so every file written can be read back.
pub fn write(id: Option<&str>, obj: &Object, parts: &[PartBytes], mut out: impl Write) -> Result<(), ImapFormError> {
    out.write_all(&to_vec(id, obj, parts)?)?;
    Ok(())
}

/// [`write`] into a buffer of its own, returned (a mirror's file is written from it, and its
/// hash taken: no second copy of the message).
pub fn to_vec(id: Option<&str>, obj: &Object, parts: &[PartBytes]) -> Result<Vec<u8>, ImapFormError> {
    // Leaves plus their container must fit MAX_PARTS; every attribute value is one header line.
    if parts.len() >= MAX_PARTS {
        return Err(ImapFormError::TooMany { what: "payload parts", max: MAX_PARTS - 1 });
    }
    let attrs = &obj.attributes.attribute;
    let lines: usize = attrs.iter().map(|a| a.value.len().max(1)).sum();
    if attrs.len() > MAX_ATTRIBUTES
        || attrs.iter().any(|a| a.value.len() > MAX_ATTRIBUTES)
        || lines + HEADER_ROOM > MAX_HEADERS
    {
        return Err(ImapFormError::TooMany { what: "attributes or attribute values", max: MAX_ATTRIBUTES });
    }
    let attrs = &obj.attributes;
    let mut b = MessageBuilder::new();
    for (name, header) in [("From", "From"), ("To", "To"), ("Cc", "Cc")] {
        let values: Vec<Address<'_>> = attrs.values(name).iter().map(|v| address(v)).collect();
        if !values.is_empty() {
            b = b.header(header, Address::new_list(values));
        }
    }
    // mail-builder would stamp "now" when Date is missing: the epoch keeps the file deterministic.
    let date = attrs.first("Date").and_then(|d| d.trim().parse::<jiff::Timestamp>().ok());
    b = b.header("Date", Date::new(date.map_or(0, |t| t.as_second())));
    if let Some(subject) = attrs.first("Subject") {
        b = b.header("Subject", Text::new(display(subject)));
    }
    b = b.header("Message-ID", MessageId::new(message_id(id, obj)));
    for name in DISPLAY_HEADERS {
        if let Some(v) = attrs.first(name) {
            b = b.header(*name, Text::new(display(v)));
        }
    }

    b = b.header("X-NMS-Version", Raw::new("1"));
    let optional = [
        ("X-NMS-Object-Id", id),
        ("X-NMS-Correlation-Id", obj.correlation_id.as_deref()),
        ("X-NMS-Correlation-Tag", obj.correlation_tag.as_deref()),
        ("X-NMS-Parent-Folder-Path", obj.parent_folder_path.as_deref()),
    ];
    for (name, value) in optional {
        if let Some(v) = value {
            b = b.header(name, Raw::new(enc_value(v)));
        }
    }
    if let Some(seq) = obj.last_mod_seq {
        b = b.header("X-NMS-Last-Mod-Seq", Raw::new(seq.to_string()));
    }
    let flags: Vec<String> = obj.flags.flag.iter().map(|f| enc_word(f)).collect();
    b = b.header("X-NMS-Flags", Raw::new(flags.join(" ")));
    b = b.header("X-NMS-Payload-Parts", Raw::new(parts.len().to_string()));
    for a in &obj.attributes.attribute {
        let name = enc_name(&a.name);
        if a.value.is_empty() {
            b = b.header("X-NMS-Attribute", Raw::new(name.clone()));
        }
        for v in &a.value {
            b = b.header("X-NMS-Attribute", Raw::new(format!("{name}: {}", enc_value(v))));
        }
    }

    let body = match parts {
        [] => MimePart::new(
            ContentType::new("text/plain").attribute("charset", "utf-8"),
            BodyPart::Binary(Cow::Borrowed(b"")),
        )
        .transfer_encoding("7bit"),
        [one] if is_text(&one.content_type) => leaf(one, encoded_body(one)),
        many => {
            // Each body is encoded once: the boundary is chosen from the encoded bytes, which
            // the part then takes over (not a second encoding, not a copy).
            let encoded: Vec<(&'static str, Vec<u8>)> = many.iter().map(encoded_body).collect();
            let boundary = boundary(
                encoded.iter().map(|(_, body)| body.as_slice()),
                // `=_` cannot appear in base64: only the other bodies can hold a candidate.
                encoded.iter().filter(|(cte, _)| *cte != BASE64).map(|(_, body)| body.as_slice()),
            );
            let leaves = many.iter().zip(encoded).map(|(p, body)| leaf(p, body)).collect();
            MimePart::new(
                ContentType::new("multipart/mixed").attribute("boundary", boundary),
                BodyPart::Multipart(leaves),
            )
        }
    };
    let mut bytes = b.body(body).write_to_vec()?;
    unix_line_ends(&mut bytes);
    Ok(bytes)
}

/// A header value safe to show: controls (newlines included) become spaces. The exact value is
/// in the `X-NMS-*` block.
fn display(v: &str) -> String {
    // Most values have no control character: one copy, not a char-by-char rebuild.
    if !v.chars().any(char::is_control) {
        return v.to_string();
    }
    v.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// An NMS address (`tel:+1555…`, `sip:…;user=phone`, `a@b`) as an RFC 5322 mailbox mail
/// clients and Python accept: the URI itself is the display name, the address is its user and host
/// (`+15550002222@tel.invalid` for a number: `.invalid` says it routes nowhere). The exact value
/// is in the `X-NMS-*` block.
fn address(v: &str) -> Address<'static> {
    let shown = display(v);
    let uri = shown.trim();
    let rest = uri
        .split_once(':')
        .filter(|(scheme, _)| scheme.chars().all(|c| c.is_ascii_alphanumeric()))
        .map_or(uri, |(_, r)| r);
    let rest = rest.split([';', '?']).next().unwrap_or("");
    let (user, host) = rest.rsplit_once('@').unwrap_or((rest, "tel.invalid"));
    // Built in one buffer: this runs for every address of every file a sync writes.
    let mut mailbox = String::with_capacity(rest.len() + 16);
    if !push_dot_atom(&mut mailbox, user, b"+-_") {
        mailbox.push_str("unknown");
    }
    mailbox.push('@');
    if !push_dot_atom(&mut mailbox, host, b"-") {
        mailbox.push_str("invalid");
    }
    let uri = if uri.len() == shown.len() { shown } else { uri.to_string() };
    Address::new_address(Some(uri), mailbox)
}

/// Appends to `out` the ASCII letters and digits of `s`, the bytes in `extra`, and its dots,
/// with runs of dots made one and none first or last (a dot-atom); whether it appended any.
fn push_dot_atom(out: &mut String, s: &str, extra: &[u8]) -> bool {
    let start = out.len();
    let mut dot = false;
    for b in s.bytes() {
        if b == b'.' {
            dot = true;
        } else if b.is_ascii_alphanumeric() || extra.contains(&b) {
            if dot && out.len() > start {
                out.push('.');
            }
            dot = false;
            out.push(char::from(b));
        }
    }
    out.len() > start
}

/// A deterministic Message-ID: the object id (or else the correlationId) when it is a plain
/// dot-atom, its SHA-256 otherwise, or a hash of the whole object when it has neither.
fn message_id(id: Option<&str>, obj: &Object) -> String {
    let key = id.or(obj.correlation_id.as_deref()).filter(|k| !k.is_empty());
    match key {
        Some(k)
            if k.len() <= 64
                && k.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
                && !k.starts_with('.')
                && !k.ends_with('.')
                && !k.contains("..") =>
        {
            format!("{k}@nms.cpmctl")
        }
        Some(k) => format!("{}@nms.cpmctl", hex::encode(&Sha256::digest(k.as_bytes())[..16])),
        None => {
            let json = serde_json::to_vec(obj).unwrap_or_default();
            format!("{}@nms.cpmctl", hex::encode(&Sha256::digest(&json)[..16]))
        }
    }
}

fn is_text(content_type: &str) -> bool {
    content_type.trim_start().get(..5).is_some_and(|t| t.eq_ignore_ascii_case("text/"))
}

/// Local mail files end their lines with LF, as mbsync, Maildir and mbox readers expect (a CRLF
/// file shows `^M` in mutt's pager). mail-builder writes CRLF, and no body the form writes holds
/// a CR of its own (display headers are sanitised, `X-NMS-*` values percent-encoded, `8bit`
/// bodies are single-line text, everything else is base64), so every CRLF is a line end.
/// In place, moving the runs between CRLFs whole (found with memchr's substring search), not
/// byte by byte into a second buffer: this runs over every byte of every file a sync writes.
fn unix_line_ends(bytes: &mut Vec<u8>) {
    // One searcher for the whole file: `memmem::find` builds one per call, that is per line of
    // base64 (76 bytes), and building it cost more than searching the line.
    static CRLF: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"\r\n"));
    let (mut read, mut written) = (0, 0);
    while let Some(at) = CRLF.find(&bytes[read..]) {
        bytes.copy_within(read..read + at, written);
        written += at;
        // The LF starts the next run; the CR is dropped.
        read += at + 1;
    }
    let len = bytes.len();
    bytes.copy_within(read..len, written);
    bytes.truncate(written + (len - read));
}

/// The transfer encoding and encoded body of a part: `8bit` for a short single-line UTF-8 text
/// (nothing in it a mail tool could rewrite); base64 in 76-character lines for everything else,
/// `message/*` (CPIM) included: its exact CRLF bytes survive only encoded, and the part is shown
/// to mail clients as text (see [`leaf`]), so a reader still sees the IMDN inside.
fn encoded_body(p: &PartBytes) -> (&'static str, Vec<u8>) {
    let plain = is_text(&p.content_type)
        && p.bytes.len() <= MAX_8BIT
        && std::str::from_utf8(&p.bytes).is_ok_and(|s| !s.chars().any(char::is_control));
    if plain {
        return ("8bit", p.bytes.clone());
    }
    // Encoded a run of lines at a time (the encoder is fast on long input, slow per call on a
    // line's 57 bytes), then cut into 76-character lines straight into the body. Lines end in
    // LF already: the file's CRLFs become LFs in the end (see [`unix_line_ends`]).
    let engine = &base64::engine::general_purpose::STANDARD;
    let mut out = Vec::with_capacity(p.bytes.len().div_ceil(57) * 77);
    let mut run = [0u8; B64_RUN_LINES * 76];
    for chunk in p.bytes.chunks(B64_RUN_LINES * 57) {
        let owned;
        let encoded: &[u8] = match engine.encode_slice(chunk, &mut run) {
            Ok(n) => &run[..n],
            // Not reached (a run always fits); the allocating encoder gives the same bytes.
            Err(_) => {
                owned = engine.encode(chunk);
                owned.as_bytes()
            }
        };
        // Every run but the last is whole lines (a multiple of 57 bytes encodes without padding).
        for line in encoded.chunks(76) {
            out.extend_from_slice(line);
            out.push(b'\n');
        }
    }
    (BASE64, out)
}

/// Lines of base64 encoded per call: 57 input bytes make one 76-character line.
const B64_RUN_LINES: usize = 64;

/// The transfer encoding of every part that is not short single-line text.
const BASE64: &str = "base64";

fn is_message(content_type: &str) -> bool {
    content_type.trim_start().get(..8).is_some_and(|t| t.eq_ignore_ascii_case("message/"))
}

/// The MIME part of one payload part: display headers from the sanitised values, the exact
/// values in `X-NMS-*` headers, and its body as [`encoded_body`] encoded it.
fn leaf(p: &PartBytes, (cte, body): (&'static str, Vec<u8>)) -> MimePart<'static> {
    // A message/* part cannot be base64 under its own type (RFC 2046): mail clients are shown
    // UTF-8 text (CPIM headers and the IMDN XML read fine), anything else as octets; the exact
    // type is in X-NMS-Content-Type.
    let shown = if !is_message(&p.content_type) {
        display_content_type(&p.content_type)
    } else if std::str::from_utf8(&p.bytes).is_ok() {
        ContentType::new("text/plain").attribute("charset", "utf-8")
    } else {
        ContentType::new("application/octet-stream")
    };
    let mut part = MimePart::new(shown, BodyPart::Binary(Cow::Owned(body)));
    if let Some(id) = &p.content_id {
        let clean: String = id.chars().filter(|c| c.is_ascii_graphic() && !matches!(c, '<' | '>')).collect();
        if !clean.is_empty() {
            part = part.cid(clean);
        }
    }
    if let Some(loc) = &p.content_location {
        let clean: String = loc.chars().filter(|c| c.is_ascii_graphic()).collect();
        if !clean.is_empty() {
            part = part.location(clean);
        }
    }
    if p.disposition.is_some() || p.filename.is_some() {
        let kind = p.disposition.as_deref().map(token).filter(|t| !t.is_empty()).unwrap_or_else(|| "attachment".into());
        let mut cd = ContentType::new(kind);
        if let Some(name) = &p.filename {
            cd = cd.attribute("filename", name.clone());
        }
        part = part.header("Content-Disposition", HeaderType::ContentType(cd));
    }
    let exact = [
        ("X-NMS-Content-Type", Some(&p.content_type)),
        ("X-NMS-Content-ID", p.content_id.as_ref()),
        ("X-NMS-Content-Location", p.content_location.as_ref()),
        ("X-NMS-Disposition", p.disposition.as_ref()),
        ("X-NMS-Filename", p.filename.as_ref()),
    ];
    for (name, value) in exact {
        if let Some(v) = value {
            part = part.header(name, Raw::new(enc_value(v)));
        }
    }
    part.transfer_encoding(cte)
}

/// An RFC 2045 token: the characters a MIME type, subtype or parameter name may have.
fn token(s: &str) -> String {
    s.trim().chars().filter(|c| c.is_ascii_graphic() && !"()<>@,;:\\\"/[]?=".contains(*c)).collect()
}

/// A Content-Type mail-builder writes safely: type/subtype as tokens (`application/octet-stream`
/// when unusable) and `name=value` parameters, values re-quoted by mail-builder.
fn display_content_type(ct: &str) -> ContentType<'static> {
    let mut pieces = ct.split(';');
    let media = pieces.next().unwrap_or("");
    let (t, s) = media.split_once('/').map(|(t, s)| (token(t), token(s))).unwrap_or_default();
    let mut out = if t.is_empty() || s.is_empty() {
        ContentType::new("application/octet-stream")
    } else {
        ContentType::new(format!("{}/{}", t.to_ascii_lowercase(), s.to_ascii_lowercase()))
    };
    for param in pieces {
        if let Some((k, v)) = param.split_once('=') {
            let (k, v) = (token(k), v.trim().trim_matches('"'));
            if !k.is_empty() && !k.eq_ignore_ascii_case("boundary") {
                out = out.attribute(k.to_ascii_lowercase(), display(v));
            }
        }
    }
    out
}

/// A multipart boundary that occurs in no part body, derived from the `bodies` so the output
/// stays deterministic. `=_` cannot appear in base64, so only the `searched` bodies (those not in
/// base64) can clash; a clash moves on.
/// The seed only varies boundaries between files (the search below is what makes one safe): a
/// CRC-32, not a cryptographic hash, which cost a sixth of rendering a file.
fn boundary<'a>(bodies: impl Iterator<Item = &'a [u8]>, searched: impl Iterator<Item = &'a [u8]> + Clone) -> String {
    let mut h = crc32fast::Hasher::new();
    let mut total = 0u64;
    for b in bodies {
        h.update(&(b.len() as u64).to_be_bytes());
        h.update(b);
        total += b.len() as u64;
    }
    let seed = format!("{:08x}{total:x}", h.finalize());
    for n in 0u32.. {
        let candidate = format!("=_cpmctl_{seed}_{n}");
        // A substring search (memchr's, vectorised): a window-by-window comparison cost a
        // memcmp call per byte of every body, a tenth of a first-time sync's CPU.
        let finder = memchr::memmem::Finder::new(candidate.as_bytes());
        if !searched.clone().any(|b| finder.find(b).is_some()) {
            return candidate;
        }
    }
    // Unreachable: each body is finite, so some counter value is absent from all of them.
    format!("=_cpmctl_{seed}")
}

#[cfg(test)]
mod line_end_tests {
    use super::unix_line_ends;

    #[test]
    fn every_crlf_becomes_lf_and_nothing_else_changes() {
        for (input, want) in [
            (&b""[..], &b""[..]),
            (b"\r\n", b"\n"),
            (b"a\r\nb\r\n", b"a\nb\n"),
            (b"\r\r\n\n\r", b"\r\n\n\r"),
            (b"no line ends", b"no line ends"),
            (b"\r\n\r\nx", b"\n\nx"),
        ] {
            let mut v = input.to_vec();
            unix_line_ends(&mut v);
            assert_eq!(v, want, "input {input:?}");
        }
    }
}

#[cfg(test)]
mod address_tests {
    use super::*;

    /// The mailbox as the first version of [`address`] built it (filter, then split on dots and
    /// join the non-empty pieces): the one-buffer version must give the same for any input.
    fn reference(v: &str) -> (String, String) {
        let uri = display(v).trim().to_string();
        let rest = uri
            .split_once(':')
            .filter(|(scheme, _)| scheme.chars().all(|c| c.is_ascii_alphanumeric()))
            .map_or(uri.as_str(), |(_, r)| r);
        let rest = rest.split([';', '?']).next().unwrap_or("");
        let (user, host) = rest.rsplit_once('@').unwrap_or((rest, "tel.invalid"));
        let keep = |s: &str, extra: &str| -> String {
            let kept: String = s.chars().filter(|c| c.is_ascii_alphanumeric() || extra.contains(*c)).collect();
            kept.split('.').filter(|p| !p.is_empty()).collect::<Vec<_>>().join(".")
        };
        let user = Some(keep(user, "+-_.")).filter(|u| !u.is_empty()).unwrap_or_else(|| "unknown".into());
        let host = Some(keep(host, "-.")).filter(|h| !h.is_empty()).unwrap_or_else(|| "invalid".into());
        (uri.clone(), format!("{user}@{host}"))
    }

    fn built(v: &str) -> (String, String) {
        match address(v) {
            Address::Address(a) => (a.name.map(|n| n.to_string()).unwrap_or_default(), a.email.to_string()),
            other => panic!("not one address: {other:?}"),
        }
    }

    #[test]
    fn the_mailbox_is_the_same_as_the_reference_for_awkward_addresses() {
        let cases = [
            "tel:+15550002222",
            "  tel:+1555 000 2222  ",
            "sip:+15550002222@ims.example.com;user=phone",
            "sip:alice@example.com?subject=hi",
            "alice@example.com",
            "..a..b..@..c..d..",
            ".!.a.!b.@-.x.-",
            "x:y:z@@h",
            "mailto:",
            "",
            "   ",
            "ünïcode@exämple.com",
            "tel:\u{7}+1\r\n555",
            "@",
            "a@",
            "@b",
            "weird scheme:+1@h",
            "tel:...",
            "sip:__--++@--..--",
        ];
        for v in cases {
            assert_eq!(built(v), reference(v), "address {v:?}");
        }
    }
}
