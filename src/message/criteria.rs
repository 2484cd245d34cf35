//! Search filters turned into NMS SearchCriteria (TS 5.3.2.16–17), shared by `search` and
//! everything else that selects objects. Error messages name the `search` flag a field comes
//! from.

use jiff::Timestamp;

use crate::wire::{self, SearchCriteria, SearchCriterion, SelectionCriteria, SortCriterion, names};

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

/// The sort keys `--sort` accepts, as its error message lists them.
pub const SORT_KEYS: &str = "date, size, or an attribute name such as from or subject (prefix `-` for descending)";

/// `date` → oldest first, `-date` → newest first; `size`/`-size` by the object's size;
/// `NAME`/`-NAME` by an attribute's first value (sortCriterion type Attribute).
pub fn sort_criterion(spec: &str) -> Result<SortCriterion, String> {
    let (desc, key) = match spec.strip_prefix('-') {
        Some(k) => (true, k),
        None => (false, spec.strip_prefix('+').unwrap_or(spec)),
    };
    let key = key.trim();
    // A name with blanks or separators cannot be an attribute: say which keys exist.
    if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err(format!("--sort {spec:?}: not a sort key; valid keys: {SORT_KEYS}"));
    }
    let order = Some(if desc { "Descending" } else { "Ascending" }.to_string());
    if key.eq_ignore_ascii_case("date") {
        Ok(SortCriterion { kind: "Date".into(), name: None, order })
    } else if key.eq_ignore_ascii_case("size") {
        Ok(SortCriterion { kind: "Attribute".into(), name: Some("Size".into()), order })
    } else {
        Ok(SortCriterion { kind: "Attribute".into(), name: Some(names::canonical_attribute(key)), order })
    }
}

/// Reads a criteria file (`search --criteria`): a selectionCriteria (its search criteria, scope and sort are used) or
/// a bare searchCriteria.
pub fn read_criteria(text: &str) -> Result<SelectionCriteria, String> {
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let obj = v.as_object().ok_or("expected a JSON object")?;
    let key = |k: &str| obj.len() == 1 && obj.keys().all(|x| x.eq_ignore_ascii_case(k));
    let looks_search = key("searchCriteria") || (!key("selectionCriteria") && obj.contains_key("criterion"));
    if looks_search {
        let inner = wire::envelope::unwrap_root(v.clone(), "searchCriteria");
        let sc: SearchCriteria = serde_json::from_value(inner).map_err(|e| format!("bad searchCriteria: {e}"))?;
        return Ok(SelectionCriteria { search_criteria: Some(sc), ..Default::default() });
    }
    wire::decode_value::<SelectionCriteria>(v).map_err(|e| format!("bad selectionCriteria: {e}"))
}

/// Reads a searchCriteria file (a subscription filter): wrapped or bare; a selectionCriteria
/// is accepted for its searchCriteria. An empty criterion list is refused.
pub fn read_search(text: &str) -> Result<SearchCriteria, String> {
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let obj = v.as_object().ok_or("expected a JSON object")?;
    if let Some((_, inner)) = obj.iter().find(|(k, _)| obj.len() == 1 && k.eq_ignore_ascii_case("selectionCriteria")) {
        let inner = inner.get("searchCriteria").cloned().ok_or("the selectionCriteria has no searchCriteria")?;
        return serde_json::from_value(inner).map_err(|e| format!("bad searchCriteria: {e}"));
    }
    let inner = wire::envelope::unwrap_root(v, "searchCriteria");
    let c: SearchCriteria = serde_json::from_value(inner).map_err(|e| format!("bad searchCriteria: {e}"))?;
    if c.criterion.is_empty() {
        return Err("no criterion".into());
    }
    Ok(c)
}

/// `criteria` And-ed with `more`; `None` when that cannot be said in one flat list (the
/// criteria use operator Or or Not).
pub fn and(criteria: Option<SearchCriteria>, more: Vec<SearchCriterion>) -> Option<Option<SearchCriteria>> {
    if more.is_empty() {
        return Some(criteria);
    }
    Some(Some(match criteria {
        None => SearchCriteria { criterion: more, operator: None },
        // A flat list cannot And an Or/Not group with more criteria.
        Some(c) if c.operator.as_deref().is_some_and(|o| !o.eq_ignore_ascii_case("and")) => return None,
        Some(mut c) => {
            c.criterion.extend(more);
            c
        }
    }))
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
        assert_eq!(sort_criterion("+date").unwrap().order.as_deref(), Some("Ascending"));
        assert_eq!(sort_criterion("-size").unwrap().name.as_deref(), Some("Size"));
        assert_eq!(sort_criterion("from").unwrap().name.as_deref(), Some("From"));
        let e = sort_criterion("a b").unwrap_err();
        assert!(e.contains("valid keys: date, size"), "{e}");
        assert!(sort_criterion("-").is_err());
    }

    #[test]
    fn criteria_forms() {
        let s = read_criteria(r#"{"searchCriteria":{"criterion":[{"type":"Attribute","name":"From","value":"x"}]}}"#)
            .unwrap();
        assert_eq!(s.search_criteria.unwrap().criterion[0].value, "x");
        let s =
            read_criteria(r#"{"criterion":{"type":"Flag","name":"\\Seen","value":"false"},"operator":"Not"}"#).unwrap();
        assert_eq!(s.search_criteria.unwrap().operator.as_deref(), Some("Not"));
        let s = read_criteria(
            r#"{"selectionCriteria":{"maxEntries":5,"searchCriteria":{"criterion":[]},
                "sortCriterion":{"type":"Date","order":"Ascending"}}}"#,
        )
        .unwrap();
        assert_eq!(s.sort[0].order.as_deref(), Some("Ascending"));
        assert!(read_criteria("[1]").is_err());
        assert!(read_criteria("nope").is_err());
    }

    #[test]
    fn filter_files_in_every_shape() {
        let bare = r#"{"criterion": [{"type": "Flag", "name": "\\Seen", "value": "false"}]}"#;
        let wrapped = format!(r#"{{"searchCriteria": {bare}}}"#);
        let selection = format!(r#"{{"selectionCriteria": {{"maxEntries": 1, "searchCriteria": {bare}}}}}"#);
        for text in [bare.to_string(), wrapped, selection] {
            let c = read_search(&text).unwrap();
            assert_eq!(c.criterion[0].kind, "Flag");
        }
        assert!(read_search("[]").is_err());
        assert!(read_search(r#"{"criterion": []}"#).is_err());
    }

    #[test]
    fn and_keeps_one_flat_list() {
        let one = vec![attr("From", "x")];
        assert_eq!(and(None, Vec::new()), Some(None));
        assert_eq!(and(None, one.clone()).unwrap().unwrap().criterion.len(), 1);
        let or = SearchCriteria { criterion: one.clone(), operator: Some("Or".into()) };
        assert_eq!(and(Some(or.clone()), Vec::new()), Some(Some(or.clone())));
        assert_eq!(and(Some(or), one.clone()), None);
        let plain = SearchCriteria { criterion: one.clone(), operator: Some("AND".into()) };
        assert_eq!(and(Some(plain), one).unwrap().unwrap().criterion.len(), 2);
    }
}
