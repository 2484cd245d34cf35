//! Search filters turned into NMS SearchCriteria (TS 5.3.2.16–17), shared by `search` and
//! everything else that selects objects. Error messages name the `search` flag a field comes
//! from.

use jiff::Timestamp;

use crate::wire::{SearchCriteria, SearchCriterion, SortCriterion, names};

use super::time::{parse_when, wire_date};

/// Filters that select objects. Several filters combine with AND.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Sender address (exact, e.g. tel:+15550002222).
    pub from: Option<String>,
    /// Recipient address (exact; does not match Cc/Bcc).
    pub to: Option<String>,
    /// Sender or recipient address.
    pub participant: Option<String>,
    /// Message context: sms, mms, chat, file, standalone, imdn, voice, … or a full value
    /// such as pager-message.
    pub context: Option<String>,
    /// Conversation-ID.
    pub conversation: Option<String>,
    /// Contribution-ID.
    pub contribution: Option<String>,
    /// InReplyTo-Contribution-ID.
    pub in_reply_to: Option<String>,
    /// correlationId (IMDN Message-ID of chat/FT, Message-ID of MMS).
    pub correlation_id: Option<String>,
    /// correlationTag (SMS hash).
    pub correlation_tag: Option<String>,
    /// Only objects with this flag (seen, flagged, answered, deleted, draft, …); repeatable.
    pub flags: Vec<String>,
    /// Only objects without this flag; repeatable (e.g. --no-flag seen for unread).
    pub no_flags: Vec<String>,
    /// Stored on or after: an age (30m, 12h, 7d, 2w), a day (2024-05-01, UTC) or RFC 3339.
    pub since: Option<String>,
    /// Stored before (exclusive): same forms as --since.
    pub until: Option<String>,
    /// Case-insensitive substring of any text attribute (subject, text, names).
    pub text: Option<String>,
    /// Attribute NAME=VALUE (exact); repeatable.
    pub attrs: Vec<String>,
}

/// What the flags ask for: server-side criteria plus a participant test done on the client
/// when the Or of From/To cannot be combined with other criteria in one flat list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub criteria: Option<SearchCriteria>,
    pub participant: Option<String>,
}

impl Filters {
    /// Whether an object passes the client-side part of the filter.
    pub fn accepts(&self, attrs: &crate::wire::AttributeList) -> bool {
        match &self.participant {
            None => true,
            Some(p) => attrs.values(names::FROM).iter().chain(attrs.values(names::TO)).any(|v| v == p),
        }
    }
}

fn attr(name: &str, value: &str) -> SearchCriterion {
    SearchCriterion::new("Attribute", Some(name), value)
}

impl Filter {
    /// Whether any filter flag was given.
    pub fn is_empty(&self) -> bool {
        let opts = [
            &self.from,
            &self.to,
            &self.participant,
            &self.context,
            &self.conversation,
            &self.contribution,
            &self.in_reply_to,
            &self.correlation_id,
            &self.correlation_tag,
            &self.since,
            &self.until,
            &self.text,
        ];
        opts.iter().all(|o| o.is_none()) && self.flags.is_empty() && self.no_flags.is_empty() && self.attrs.is_empty()
    }

