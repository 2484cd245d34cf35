//! URL building and resolution: path segments encoded like Android `Uri.encode`, server URLs
//! resolved against the request URL, and the T-Mobile `mStoreRelay?path=` form rewritten
//! onto our own base (../shared/docs/nms-protocol.md §1.1–1.2).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use url::Url;

/// Everything except `A-Z a-z 0-9 _ - ! . ~ ' ( ) *` is escaped, as Android's `Uri.encode`
/// does; this is what Samsung clients send and what servers expect for box ids and flags.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'_')
    .remove(b'-')
    .remove(b'!')
    .remove(b'.')
    .remove(b'~')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*');

/// Percent-encodes one path segment (`tel:+1555` → `tel%3A%2B1555`, `\Seen` → `%5CSeen`).
pub fn encode_segment(segment: &str) -> String {
    utf8_percent_encode(segment, SEGMENT).to_string()
}

pub use crate::wire::segment::decode_segment;

/// Appends already-encoded path segments to `base` (which must not end in `/`).
pub fn join_segments(base: &Url, encoded: &[&str]) -> Url {
    let mut url = base.clone();
    let mut path = base.path().trim_end_matches('/').to_string();
    for seg in encoded {
        path.push('/');
        path.push_str(seg);
    }
    url.set_path(&path);
    url.set_query(None);
    url.set_fragment(None);
    url
}

/// The inner URL of a T-Mobile relay URL
/// (`https://relay/phone20/mStoreRelay?path=http://backend:8082/…/objects/<id>`), if `raw` is one.
pub fn relay_inner(raw: &str) -> Option<String> {
    let (_, query) = raw.split_once('?')?;
    // The inner URL is not encoded by the relay, so it may itself contain `&` and `?`:
    // take everything after the `path=` parameter name.
    let start = if let Some(rest) = query.strip_prefix("path=") {
        rest
    } else {
        let at = query.find("&path=")?;
        &query[at + 6..]
    };
    let lower = start.to_ascii_lowercase();
    if lower.starts_with("http%3a") || lower.starts_with("https%3a") {
        return Some(decode_segment(start));
    }
    (lower.starts_with("http://") || lower.starts_with("https://")).then(|| start.to_string())
}

/// The part of an NMS URL below the box (`objects/<id>/payloadParts/p1`, still encoded),
/// found after `nms/{v}/{store}/{box}/` or, failing that, from an `objects`/`folders`/
/// `subscriptions` segment on.
pub fn tail_below_box(url: &Url) -> Option<String> {
    let segs: Vec<&str> = url.path_segments()?.collect();
    let start = segs
        .windows(2)
        .position(|w| w[0] == "nms" && w[1].starts_with('v'))
        .map(|i| i + 4)
        .filter(|i| *i < segs.len())
        .or_else(|| segs.iter().position(|s| matches!(*s, "objects" | "folders" | "subscriptions")))?;
    let mut tail = segs[start..].join("/");
    if let Some(q) = url.query() {
        tail.push('?');
        tail.push_str(q);
    }
    Some(tail)
}

/// Resolves a server-returned URL: relay URLs are rewritten onto `base` (the NMS base of
/// this client), everything else is resolved against `request` (it may be relative).
/// Unusable input is returned unchanged.
pub fn resolve(raw: &str, request: &Url, base: &Url) -> String {
    resolve_changed(raw, request, base).unwrap_or_else(|| raw.to_string())
}

/// [`resolve`], or `None` when the URL resolves to itself byte for byte (the usual case for a
/// server's own absolute URLs), so a caller holding it keeps it without a copy.
pub fn resolve_changed(raw: &str, request: &Url, base: &Url) -> Option<String> {
    let trimmed = raw.trim();
    if trimmed.len() == raw.len() && already_resolved(raw, request) {
        return None;
    }
    let raw = trimmed;
    if raw.is_empty() {
        return Some(String::new());
    }
    if let Some(inner) = relay_inner(raw)
        && let Ok(inner) = Url::parse(&inner)
        && let Some(tail) = tail_below_box(&inner)
    {
        return Some(format!("{}/{}", base.as_str().trim_end_matches('/'), tail));
    }
    if already_resolved(raw, request) {
        return Some(raw.to_string());
    }
    Some(match request.join(raw) {
        Ok(u) => u.to_string(),
        Err(_) => raw.to_string(),
    })
}

