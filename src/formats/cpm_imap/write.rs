//! Writing an object in the CPM IMAP form with mail-builder (layout in the parent module's doc).

use std::borrow::Cow;
use std::io::Write;

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

/// Most top-level header lines besides the attribute lines: From, To, Cc, Date, Subject,
/// Message-ID, the display headers and the rest of the `X-NMS-*` block.
const FIXED_HEADERS: usize = 6 + DISPLAY_HEADERS.len() + 8;

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
    // Values borrow from `obj` where they need no change (most do), and the header list is
    // sized once and filled directly (it is the builder's public field): `MessageBuilder::header`
    // moves the whole builder in and out for every line. A list grown push by push, an owned
    // copy of every value and those moves were about 1.7 µs of the 11 µs a file took.
    let mut h: Vec<(Cow<'_, str>, HeaderType<'_>)> = Vec::with_capacity(lines + FIXED_HEADERS);
    for (name, header) in [("From", "From"), ("To", "To"), ("Cc", "Cc")] {
        let values: Vec<Address<'_>> = attrs.values(name).iter().map(|v| address(v)).collect();
        if !values.is_empty() {
            h.push(field(header, Address::new_list(values)));
        }
    }
    // mail-builder would stamp "now" when Date is missing: the epoch keeps the file deterministic.
    let date = attrs.first("Date").and_then(|d| d.trim().parse::<jiff::Timestamp>().ok());
    h.push(field("Date", Date::new(date.map_or(0, |t| t.as_second()))));
    if let Some(subject) = attrs.first("Subject") {
        h.push(field("Subject", Text::new(display(subject))));
    }
    h.push(field("Message-ID", MessageId::new(message_id(id, obj))));
    for name in DISPLAY_HEADERS {
        if let Some(v) = attrs.first(name) {
            h.push(field(name, Text::new(display(v))));
        }
    }

    h.push(field("X-NMS-Version", Raw::new("1")));
    let optional = [
        ("X-NMS-Object-Id", id),
        ("X-NMS-Correlation-Id", obj.correlation_id.as_deref()),
        ("X-NMS-Correlation-Tag", obj.correlation_tag.as_deref()),
        ("X-NMS-Parent-Folder-Path", obj.parent_folder_path.as_deref()),
    ];
    for (name, value) in optional {
        if let Some(v) = value {
            h.push(field(name, Raw::new(enc_value(v))));
        }
    }
    if let Some(seq) = obj.last_mod_seq {
        h.push(field("X-NMS-Last-Mod-Seq", Raw::new(seq.to_string())));
    }
    let flags: Cow<'_, str> = match obj.flags.flag.as_slice() {
        [] => Cow::Borrowed(""),
        [one] => enc_word(one),
        many => Cow::Owned(many.iter().map(|f| enc_word(f)).collect::<Vec<_>>().join(" ")),
    };
    h.push(field("X-NMS-Flags", Raw::new(flags)));
    h.push(field("X-NMS-Payload-Parts", Raw::new(parts.len().to_string())));
    for a in &attrs.attribute {
        let name = enc_name(&a.name);
        if a.value.is_empty() {
            h.push(field("X-NMS-Attribute", Raw::new(name.clone())));
        }
        for v in &a.value {
            let value = enc_value(v);
            let mut line = String::with_capacity(name.len() + 2 + value.len());
            line.push_str(&name);
            line.push_str(": ");
            line.push_str(&value);
            h.push(field("X-NMS-Attribute", Raw::new(line)));
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
    let mut out = LfWriter::default();
    MessageBuilder { headers: h, ..MessageBuilder::new() }.body(body).serialize(&mut out);
    Ok(out.finish())
}

/// One header line as mail-builder lists them.
fn field<'x>(name: &'x str, value: impl Into<HeaderType<'x>>) -> (Cow<'x, str>, HeaderType<'x>) {
    (Cow::Borrowed(name), value.into())
}

