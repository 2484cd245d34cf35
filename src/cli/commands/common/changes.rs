//! What a live change means to a person watching `subscribe`'s table: `new`, `flags +seen`,
//! `moved to /Archive`, `deleted`, with the message's peer and a text excerpt. The
//! notification says only "this object changed"; the difference comes from what this run
//! saw before (a bounded memory) and one metadata read per object change.

use std::collections::HashMap;

use jiff::Timestamp;

use crate::message::view::ObjectView;
use crate::nms::{NmsClient, id_from_url};
use crate::wire::NmsEvent;

/// Objects and folders remembered at most; past that the memory starts again (a change then
/// reads as a first sighting, never as a wrong difference).
const MAX_KNOWN: usize = 10_000;
/// A first-seen object whose message date is at most this much older than the start of the
/// watch is shown as `new`; an older one is an old message that changed (flags, say).
const NEW_SLACK: jiff::SignedDuration = jiff::SignedDuration::from_mins(10);

/// One row's worth of meaning.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Described {
    pub change: String,
    pub peer: String,
    pub text: String,
}

#[derive(Debug, Clone)]
struct Known {
    flags: Vec<String>,
    parent: String,
    peer: String,
    text: String,
}

/// The memory of one watch.
pub struct Describer {
    client: NmsClient,
    started: Timestamp,
    objects: HashMap<String, Known>,
    folder_paths: HashMap<String, String>,
}

impl Describer {
    pub fn new(client: NmsClient) -> Describer {
        Describer { client, started: Timestamp::now(), objects: HashMap::new(), folder_paths: HashMap::new() }
    }

    /// Describes one event; lookups that fail leave the row with less detail, never an error.
    pub async fn describe(&mut self, e: &NmsEvent) -> Described {
        if let Some(o) = &e.changed_object {
            let id = id_from_url(&o.resource_url);
            let flags: Vec<String> = o.flags.flag.clone();
            let parent = o.parent_folder.clone();
            let (peer, text, date) = match self.objects.get(&id) {
                Some(k) => (k.peer.clone(), k.text.clone(), None),
                None => match self.client.get_object(&o.resource_url).await {
                    Ok(obj) => {
                        let v = ObjectView::new(&obj);
                        let date = v.date.as_deref().and_then(|d| d.parse::<Timestamp>().ok());
                        (super::rows::peer(&v), v.preview(), date)
                    }
                    Err(_) => (String::new(), String::new(), None),
                },
            };
            let change = match self.objects.get(&id) {
                Some(k) if k.parent != parent && !parent.is_empty() => {
                    format!("moved to {}", self.folder_path(&parent).await)
                }
                Some(k) => flag_diff(&k.flags, &flags),
                None if date.is_some_and(|d| d >= self.started - NEW_SLACK) => "new".to_string(),
                None => format!("flags {}", super::rows::short_flags(&flags)).trim_end().to_string(),
            };
            self.remember(id, Known { flags, parent, peer: peer.clone(), text: text.clone() });
            return Described { change, peer, text };
        }
        if let Some(o) = e.deleted_object.as_ref().or(e.expired_object.as_ref()) {
            let id = id_from_url(&o.resource_url);
            let known = self.objects.remove(&id);
            let change = if e.expired_object.is_some() { "expired" } else { "deleted" };
            let (peer, text) = known.map(|k| (k.peer, k.text)).unwrap_or_default();
            return Described { change: change.into(), peer, text };
        }
        if let Some(f) = &e.changed_folder {
            self.folder_paths.remove(&f.resource_url);
            return Described { change: "folder changed".into(), peer: String::new(), text: format!("{}/", f.name) };
        }
        if e.deleted_folder.is_some() || e.expired_folder.is_some() {
            return Described { change: "folder deleted".into(), ..Default::default() };
        }
        if e.reset_box.is_some() {
            return Described { change: "box reset".into(), ..Default::default() };
        }
        Described { change: e.kind().to_string(), ..Default::default() }
    }

    fn remember(&mut self, id: String, k: Known) {
        if self.objects.len() >= MAX_KNOWN && !self.objects.contains_key(&id) {
            self.objects.clear();
        }
        self.objects.insert(id, k);
    }

    /// A folder's path for `moved to`, read once; its id when it cannot be read.
    async fn folder_path(&mut self, url: &str) -> String {
        if let Some(p) = self.folder_paths.get(url) {
            return p.clone();
        }
        let path = match self.client.get_folder(url, crate::nms::FolderListFilter::None, None, Some(1)).await {
            Ok(f) => f.path.as_deref().map(crate::message::view::display_path).unwrap_or_else(|| id_from_url(url)),
            Err(_) => id_from_url(url),
        };
        if self.folder_paths.len() >= MAX_KNOWN {
            self.folder_paths.clear();
        }
        self.folder_paths.insert(url.to_string(), path.clone());
        path
    }
}

/// `flags +seen -flagged` from the flags before and after; `changed` when they are equal
/// (an attribute or the seq moved).
pub fn flag_diff(before: &[String], after: &[String]) -> String {
    let has = |set: &[String], f: &String| set.iter().any(|x| x.eq_ignore_ascii_case(f));
    let added: Vec<String> = after.iter().filter(|f| !has(before, f)).cloned().collect();
    let removed: Vec<String> = before.iter().filter(|f| !has(after, f)).cloned().collect();
    if added.is_empty() && removed.is_empty() {
        return "changed".into();
    }
    let mut parts = Vec::new();
    let short = |f: &String| super::rows::short_flags(std::slice::from_ref(f));
    parts.extend(added.iter().map(|f| format!("+{}", short(f))));
    parts.extend(removed.iter().map(|f| format!("-{}", short(f))));
    format!("flags {}", parts.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_differences_read_as_words() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(flag_diff(&s(&[]), &s(&["\\Seen"])), "flags +seen");
        assert_eq!(flag_diff(&s(&["\\Seen", "\\Flagged"]), &s(&["\\Seen"])), "flags -flagged");
        assert_eq!(flag_diff(&s(&["\\Seen"]), &s(&["\\seen"])), "changed");
    }
}
