//! The content key of a message: what makes two copies of one message the same whatever file
//! they came from and whatever the store did with them. It is the ledger's key and what a
//! store object is compared by.
//!
//! Hashed together: the Date (as an instant, to the millisecond, so `…:20Z` and `…:20.000Z`
//! agree), the short Message-Context, the Direction, the sorted set of normalised addresses
//! (From, To, Cc; `+1 555…`, `tel:+1555…` and `sip:+1555…;user=phone` agree), correlationId,
//! correlationTag, Subject and TextContent. Two "Ok"s from one peer share a correlationTag but
//! not a Date, so both are kept; a repeated export of one MMS shares everything.
//! Only metadata the store returns in a search goes in, so no payload has to be downloaded to
//! compare; mails without a Message-ID that agree on all of it (same second, same parties, same
//! subject) count as one.

use std::collections::BTreeSet;

use sha2::{Digest, Sha256};

use crate::message::{address, context};
use crate::wire::{Object, names};

/// The date of `object` in milliseconds since the epoch, if it has a readable one.
pub fn date_ms(object: &Object) -> Option<i64> {
    let d = object.attributes.first(names::DATE)?.trim();
    d.parse::<jiff::Timestamp>().ok().map(|t| t.as_millisecond())
}

/// The content key of `object` (lower-case hex SHA-256).
pub fn content_key(object: &Object) -> String {
    let a = &object.attributes;
    let mut h = Sha256::new();
    let mut field = |name: &str, value: &str| {
        // Length-prefixed, so no value can forge a field boundary.
        h.update(name.as_bytes());
        h.update((value.len() as u64).to_le_bytes());
        h.update(value.as_bytes());
    };
    field("v", "1");
    match date_ms(object) {
        Some(ms) => field("date", &ms.to_string()),
        None => field("date-raw", a.first(names::DATE).unwrap_or("")),
    }
    field("context", &a.first(names::MESSAGE_CONTEXT).map(context::short).unwrap_or_default());
    field("direction", &a.first(names::DIRECTION).unwrap_or("").to_ascii_lowercase());
    let peers: BTreeSet<String> = a
        .values(names::FROM)
        .iter()
        .chain(a.values(names::TO))
        .chain(a.values("Cc"))
        .map(|v| address::normalise(v))
        .filter(|v| !v.is_empty())
        .collect();
    for p in &peers {
        field("peer", p);
    }
    field("correlationId", object.correlation_id.as_deref().unwrap_or(""));
    field("correlationTag", object.correlation_tag.as_deref().unwrap_or(""));
    field("subject", a.first(names::SUBJECT).unwrap_or(""));
    field("text", a.first(names::TEXT_CONTENT).unwrap_or(""));
    hex::encode(h.finalize())
}

/// A content key narrowed by the payload parts' sizes and file names (order-free), for objects
/// that carry no text to tell them apart (files stored by `put` in the same second).
pub fn sized_key<'a>(content_key: &str, parts: impl Iterator<Item = (u64, Option<&'a str>)>) -> String {
    let mut parts: Vec<(u64, Option<&str>)> = parts.collect();
    parts.sort_unstable();
    let mut h = Sha256::new();
    h.update(content_key.as_bytes());
    for (size, name) in parts {
        h.update(size.to_le_bytes());
        let name = name.unwrap_or("");
        h.update((name.len() as u64).to_le_bytes());
        h.update(name.as_bytes());
    }
    hex::encode(h.finalize())
}

/// [`sized_key`] of a store object (its `payloadPart` sizes and Content-Disposition file names).
pub fn sized_key_of(object: &Object) -> String {
    let names: Vec<Option<String>> = object
        .payload_part
        .iter()
        .map(|p| p.content_disposition.as_deref().and_then(|d| crate::wire::multipart::param(d, "filename")))
        .collect();
    sized_key(
        &content_key(object),
        object.payload_part.iter().zip(&names).map(|(p, n)| (p.size.unwrap_or(0), n.as_deref())),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sms(date: &str, from: &str, text: &str) -> Object {
        let mut o = Object::default();
        o.attributes.set("Date", vec![date.into()]);
        o.attributes.set("Message-Context", vec!["pager-message".into()]);
        o.attributes.set("Direction", vec!["In".into()]);
        o.attributes.set("From", vec![from.into()]);
        o.attributes.set("To", vec!["tel:+15550001111".into()]);
        o.attributes.set("TextContent", vec![text.into()]);
        o.correlation_tag = Some("tag".into());
        o
    }

    #[test]
    fn spellings_agree_and_dates_tell_apart() {
        let a = sms("2024-05-01T10:00:00Z", "tel:+15550002222", "Ok");
        let b = sms("2024-05-01T10:00:00.000Z", "+1 (555) 000-2222", "Ok");
        assert_eq!(content_key(&a), content_key(&b));
        let later = sms("2024-05-01T10:00:00.001Z", "tel:+15550002222", "Ok");
        assert_ne!(content_key(&a), content_key(&later));
        let other = sms("2024-05-01T10:00:00Z", "tel:+15550002222", "Ok!");
        assert_ne!(content_key(&a), content_key(&other));
        assert_eq!(date_ms(&later), Some(1_714_557_600_001));
    }
}