/// A header value safe to show: controls (newlines included) become spaces. The exact value is
/// in the `X-NMS-*` block.
fn display(v: &str) -> Cow<'_, str> {
    // Most values have no control character: borrowed, not a char-by-char rebuild.
    if !v.chars().any(char::is_control) {
        return Cow::Borrowed(v);
    }
    Cow::Owned(v.chars().map(|c| if c.is_control() { ' ' } else { c }).collect())
}

/// An NMS address (`tel:+1555…`, `sip:…;user=phone`, `a@b`) as an RFC 5322 mailbox mail
/// clients and Python accept: the URI itself is the display name, the address is its user and host
/// (`+15550002222@tel.invalid` for a number: `.invalid` says it routes nowhere). The exact value
/// is in the `X-NMS-*` block.
fn address(v: &str) -> Address<'_> {
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
    let uri = match shown {
        Cow::Borrowed(v) => Cow::Borrowed(v.trim()),
        Cow::Owned(ref s) if uri.len() == s.len() => shown,
        Cow::Owned(_) => Cow::Owned(uri.to_string()),
    };
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
            [k, "@nms.cpmctl"].concat()
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
/// mail-builder writes into this, and the CRs are dropped in place a stretch at a time: the
/// header lines as they stand before a body is written, the body (already LF-only) on its own,
/// the rest at the end. A pass over the finished file, as before, moved every byte after the
/// first header line (the whole body) once more; a check on every write cost as much again.
/// The bytes are those of dropping the CR of every CRLF of the whole output, left to right.
#[derive(Default)]
struct LfWriter {
    /// `out[..done]` is final; `out[done..]` is as mail-builder wrote it.
    out: Vec<u8>,
    done: usize,
}

/// Writes this long (bodies) are settled on their own, not moved with the headers' line ends.
const LONG_WRITE: usize = 512;

impl LfWriter {
    /// Drops the CR of every CRLF in `out[done..]` in place, moving the runs between CRs whole.
    /// A CR at the very end stays unsettled: the next write may start with its LF.
    fn settle(&mut self) {
        let len = self.out.len();
        let Some(first) = self.out.get(self.done..).and_then(|tail| memchr::memchr(b'\r', tail)) else {
            self.done = len;
            return;
        };
        // `out[..written]` is final; `read` is at a CR.
        let (mut read, mut written) = (self.done + first, self.done + first);
        loop {
            match self.out.get(read + 1) {
                None => {
                    // The CR moves down and waits, unsettled, for the next byte.
                    self.out.copy_within(read..len, written);
                    self.out.truncate(written + 1);
                    self.done = written;
                    return;
                }
                // The CR is dropped; the LF starts the next run.
                Some(b'\n') => read += 1,
                // A lone CR stays, as the first byte of the run.
                Some(_) => {}
            }
            let next = self.out.get(read + 1..).and_then(|tail| memchr::memchr(b'\r', tail)).map(|i| read + 1 + i);
            let end = next.unwrap_or(len);
            self.out.copy_within(read..end, written);
            written += end - read;
            read = end;
            if next.is_none() {
                self.out.truncate(written);
                self.done = written;
                return;
            }
        }
    }

    fn finish(mut self) -> Vec<u8> {
        self.settle();
        self.out
    }
}

impl mail_builder::Writer for LfWriter {
    fn write(&mut self, bytes: &[u8]) {
        if bytes.len() >= LONG_WRITE {
            self.settle();
            self.out.extend_from_slice(bytes);
            self.settle();
        } else {
            self.out.extend_from_slice(bytes);
        }
    }

    fn write_byte(&mut self, byte: u8) {
        self.out.push(byte);
    }

    fn reserve(&mut self, additional: usize) {
        self.out.reserve(additional);
    }

    fn write_with(&mut self, len: usize, fill: impl FnOnce(&mut [u8]) -> usize) {
        self.out.write_with(len, fill);
    }

    fn append_with<T>(&mut self, len: usize, append: impl FnOnce(&mut Vec<u8>) -> T) -> T {
        self.out.append_with(len, append)
    }

