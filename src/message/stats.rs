//! A box overview in one streaming pass of search: objects and bytes by Message-Context, by
//! folder (top N), by month, unread count, oldest and newest, the largest objects. Memory
//! grows with the number of folders, contexts and months (bounded), never with the objects.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::nms::{self, NmsClient};
use crate::wire::{Object, SelectionCriteria, names};

use super::view::ObjectView;

/// Folders, contexts and months counted at most; further ones are counted under `(other)`.
const MAX_KEYS: usize = 100_000;
/// The longest key kept (a hostile server's context or path is cut, not stored whole).
const MAX_KEY_CHARS: usize = 512;

/// Objects and bytes of one group.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Count {
    pub objects: u64,
    pub bytes: u64,
}

impl Count {
    fn add(&mut self, bytes: u64) {
        self.objects += 1;
        self.bytes = self.bytes.saturating_add(bytes);
    }

    fn merge(&mut self, other: &Count) {
        self.objects += other.objects;
        self.bytes = self.bytes.saturating_add(other.bytes);
    }
}

/// One named group of a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group {
    pub name: String,
    #[serde(flatten)]
    pub count: Count,
}

/// One of the largest objects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Large {
    pub id: String,
    pub bytes: u64,
    pub folder: String,
}

/// The overview of one box.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    #[serde(rename = "box")]
    pub box_id: String,
    #[serde(flatten)]
    pub total: Count,
    pub unread: u64,
    pub oldest: Option<String>,
    pub newest: Option<String>,
    pub by_context: Vec<Group>,
    /// The `top` folders with the most objects.
    pub by_folder: Vec<Group>,
    /// Folders left out of `by_folder`.
    pub other_folders: u64,
    pub by_month: Vec<Group>,
    pub largest: Vec<Large>,
}

/// The running tally of one pass.
#[derive(Debug, Default)]
pub struct Tally {
    total: Count,
    unread: u64,
    oldest: Option<jiff::Timestamp>,
    newest: Option<jiff::Timestamp>,
    contexts: HashMap<String, Count>,
    folders: HashMap<String, Count>,
    months: BTreeMap<String, Count>,
    largest: Vec<Large>,
    top: usize,
}

fn key(s: &str) -> String {
    s.chars().take(MAX_KEY_CHARS).collect()
}

fn bump(map: &mut HashMap<String, Count>, k: &str, bytes: u64) {
    let k = if map.len() >= MAX_KEYS && !map.contains_key(k) { "(other)".to_string() } else { key(k) };
    map.entry(k).or_default().add(bytes);
}

impl Tally {
    /// A tally keeping the `top` folders and largest objects.
    pub fn new(top: usize) -> Tally {
        Tally { top: top.max(1), ..Default::default() }
    }

    pub fn add(&mut self, o: &Object) {
        let v = ObjectView::new(o);
        // The parts' sizes when the server lists them, else the message's Size attribute.
        let bytes = v.size.or_else(|| o.attributes.first(names::SIZE).and_then(|s| s.trim().parse().ok())).unwrap_or(0);
        self.total.add(bytes);
        if !o.flags.flag.iter().any(|f| f.eq_ignore_ascii_case(names::SEEN)) {
            self.unread += 1;
        }
        bump(&mut self.contexts, v.context.as_deref().unwrap_or("(none)"), bytes);
        let folder = v
            .path
            .as_deref()
            .and_then(|p| p.rsplit_once('/').map(|(f, _)| if f.is_empty() { "/".to_string() } else { f.to_string() }))
            .or_else(|| v.folder.clone())
            .unwrap_or_else(|| "(unknown)".into());
        bump(&mut self.folders, &folder, bytes);
        let date = v.date.as_deref().and_then(|d| d.trim().parse::<jiff::Timestamp>().ok());
        let month = date.map(|d| d.strftime("%Y-%m").to_string()).unwrap_or_else(|| "(no date)".into());
        if self.months.len() < MAX_KEYS || self.months.contains_key(&month) {
            self.months.entry(month).or_default().add(bytes);
        }
        if let Some(d) = date {
            self.oldest = Some(self.oldest.map_or(d, |o| o.min(d)));
            self.newest = Some(self.newest.map_or(d, |n| n.max(d)));
        }
        // The top list stays sorted, biggest first, and never longer than `top`.
        if self.largest.len() < self.top || self.largest.last().is_some_and(|l| l.bytes < bytes) {
            let at = self.largest.partition_point(|l| l.bytes >= bytes);
            self.largest.insert(at, Large { id: v.id.clone(), bytes, folder: folder.clone() });
            self.largest.truncate(self.top);
        }
    }

