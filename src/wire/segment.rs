//! Ids out of URLs: the last path segment of a resource URL, percent-decoded. One function
//! for the client and the server, so both read an id the same way.

use percent_encoding::percent_decode_str;

/// Percent-decodes one path segment; `+` stays `+` (paths are not form encoding) and
/// invalid UTF-8 is replaced rather than rejected.
pub fn decode_segment(segment: &str) -> String {
    percent_decode_str(segment).decode_utf8_lossy().into_owned()
}

/// The id a URL names: its last path segment (absolute or relative URL, query and fragment
/// ignored, trailing slashes skipped), percent-decoded. A bare id comes back decoded.
pub fn last_segment(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or("");
    decode_segment(path.trim_end_matches('/').rsplit('/').next().unwrap_or(""))
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
