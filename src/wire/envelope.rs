//! Root-element envelopes: `{"object": {...}}` on output, wrapped or bare on input.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// A body type with its JSON root element name (TS 5.3, ../shared/docs/nms-protocol.md §3.1).
pub trait Root: Serialize + DeserializeOwned {
    const ROOT: &'static str;
}

/// Encodes `body` wrapped in its root element.
pub fn encode_value<T: Root>(body: &T) -> Value {
    let inner = serde_json::to_value(body).unwrap_or(Value::Null);
    let mut map = Map::with_capacity(1);
    map.insert(T::ROOT.to_string(), inner);
    Value::Object(map)
}

/// Encodes `body` wrapped in its root element as JSON bytes.
pub fn encode<T: Root>(body: &T) -> Vec<u8> {
    serde_json::to_vec(&encode_value(body)).unwrap_or_default()
}

/// Takes the inner value of a one-key object whose key is `root` (compared
/// case-insensitively); anything else is taken as the bare body, as Samsung sends
/// several request bodies unwrapped.
pub fn unwrap_root(value: Value, root: &str) -> Value {
    match value {
        Value::Object(mut map) if map.len() == 1 => {
            let key = map.keys().next().cloned().unwrap_or_default();
            if key.eq_ignore_ascii_case(root) { map.remove(&key).unwrap_or(Value::Null) } else { Value::Object(map) }
        }
        other => other,
    }
}

/// Decodes a body that may be wrapped in its root element or bare.
pub fn decode_value<T: Root>(value: Value) -> Result<T, serde_json::Error> {
    let inner = unwrap_root(value, T::ROOT);
    // `{"empty": null}`-style roots: a null inner value decodes as an empty object.
    let inner = if inner.is_null() { Value::Object(Map::new()) } else { inner };
    serde_json::from_value(inner)
}

/// Decodes JSON bytes that may be wrapped in their root element or bare.
pub fn decode<T: Root>(bytes: &[u8]) -> Result<T, serde_json::Error> {
    if let Some(t) = decode_wrapped(bytes) {
        return Ok(t);
    }
    let value: Value = serde_json::from_slice(bytes)?;
    decode_value(value)
}

/// The usual shape, `{"<root>": {...}}` with that one key, straight into `T` without building a
/// `Value` first (half of a `get`'s client time went to that detour). Anything else (a bare
/// body, other keys, a null root, an error) is `None`, and [`decode`] takes the general path,
/// which gives the same result or the error to report.
pub fn decode_wrapped<T: Root>(bytes: &[u8]) -> Option<T> {
    use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
    use std::borrow::Cow;
    use std::marker::PhantomData;

    struct Wrapped<T>(PhantomData<T>);
    impl<'de, T: Root> Visitor<'de> for Wrapped<T> {
        type Value = T;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            write!(f, "an object with the one key {:?}", T::ROOT)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
            let key: Cow<'de, str> = map.next_key()?.ok_or_else(|| de::Error::custom("empty object"))?;
            if !key.eq_ignore_ascii_case(T::ROOT) {
                return Err(de::Error::custom("not the root element"));
            }
            let value: T = map.next_value()?;
            if map.next_key::<IgnoredAny>()?.is_some() {
                return Err(de::Error::custom("more than one key"));
            }
            Ok(value)
        }
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = (&mut de).deserialize_map(Wrapped::<T>(PhantomData)).ok()?;
    de.end().ok()?;
    Some(value)
}

macro_rules! roots {
    ($($ty:path => $name:literal),* $(,)?) => {
        $(impl Root for $ty { const ROOT: &'static str = $name; })*
    };
}

use super::*;
roots! {
    Object => "object",
    ObjectList => "objectList",
    FlagList => "flagList",
    Reference => "reference",
    ObjectReferenceList => "objectReferenceList",
    FolderReferenceList => "folderReferenceList",
    TargetSourceRef => "targetSourceRef",
    PathList => "pathList",
    Empty => "empty",
    Folder => "folder",
    FolderList => "folderList",
    SelectionCriteria => "selectionCriteria",
    BulkUpdate => "bulkUpdate",
    BulkDelete => "bulkDelete",
    BulkResponseList => "bulkResponseList",
    NmsSubscription => "nmsSubscription",
    NmsSubscriptionList => "nmsSubscriptionList",
    NmsSubscriptionUpdate => "nmsSubscriptionUpdate",
    NmsEventList => "nmsEventList",
    NotificationChannel => "notificationChannel",
    NotificationChannelList => "notificationChannelList",
    NotificationChannelLifetime => "notificationChannelLifetime",
    RequestError => "requestError",
    folder::FolderName => "name",
}

#[cfg(test)]
mod fast_path_tests {
    use super::*;
    use crate::wire::{Empty, Object};

    /// The fast path gives what the general path gives, or steps aside.
    #[test]
    fn wrapped_bodies_decode_as_the_general_path_does() {
        let wrapped = br#"{"object":{"attributes":{"attribute":[{"name":"Date","value":["x"]}]},"lastModSeq":"7"}}"#;
        let general: Object = decode_value(serde_json::from_slice(wrapped).unwrap()).unwrap();
        assert_eq!(decode_wrapped::<Object>(wrapped), Some(general.clone()));
        assert_eq!(decode::<Object>(wrapped).unwrap(), general);
        let upper = br#"{"Object":{"lastModSeq":7}}"#;
        assert_eq!(decode_wrapped::<Object>(upper).map(|o| o.last_mod_seq), Some(Some(7)));
        // Bare, two keys, a null root, trailing bytes, garbage: the general path decides.
        for other in [
            &br#"{"lastModSeq":7}"#[..],
            br#"{"object":{},"extra":1}"#,
            br#"{"object":{"lastModSeq":1},"object":{"lastModSeq":2}}"#,
            br#"{"empty":null}"#,
            br#"{"object":{}} x"#,
            b"[1]",
            b"",
        ] {
            assert_eq!(decode_wrapped::<Object>(other), None, "{}", String::from_utf8_lossy(other));
        }
        assert_eq!(decode::<Object>(br#"{"lastModSeq":7}"#).unwrap().last_mod_seq, Some(7));
        assert_eq!(decode::<Empty>(br#"{"empty":null}"#).unwrap(), Empty {});
        assert!(decode::<Object>(br#"{"object":{}} x"#).is_err());
    }
}
