//! Message-Context kinds (`pager-message` is an SMS, …) and message direction, as the CPM
//! profile names them: the full values live in `wire::names`; this module adds what a
//! message means (its short kind, whether it is an SMS, which way it went).

use crate::wire::{AttributeList, names};

/// The full Message-Context value of a short kind (`sms` → `pager-message`); a full value
/// or an unknown one comes back as given.
pub fn full(short_or_full: &str) -> String {
    names::message_context(short_or_full)
}

/// The short kind of a Message-Context value (`pager-message` → `sms`), the value itself
/// when it is not one the profile names.
pub fn short(ctx: &str) -> String {
    names::MESSAGE_CONTEXTS
        .iter()
        .find(|(_, full)| full.eq_ignore_ascii_case(ctx))
        .map(|(s, _)| (*s).to_string())
        .unwrap_or_else(|| ctx.to_string())
}

/// Whether `short_or_full` is a Message-Context the CPM profile names, by short kind or full
/// value (any case). Other values are legal on the wire but usually a typo on a command line.
pub fn is_known(short_or_full: &str) -> bool {
    names::MESSAGE_CONTEXTS
        .iter()
        .any(|(s, f)| s.eq_ignore_ascii_case(short_or_full) || f.eq_ignore_ascii_case(short_or_full))
}

/// The short kinds the profile names, comma-separated, for messages about an unknown value.
pub fn known_list() -> String {
    names::MESSAGE_CONTEXTS.iter().map(|(s, _)| *s).collect::<Vec<_>>().join(", ")
}

/// Whether a Message-Context value is that of an SMS (`pager-message`).
pub fn is_sms(ctx: &str) -> bool {
    ctx.eq_ignore_ascii_case("pager-message")
}

/// Which way a message went, from the box owner's point of view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    In,
    Out,
}

impl Direction {
    /// Reads a Direction value or a flag (`in`/`out`, any case); anything else is `None`.
    pub fn parse(value: &str) -> Option<Direction> {
        let v = value.trim();
        if v.eq_ignore_ascii_case("in") {
            Some(Direction::In)
        } else if v.eq_ignore_ascii_case("out") {
            Some(Direction::Out)
        } else {
            None
        }
    }

    /// The attribute value as the profile spells it (`In`, `Out`).
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::In => "In",
            Direction::Out => "Out",
        }
    }

    /// The direction an SMS without one is given: outgoing when it names only recipients,
    /// incoming otherwise (a received SMS always has a sender).
    pub fn infer(attrs: &AttributeList) -> Direction {
        let has_from = attrs.first(names::FROM).is_some();
        let has_to = attrs.first(names::TO).is_some();
        if has_to && !has_from { Direction::Out } else { Direction::In }
    }

    /// The direction stored on an object; `None` when absent or not `In`/`Out`.
    pub fn of(attrs: &AttributeList) -> Option<Direction> {
        attrs.first(names::DIRECTION).and_then(Direction::parse)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert_eq!(full("sms"), "pager-message");
        assert_eq!(full("Chat"), "chat-message");
        assert_eq!(full("x-own"), "x-own");
        assert_eq!(short("Pager-Message"), "sms");
        assert_eq!(short("x-own"), "x-own");
        assert!(is_sms("PAGER-MESSAGE") && !is_sms("chat-message"));
    }

    #[test]
    fn directions() {
        assert_eq!(Direction::parse(" OUT "), Some(Direction::Out));
        assert_eq!(Direction::parse("in").map(Direction::as_str), Some("In"));
        assert_eq!(Direction::parse("sideways"), None);
        let mut a = AttributeList::default();
        a.push("To", "tel:+1");
        assert_eq!(Direction::infer(&a), Direction::Out);
        a.push("From", "tel:+2");
        assert_eq!(Direction::infer(&a), Direction::In);
        assert_eq!(Direction::infer(&AttributeList::default()), Direction::In);
        a.push("Direction", "Out");
        assert_eq!(Direction::of(&a), Some(Direction::Out));
    }
}