    /// The And-ed criteria of every flag except `--participant`.
    pub fn criteria(&self, now: Timestamp) -> Result<Vec<SearchCriterion>, String> {
        let mut c = Vec::new();
        let pairs = [
            (names::FROM, &self.from),
            (names::TO, &self.to),
            (names::CONVERSATION_ID, &self.conversation),
            (names::CONTRIBUTION_ID, &self.contribution),
            (names::IN_REPLY_TO_CONTRIBUTION_ID, &self.in_reply_to),
        ];
        for (name, value) in pairs {
            if let Some(v) = value {
                c.push(attr(name, v));
            }
        }
        if let Some(ctx) = &self.context {
            c.push(attr(names::MESSAGE_CONTEXT, &names::message_context(ctx)));
        }
        for a in &self.attrs {
            let (n, v) = a.split_once('=').ok_or_else(|| format!("--attr {a:?}: expected NAME=VALUE"))?;
            if n.trim().is_empty() {
                return Err(format!("--attr {a:?}: the attribute name is empty"));
            }
            c.push(attr(&names::canonical_attribute(n.trim()), v));
        }
        if let Some(id) = &self.correlation_id {
            // Not an attribute in NMS; the reference server and carriers index it under this name.
            c.push(SearchCriterion::new("Attribute", Some("correlationId"), id.clone()));
        }
        if let Some(tag) = &self.correlation_tag {
            c.push(SearchCriterion::new("Attribute", Some("correlationTag"), tag.clone()));
        }
        for f in &self.flags {
            c.push(SearchCriterion::new("Flag", Some(&names::canonical_flag(f)), "true"));
        }
        for f in &self.no_flags {
            c.push(SearchCriterion::new("Flag", Some(&names::canonical_flag(f)), "false"));
        }
        let since =
            self.since.as_deref().map(|s| parse_when(s, now).map_err(|e| format!("--since: {e}"))).transpose()?;
        let until =
            self.until.as_deref().map(|s| parse_when(s, now).map_err(|e| format!("--until: {e}"))).transpose()?;
        if let (Some(s), Some(u)) = (since, until)
            && s >= u
        {
            return Err(format!("--since ({}) is not before --until ({})", wire_date(s), wire_date(u)));
        }
        let date = match (since, until) {
            (Some(s), Some(u)) => Some(format!("minDate={}&maxDate={}", wire_date(s), wire_date(u))),
            (Some(s), None) => Some(format!("minDate={}", wire_date(s))),
            (None, Some(u)) => Some(format!("maxDate={}", wire_date(u))),
            (None, None) => None,
        };
        if let Some(d) = date {
            c.push(SearchCriterion::new("Date", None, d));
        }
        if let Some(t) = &self.text {
            c.push(SearchCriterion::new("AllTextAttributes", None, t.clone()));
        }
        Ok(c)
    }

    /// Combines the flags with optional raw criteria from `--criteria`.
    pub fn build(&self, now: Timestamp, raw: Option<SearchCriteria>) -> Result<Filters, String> {
        let mut list = self.criteria(now)?;
        let raw_is_and =
            raw.as_ref().is_none_or(|r| r.operator.as_deref().is_none_or(|o| o.eq_ignore_ascii_case("And")));
        let mut participant = self.participant.clone();
        if let Some(r) = raw {
            if raw_is_and {
                let mut merged = r.criterion;
                merged.append(&mut list);
                list = merged;
            } else if list.is_empty() && participant.is_none() {
                return Ok(Filters { criteria: Some(r), participant: None });
            } else {
                return Err(format!(
                    "--criteria uses operator {:?}, which cannot be combined with filter flags; put every \
                     condition in the criteria file",
                    r.operator.unwrap_or_default()
                ));
            }
        }
        if list.is_empty()
            && let Some(p) = participant.take()
        {
            return Ok(Filters {
                criteria: Some(SearchCriteria {
                    criterion: vec![attr(names::FROM, &p), attr(names::TO, &p)],
                    operator: Some("Or".into()),
                }),
                participant: None,
            });
        }
        let criteria = (!list.is_empty()).then_some(SearchCriteria { criterion: list, operator: None });
        Ok(Filters { criteria, participant })
    }
}

