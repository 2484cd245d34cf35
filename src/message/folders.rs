//! What a folder listing says about sub-folders that hold conversations: their peers or
//! group subject, message and unread counts and last date, gathered in one bounded streaming
//! search below the listed folder (the conversation summaries of `conversations`, per folder).

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use crate::nms::{self, NmsClient};
use crate::wire::{Reference, SelectionCriteria};

use super::conversations::{Grouper, Kind};

/// Objects read at most for one listing's summaries; past that the listing goes without
/// them, so `ls` of a huge folder stays quick.
pub const MAX_SCANNED: u64 = 20_000;
/// Peers kept per folder summary.
const MAX_PEERS: usize = 16;

/// A sub-folder's conversation, as a listing shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FolderSummary {
    /// The other parties (normalised, `+1555…` for numbers).
    pub peers: Vec<String>,
    /// A group chat's subject.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    pub messages: u64,
    pub unread: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_date: Option<String>,
}

/// Summaries by sub-folder id; `complete` is false when [`MAX_SCANNED`] stopped the pass
/// (then there are none).
#[derive(Debug, Default)]
pub struct Summaries {
    pub by_folder: HashMap<String, FolderSummary>,
    pub complete: bool,
}

/// Summarises the objects directly inside each of `children` (ids of sub-folders of the
/// folder at `scope_url`) in one search of the folder; `own` is the box's own address.
pub async fn summarise(
    client: &NmsClient,
    scope_url: &str,
    children: &[String],
    own: &str,
    page: u64,
) -> Result<Summaries, nms::Error> {
    use futures::StreamExt;
    let mut groupers: HashMap<&str, Grouper> = children.iter().map(|c| (c.as_str(), Grouper::new(own))).collect();
    if groupers.is_empty() {
        return Ok(Summaries { by_folder: HashMap::new(), complete: true });
    }
    let c = SelectionCriteria {
        max_entries: page.max(1),
        search_scope: Some(Reference::new(scope_url.to_string())),
        ..Default::default()
    };
    let mut pages = client.search_stream(c);
    let mut seen = 0u64;
    while let Some(page) = pages.next().await {
        for o in page?.object {
            seen += 1;
            if seen > MAX_SCANNED {
                return Ok(Summaries::default());
            }
            let parent = o.parent_folder.as_deref().map(crate::wire::segment::last_segment);
            if let Some(g) = parent.as_deref().and_then(|p| groupers.get_mut(p)) {
                g.add(&o);
            }
        }
    }
    let by_folder = groupers
        .into_iter()
        .filter_map(|(id, g)| {
            let convs = g.finish();
            if convs.is_empty() {
                return None;
            }
            let mut peers = BTreeSet::new();
            let mut s = FolderSummary::default();
            for c in &convs {
                peers.extend(c.peers.iter().cloned());
                s.messages += c.messages;
                s.unread += c.unread;
                if s.last_date < c.last_date {
                    s.last_date = c.last_date.clone();
                }
                if s.subject.is_none() && c.conversation_type == Kind::GroupChat {
                    s.subject = c.subject.clone();
                }
            }
            s.peers = peers.into_iter().take(MAX_PEERS).collect();
            Some((id.to_string(), s))
        })
        .collect();
    Ok(Summaries { by_folder, complete: true })
}
