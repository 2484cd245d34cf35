//! Absolute URLs of boxes, objects, folders and parts, and the reverse: ids out of URLs.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

pub use crate::wire::segment::decode_segment;
/// The id a client refers to: the last path segment of a resource URL (absolute or
/// relative, query and fragment ignored), percent-decoded; a bare id passes through.
pub use crate::wire::segment::last_segment as id_from_ref;

/// Everything but RFC 3986 unreserved characters is escaped (upper-case hex).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes one path segment (`tel:+1555` -> `tel%3A%2B1555`).
pub fn encode_segment(s: &str) -> String {
    utf8_percent_encode(s, SEGMENT).to_string()
}

/// The URL builder of one box as seen by one request (the root follows the Host header).
#[derive(Debug, Clone)]
pub struct Urls {
    base: String,
}

impl Urls {
    pub fn new(root: &str, store: &str, box_id: &str) -> Self {
        Urls {
            base: format!("{}/nms/v1/{}/{}", root.trim_end_matches('/'), encode_segment(store), encode_segment(box_id)),
        }
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn object(&self, id: &str) -> String {
        format!("{}/objects/{}", self.base, encode_segment(id))
    }

    pub fn flags(&self, id: &str) -> String {
        format!("{}/flags", self.object(id))
    }

    pub fn flag(&self, id: &str, flag: &str) -> String {
        format!("{}/flags/{}", self.object(id), encode_segment(flag))
    }

    pub fn payload(&self, id: &str) -> String {
        format!("{}/payload", self.object(id))
    }

    pub fn part(&self, id: &str, part_id: &str) -> String {
        format!("{}/payloadParts/{}", self.object(id), encode_segment(part_id))
    }

    pub fn folder(&self, id: &str) -> String {
        format!("{}/folders/{}", self.base, encode_segment(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_box_ids() {
        let u = Urls::new("http://h:1/", "cpm", "tel:+15550001111");
        assert_eq!(u.base(), "http://h:1/nms/v1/cpm/tel%3A%2B15550001111");
        assert_eq!(u.flag("ab", "\\Seen"), "http://h:1/nms/v1/cpm/tel%3A%2B15550001111/objects/ab/flags/%5CSeen");
    }

    #[test]
    fn ids_from_refs() {
        assert_eq!(id_from_ref("http://h/nms/v1/cpm/tel%3a%2b1/objects/abc%3A1?x=1"), "abc:1");
        assert_eq!(id_from_ref("abc"), "abc");
        assert_eq!(id_from_ref("/folders/f1/"), "f1");
    }
}
