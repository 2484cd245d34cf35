//! Search filters turned into NMS SearchCriteria (TS 5.3.2.16–17), shared by `search` and
//! everything else that selects objects. Error messages name the `search` flag a field comes
//! from.

use jiff::Timestamp;

use crate::wire::{self, SearchCriteria, SearchCriterion, SelectionCriteria, SortCriterion, names};

use super::address;
use super::time::{parse_when, wire_date};

/// Filters that select objects. Several filters combine with AND.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Sender address; a number matches however it is stored (+1555…, tel:+1555…, sip:+1555…@host;user=phone).
    pub from: Option<String>,
    /// Recipient address, matched like --from (not Cc/Bcc).
    pub to: Option<String>,
    /// Sender or recipient address, matched like --from.
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

/// What the flags ask for: server-side criteria plus the address tests done on the client.
///
/// Addresses are compared normalised (`message::address`), so `+15550002222`,
/// `tel:+15550002222` and `sip:+15550002222@host;user=phone` are one party. A server compares
/// attribute values literally, so an address filter is sent as an Or of the spellings a store
/// keeps (`tel:` URI, bare number, the typed form) when it is the only server-side condition
/// (a flat criteria list cannot And an Or group); otherwise the server gets the other
/// conditions and every address test runs on the client. Either way every result is checked
/// on the client by normalised comparison.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub criteria: Option<SearchCriteria>,
    /// Normalised sender, recipient and either-side addresses to test on the client.
    pub from: Option<String>,
    pub to: Option<String>,
    pub participant: Option<String>,
}

impl Filters {
    /// Whether some results may be dropped on the client (so a page can hold fewer than asked).
    pub fn is_local(&self) -> bool {
        self.from.is_some() || self.to.is_some() || self.participant.is_some()
    }

