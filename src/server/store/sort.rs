//! Searches ordered by something other than the date (TS sortCriterion of type Attribute):
//! an attribute's first value, or `Size` (the object's size in bytes). Matches are collected,
//! sorted in memory (bounded by [`MAX_SORTED`]) and paged with a cursor that carries the last
//! row's sort value.

use std::cmp::Ordering;

use super::objects::ObjectRow;
use crate::server::error::{ApiError, ApiResult};
use crate::wire::names;

/// At most this many matches are sorted by an attribute; more answer 400 (sort by date, or
/// narrow the search), so one request cannot hold a whole large box in memory.
pub const MAX_SORTED: usize = 100_000;

/// What a search is ordered by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SortKey {
    Date,
    /// The object's size in bytes (sortCriterion Attribute `Size`).
    Size,
    /// The first value of this attribute (canonical name); objects without it sort first.
    Attribute(String),
}

impl SortKey {
    /// From a sortCriterion's type and name.
    pub fn parse(kind: &str, name: Option<&str>) -> ApiResult<SortKey> {
        let kind = kind.trim();
        if kind.eq_ignore_ascii_case("Date") {
            return Ok(SortKey::Date);
        }
        if !kind.eq_ignore_ascii_case("Attribute") {
            return Err(ApiError::invalid_because("sortCriterion.type", format!("unsupported sort type {kind:?}")));
        }
        let name = name.map(str::trim).filter(|n| !n.is_empty()).ok_or_else(|| {
            ApiError::invalid_because("sortCriterion.name", "an Attribute sort needs an attribute name")
        })?;
        if name.eq_ignore_ascii_case("Size") {
            return Ok(SortKey::Size);
        }
        if name.eq_ignore_ascii_case("Date") {
            return Ok(SortKey::Date);
        }
        Ok(SortKey::Attribute(names::canonical_attribute(name)))
    }

    /// The name a cursor records, so a cursor of one order is not used with another.
    pub fn name(&self) -> &str {
        match self {
            SortKey::Date => "Date",
            SortKey::Size => "Size",
            SortKey::Attribute(n) => n,
        }
    }

    /// A row's sort value as the cursor stores it.
    pub fn value_of(&self, row: &ObjectRow) -> String {
        match self {
            SortKey::Date => row.date_ns.to_string(),
            SortKey::Size => row.size.to_string(),
            SortKey::Attribute(n) => row.attributes.first(n).unwrap_or("").to_string(),
        }
    }

    /// Compares two sort values of this key (sizes as numbers, attributes as text).
    fn compare(&self, a: &str, b: &str) -> Ordering {
        match self {
            SortKey::Size | SortKey::Date => {
                let n = |s: &str| s.parse::<i128>().unwrap_or(0);
                n(a).cmp(&n(b))
            }
            SortKey::Attribute(_) => a.cmp(b),
        }
    }
}

/// Where the previous page ended: the last row's sort value, date and id.
pub struct After<'a> {
    pub value: &'a str,
    pub date_ns: i64,
    pub id: &'a str,
}

/// Orders `rows` by (value, date, id), ascending or descending, and returns the page after
/// `after` (at most `limit` rows) and whether more follow.
pub fn page(
    key: &SortKey,
    mut rows: Vec<ObjectRow>,
    descending: bool,
    after: Option<After<'_>>,
    limit: Option<usize>,
) -> (Vec<ObjectRow>, bool) {
    let mut keyed: Vec<(String, ObjectRow)> = rows.drain(..).map(|r| (key.value_of(&r), r)).collect();
    let order = |av: &str, ad: i64, aid: &str, bv: &str, bd: i64, bid: &str| {
        let o = key.compare(av, bv).then(ad.cmp(&bd)).then_with(|| aid.cmp(bid));
        if descending { o.reverse() } else { o }
    };
    keyed.sort_by(|(av, a), (bv, b)| order(av, a.date_ns, &a.id, bv, b.date_ns, &b.id));
    let start = match &after {
        Some(c) => {
            keyed.partition_point(|(v, r)| order(v, r.date_ns, &r.id, c.value, c.date_ns, c.id) != Ordering::Greater)
        }
        None => 0,
    };
    let mut out: Vec<ObjectRow> = keyed.into_iter().skip(start).map(|(_, r)| r).collect();
    let more = limit.is_some_and(|l| out.len() > l);
    if let Some(l) = limit {
        out.truncate(l);
    }
    (out, more)
}

/// Refuses a sort over more matches than [`MAX_SORTED`].
pub fn check_count(n: usize, key: &SortKey) -> ApiResult<()> {
    if n > MAX_SORTED {
        return Err(ApiError::invalid_because(
            "sortCriterion",
            format!("more than {MAX_SORTED} matches to sort by {}: narrow the search or sort by Date", key.name()),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_from_sort_criteria() {
        assert_eq!(SortKey::parse("Date", None).expect("date"), SortKey::Date);
        assert_eq!(SortKey::parse("attribute", Some("size")).expect("size"), SortKey::Size);
        assert_eq!(SortKey::parse("Attribute", Some("from")).expect("from"), SortKey::Attribute("From".into()));
        assert!(SortKey::parse("Attribute", None).is_err());
        assert!(SortKey::parse("Colour", Some("x")).is_err());
        // Sizes compare as numbers, not as text.
        assert_eq!(SortKey::Size.compare("9", "10"), Ordering::Less);
    }
}
