//! Selection, search and sort criteria (TS 5.3.2.15–19).

use serde::de::Deserializer;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::lenient;
use super::object::Reference;

/// `SearchCriterion { type, name?, value }`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchCriterion {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "string_value")]
    pub value: String,
}

impl SearchCriterion {
    pub fn new(kind: &str, name: Option<&str>, value: impl Into<String>) -> Self {
        SearchCriterion { kind: kind.into(), name: name.map(Into::into), value: value.into() }
    }
}

fn string_value<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => s,
        Value::Null => String::new(),
        Value::Array(items) => items
            .into_iter()
            .map(|v| match v {
                Value::String(s) => s,
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join(","),
        other => other.to_string(),
    })
}

/// `SearchCriteria { criterion[], operator? }`; the operator defaults to `And`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchCriteria {
    #[serde(default, deserialize_with = "lenient::one_or_many")]
    pub criterion: Vec<SearchCriterion>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
}

/// `SortCriterion { type, name?, order? }`; the order defaults to `Descending`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SortCriterion {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct SortCriteriaWire {
    #[serde(default, deserialize_with = "lenient::one_or_many")]
    criterion: Vec<SortCriterion>,
}

/// `SelectionCriteria`. Sorting arrives either as the normative table's
/// `sortCriteria {criterion[]}` or as the XSD/examples' single `sortCriterion`
/// (checklist §2.0); both land in `sort`, and output uses `sortCriteria`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SelectionCriteria {
    pub max_entries: u64,
    pub from_cursor: Option<String>,
    pub search_scope: Option<Reference>,
    pub non_recursive_scope: Option<bool>,
    pub search_criteria: Option<SearchCriteria>,
    pub sort: Vec<SortCriterion>,
}

#[derive(Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct SelectionCriteriaWire {
    #[serde(default, deserialize_with = "lenient::u64_or_string")]
    max_entries: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    from_cursor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    search_scope: Option<Reference>,
    #[serde(default, deserialize_with = "lenient::opt_bool", skip_serializing_if = "Option::is_none")]
    non_recursive_scope: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    search_criteria: Option<SearchCriteria>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sort_criteria: Option<SortCriteriaWire>,
    #[serde(default, deserialize_with = "lenient::one_or_many", skip_serializing)]
    sort_criterion: Vec<SortCriterion>,
}

impl Serialize for SelectionCriteria {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        SelectionCriteriaWire {
            max_entries: self.max_entries,
            from_cursor: self.from_cursor.clone(),
            search_scope: self.search_scope.clone(),
            non_recursive_scope: self.non_recursive_scope,
            search_criteria: self.search_criteria.clone(),
            sort_criteria: (!self.sort.is_empty()).then(|| SortCriteriaWire { criterion: self.sort.clone() }),
            sort_criterion: Vec::new(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for SelectionCriteria {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = SelectionCriteriaWire::deserialize(d)?;
        let mut sort = w.sort_criteria.map(|c| c.criterion).unwrap_or_default();
        sort.extend(w.sort_criterion);
        Ok(SelectionCriteria {
            max_entries: w.max_entries,
            from_cursor: w.from_cursor,
            search_scope: w.search_scope,
            non_recursive_scope: w.non_recursive_scope,
            search_criteria: w.search_criteria,
            sort,
        })
    }
}
