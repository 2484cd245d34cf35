//! Strict decoding of request bodies for the reference server: tolerant of the forms real
//! clients use, never of nonsense.
//!
//! Tolerated (../shared/docs/DESIGN.md "Reference server rules"): the body wrapped in its root element or
//! bare (Samsung), the root name in any case, and every lenient member form of the types
//! themselves (numbers as strings, one element for a list). Refused, where the plain
//! [`decode`](super::decode) would quietly take defaults and let a request erase or drop data:
//! a body that is not a JSON object (`null`, `[]`, a scalar), a root element that is `null` or an
//! array, members beside the root element (`{"object": {…}, "clientCorrelator": "x"}` would
//! otherwise be read as a bare object with nothing in it), and members the type does not know
//! (a misspelt or wrongly wrapped body).

use serde_json::{Map, Value};

use super::envelope::Root;

/// How many unknown member paths an error lists.
const LISTED: usize = 5;

/// Members real clients send that the server has no use for (../shared/docs/nms-protocol.md §3.2, §3.5,
/// §3.11): Samsung S14 / MCS object extras, payload-part extras, MCS channel data and Samsung's
/// Gson `type` discriminator. Matched on the last name of the member's path; they are ignored,
/// not refused.
const CARRIER_EXTRAS: &[&str] = &[
    "imdns",
    "imdn",
    "protocol",
    "importance",
    "sensitivity",
    "fileIcon",
    "content",
    "disposition",
    "playingLength",
    "channelSubTypeVersion",
    "largeDataPolling",
];

/// Whether an ignored member at `path` (dotted, as serde_ignored prints it, with `?` for an
/// Option and indexes for list elements) is a known extra.
fn tolerated(path: &str) -> bool {
    let names: Vec<&str> = path.split('.').filter(|s| *s != "?" && !s.chars().all(|c| c.is_ascii_digit())).collect();
    names.last().is_some_and(|leaf| CARRIER_EXTRAS.contains(leaf)) || names == ["channelData", "type"]
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn listed(names: &[String]) -> String {
    let mut s = names.iter().take(LISTED).cloned().collect::<Vec<_>>().join(", ");
    if names.len() > LISTED {
        s.push_str(&format!(" and {} more", names.len() - LISTED));
    }
    s
}

/// The members of the body proper: the root element's value when the body is wrapped, else the
/// bare body. Errors are phrased for a client to read.
pub fn body_members<T: Root>(value: Value) -> Result<Value, String> {
    let Value::Object(mut map) = value else {
        return Err(format!(
            "expected a JSON object ({{\"{}\": {{…}}}} or its members), got {}",
            T::ROOT,
            kind(&value)
        ));
    };
    let Some(key) = map.keys().find(|k| k.eq_ignore_ascii_case(T::ROOT)).cloned() else {
        return Ok(Value::Object(map));
    };
    if map.len() > 1 {
        let others: Vec<String> = map.keys().filter(|k| **k != key).cloned().collect();
        return Err(format!("unexpected member(s) beside the root element {}: {}", T::ROOT, listed(&others)));
    }
    match map.remove(&key).unwrap_or(Value::Null) {
        // `{"empty": null}` is the spec's dummy body.
        Value::Null if T::ROOT == "empty" => Ok(Value::Object(Map::new())),
        v @ (Value::Null | Value::Array(_)) => {
            Err(format!("the {} element is {}, expected an object", T::ROOT, kind(&v)))
        }
        v => Ok(v),
    }
}

/// Decodes `bytes` as a `T` under the rules of this module.
pub fn decode<T: Root>(bytes: &[u8]) -> Result<T, String> {
    decode_requiring::<T>(bytes, &[])
}

/// [`decode`], also requiring the members `required` (exact names) in the body proper: for
/// bodies whose absent member would mean "erase" (a flag list without `flag`).
pub fn decode_requiring<T: Root>(bytes: &[u8], required: &[&str]) -> Result<T, String> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| format!("not valid JSON: {e}"))?;
    let members = body_members::<T>(value)?;
    if let Value::Object(map) = &members {
        let missing: Vec<String> = required.iter().filter(|r| !map.contains_key(**r)).map(|r| r.to_string()).collect();
        if !missing.is_empty() {
            return Err(format!("missing member(s) of {}: {}", T::ROOT, listed(&missing)));
        }
    }
    let mut unknown = Vec::new();
    let decoded: T = serde_ignored::deserialize(members, |path| {
        let path = path.to_string();
        if !tolerated(&path) {
            unknown.push(path);
        }
    })
    .map_err(|e| format!("not a valid {}: {e}", T::ROOT))?;
    if !unknown.is_empty() {
        return Err(format!("unknown member(s) of {}: {}", T::ROOT, listed(&unknown)));
    }
    Ok(decoded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{Empty, FlagList, Object};

    #[test]
    fn wrapped_bare_and_case_insensitive_roots_decode() {
        let o: Object = decode(br#"{"OBJECT": {"attributes": {"attribute": [{"name": "a", "value": "b"}]}}}"#).unwrap();
        assert_eq!(o.attributes.first("a"), Some("b"));
        let o: Object = decode(br#"{"attributes": {"attribute": {"name": "a", "value": ["b"]}}}"#).unwrap();
        assert_eq!(o.attributes.first("a"), Some("b"));
        let _: Empty = decode(br#"{"empty": null}"#).unwrap();
        let f: FlagList = decode_requiring(br#"{"flagList": {"flag": []}}"#, &["flag"]).unwrap();
        assert!(f.flag.is_empty());
    }

    #[test]
    fn documented_carrier_extras_are_ignored() {
        let o: Object = decode(
            br#"{"object": {"attributes": {"attribute": [{"name": "a", "value": "b"}]}, "protocol": "standard",
                "imdns": {"imdn": []}, "importance": "normal", "sensitivity": "personal"}}"#,
        )
        .unwrap();
        assert_eq!(o.attributes.first("a"), Some("b"));
        let ch: crate::wire::NotificationChannel = decode(
            br#"{"notificationChannel": {"channelType": "LongPolling", "channelData": {"maxNotifications": 1,
                "type": "LongPollingData", "channelSubTypeVersion": "1.0",
                "largeDataPolling": {"pollingEnabled": true}}}}"#,
        )
        .unwrap();
        assert_eq!(ch.channel_type, "LongPolling");
        assert!(decode::<Object>(br#"{"object": {"type": "x"}}"#).is_err());
    }

    #[test]
    fn nonsense_is_refused_with_a_reason() {
        for (body, why) in [
            ("null", "got null"),
            ("[]", "got an array"),
            ("7", "got a number"),
            (r#"{"object": null}"#, "is null"),
            (r#"{"object": []}"#, "is an array"),
            (r#"{"object": {}, "clientCorrelator": "x"}"#, "beside the root element object: clientCorrelator"),
            (r#"{"objects": {}}"#, "unknown member(s) of object: objects"),
            (r#"{"object": {"attributes": {"atribute": []}}}"#, "attributes.atribute"),
            ("{", "not valid JSON"),
        ] {
            let e = decode::<Object>(body.as_bytes()).unwrap_err();
            assert!(e.contains(why), "{body}: {e}");
        }
        let e = decode_requiring::<FlagList>(br#"{"flagList": {}}"#, &["flag"]).unwrap_err();
        assert!(e.contains("missing member(s) of flagList: flag"), "{e}");
    }
}
