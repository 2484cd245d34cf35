//! Ids out of URLs: the last path segment of a resource URL, percent-decoded. One function
//! for the client and the server, so both read an id the same way.

use percent_encoding::percent_decode_str;

/// Percent-decodes one path segment; `+` stays `+` (paths are not form encoding) and
/// invalid UTF-8 is replaced rather than rejected.
pub fn decode_segment(segment: &str) -> String {
    // Most ids have no escape at all: then there is nothing to decode.
    if !segment.contains('%') {
        return segment.to_string();
    }
    percent_decode_str(segment).decode_utf8_lossy().into_owned()
}

/// The id a URL names: its last path segment (absolute or relative URL, query and fragment
/// ignored, trailing slashes skipped), percent-decoded. A bare id comes back decoded.
pub fn last_segment(url: &str) -> String {
    // Byte searches: this runs for every URL of every object a bulk read or listing shows.
    let path = &url[..memchr::memchr2(b'?', b'#', url.as_bytes()).unwrap_or(url.len())];
    let path = path.trim_end_matches('/');
    decode_segment(&path[memchr::memrchr(b'/', path.as_bytes()).map_or(0, |i| i + 1)..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_segments() {
        assert_eq!(last_segment("http://h/nms/v1/cpm/tel%3A%2B1/objects/abc"), "abc");
        assert_eq!(last_segment("http://h/x/folders/f%3a12/"), "f:12");
        assert_eq!(last_segment("/nms/v1/s/b/folders/f1?attrFilter=Quota#x"), "f1");
        assert_eq!(last_segment("plain+id"), "plain+id");
        assert_eq!(last_segment(""), "");
    }
}