/// The bytes the URL parser leaves as they are in a path (unreserved, sub-delims, `:@/`); a
/// table because this runs over every byte of every URL of every answer.
const PATH_KEPT: [bool; 256] = {
    let mut t = [false; 256];
    let kept = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_~/.!$&'()*+,;=:@";
    let mut i = 0;
    while i < kept.len() {
        t[kept[i] as usize] = true;
        i += 1;
    }
    t
};

/// Whether `raw` is an absolute URL on `request`'s origin that `request.join(raw)` would hand
/// back byte for byte: the usual `resourceURL`, `parentFolder` and `href` of an answer. Parsing
/// each of them (several per object, the host through IDNA) was a good part of a bulk `get`'s
/// CPU; this check is a prefix compare and one pass over the path. Anything unusual (a query,
/// a fragment, dot segments, characters the parser would escape or a malformed escape) answers
/// false and takes the full parse.
fn already_resolved(raw: &str, request: &Url) -> bool {
    // Requests never carry user info; with it, the prefix below would not be an origin.
    if !request.has_authority() || !request.username().is_empty() || request.password().is_some() {
        return false;
    }
    // `scheme://host[:port]`, exactly as the parser writes it (lower case, no default port).
    let origin = &request[..url::Position::BeforePath];
    let Some(path) = raw.strip_prefix(origin) else {
        return false;
    };
    if !path.starts_with('/') {
        return false;
    }
    let bytes = path.as_bytes();
    // The part shared with the request's own path is the parser's output already (valid
    // bytes, no dot segments): the check starts at the `/` of the segment where they part.
    let same = common_prefix(bytes, request.path().as_bytes());
    let mut i = memchr::memrchr(b'/', &bytes[..same]).unwrap_or(0);
    while i < bytes.len() {
        let b = bytes[i];
        // `.` and `..` segments (also spelt `%2e`) are removed by the parser. The path starts
        // with `/`, so every segment follows one.
        if b == b'/' && matches!(bytes.get(i + 1), Some(b'.' | b'%')) {
            let seg = &path[i + 1..];
            let seg = &seg[..seg.find('/').unwrap_or(seg.len())];
            if matches!(seg.to_ascii_lowercase().replace("%2e", ".").as_str(), "." | "..") {
                return false;
            }
        }
        if PATH_KEPT[usize::from(b)] {
            i += 1;
            continue;
        }
        if b == b'%' && bytes.len() > i + 2 && bytes[i + 1].is_ascii_hexdigit() && bytes[i + 2].is_ascii_hexdigit() {
            i += 3;
            continue;
        }
        return false;
    }
    true
}

/// How many leading bytes `a` and `b` share (compared 16 at a time while they match).
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + 16 <= n && a[i..i + 16] == b[i..i + 16] {
        i += 16;
    }
    while i < n && a[i] == b[i] {
        i += 1;
    }
    i
}

/// Turns a caller-given object/folder reference into a URL: absolute URLs (and relay URLs)
/// are taken as they are, root-relative NMS paths (`/…/nms/v1/…`) are resolved against the
/// server, and anything else is an id below `collection` (`objects` or `folders`). A folder
/// *path* such as `/RCSMessageStore` is therefore an (unknown) id, never a server path.
pub fn target(id_or_url: &str, base: &Url, collection: &str) -> Url {
    let s = id_or_url.trim();
    let scheme = |p: &str| s.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p));
    if (scheme("http://") || scheme("https://") || (s.starts_with('/') && s.contains("/nms/")))
        && let Ok(u) = Url::parse(&resolve(s, base, base))
    {
        return u;
    }
    join_segments(base, &[collection, &encode_segment(s)])
}

