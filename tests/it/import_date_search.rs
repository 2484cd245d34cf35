//! Date-range searches (what `import` checks every window with) read the date index instead of
//! the whole box, and answer exactly what the criteria say: ranges alone, intersected (And),
//! joined (Or, also with an unbounded item), negated (Not), in one folder, paged by cursor in
//! both orders. The expected sets are computed here from the dates the objects were given.

use crate::server_support;

use std::collections::BTreeSet;

use serde_json::{Value, json};
use server_support::*;

/// Day `d` (1…28) of 2024-02 at hour `h`.
fn day(d: u32, h: u32) -> String {
    format!("2024-02-{d:02}T{h:02}:00:00Z")
}

fn range(lo: &str, hi: &str) -> Value {
    json!({"type": "Date", "value": format!("minDate={lo}&maxDate={hi}")})
}

/// Every id matching `criteria` (optionally in one folder), paged 7 at a time.
async fn ids(env: &Env, criteria: Value, scope: Option<&str>, order: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut sel = json!({"maxEntries": 7, "searchCriteria": criteria,
            "sortCriteria": {"criterion": [{"type": "Date", "order": order}]}});
        if let Some(s) = scope {
            sel["searchScope"] = json!({"path": s});
            sel["nonRecursiveScope"] = json!(true);
        }
        if let Some(c) = &cursor {
            sel["fromCursor"] = json!(c);
        }
        let r = env.post_json("objects/operations/search", &json!({ "selectionCriteria": sel })).await;
        assert_eq!(r.status(), 200);
        let v: Value = r.json().await.unwrap();
        let list = &v["objectList"];
        for o in list["object"].as_array().cloned().unwrap_or_default() {
            out.push(id_of(o["resourceURL"].as_str().unwrap()));
        }
        match list["cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    out
}

#[tokio::test]
async fn date_range_searches_answer_exactly_the_range() {
    let env = start().await;
    // (id, day, hour, folder, text)
    let mut all = Vec::new();
    for i in 0..84u32 {
        let (d, h) = (1 + i % 28, i % 3 * 8);
        let folder = if i % 2 == 0 { "/even" } else { "/odd" };
        let text = if i % 5 == 0 { "needle" } else { "hay" };
        all.push((env.create_simple(folder, &day(d, h), &format!("{text} {i}")).await, d, h, folder, text));
    }
    let pick = |f: &dyn Fn(u32, u32, &str, &str) -> bool| -> BTreeSet<String> {
        all.iter().filter(|(_, d, h, fo, t)| f(*d, *h, fo, t)).map(|(id, ..)| id.clone()).collect()
    };
    // [lo, hi) in (day, hour) order; hi is exclusive, lo inclusive.
    let within = |d: u32, h: u32, lo: (u32, u32), hi: (u32, u32)| (d, h) >= lo && (d, h) < hi;
    let check = |got: Vec<String>, want: BTreeSet<String>, what: &str| {
        let n = got.len();
        let got: BTreeSet<String> = got.into_iter().collect();
        assert_eq!(n, got.len(), "{what}: an object twice");
        assert_eq!(got, want, "{what}");
    };

    for order in ["Ascending", "Descending"] {
        let c = json!({"criterion": [range(&day(3, 8), &day(9, 16))]});
        check(ids(&env, c, None, order).await, pick(&|d, h, _, _| within(d, h, (3, 8), (9, 16))), "one range");
    }
    let c = json!({"criterion": [range(&day(3, 0), &day(20, 0)), range(&day(10, 8), &day(25, 0))]});
    check(ids(&env, c, None, "Ascending").await, pick(&|d, h, _, _| within(d, h, (10, 8), (20, 0))), "And");
    let c = json!({"operator": "Or", "criterion": [range(&day(2, 0), &day(4, 0)), range(&day(26, 0), &day(28, 8))]});
    let want = pick(&|d, h, _, _| within(d, h, (2, 0), (4, 0)) || within(d, h, (26, 0), (28, 8)));
    check(ids(&env, c, None, "Descending").await, want, "Or");
    let c = json!({"operator": "Or", "criterion": [range(&day(2, 0), &day(4, 0)),
        {"type": "AllTextAttributes", "value": "needle"}]});
    let want = pick(&|d, h, _, t| within(d, h, (2, 0), (4, 0)) || t == "needle");
    check(ids(&env, c, None, "Ascending").await, want, "Or with an unbounded item");
    let c = json!({"operator": "Not", "criterion": [range(&day(5, 0), &day(27, 0))]});
    check(ids(&env, c, None, "Ascending").await, pick(&|d, h, _, _| !within(d, h, (5, 0), (27, 0))), "Not");
    let c = json!({"criterion": [range(&day(6, 0), &day(14, 0)), {"type": "AllTextAttributes", "value": "needle"}]});
    let want = pick(&|d, h, fo, t| within(d, h, (6, 0), (14, 0)) && t == "needle" && fo == "/odd");
    check(ids(&env, c, Some("/odd"), "Ascending").await, want, "And in one folder");
    let c = json!({"criterion": [{"type": "Date", "value": format!("minDate={}", day(27, 0))}]});
    check(ids(&env, c, None, "Descending").await, pick(&|d, _, _, _| d >= 27), "open end");
}