    fn append_limit(&self) -> usize {
        self.out.append_limit()
    }
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
    // encodify (mail-builder's own encoder) writes the 76-character lines with their LF in one
    // vectorised pass straight into the body; the base64 crate encodes one byte group at a time
    // and the lines had to be cut out of its output, a seventh of rendering a file. Lines end in
    // LF already: the file's CRLFs become LFs in the end (see [`LfWriter`]).
    let mut out = Vec::new();
    B64_LF.encode_append(&p.bytes, &mut out);
    (BASE64, out)
}

/// MIME base64 (RFC 2045: 76-character lines, padded), each line, the last included, ended by LF.
const B64_LF: encodify::base64::Base64 = encodify::base64::STANDARD.wrapped(76, encodify::base64::LineEnding::Lf);

/// The transfer encoding of every part that is not short single-line text.
const BASE64: &str = "base64";

fn is_message(content_type: &str) -> bool {
    content_type.trim_start().get(..8).is_some_and(|t| t.eq_ignore_ascii_case("message/"))
}

/// The MIME part of one payload part: display headers from the sanitised values, the exact
/// values in `X-NMS-*` headers, and its body as [`encoded_body`] encoded it.
fn leaf<'a>(p: &'a PartBytes, (cte, body): (&'static str, Vec<u8>)) -> MimePart<'a> {
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
    // Room for every header below at once, not regrown as they come.
    part.headers.reserve_exact(PART_HEADERS - part.headers.len());
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
            cd = cd.attribute("filename", name.as_str());
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

/// Most header lines of one payload part: Content-Type, Content-ID, Content-Location,
/// Content-Disposition, the five `X-NMS-*` ones and Content-Transfer-Encoding.
const PART_HEADERS: usize = 10;

/// An RFC 2045 token: the characters a MIME type, subtype or parameter name may have.
/// Borrowed when `s` has no other (as almost every type and disposition has).
fn token(s: &str) -> Cow<'_, str> {
    let s = s.trim();
    let keep = |c: &char| {
        c.is_ascii_graphic()
            && !matches!(c, '(' | ')' | '<' | '>' | '@' | ',' | ';' | ':' | '\\' | '"' | '/' | '[' | ']' | '?' | '=')
    };
    if s.chars().all(|c| keep(&c)) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.chars().filter(keep).collect())
}

/// A Content-Type mail-builder writes safely: type/subtype as tokens (`application/octet-stream`
/// when unusable) and `name=value` parameters, values re-quoted by mail-builder.
fn display_content_type(ct: &str) -> ContentType<'_> {
    let mut pieces = ct.split(';');
    let media = pieces.next().unwrap_or("");
    let (t, s) = media.split_once('/').map(|(t, s)| (token(t), token(s))).unwrap_or_default();
    let mut out = if t.is_empty() || s.is_empty() {
        ContentType::new("application/octet-stream")
    } else if media.len() == t.len() + 1 + s.len() && !media.bytes().any(|b| b.is_ascii_uppercase()) {
        // Nothing dropped from either side of the `/` and nothing to lower: `media` is the
        // type as written (`image/jpeg`), borrowed.
        ContentType::new(media)
    } else {
        let mut both = String::with_capacity(t.len() + 1 + s.len());
        both.push_str(&t);
        both.push('/');
        both.push_str(&s);
        both.make_ascii_lowercase();
        ContentType::new(both)
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
    let crc = h.finalize();
    // All bodies in base64 (the usual MMS): nothing can clash, no searcher to build.
    if searched.clone().next().is_none() {
        return format!("=_cpmctl_{crc:08x}{total:x}_0");
    }
    for n in 0u32.. {
        let candidate = format!("=_cpmctl_{crc:08x}{total:x}_{n}");
        // A substring search (memchr's, vectorised): a window-by-window comparison cost a
        // memcmp call per byte of every body, a tenth of a first-time sync's CPU.
        let finder = memchr::memmem::Finder::new(candidate.as_bytes());
        if !searched.clone().any(|b| finder.find(b).is_some()) {
            return candidate;
        }
    }
    // Unreachable: each body is finite, so some counter value is absent from all of them.
    format!("=_cpmctl_{crc:08x}{total:x}")
}

#[cfg(test)]
mod line_end_tests {
    use super::{LONG_WRITE, LfWriter};
    use mail_builder::Writer;