/// `date` → oldest first, `-date` → newest first; `NAME`/`-NAME` sorts by an attribute.
pub fn sort_criterion(spec: &str) -> Result<SortCriterion, String> {
    let (desc, key) = match spec.strip_prefix('-') {
        Some(k) => (true, k),
        None => (false, spec.strip_prefix('+').unwrap_or(spec)),
    };
    let order = Some(if desc { "Descending" } else { "Ascending" }.to_string());
    if key.is_empty() {
        return Err(format!("--sort {spec:?}: expected date, -date, NAME or -NAME"));
    }
    if key.eq_ignore_ascii_case("date") {
        Ok(SortCriterion { kind: "Date".into(), name: None, order })
    } else {
        Ok(SortCriterion { kind: "Attribute".into(), name: Some(names::canonical_attribute(key)), order })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2024-06-10T12:00:00Z".parse().unwrap()
    }

    #[test]
    fn flags_to_criteria() {
        let f = Filter {
            context: Some("sms".into()),
            flags: vec!["seen".into()],
            no_flags: vec!["flagged".into()],
            since: Some("7d".into()),
            until: Some("2024-06-10".into()),
            text: Some("hello".into()),
            attrs: vec!["subject=Hi there".into()],
            ..Default::default()
        };
        let built = f.build(now(), None).unwrap();
        let json = serde_json::to_value(built.criteria.unwrap()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"criterion": [
                {"type": "Attribute", "name": "Message-Context", "value": "pager-message"},
                {"type": "Attribute", "name": "Subject", "value": "Hi there"},
                {"type": "Flag", "name": "\\Seen", "value": "true"},
                {"type": "Flag", "name": "\\Flagged", "value": "false"},
                {"type": "Date", "value": "minDate=2024-06-03T12:00:00Z&maxDate=2024-06-10T00:00:00Z"},
                {"type": "AllTextAttributes", "value": "hello"}]})
        );
    }

    #[test]
    fn participant_alone_is_or() {
        let f = Filter { participant: Some("tel:+1".into()), ..Default::default() };
        let b = f.build(now(), None).unwrap();
        let c = b.criteria.unwrap();
        assert_eq!(c.operator.as_deref(), Some("Or"));
        assert_eq!(c.criterion.len(), 2);
        assert_eq!(b.participant, None);
    }

    #[test]
    fn participant_with_others_filters_locally() {
        let f = Filter { participant: Some("tel:+1".into()), context: Some("chat".into()), ..Default::default() };
        let b = f.build(now(), None).unwrap();
        assert_eq!(b.criteria.unwrap().criterion.len(), 1);
        let mut a = crate::wire::AttributeList::default();
        a.push("To", "tel:+1");
        assert!(b.participant.is_some());
        let filters = Filters { criteria: None, participant: Some("tel:+1".into()) };
        assert!(filters.accepts(&a));
        assert!(!filters.accepts(&crate::wire::AttributeList::default()));
    }

    #[test]
    fn raw_criteria() {
        let raw = SearchCriteria { criterion: vec![attr("From", "x")], operator: Some("Not".into()) };
        let none = Filter::default();
        assert_eq!(none.build(now(), Some(raw.clone())).unwrap().criteria, Some(raw.clone()));
        let some = Filter { to: Some("y".into()), ..Default::default() };
        assert!(some.build(now(), Some(raw)).is_err());
        let and = SearchCriteria { criterion: vec![attr("From", "x")], operator: None };
        assert_eq!(some.build(now(), Some(and)).unwrap().criteria.unwrap().criterion.len(), 2);
    }

    #[test]
    fn bad_input() {
        let f = Filter { since: Some("1d".into()), until: Some("2d".into()), ..Default::default() };
        assert!(f.build(now(), None).is_err());
        let f = Filter { attrs: vec!["novalue".into()], ..Default::default() };
        assert!(f.build(now(), None).is_err());
    }

    #[test]
    fn sorts() {
        assert_eq!(sort_criterion("-date").unwrap().order.as_deref(), Some("Descending"));
        assert_eq!(sort_criterion("date").unwrap().kind, "Date");
        assert_eq!(sort_criterion("from").unwrap().name.as_deref(), Some("From"));
        assert!(sort_criterion("-").is_err());
    }
}