    pub fn finish(self, box_id: &str) -> Report {
        let groups = |m: HashMap<String, Count>| {
            let mut g: Vec<Group> = m.into_iter().map(|(name, count)| Group { name, count }).collect();
            g.sort_by(|a, b| b.count.objects.cmp(&a.count.objects).then_with(|| a.name.cmp(&b.name)));
            g
        };
        let mut by_folder = groups(self.folders);
        let other_folders = by_folder.len().saturating_sub(self.top) as u64;
        by_folder.truncate(self.top);
        Report {
            box_id: box_id.to_string(),
            total: self.total,
            unread: self.unread,
            oldest: self.oldest.map(super::time::wire_date),
            newest: self.newest.map(super::time::wire_date),
            by_context: groups(self.contexts),
            by_folder,
            other_folders,
            by_month: self.months.into_iter().map(|(name, count)| Group { name, count }).collect(),
            largest: self.largest,
        }
    }
}

/// The overview of the box `client` opens, in one pass of search with `page` objects per
/// request.
pub async fn collect(client: &NmsClient, top: usize, page: u64) -> Result<Report, nms::Error> {
    use futures::StreamExt;
    let mut pages = client.search_stream(SelectionCriteria { max_entries: page.max(1), ..Default::default() });
    let mut t = Tally::new(top);
    while let Some(p) = pages.next().await {
        for o in &p?.object {
            t.add(o);
        }
    }
    Ok(t.finish(client.box_id()))
}

/// The sum of several boxes' reports (counts, unread, oldest/newest; no groups).
pub fn total(reports: &[Report]) -> Report {
    let mut t = Report { box_id: "TOTAL".into(), ..Default::default() };
    for r in reports {
        t.total.merge(&r.total);
        t.unread += r.unread;
        if r.oldest.is_some() && (t.oldest.is_none() || r.oldest < t.oldest) {
            t.oldest.clone_from(&r.oldest);
        }
        if r.newest > t.newest {
            t.newest.clone_from(&r.newest);
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{Attribute, AttributeList, FlagList};

    fn obj(id: &str, ctx: &str, date: &str, size: &str, folder: &str, seen: bool) -> Object {
        Object {
            resource_url: Some(format!("http://h/objects/{id}")),
            path: Some(format!("{folder}/{id}")),
            attributes: AttributeList {
                attribute: vec![
                    Attribute::new("Message-Context", ctx),
                    Attribute::new("Date", date),
                    Attribute::new("Size", size),
                ],
            },
            flags: FlagList::new(if seen { vec!["\\Seen"] } else { vec![] }),
            ..Default::default()
        }
    }

    #[test]
    fn one_pass_groups_and_tops() {
        let mut t = Tally::new(2);
        t.add(&obj("a", "pager-message", "2024-01-05T00:00:00Z", "10", "/A", true));
        t.add(&obj("b", "pager-message", "2024-02-05T00:00:00Z", "300", "/A", false));
        t.add(&obj("c", "chat-message", "2023-12-31T00:00:00Z", "50", "/B", false));
        t.add(&obj("d", "chat-message", "2024-02-01T00:00:00Z", "70", "/C", true));
        let r = t.finish("tel:+1");
        assert_eq!(r.total, Count { objects: 4, bytes: 430 });
        assert_eq!(r.unread, 2);
        assert_eq!(r.oldest.as_deref(), Some("2023-12-31T00:00:00Z"));
        assert_eq!(r.newest.as_deref(), Some("2024-02-05T00:00:00Z"));
        assert_eq!(r.by_folder[0], Group { name: "/A".into(), count: Count { objects: 2, bytes: 310 } });
        assert_eq!((r.by_folder.len(), r.other_folders), (2, 1));
        assert_eq!(r.by_month.iter().map(|g| g.name.as_str()).collect::<Vec<_>>(), ["2023-12", "2024-01", "2024-02"]);
        assert_eq!(r.largest.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(), ["b", "d"]);
        let sum = total(&[r.clone(), r]);
        assert_eq!(sum.total.objects, 8);
    }
}
