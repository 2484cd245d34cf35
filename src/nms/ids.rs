//! Stable ids from server URLs: the last path segment, percent-decoded (relay URLs unwrapped).

use super::urls;

/// The id named by a server URL (`…/objects/abc%3A1` → `abc:1`). Relay URLs
/// (`…/mStoreRelay?path=http://…/objects/<id>`) are unwrapped first; query and fragment are
/// ignored; a bare id comes back decoded.
pub fn id_from_url(url: &str) -> String {
    let inner = urls::relay_inner(url);
    crate::wire::segment::last_segment(inner.as_deref().unwrap_or(url).trim())
}

#[cfg(test)]
mod tests {
    use super::id_from_url;

    #[test]
    fn ids() {
        assert_eq!(id_from_url("http://h/nms/v1/cpm/tel%3A%2B1/objects/abc"), "abc");
        assert_eq!(id_from_url("http://h/nms/v1/cpm/tel%3A%2B1/objects/f%3a12/"), "f:12");
        assert_eq!(
            id_from_url(
                "https://w:443/phone20/mStoreRelay?path=http://m:8082/oemclient/nms/v1/ums/tel%3A%2B1/objects/u%3A7"
            ),
            "u:7"
        );
        assert_eq!(id_from_url("plain-id"), "plain-id");
        assert_eq!(id_from_url("/nms/v1/s/b/folders/f1?attrFilter=Quota"), "f1");
    }
}
