//! Search criteria compiled to a predicate, evaluated over rows streamed from SQLite in
//! (date, id) order, with an opaque cursor of the last row's sort key.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rusqlite::{Connection, params_from_iter, types::Value as SqlValue};
use std::collections::HashSet;

use super::objects::{self, COLUMNS, ObjectRow};
use super::sort::{self, SortKey};
use crate::server::error::{ApiError, ApiResult};
use crate::wire::{AttributeList, SearchCriteria, SearchCriterion, names};

/// A compiled search filter (TS 5.3.2.16–17; `Not` means NOT(c1 AND … AND cn)).
#[derive(Debug, Clone)]
pub enum Predicate {
    Const(bool),
    Date { min: Option<i64>, max: Option<i64> },
    Attribute { name: String, value: String, ignore_case: bool },
    CorrelationId(String),
    CorrelationTag(String),
    Flag { name: String, present: bool },
    Text(String),
    WholeWord(String),
    And(Vec<Predicate>),
    Or(Vec<Predicate>),
    Not(Vec<Predicate>),
}

/// What a predicate looks at: an object, a tombstone or a folder.
pub struct View<'a> {
    pub attributes: &'a AttributeList,
    pub flags: &'a [String],
    pub date_ns: Option<i64>,
    /// Lower-cased searchable text (attribute values and text payload).
    pub text: &'a str,
    pub correlation_id: Option<&'a str>,
    pub correlation_tag: Option<&'a str>,
}

