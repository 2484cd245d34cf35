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
    let value: Value = serde_json::from_slice(bytes)?;
    decode_value(value)
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
