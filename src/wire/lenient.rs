//! Tolerant deserializers for the places where real peers disagree on JSON types.

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

fn value_to_u64<E: de::Error>(v: &Value) -> Result<Option<u64>, E> {
    match v {
        Value::Null => Ok(None),
        Value::Number(n) => n
            .as_u64()
            .or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64))
            .map(Some)
            .ok_or_else(|| E::custom(format!("expected a non-negative integer, got {n}"))),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => {
            s.trim().parse::<u64>().map(Some).map_err(|_| E::custom(format!("expected an integer, got {s:?}")))
        }
        other => Err(E::custom(format!("expected an integer, got {other}"))),
    }
}

/// `Option<u64>` from a number, a numeric string, or null.
pub fn opt_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    let v = Value::deserialize(d)?;
    value_to_u64(&v)
}

/// `u64` from a number or a numeric string (missing or null is 0).
pub fn u64_or_string<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let v = Value::deserialize(d)?;
    Ok(value_to_u64(&v)?.unwrap_or(0))
}

/// `u16` from a number or a numeric string (T-Mobile sends bulk `code` as `"200"`).
pub fn u16_or_string<'de, D: Deserializer<'de>>(d: D) -> Result<u16, D::Error> {
    let v = Value::deserialize(d)?;
    let n = value_to_u64(&v)?.unwrap_or(0);
    u16::try_from(n).map_err(|_| de::Error::custom(format!("status code out of range: {n}")))
}

/// `Option<bool>` from a bool or `"true"`/`"false"` strings.
pub fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::Bool(b) => Ok(Some(b)),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Ok(Some(true)),
            "false" | "0" | "no" => Ok(Some(false)),
            _ => Err(de::Error::custom(format!("expected a boolean, got {s:?}"))),
        },
        other => Err(de::Error::custom(format!("expected a boolean, got {other}"))),
    }
}

/// Strings from an array, a single string, or any other JSON value (stringified), as
/// the Korean MCS profile writes attribute values (../shared/docs/nms-protocol.md §3.3).
pub fn string_or_seq<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    fn one(v: Value) -> String {
        match v {
            Value::String(s) => s,
            Value::Null => String::new(),
            other => other.to_string(),
        }
    }
    Ok(match Value::deserialize(d)? {
        Value::Null => Vec::new(),
        Value::Array(items) => items.into_iter().map(one).collect(),
        other => vec![one(other)],
    })
}

/// A list that may arrive as one bare element or as an array (spec examples do both).
pub fn one_or_many<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    match Value::deserialize(d)? {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => {
            items.into_iter().map(|v| serde_json::from_value(v).map_err(de::Error::custom)).collect()
        }
        other => Ok(vec![serde_json::from_value(other).map_err(de::Error::custom)?]),
    }
}

/// A marker that is present whenever its key is present, even as `null` (`resetBox`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Present;

impl Serialize for Present {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        s.serialize_map(Some(0))?.end()
    }
}

/// Maps a present key (any value, null included) to `Some(Present)`.
pub fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Present>, D::Error> {
    let _ = Value::deserialize(d)?;
    Ok(Some(Present))
}