    /// Whether an object passes the client-side part of the filter.
    pub fn accepts(&self, attrs: &crate::wire::AttributeList) -> bool {
        let from = attrs.values(names::FROM);
        let to = attrs.values(names::TO);
        let has = |want: &Option<String>, values: &[&[String]]| match want {
            None => true,
            Some(w) => values.iter().flat_map(|v| v.iter()).any(|v| address::same(w, &address::normalise(v))),
        };
        has(&self.from, &[from]) && has(&self.to, &[to]) && has(&self.participant, &[from, to])
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

    /// The And-ed criteria of every flag except the addresses (`--from`, `--to`,
    /// `--participant`), which [`Filter::build`] handles.
    pub fn criteria(&self, now: Timestamp) -> Result<Vec<SearchCriterion>, String> {
        let mut c = Vec::new();
        let pairs = [
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
        let norm = |a: &Option<String>| a.as_deref().map(address::normalise).filter(|n| !n.is_empty());
        let mut out = Filters {
            criteria: None,
            from: norm(&self.from),
            to: norm(&self.to),
            participant: norm(&self.participant),
        };
        for (flag, given, n) in [
            ("--from", &self.from, &out.from),
            ("--to", &self.to, &out.to),
            ("--participant", &self.participant, &out.participant),
        ] {
            if given.is_some() && n.is_none() {
                return Err(format!("{flag}: the address is empty"));
            }
        }
        let raw_is_and =
            raw.as_ref().is_none_or(|r| r.operator.as_deref().is_none_or(|o| o.eq_ignore_ascii_case("And")));
        if let Some(r) = raw {
            if raw_is_and {
                let mut merged = r.criterion;
                merged.append(&mut list);
                list = merged;
            } else if list.is_empty() {
                // Address tests run on the client, so they combine with any raw criteria.
                out.criteria = Some(r);
                return Ok(out);
            } else {
                return Err(format!(
                    "--criteria uses operator {:?}, which cannot be combined with filter flags; put every \
                     condition in the criteria file",
                    r.operator.unwrap_or_default()
                ));
            }
        }
        if list.is_empty() {
            // The first address filter narrows the search on the server: an Or of its spellings.
            let first = [
                (self.participant.as_deref(), &[names::FROM, names::TO][..]),
                (self.from.as_deref(), &[names::FROM][..]),
                (self.to.as_deref(), &[names::TO][..]),
            ]
            .into_iter()
            .find_map(|(a, fields)| a.map(|a| (a, fields)));
            if let Some((a, fields)) = first {
                let mut criterion: Vec<SearchCriterion> =
                    address::spellings(a).iter().flat_map(|s| fields.iter().map(move |f| attr(f, s))).collect();
                // A number stored as a SIP URI (`sip:+1555…@host;user=phone`) carries a host no
                // spelling can guess: a text match on `sip:+1555…@` finds it on any host, and the
                // client-side test drops whatever else that text happens to match.
                let n = address::normalise(a);
                let number = n.strip_prefix('+').unwrap_or(&n);
                if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) {
                    criterion.push(SearchCriterion::new("AllTextAttributes", None, format!("sip:+{number}@")));
                }
                out.criteria = Some(SearchCriteria { criterion, operator: Some("Or".into()) });
                return Ok(out);
            }
        }
        out.criteria = (!list.is_empty()).then_some(SearchCriteria { criterion: list, operator: None });
        Ok(out)
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
        let c = b.criteria.clone().unwrap();
        assert_eq!(c.operator.as_deref(), Some("Or"));
        // tel:+1, +1, tel:1, 1: each on From and To; and `sip:+1@` anywhere in the text.
        assert_eq!(c.criterion.len(), 9);
        assert_eq!(c.criterion[8].kind, "AllTextAttributes");
        assert_eq!(c.criterion[8].value, "sip:+1@");
        assert_eq!(b.participant.as_deref(), Some("+1"));
        let sip = Filter { participant: Some("sip:+1@x;user=phone".into()), ..Default::default() };
        let s = sip.build(now(), None).unwrap();
        assert_eq!(s.criteria.unwrap().criterion.len(), 11);
        assert_eq!(s.participant, b.participant);
    }

    #[test]
    fn participant_with_others_filters_locally() {
        let f = Filter { participant: Some("tel:+1".into()), context: Some("chat".into()), ..Default::default() };
        let b = f.build(now(), None).unwrap();
        assert_eq!(b.criteria.clone().unwrap().criterion.len(), 1);
        let mut a = crate::wire::AttributeList::default();
        a.push("To", "tel:+1");
        assert!(b.participant.is_some());
        assert!(b.accepts(&a));
        assert!(!b.accepts(&crate::wire::AttributeList::default()));
        let mut sip = crate::wire::AttributeList::default();
        sip.push("From", "sip:+1@host;user=phone");
        assert!(b.accepts(&sip));
        let only_to = Filter { to: Some("+1".into()), context: Some("chat".into()), ..Default::default() };
        assert!(!only_to.build(now(), None).unwrap().accepts(&sip));
    }

    #[test]
    fn raw_criteria() {
        let raw = SearchCriteria { criterion: vec![attr("From", "x")], operator: Some("Not".into()) };
        let none = Filter::default();
        assert_eq!(none.build(now(), Some(raw.clone())).unwrap().criteria, Some(raw.clone()));
        let some = Filter { to: Some("y".into()), ..Default::default() };
        // An address is tested on the client, so it combines with an Or/Not.
        assert_eq!(some.build(now(), Some(raw.clone())).unwrap().criteria, Some(raw.clone()));
        let ctx = Filter { context: Some("sms".into()), ..Default::default() };
        assert!(ctx.build(now(), Some(raw)).is_err());
        let and = SearchCriteria { criterion: vec![attr("From", "x")], operator: None };
        // And-ed raw criteria: the address goes to the client.
        let b = some.build(now(), Some(and)).unwrap();
        assert_eq!(b.criteria.unwrap().criterion.len(), 1);
        assert_eq!(b.to.as_deref(), Some("y"));
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