impl<'a> View<'a> {
    pub fn of_object(row: &'a ObjectRow) -> View<'a> {
        View {
            attributes: &row.attributes,
            flags: &row.flags,
            date_ns: Some(row.date_ns),
            text: &row.search_text,
            correlation_id: row.correlation_id.as_deref(),
            correlation_tag: row.correlation_tag.as_deref(),
        }
    }
}

fn parse_date_value(v: &str) -> ApiResult<(Option<i64>, Option<i64>)> {
    let (mut min, mut max) = (None, None);
    for piece in v.split('&').map(str::trim).filter(|p| !p.is_empty()) {
        let (k, d) = piece.split_once('=').ok_or_else(|| ApiError::invalid_because("criterion.value", piece))?;
        let d = objects::parse_date(d).ok_or_else(|| ApiError::invalid_because("criterion.value", piece))?;
        match k.trim() {
            k if k.eq_ignore_ascii_case("minDate") => min = Some(d),
            k if k.eq_ignore_ascii_case("maxDate") => max = Some(d),
            _ => return Err(ApiError::invalid_because("criterion.value", piece)),
        }
    }
    if min.is_none() && max.is_none() {
        return Err(ApiError::invalid_because("criterion.value", "a Date criterion needs minDate= and/or maxDate="));
    }
    Ok((min, max))
}

fn compile_one(c: &SearchCriterion) -> ApiResult<Predicate> {
    let name = c.name.clone().unwrap_or_default();
    let kind = c.kind.trim();
    Ok(match kind.to_ascii_lowercase().as_str() {
        "date" => {
            let (min, max) = parse_date_value(&c.value)?;
            Predicate::Date { min, max }
        }
        "attribute" => {
            if name.is_empty() {
                return Err(ApiError::invalid_because("criterion.name", "an Attribute criterion needs a name"));
            }
            if name.eq_ignore_ascii_case("correlationId") {
                Predicate::CorrelationId(c.value.clone())
            } else if name.eq_ignore_ascii_case("correlationTag") {
                Predicate::CorrelationTag(c.value.clone())
            } else {
                let canon = names::canonical_attribute(&name);
                // The spec makes these two values case-insensitive (App I).
                let ignore_case = canon == names::MESSAGE_CONTEXT || canon == names::DIRECTION;
                Predicate::Attribute { name: canon, value: c.value.clone(), ignore_case }
            }
        }
        "flag" => {
            if name.is_empty() {
                return Err(ApiError::invalid_because("criterion.name", "a Flag criterion needs a flag name"));
            }
            let present = match c.value.trim().to_ascii_lowercase().as_str() {
                "" | "true" | "1" | "yes" => true,
                "false" | "0" | "no" => false,
                _ => return Err(ApiError::invalid_because("criterion.value", "a Flag value is true or false")),
            };
            Predicate::Flag { name: names::canonical_flag(&name), present }
        }
        "alltextattributes" => Predicate::Text(c.value.to_lowercase()),
        "wholeword" => Predicate::WholeWord(c.value.to_lowercase()),
        "conversation" => {
            Predicate::Attribute { name: names::CONVERSATION_ID.into(), value: c.value.clone(), ignore_case: false }
        }
        // Accepted and ignored: no presets are defined by the spec.
        "presetsearch" => Predicate::Const(true),
        // T-Mobile's purge marker: nothing here is ever purged.
        "purgedobject" => Predicate::Const(false),
        _ => return Err(ApiError::invalid_because("criterion.type", format!("unsupported search type {kind:?}"))),
    })
}

/// Compiles search criteria; absent or empty criteria match everything.
pub fn compile(criteria: Option<&SearchCriteria>) -> ApiResult<Predicate> {
    let Some(sc) = criteria else { return Ok(Predicate::Const(true)) };
    let items = sc.criterion.iter().map(compile_one).collect::<ApiResult<Vec<_>>>()?;
    let op = sc.operator.as_deref().unwrap_or("And").trim().to_ascii_lowercase();
    Ok(match op.as_str() {
        "" | "and" => Predicate::And(items),
        "or" if items.is_empty() => Predicate::Const(true),
        "or" => Predicate::Or(items),
        "not" => Predicate::Not(items),
        _ => return Err(ApiError::invalid_because("operator", format!("unknown operator {op:?}"))),
    })
}

fn whole_word(text: &str, word: &str) -> bool {
    if word.is_empty() {
        return true;
    }
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let mut from = 0;
    while let Some(pos) = text[from..].find(word) {
        let start = from + pos;
        let end = start + word.len();
        let before = text[..start].chars().next_back().is_none_or(|c| !is_word(c));
        let after = text[end..].chars().next().is_none_or(|c| !is_word(c));
        if before && after {
            return true;
        }
        from = start + text[start..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

impl Predicate {
    pub fn matches(&self, v: &View<'_>) -> bool {
        match self {
            Predicate::Const(b) => *b,
            Predicate::Date { min, max } => match v.date_ns {
                Some(d) => min.is_none_or(|m| d >= m) && max.is_none_or(|m| d < m),
                None => false,
            },
            Predicate::Attribute { name, value, ignore_case } => v
                .attributes
                .values(name)
                .iter()
                .any(|x| if *ignore_case { x.eq_ignore_ascii_case(value) } else { x == value }),
            Predicate::CorrelationId(x) => v.correlation_id == Some(x.as_str()),
            Predicate::CorrelationTag(x) => v.correlation_tag == Some(x.as_str()),
            Predicate::Flag { name, present } => v.flags.iter().any(|f| f.eq_ignore_ascii_case(name)) == *present,
            Predicate::Text(s) => v.text.contains(s.as_str()),
            Predicate::WholeWord(s) => whole_word(v.text, s),
            Predicate::And(items) => items.iter().all(|p| p.matches(v)),
            Predicate::Or(items) => items.iter().any(|p| p.matches(v)),
            Predicate::Not(items) => !items.iter().all(|p| p.matches(v)),
        }
    }
}

/// Which folders a search covers.
#[derive(Debug, Clone)]
pub enum Scope {
    All,
    /// Only objects directly in this folder.
    Folder(String),
    /// Objects in any of these folders (a subtree).
    Folders(HashSet<String>),
}

/// The position after the last returned row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub descending: bool,
    pub date_ns: i64,
    pub id: String,
    /// For a sort other than by date: the sort key's name and the last row's value.
    pub keyed: Option<(String, String)>,
}

impl Cursor {
    pub fn encode(&self) -> String {
        let dir = if self.descending { 'D' } else { 'A' };
        let raw = match &self.keyed {
            None => format!("v1|{dir}|{}|{}", self.date_ns, self.id),
            Some((key, value)) => {
                let (k, v) = (URL_SAFE_NO_PAD.encode(key), URL_SAFE_NO_PAD.encode(value));
                format!("v2|{dir}|{k}|{v}|{}|{}", self.date_ns, self.id)
            }
        };
        URL_SAFE_NO_PAD.encode(raw)
    }

    pub fn decode(s: &str) -> ApiResult<Cursor> {
        let bad = || ApiError::invalid_because("fromCursor", "not a cursor this server issued");
        let raw = URL_SAFE_NO_PAD.decode(s.trim().trim_end_matches('=')).map_err(|_| bad())?;
        let raw = String::from_utf8(raw).map_err(|_| bad())?;
        let v2 = raw.starts_with("v2|");
        let mut it = raw.splitn(if v2 { 6 } else { 4 }, '|');
        if !matches!(it.next(), Some("v1" | "v2")) {
            return Err(bad());
        }
        let descending = match it.next() {
            Some("D") => true,
            Some("A") => false,
            _ => return Err(bad()),
        };
        let keyed = if v2 {
            let mut text = || {
                let b = URL_SAFE_NO_PAD.decode(it.next().ok_or_else(bad)?).map_err(|_| bad())?;
                String::from_utf8(b).map_err(|_| bad())
            };
            Some((text()?, text()?))
        } else {
            None
        };
        let date_ns = it.next().and_then(|d| d.parse().ok()).ok_or_else(bad)?;
        let id = it.next().ok_or_else(bad)?.to_string();
        Ok(Cursor { descending, date_ns, id, keyed })
    }
}

/// A search over one box.
pub struct Query {
    pub predicate: Predicate,
    pub scope: Scope,
    pub descending: bool,
    /// What the rows are ordered by (then by date and id).
    pub key: SortKey,
    pub after: Option<Cursor>,
    /// Maximum rows to return; `None` returns every match.
    pub limit: Option<usize>,
}

/// The Date range `[min, max)` (ns) every object matching `p` lies in, as far as it can be told
/// without looking at the object, so the SQL can ask the `(box, date_ns, id)` index for that
/// range instead of reading the whole box. `None` is an open end.
fn date_bounds(p: &Predicate) -> (Option<i64>, Option<i64>) {
    match p {
        Predicate::Date { min, max } => (*min, *max),
        // Every item must match: the ranges intersect.
        Predicate::And(items) => items.iter().map(date_bounds).fold((None, None), |(lo, hi), (l, h)| {
            (
                lo.max(l),
                match (hi, h) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                },
            )
        }),
        // Any item may match: the union, bounded only where every item is.
        Predicate::Or(items) if !items.is_empty() => {
            let all: Vec<_> = items.iter().map(date_bounds).collect();
            let lo = all.iter().map(|b| b.0).collect::<Option<Vec<i64>>>().and_then(|v| v.into_iter().min());
            let hi = all.iter().map(|b| b.1).collect::<Option<Vec<i64>>>().and_then(|v| v.into_iter().max());
            (lo, hi)
        }
        _ => (None, None),
    }
}

/// The rows a query reads, before its predicate: the box, the folder of a one-folder scope and
/// the Date range the predicate implies (the predicate still checks every row it reads).
fn select_rows(box_id: &str, q: &Query) -> (String, Vec<SqlValue>) {
    let mut sql = format!("SELECT {COLUMNS} FROM objects WHERE box = ?1");
    let mut args: Vec<SqlValue> = vec![SqlValue::Text(box_id.to_string())];
    if let Scope::Folder(f) = &q.scope {
        args.push(SqlValue::Text(f.clone()));
        sql.push_str(&format!(" AND folder_id = ?{}", args.len()));
    }
    let (min, max) = date_bounds(&q.predicate);
    if let Some(m) = min {
        args.push(SqlValue::Integer(m));
        sql.push_str(&format!(" AND date_ns >= ?{}", args.len()));
    }
    if let Some(m) = max {
        args.push(SqlValue::Integer(m));
        sql.push_str(&format!(" AND date_ns < ?{}", args.len()));
    }
    (sql, args)
}

/// Runs a query; returns the matching rows and whether more may follow.
pub fn run(c: &Connection, box_id: &str, q: &Query) -> ApiResult<(Vec<ObjectRow>, bool)> {
    let (mut sql, mut args) = select_rows(box_id, q);
    if let Some(cur) = &q.after {
        let cursor_key = cur.keyed.as_ref().map_or("Date", |(k, _)| k.as_str());
        if cur.descending != q.descending || cursor_key != q.key.name() {
            return Err(ApiError::invalid_because("fromCursor", "the cursor belongs to a different sort order"));
        }
    }
    if q.key != SortKey::Date {
        return run_keyed(c, box_id, q);
    }
    if let Some(cur) = &q.after {
        args.push(SqlValue::Integer(cur.date_ns));
        let d = args.len();
        args.push(SqlValue::Text(cur.id.clone()));
        let i = args.len();
        let op = if q.descending { '<' } else { '>' };
        sql.push_str(&format!(" AND (date_ns {op} ?{d} OR (date_ns = ?{d} AND id {op} ?{i}))"));
    }
    sql.push_str(if q.descending { " ORDER BY date_ns DESC, id DESC" } else { " ORDER BY date_ns ASC, id ASC" });
    let mut st = c.prepare(&sql)?;
    let mut rows = st.query(params_from_iter(args.iter()))?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let row = objects::from_row(r)?;
        if let Scope::Folders(set) = &q.scope
            && !set.contains(&row.folder_id)
        {
            continue;
        }
        if !q.predicate.matches(&View::of_object(&row)) {
            continue;
        }
        if q.limit.is_some_and(|l| out.len() >= l) {
            // One match beyond the page proves there is more.
            return Ok((out, true));
        }
        out.push(row);
    }
    Ok((out, false))
}

/// [`run`] for a sort by an attribute or the size: every match is collected (bounded by
/// [`sort::MAX_SORTED`]), then sorted and paged by [`sort::page`].
fn run_keyed(c: &Connection, box_id: &str, q: &Query) -> ApiResult<(Vec<ObjectRow>, bool)> {
    let (sql, args) = select_rows(box_id, q);
    let mut st = c.prepare(&sql)?;
    let mut rows = st.query(params_from_iter(args.iter()))?;
    let mut all = Vec::new();
    while let Some(r) = rows.next()? {
        let row = objects::from_row(r)?;
        if let Scope::Folders(set) = &q.scope
            && !set.contains(&row.folder_id)
        {
            continue;
        }
        if q.predicate.matches(&View::of_object(&row)) {
            all.push(row);
            sort::check_count(all.len(), &q.key)?;
        }
    }
    let after = q
        .after
        .as_ref()
        .and_then(|cur| cur.keyed.as_ref().map(|(_, v)| sort::After { value: v, date_ns: cur.date_ns, id: &cur.id }));
    Ok(sort::page(&q.key, all, q.descending, after, q.limit))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trip() {
        let c = Cursor { descending: true, date_ns: -5, id: "ab|c".into(), keyed: None };
        assert_eq!(Cursor::decode(&c.encode()).expect("decode"), c);
        let k = Cursor { keyed: Some(("Subject".into(), "a|b".into())), ..c };
        assert_eq!(Cursor::decode(&k.encode()).expect("decode"), k);
        assert!(Cursor::decode("garbage").is_err());
    }

    fn date(lo: i64, hi: i64) -> Predicate {
        Predicate::Date { min: Some(lo), max: Some(hi) }
    }

    #[test]
    fn date_ranges_reach_the_sql() {
        let and = Predicate::And(vec![date(10, 50), Predicate::Text("x".into()), date(20, 90)]);
        assert_eq!(date_bounds(&and), (Some(20), Some(50)));
        assert_eq!(date_bounds(&Predicate::Or(vec![date(10, 50), date(40, 90)])), (Some(10), Some(90)));
        // An Or item without a bound leaves that end open; Not never narrows.
        assert_eq!(date_bounds(&Predicate::Or(vec![date(10, 50), Predicate::Text("x".into())])), (None, None));
        assert_eq!(date_bounds(&Predicate::Not(vec![date(10, 50)])), (None, None));
        // The plan asks the date index for the range instead of walking the whole box.
        let c = Connection::open_in_memory().expect("db");
        c.execute_batch(super::super::SCHEMA).expect("schema");
        let q = Query {
            predicate: Predicate::And(vec![date(10, 50)]),
            scope: Scope::All,
            descending: false,
            key: SortKey::Date,
            after: None,
            limit: Some(10),
        };
        let (sql, args) = select_rows("b", &q);
        let mut st = c.prepare(&format!("EXPLAIN QUERY PLAN {sql} ORDER BY date_ns, id")).expect("plan");
        let plan: Vec<String> =
            st.query_map(params_from_iter(args.iter()), |r| r.get(3)).expect("plan").map(|r| r.expect("row")).collect();
        assert!(plan.iter().any(|p| p.contains("objects_by_date") && p.contains("date_ns>?")), "{plan:?}");
    }

    #[test]
    fn whole_words() {
        assert!(whole_word("hello world", "world"));
        assert!(!whole_word("helloworld", "world"));
        assert!(whole_word("a-b", "b"));
    }
}