    /// Every CRLF with its CR dropped, found left to right over the whole output.
    fn reference(input: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        for (i, &b) in input.iter().enumerate() {
            if b != b'\r' || input.get(i + 1) != Some(&b'\n') {
                out.push(b);
            }
        }
        out
    }

    #[test]
    fn every_crlf_becomes_lf_and_nothing_else_changes_however_the_writes_split_it() {
        for (input, want) in [
            (&b""[..], &b""[..]),
            (b"\r\n", b"\n"),
            (b"a\r\nb\r\n", b"a\nb\n"),
            (b"\r\r\n\n\r", b"\r\n\n\r"),
            (b"no line ends", b"no line ends"),
            (b"\r\n\r\nx", b"\n\nx"),
            (b"\r", b"\r"),
            (b"\r\r\r\n\r\rx\r\n\n\r\r", b"\r\r\n\r\rx\n\n\r\r"),
        ] {
            check(input, want);
        }
        // Long writes are settled apart from the short ones around them.
        let long: Vec<u8> = b"ab\r\n\r\rc\n".iter().cycle().take(3 * LONG_WRITE + 5).copied().collect();
        for input in [
            [&b"x\r"[..], &long, b"\r\n"].concat(),
            [&b"\r"[..], &long[1..], b"\r"].concat(),
            [&b"\n"[..], &long, b"\n"].concat(),
            [&long[..], &long, b"\r"].concat(),
        ] {
            check(&input, &reference(&input));
        }
    }

    /// `input` written whole, byte by byte, in two pieces cut anywhere (by `write`, then by
    /// `append_with` and `write_with`) and in three (short, long, short) gives `want`.
    fn check(input: &[u8], want: &[u8]) {
        assert_eq!(reference(input), want, "reference for {input:?}");
        let mut whole = LfWriter::default();
        whole.write(input);
        assert_eq!(whole.finish(), want, "one write of {input:?}");
        let mut bytes = LfWriter::default();
        input.iter().for_each(|&b| bytes.write_byte(b));
        assert_eq!(bytes.finish(), want, "byte by byte {input:?}");
        for cut in 0..=input.len() {
            let (head, tail) = input.split_at(cut);
            let mut two = LfWriter::default();
            two.write(head);
            two.write(tail);
            assert_eq!(two.finish(), want, "{head:?} then {tail:?}");
            let mut appended = LfWriter::default();
            appended.append_with(0, |v| v.extend_from_slice(head));
            appended.write_with(tail.len() + 3, |region| {
                region[..tail.len()].copy_from_slice(tail);
                tail.len()
            });
            assert_eq!(appended.finish(), want, "appended {head:?} then filled {tail:?}");
        }
        if input.len() > LONG_WRITE + 4 {
            let (head, rest) = input.split_at(2);
            let (middle, tail) = rest.split_at(rest.len() - 2);
            let mut three = LfWriter::default();
            [head, middle, tail].iter().for_each(|piece| three.write(piece));
            assert_eq!(three.finish(), want, "{head:?}, a long write, {tail:?}");
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

#[cfg(test)]
mod base64_tests {
    use super::{BASE64, PartBytes, encoded_body};
    use base64::Engine;

    /// The body as the base64 crate wrote it before: 76-character lines, each ended by LF.
    fn reference(bytes: &[u8]) -> Vec<u8> {
        let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
        encoded.as_bytes().chunks(76).flat_map(|line| [line, b"\n"].concat()).collect()
    }

    #[test]
    fn bodies_are_the_base64_crates_lines_at_every_length() {
        // Every byte value, in no simple order (a multiplicative hash of the position).
        let data: Vec<u8> = (0u32..20_000).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
        let lengths = (0..400).chain([56, 57, 58, 3647, 3648, 3649, 4096, 19_999, 20_000]);
        for len in lengths {
            let part =
                PartBytes { content_type: "image/jpeg".into(), bytes: data[..len].to_vec(), ..PartBytes::default() };
            let (cte, body) = encoded_body(&part);
            assert_eq!(cte, BASE64);
            assert_eq!(body, reference(&part.bytes), "length {len}");
        }
    }
}
