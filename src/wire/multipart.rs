//! MIME multipart parsing and building for object bodies (../shared/docs/nms-protocol.md §3.14):
//! `multipart/form-data` with `root-fields` and `attachments`, nested
//! `multipart/mixed`, and `multipart/related` payload answers. Pure byte work.

use std::fmt;

/// One MIME part: its headers (names lower-cased, in order) and its raw body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Part {
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// Why a multipart body could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MultipartError {
    NoBoundary,
    NoParts,
    Unterminated,
}

impl fmt::Display for MultipartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MultipartError::NoBoundary => write!(f, "the Content-Type has no multipart boundary"),
            MultipartError::NoParts => write!(f, "the multipart body has no parts"),
            MultipartError::Unterminated => write!(f, "a multipart part is not terminated by its boundary"),
        }
    }
}

impl std::error::Error for MultipartError {}

impl Part {
    pub fn new(content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Part { headers: vec![("content-type".into(), content_type.into())], body: body.into() }
    }

    /// Adds a header (builder style).
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_ascii_lowercase(), value.to_string()));
        self
    }

    /// The first header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The Content-Type, `text/plain` when absent (RFC 2046 default).
    pub fn content_type(&self) -> &str {
        self.header("content-type").unwrap_or("text/plain")
    }

    /// The bare media type, lower-cased, without parameters.
    pub fn media_type(&self) -> String {
        media_type(self.content_type())
    }

    /// The `name` parameter of Content-Disposition (form-data field name).
    pub fn form_name(&self) -> Option<String> {
        self.header("content-disposition").and_then(|d| param(d, "name"))
    }

    /// The `filename` parameter of Content-Disposition.
    pub fn filename(&self) -> Option<String> {
        self.header("content-disposition").and_then(|d| param(d, "filename"))
    }

    /// The Content-ID without angle brackets.
    pub fn content_id(&self) -> Option<String> {
        self.header("content-id").map(|v| v.trim().trim_start_matches('<').trim_end_matches('>').to_string())
    }

    /// Whether this part is itself a multipart container.
    pub fn is_multipart(&self) -> bool {
        self.media_type().starts_with("multipart/")
    }

    /// The sub-parts of a nested multipart part.
    pub fn subparts(&self) -> Result<Vec<Part>, MultipartError> {
        parse(self.content_type(), &self.body)
    }
}

