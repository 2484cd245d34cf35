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
/// Read straight from the input, not through a `serde_json::Value` (every attribute of every
/// object passes here).
pub fn string_or_seq<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    struct Strings;
    impl<'de> de::Visitor<'de> for Strings {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a string, an array of values, or any JSON value")
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<String>, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
            while let Some(Stringified(s)) = seq.next_element()? {
                out.push(s);
            }
            Ok(out)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Vec<String>, E> {
            Ok(Vec::new())
        }
        fn visit_none<E: de::Error>(self) -> Result<Vec<String>, E> {
            Ok(Vec::new())
        }
        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Vec<String>, D2::Error> {
            d.deserialize_any(self)
        }
        fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Vec<String>, A::Error> {
            Ok(vec![StringifiedVisitor.visit_map(map)?])
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<String>, E> {
            Ok(vec![v.to_string()])
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<Vec<String>, E> {
            Ok(vec![v])
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Vec<String>, E> {
            Ok(vec![StringifiedVisitor.visit_bool(v)?])
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Vec<String>, E> {
            Ok(vec![v.to_string()])
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Vec<String>, E> {
            Ok(vec![v.to_string()])
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Vec<String>, E> {
            Ok(vec![StringifiedVisitor.visit_f64(v)?])
        }
    }
    d.deserialize_any(Strings)
}

/// One value of [`string_or_seq`]: a string as it is, null as empty, anything else as its JSON
/// text (what `serde_json::Value::to_string` writes).
struct Stringified(String);

impl<'de> Deserialize<'de> for Stringified {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StringifiedVisitor).map(Stringified)
    }
}

struct StringifiedVisitor;

impl<'de> de::Visitor<'de> for StringifiedVisitor {
    type Value = String;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }
    fn visit_unit<E: de::Error>(self) -> Result<String, E> {
        Ok(String::new())
    }
    fn visit_none<E: de::Error>(self) -> Result<String, E> {
        Ok(String::new())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        // Written as `Value` writes it (a non-finite number is `null` there).
        Ok(serde_json::Number::from_f64(v).map_or_else(|| "null".to_string(), |n| n.to_string()))
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<String, A::Error> {
        Value::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(|v| v.to_string())
    }
    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<String, A::Error> {
        Value::deserialize(de::value::MapAccessDeserializer::new(map)).map(|v| v.to_string())
    }
}

/// A list that may arrive as one bare element or as an array (spec examples do both). Read
/// straight from the input: through a `serde_json::Value` a page of objects was built twice.
pub fn one_or_many<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    use de::IntoDeserializer;
    struct List<T>(std::marker::PhantomData<T>);
    impl<'de, T: serde::de::DeserializeOwned> de::Visitor<'de> for List<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an array or a single element")
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            // The hint comes from the input: bounded so a hostile one cannot reserve much.
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
            while let Some(item) = seq.next_element::<T>()? {
                out.push(item);
            }
            Ok(out)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
        fn visit_none<E: de::Error>(self) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Vec<T>, D2::Error> {
            d.deserialize_any(self)
        }
        fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Vec<T>, A::Error> {
            Ok(vec![T::deserialize(de::value::MapAccessDeserializer::new(map))?])
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<T>, E> {
            Ok(vec![T::deserialize(v.into_deserializer())?])
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<Vec<T>, E> {
            Ok(vec![T::deserialize(v.into_deserializer())?])
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Vec<T>, E> {
            Ok(vec![T::deserialize(v.into_deserializer())?])
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Vec<T>, E> {
            Ok(vec![T::deserialize(v.into_deserializer())?])
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Vec<T>, E> {
            Ok(vec![T::deserialize(v.into_deserializer())?])
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Vec<T>, E> {
            Ok(vec![T::deserialize(v.into_deserializer())?])
        }
    }
    d.deserialize_any(List(std::marker::PhantomData))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The Value-based readers these replaced, kept as the reference they must agree with.
    fn old_strings(v: Value) -> Vec<String> {
        fn one(v: Value) -> String {
            match v {
                Value::String(s) => s,
                Value::Null => String::new(),
                other => other.to_string(),
            }
        }
        match v {
            Value::Null => Vec::new(),
            Value::Array(items) => items.into_iter().map(one).collect(),
            other => vec![one(other)],
        }
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Strs(#[serde(deserialize_with = "string_or_seq")] Vec<String>);

    #[derive(Debug, PartialEq, Deserialize)]
    struct Item {
        name: String,
        #[serde(default, deserialize_with = "string_or_seq")]
        value: Vec<String>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Items(#[serde(deserialize_with = "one_or_many")] Vec<Item>);

    #[derive(Debug, PartialEq, Deserialize)]
    struct Names(#[serde(deserialize_with = "one_or_many")] Vec<String>);

    #[test]
    fn strings_read_directly_match_the_value_reader() {
        let inputs = [
            r#"["a", "b"]"#,
            r#""one""#,
            "null",
            "[]",
            r#"[1, -2, 3.5, 1e30, true, null, "x\u00e9"]"#,
            "12",
            "-7",
            "0.1",
            "false",
            r#"{"k": [1, {"z": null}]}"#,
            r#"[[1, 2], {"a": "b"}]"#,
            "18446744073709551615",
        ];
        for json in inputs {
            let old = old_strings(serde_json::from_str(json).unwrap());
            let new: Strs = serde_json::from_str(json).unwrap();
            assert_eq!(new.0, old, "{json}");
        }
    }

    #[test]
    fn lists_read_directly_match_the_value_reader() {
        let one: Items = serde_json::from_str(r#"{"name": "a", "value": "v"}"#).unwrap();
        assert_eq!(one.0, vec![Item { name: "a".into(), value: vec!["v".into()] }]);
        let many: Items = serde_json::from_str(r#"[{"name": "a", "value": ["v", 2]}, {"name": "b"}]"#).unwrap();
        assert_eq!(many.0.len(), 2);
        assert_eq!(many.0[0].value, vec!["v".to_string(), "2".to_string()]);
        assert!(serde_json::from_str::<Items>("null").unwrap().0.is_empty());
        assert!(serde_json::from_str::<Items>("[]").unwrap().0.is_empty());
        assert_eq!(serde_json::from_str::<Names>(r#""x""#).unwrap().0, vec!["x".to_string()]);
        assert_eq!(serde_json::from_str::<Names>(r#"["x", "y"]"#).unwrap().0, vec!["x".to_string(), "y".to_string()]);
        // Wrong shapes are still refused.
        assert!(serde_json::from_str::<Items>("[1]").is_err());
        assert!(serde_json::from_str::<Items>(r#""x""#).is_err());
        assert!(serde_json::from_str::<Items>("[null]").is_err());
        assert!(serde_json::from_str::<Names>("[{}]").is_err());
    }
}
