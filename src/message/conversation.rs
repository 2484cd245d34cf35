//! Conversation keys (../shared/docs/DESIGN.md "conversation key"): which conversation a message belongs
//! to, the same for every copy of it. A CPM chat is keyed by its Conversation-ID; an SMS or
//! MMS by the sorted set of its normalised peer addresses, the box's own address left out,
//! so a reply and the message it answers meet whatever spelling each carried.

use std::collections::BTreeSet;
use std::fmt;

use crate::wire::{AttributeList, names};

use super::{address, context};

/// The conversation a message belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    /// A CPM session or chat: the Conversation-ID as stored.
    Conversation(String),
    /// SMS, MMS (or a message without a Conversation-ID): the other parties, normalised,
    /// sorted, each once.
    Peers(Vec<String>),
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Conversation(id) => write!(f, "conversation:{id}"),
            Key::Peers(peers) => write!(f, "peers:{}", peers.join(",")),
        }
    }
}

/// The conversation key of a message with attributes `attrs` in the box of `own_address`.
/// `None` when it names no conversation and no party other than the box itself.
pub fn key(attrs: &AttributeList, own_address: &str) -> Option<Key> {
    let ctx = attrs.first(names::MESSAGE_CONTEXT).map(context::short);
    let by_peers = matches!(ctx.as_deref(), Some("sms" | "mms"));
    if !by_peers && let Some(id) = attrs.first(names::CONVERSATION_ID).map(str::trim).filter(|id| !id.is_empty()) {
        return Some(Key::Conversation(id.to_string()));
    }
    let own = address::normalise(own_address);
    let peers: BTreeSet<String> = attrs
        .values(names::FROM)
        .iter()
        .chain(attrs.values(names::TO))
        .chain(attrs.values("Cc"))
        .map(|a| address::normalise(a))
        .filter(|a| !a.is_empty() && *a != own)
        .collect();
    (!peers.is_empty()).then(|| Key::Peers(peers.into_iter().collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(pairs: &[(&str, &str)]) -> AttributeList {
        let mut a = AttributeList::default();
        for (n, v) in pairs {
            a.push(n, *v);
        }
        a
    }

    const OWN: &str = "tel:+15550001111";

    #[test]
    fn sms_both_ways_meet() {
        let own = "tel:+15550001111";
        let incoming = attrs(&[
            ("Message-Context", "pager-message"),
            ("From", "tel:+1-555-000-2222"),
            ("To", "sip:+15550001111@ims.example.com;user=phone"),
        ]);
        let outgoing = attrs(&[("Message-Context", "pager-message"), ("From", own), ("To", "+1 (555) 000-2222")]);
        let k = key(&incoming, own).unwrap();
        assert_eq!(k, Key::Peers(vec!["+15550002222".into()]));
        assert_eq!(key(&outgoing, own), Some(k.clone()));
        assert_eq!(k.to_string(), "peers:+15550002222");
        // A Conversation-ID on an SMS does not split it from its replies.
        let mut with_id = incoming.clone();
        with_id.push("Conversation-ID", "c-1");
        assert_eq!(key(&with_id, own), Some(k));
    }

    #[test]
    fn group_mms_is_the_sorted_set() {
        let own = "tel:+15550001111";
        let a = attrs(&[
            ("Message-Context", "multimedia-message"),
            ("From", "tel:+15550003333"),
            ("To", "tel:+15550001111"),
            ("To", "tel:+15550002222"),
            ("To", "tel:+15550003333"),
        ]);
        assert_eq!(key(&a, own), Some(Key::Peers(vec!["+15550002222".into(), "+15550003333".into()])));
    }

    #[test]
    fn chat_is_its_conversation_id() {
        let a = attrs(&[("Message-Context", "chat-message"), ("Conversation-ID", " c-42 "), ("From", "tel:+1")]);
        assert_eq!(key(&a, OWN), Some(Key::Conversation("c-42".into())));
        assert_eq!(key(&a, OWN).unwrap().to_string(), "conversation:c-42");
        // Without one it falls back to the parties.
        let b = attrs(&[("Message-Context", "chat-message"), ("From", "sip:Bob@Example.com")]);
        assert_eq!(key(&b, OWN), Some(Key::Peers(vec!["sip:bob@example.com".into()])));
    }

    #[test]
    fn nothing_to_key_by() {
        let own = "tel:+15550001111";
        let a = attrs(&[("Message-Context", "pager-message"), ("From", "tel:+15550001111")]);
        assert_eq!(key(&a, own), None);
        assert_eq!(key(&AttributeList::default(), own), None);
    }
}