/// The media type of a Content-Type value, lower-cased, without parameters.
pub fn media_type(content_type: &str) -> String {
    content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

/// A parameter of a header value such as `form-data; name="root-fields"` (Content-Type or
/// Content-Disposition), parsed by `mail-parser`: quoted values may hold `;`, RFC 2231
/// `name*=charset''%XX` values and continuations are decoded, names match case-insensitively.
/// Typographic quotes seen in spec text are still stripped from the value.
pub fn param(header_value: &str, name: &str) -> Option<String> {
    use mail_parser::MimeHeaders;
    // Bounded: header values come from hostile bodies; no real parameter list is this long.
    if header_value.len() > MAX_HEADER_VALUE {
        return None;
    }
    // The value goes in as one header of an otherwise empty message. A line break inside it
    // would start another header, so it is folded away first.
    let one_line = header_value.replace(['\r', '\n'], " ");
    let raw = format!("Content-Disposition: {one_line}\r\n\r\n");
    let message = mail_parser::MessageParser::new().parse_headers(raw.as_bytes())?;
    message
        .content_disposition()?
        .attributes()?
        .iter()
        .find(|a| a.name.eq_ignore_ascii_case(name))
        .map(|a| a.value.trim_matches(|c| c == '"' || c == '\u{201d}' || c == '\u{201c}').to_string())
}

/// The longest header value [`param`] looks into.
const MAX_HEADER_VALUE: usize = 16 * 1024;

/// A Content-Disposition value of kind `kind` (`attachment`, `inline`) naming `filename`:
/// a quoted `filename="…"` for ASCII names, RFC 2231 `filename*=UTF-8''…` otherwise, so that
/// [`param`] reads back exactly `filename`.
pub fn disposition(kind: &str, filename: &str) -> String {
    if filename.is_ascii() && !filename.chars().any(|c| c.is_ascii_control()) {
        let escaped = filename.replace('\\', "\\\\").replace('"', "\\\"");
        format!("{kind}; filename=\"{escaped}\"")
    } else {
        // RFC 5987 attr-chars stay; everything else is escaped.
        const ATTR: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
            .remove(b'!')
            .remove(b'#')
            .remove(b'$')
            .remove(b'&')
            .remove(b'+')
            .remove(b'-')
            .remove(b'.')
            .remove(b'^')
            .remove(b'_')
            .remove(b'`')
            .remove(b'|')
            .remove(b'~');
        format!("{kind}; filename*=UTF-8''{}", percent_encoding::utf8_percent_encode(filename, ATTR))
    }
}

/// The boundary parameter of a multipart Content-Type.
pub fn boundary(content_type: &str) -> Option<String> {
    param(content_type, "boundary").filter(|b| !b.is_empty())
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || from >= hay.len() {
        return None;
    }
    hay[from..].windows(needle.len()).position(|w| w == needle).map(|p| p + from)
}

fn parse_headers(raw: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(raw);
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in text.split('\n') {
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            continue;
        }
        if line.starts_with([' ', '\t']) {
            // A folded continuation of the previous header.
            if let Some(last) = headers.last_mut() {
                last.1.push(' ');
                last.1.push_str(line.trim());
            }
            continue;
        }
        if let Some((n, v)) = line.split_once(':') {
            headers.push((n.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    headers
}

/// Parses a multipart body given its Content-Type (CRLF or bare LF line ends).
pub fn parse(content_type: &str, body: &[u8]) -> Result<Vec<Part>, MultipartError> {
    let boundary = boundary(content_type).ok_or(MultipartError::NoBoundary)?;
    let delim = format!("--{boundary}").into_bytes();
    let mut line_delim = b"\n".to_vec();
    line_delim.extend_from_slice(&delim);

    // The first delimiter may open the body or follow a preamble line.
    let mut pos = if body.starts_with(&delim) {
        0
    } else {
        find(body, &line_delim, 0).map(|p| p + 1).ok_or(MultipartError::NoParts)?
    };
    let mut parts = Vec::new();
    loop {
        let after = pos + delim.len();
        if body.get(after..after + 2) == Some(b"--") {
            break;
        }
        let Some(eol) = find(body, b"\n", after) else {
            return Err(MultipartError::Unterminated);
        };
        let start = eol + 1;
        let Some(next) = find(body, &line_delim, start.saturating_sub(1).max(start - 1)) else {
            return Err(MultipartError::Unterminated);
        };
        // `next` is the index of the '\n' before the next delimiter (or of the one
        // ending the delimiter line when the part is completely empty).
        let mut end = next.max(start);
        if end > start && body[end - 1] == b'\r' {
            end -= 1;
        }
        let raw = if next < start { &body[start..start] } else { &body[start..end] };
        parts.push(split_part(raw));
        pos = next + 1;
    }
    if parts.is_empty() {
        return Err(MultipartError::NoParts);
    }
    Ok(parts)
}

fn split_part(raw: &[u8]) -> Part {
    if raw.starts_with(b"\r\n") {
        return Part { headers: Vec::new(), body: raw[2..].to_vec() };
    }
    if raw.starts_with(b"\n") {
        return Part { headers: Vec::new(), body: raw[1..].to_vec() };
    }
    let crlf = find(raw, b"\r\n\r\n", 0).map(|p| (p, p + 4));
    let lf = find(raw, b"\n\n", 0).map(|p| (p, p + 2));
    let split = match (crlf, lf) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    };
    match split {
        Some((h, b)) => Part { headers: parse_headers(&raw[..h]), body: raw[b..].to_vec() },
        // No blank line: a part with headers only.
        None => Part { headers: parse_headers(raw), body: Vec::new() },
    }
}

/// A fresh random boundary.
pub fn new_boundary() -> String {
    let mut bytes = [0u8; 12];
    // A fixed fallback only weakens uniqueness, never correctness of parsing.
    if getrandom::fill(&mut bytes).is_err() {
        bytes = *b"cpmctl-bound";
    }
    format!("cpmctl-{}", hex::encode(bytes))
}

/// Builds a multipart body with CRLF line ends.
pub fn build(boundary: &str, parts: &[Part]) -> Vec<u8> {
    let size: usize = parts.iter().map(|p| p.body.len() + 200).sum();
    let mut out = Vec::with_capacity(size);
    for part in parts {
        out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        for (n, v) in &part.headers {
            out.extend_from_slice(format!("{}: {v}\r\n", header_case(n)).as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&part.body);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    out
}

fn header_case(name: &str) -> String {
    name.split('-')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + &c.as_str().to_ascii_lowercase(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join("-")
        .replace("-Id", "-ID")
}

/// A `form-data` part named `name`.
pub fn form_part(name: &str, content_type: &str, body: impl Into<Vec<u8>>) -> Part {
    Part::new(content_type, body).with_header("content-disposition", &format!("form-data; name=\"{name}\""))
}

/// A nested container part holding `parts` under a fresh boundary.
pub fn nested(subtype: &str, disposition: &str, parts: &[Part]) -> Part {
    let b = new_boundary();
    Part::new(&format!("multipart/{subtype}; boundary=\"{b}\""), build(&b, parts))
        .with_header("content-disposition", disposition)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_nested() {
        let inner = vec![
            Part::new("text/plain", "See attached")
                .with_header("content-disposition", "attachment; filename=\"a.txt\""),
            Part::new("image/gif", vec![0u8, 1, 2, b'\r', b'\n', 3]).with_header("content-id", "<thumb>"),
        ];
        let outer = vec![form_part("root-fields", "application/json", "{\"object\":{}}"), {
            let mut n = nested("mixed", "form-data; name=\"attachments\"", &inner);
            n.headers.reverse();
            n
        }];
        let b = new_boundary();
        let body = build(&b, &outer);
        let parts = parse(&format!("multipart/form-data; boundary={b}"), &body).expect("parse");
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].form_name().as_deref(), Some("root-fields"));
        assert_eq!(parts[0].body, b"{\"object\":{}}");
        assert!(parts[1].is_multipart());
        let sub = parts[1].subparts().expect("nested");
        assert_eq!(sub.len(), 2);
        assert_eq!(sub[0].filename().as_deref(), Some("a.txt"));
        assert_eq!(sub[1].body, vec![0u8, 1, 2, b'\r', b'\n', 3]);
        assert_eq!(sub[1].content_id().as_deref(), Some("thumb"));
    }

    #[test]
    fn lf_only_and_preamble() {
        let body = b"preamble\n--xx\nContent-Type: text/plain\n\nhello\n--xx\n\nno headers\n--xx--\n";
        let parts = parse("multipart/mixed; boundary=\"xx\";", body).expect("parse");
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].body, b"hello");
        assert_eq!(parts[1].body, b"no headers");
        assert!(parts[1].headers.is_empty());
    }

    #[test]
    fn params_keep_quoted_semicolons_and_decode_rfc2231() {
        let d = "form-data; name=\"attachments\"; filename=\"a;b.png\"";
        assert_eq!(param(d, "filename").as_deref(), Some("a;b.png"));
        assert_eq!(param(d, "NAME").as_deref(), Some("attachments"));
        let d = "attachment; filename*=UTF-8''caf%C3%A9%20menu.png";
        assert_eq!(param(d, "filename").as_deref(), Some("café menu.png"));
        assert_eq!(param("multipart/mixed; boundary=\"x;y\"", "boundary").as_deref(), Some("x;y"));
        assert_eq!(param("form-data; name=\u{201d}root-fields\u{201d}", "name").as_deref(), Some("root-fields"));
        assert_eq!(param("attachment", "filename"), None);
    }

    #[test]
    fn dispositions_read_back() {
        for name in ["a;b.png", "say \"hi\".txt", "back\\slash", "café menu.png", "日本.jpg"] {
            let d = disposition("attachment", name);
            assert_eq!(param(&d, "filename").as_deref(), Some(name), "{d}");
        }
        assert_eq!(disposition("attachment", "x.bin"), "attachment; filename=\"x.bin\"");
    }

    #[test]
    fn errors() {
        assert_eq!(parse("multipart/mixed", b""), Err(MultipartError::NoBoundary));
        assert_eq!(parse("multipart/mixed; boundary=q", b"--q\nA: b\n\nbody"), Err(MultipartError::Unterminated));
    }
}