/// `text` with the user info (`user:password@`) of every `scheme://` URL in it replaced by
/// `***@`: the one redaction applied wherever a URL may be shown (errors, traces, status).
/// It works on free text, not on parsed URLs, so a URL too broken to parse is redacted too.
pub fn redact_userinfo(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let (head, tail) = rest.split_at(at + 3);
        out.push_str(head);
        // The authority ends where the path, query or fragment starts, or where the URL
        // itself ends in running text (space, quote, bracket).
        let end = tail
            .find(|c: char| matches!(c, '/' | '\\' | '?' | '#' | '"' | '\'' | '`' | '<' | '>') || c.is_whitespace())
            .unwrap_or(tail.len());
        let authority = &tail[..end];
        if let Some(i) = authority.rfind('@') {
            out.push_str("***@");
            out.push_str(&authority[i + 1..]);
            rest = &tail[end..];
            continue;
        }
        // A password with an unescaped `/`, `?` or `#` (`http://u:pa/ss@host`) cuts the
        // authority short at `u:pa`: a "port" that is not a number betrays it, and
        // everything up to the last `@` of the URL is hidden.
        let span_end = tail.find(|c: char| matches!(c, '"' | '\'' | '`' | '<' | '>') || c.is_whitespace());
        let span = &tail[..span_end.unwrap_or(tail.len())];
        let bad_port = !authority.starts_with('[')
            && authority.split_once(':').is_some_and(|(_, port)| !port.chars().all(|c| c.is_ascii_digit()));
        match span.rfind('@') {
            Some(i) if bad_port => {
                out.push_str("***@");
                rest = &tail[i + 1..];
            }
            _ => {
                out.push_str(authority);
                rest = &tail[end..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_hides_user_info_only() {
        assert_eq!(
            redact_userinfo("bad `http://u:SECRET@host:1/p?q=a@b` here"),
            "bad `http://***@host:1/p?q=a@b` here"
        );
        assert_eq!(redact_userinfo("http://u:SE@CRET@ho st/x"), "http://***@ho st/x");
        assert_eq!(redact_userinfo("a ftp://SECRET@h and https://x:y@z/"), "a ftp://***@h and https://***@z/");
        assert_eq!(
            redact_userinfo("http://h/nms/v1/cpm/tel%3A%2B1 tel:+1@x"),
            "http://h/nms/v1/cpm/tel%3A%2B1 tel:+1@x"
        );
        assert_eq!(redact_userinfo("no urls"), "no urls");
        assert_eq!(redact_userinfo("`http://u:pa/ss?x#y@host/p` and"), "`http://***@host/p` and");
        assert_eq!(redact_userinfo("http://h:8080/x@y http://[::1]:80/a@b"), "http://h:8080/x@y http://[::1]:80/a@b");
        assert_eq!(redact_userinfo("http://"), "http://");
    }

    #[test]
    fn android_encoding() {
        assert_eq!(encode_segment("tel:+15550001111"), "tel%3A%2B15550001111");
        assert_eq!(encode_segment("\\Seen"), "%5CSeen");
        assert_eq!(encode_segment("$CNS-Greeting-On"), "%24CNS-Greeting-On");
        assert_eq!(encode_segment("a_b-c!d.e~f'g(h)i*j k/é"), "a_b-c!d.e~f'g(h)i*j%20k%2F%C3%A9");
        assert_eq!(decode_segment("tel%3a%2b1555+1"), "tel:+1555+1");
    }

    #[test]
    fn relay_rewrite() {
        let base = Url::parse("https://wsg.example/phone20/mStoreRelay/oemclient/nms/v1/ums/tel%3A%2B1555").unwrap();
        let raw = "https://wsg.example:443/phone20/mStoreRelay?path=http://backend:8082/oemclient/nms/v1/ums/tel%3A%2B1555/objects/f%3A12/payloadParts/part1";
        assert_eq!(
            resolve(raw, &base, &base),
            "https://wsg.example/phone20/mStoreRelay/oemclient/nms/v1/ums/tel%3A%2B1555/objects/f%3A12/payloadParts/part1"
        );
        let req = Url::parse("http://h/p/nms/v1/cpm/b/objects/operations/search").unwrap();
        assert_eq!(resolve("/p/nms/v1/cpm/b/objects/x", &req, &base), "http://h/p/nms/v1/cpm/b/objects/x");
    }

    #[test]
    fn shortcut_matches_the_parser() {
        let request = Url::parse("http://127.0.0.1:8080/p/nms/v1/cpm/tel%3A%2B1/objects/x?q=1").unwrap();
        let base = Url::parse("http://127.0.0.1:8080/p/nms/v1/cpm/tel%3A%2B1").unwrap();
        let cases = [
            "http://127.0.0.1:8080/p/nms/v1/cpm/tel%3A%2B1/objects/abc",
            "http://127.0.0.1:8080/p/nms/v1/cpm/tel%3A%2B1/folders/f%3A1/flags",
            "http://127.0.0.1:8080/p/nms/v1/cpm/tel%3a%2b1/objects/a!$&'()*+,;=:@-_~.b",
            "http://127.0.0.1:8080/a//b/",
            "http://127.0.0.1:8080/a/./b",
            "http://127.0.0.1:8080/a/../b",
            "http://127.0.0.1:8080/a/%2E%2e/b",
            "http://127.0.0.1:8080/a/.%2E",
            "http://127.0.0.1:8080/a/...",
            "http://127.0.0.1:8080/a/%zz",
            "http://127.0.0.1:8080/a/%2",
            "http://127.0.0.1:8080/a b",
            "http://127.0.0.1:8080/a\\b",
            "http://127.0.0.1:8080/a|b^c`d{e}",
            "http://127.0.0.1:8080/é",
            "http://127.0.0.1:8080/a?x=1",
            "http://127.0.0.1:8080/a#f",
            "http://127.0.0.1:8080",
            "http://127.0.0.1:80800/a",
            "HTTP://127.0.0.1:8080/a",
            "http://127.0.0.1:80/a",
            "http://u:p@127.0.0.1:8080/a",
            "https://127.0.0.1:8080/a",
            "/p/nms/v1/x",
            "objects/y",
        ];
        for raw in cases {
            let joined = request.join(raw).map(|u| u.to_string()).unwrap_or_else(|_| raw.to_string());
            assert_eq!(resolve(raw, &request, &base), joined, "{raw}");
            if already_resolved(raw, &request) {
                assert_eq!(raw, joined, "{raw}");
            }
        }
        assert!(already_resolved(cases[0], &request) && already_resolved(cases[2], &request));
        // URLs that share part of the request's own path: the shared part is skipped, so
        // what follows it must still be checked from the start of its segment.
        let dotted = Url::parse("http://127.0.0.1:8080/a/.x/b..c/%2E%2Ey/d").unwrap();
        for raw in [
            "http://127.0.0.1:8080/a/.x/b..c/%2E%2Ey/d",
            "http://127.0.0.1:8080/a/.",
            "http://127.0.0.1:8080/a/./b",
            "http://127.0.0.1:8080/a/.x/..",
            "http://127.0.0.1:8080/a/.x/b..c/%2E%2E",
            "http://127.0.0.1:8080/a/.x/b..c/%2E%2Ey/d/%2e",
            "http://127.0.0.1:8080/a/.x/b..c/%2E%2Ey/d?x",
            "http://127.0.0.1:8080/a/.x/b..c/%2E%2Ey/d e",
        ] {
            let joined = dotted.join(raw).map(|u| u.to_string()).unwrap_or_else(|_| raw.to_string());
            assert_eq!(resolve(raw, &dotted, &base), joined, "{raw}");
            if already_resolved(raw, &dotted) {
                assert_eq!(raw, joined, "{raw}");
            }
        }
        assert!(already_resolved("http://127.0.0.1:8080/a/.x/b..c/%2E%2Ey/d", &dotted));
        let with_user = Url::parse("http://u@127.0.0.1:8080/a").unwrap();
        assert!(!already_resolved("http://u@127.0.0.1:8080/b", &with_user));
    }

    #[test]
    fn targets() {
        let base = Url::parse("http://h/p/nms/v1/cpm/tel%3A%2B1").unwrap();
        assert_eq!(target("a:b", &base, "objects").as_str(), "http://h/p/nms/v1/cpm/tel%3A%2B1/objects/a%3Ab");
        assert_eq!(
            target("/RCSMessageStore", &base, "folders").as_str(),
            "http://h/p/nms/v1/cpm/tel%3A%2B1/folders/%2FRCSMessageStore"
        );
        assert_eq!(
            target("/p/nms/v1/cpm/tel%3A%2B1/folders/f", &base, "folders").as_str(),
            "http://h/p/nms/v1/cpm/tel%3A%2B1/folders/f"
        );
        assert_eq!(target("http://o/x/folders/f", &base, "folders").as_str(), "http://o/x/folders/f");
    }
}
