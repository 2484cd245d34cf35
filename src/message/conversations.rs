//! The conversations of a box, summarised from a stream of object records: fed one object at
//! a time (one pass of a search), it keeps a running summary per conversation, so memory grows
//! with the number of conversations, never with the number of messages.
//!
//! Conversations are keyed as [`conversation::key`] says (../shared/docs/DESIGN.md "conversation key"): a CPM
//! chat by its Conversation-ID, an SMS/MMS thread by its normalised peer set. Every
//! conversation also has a short id, the first 12 hex digits of the SHA-256 of its full key
//! (`conversation:<Conversation-ID>` or `peers:<addr>,<addr>`): stable across runs and
//! servers, and what `export --conversation` takes (as does the full key).

use std::collections::{BTreeSet, HashMap};

use jiff::Timestamp;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::nms::{self, NmsClient};
use crate::wire::{Object, PayloadPartInfo, Reference, SearchCriteria, SelectionCriteria, names};

use super::conversation::{self, Key};
use super::time::wire_date;
use super::{address, context, groupstate};

/// Hex digits of the short id: 48 bits, so a clash needs millions of conversations in one box.
pub const SHORT_KEY_LEN: usize = 12;
/// Conversations tracked at most; objects of further conversations are counted as dropped.
pub const MAX_CONVERSATIONS: usize = 1_000_000;
/// Participants remembered per conversation (a group larger than this is listed in part).
pub const MAX_PEERS: usize = 256;
/// The longest subject kept, in characters.
const MAX_SUBJECT_CHARS: usize = 1024;

/// What sort of conversation it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A one-to-one CPM chat (chat, file transfer, standalone messages).
    Chat,
    /// A CPM group chat.
    GroupChat,
    /// SMS and MMS with one peer set.
    SmsMms,
}

impl Kind {
    /// The JSON value, also shown in tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Chat => "chat",
            Kind::GroupChat => "group-chat",
            Kind::SmsMms => "sms-mms",
        }
    }
}

/// One conversation's summary record (`kind` is always `conversation`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// The short, stable key (see the module documentation).
    pub id: String,
    pub kind: &'static str,
    /// The full key: `conversation:<Conversation-ID>` or `peers:<addr>,…`.
    pub key: String,
    #[serde(rename = "type")]
    pub conversation_type: Kind,
    /// A group chat's subject (the newest one seen).
    pub subject: Option<String>,
    /// The other parties, normalised and sorted (the box's own address left out).
    pub peers: Vec<String>,
    /// Messages: every object but delivery reports, session records and group-state documents.
    pub messages: u64,
    /// Payload parts of messages other than their text and thumbnails.
    pub attachments: u64,
    /// Messages without `\Seen`.
    pub unread: u64,
    /// Every object of the conversation, reports and records included.
    pub objects: u64,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
}

impl Summary {
    /// Whether `normalised` (an [`address::normalise`]d address) takes part.
    pub fn has_peer(&self, normalised: &str) -> bool {
        self.peers.iter().any(|p| address::same(normalised, p))
    }
}

/// The short id of a full conversation key.
pub fn short_key(full: &str) -> String {
    let digest = Sha256::digest(full.as_bytes());
    let mut hex = hex::encode(digest);
    hex.truncate(SHORT_KEY_LEN);
    hex
}

/// Whether `wanted` (a short id, a prefix of one of at least 6 digits, or a full key) names
/// the conversation with full key `full`.
pub fn key_matches(wanted: &str, full: &str) -> bool {
    let w = wanted.trim();
    if w == full {
        return true;
    }
    let short = short_key(full);
    w.len() >= 6 && w.len() <= SHORT_KEY_LEN && short.starts_with(&w.to_ascii_lowercase())
}

/// Contexts that record something about messages rather than being one.
fn is_record(ctx: &str) -> bool {
    ["imdn-message", "session-info", "group-state"].iter().any(|c| c.eq_ignore_ascii_case(ctx))
}

/// Whether a part is an attachment rather than the message's own text or a thumbnail.
fn is_attachment(p: &PayloadPartInfo) -> bool {
    let ct = p.content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let icon = p
        .content_disposition
        .as_deref()
        .is_some_and(|d| d.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case("icon"));
    !icon && !matches!(ct.as_str(), "" | "text/plain" | "message/cpim")
}

/// The running summary of one conversation.
#[derive(Debug, Default)]
struct Acc {
    group: bool,
    sms_mms: bool,
    subject: Option<(Option<Timestamp>, String)>,
    peers: BTreeSet<String>,
    messages: u64,
    attachments: u64,
    unread: u64,
    objects: u64,
    /// Message dates; object dates stand in when a conversation holds no message.
    span: Option<(Timestamp, Timestamp)>,
    any_span: Option<(Timestamp, Timestamp)>,
    /// The payload part URL of the newest group-state document, which lists the members.
    group_state: Option<(Option<Timestamp>, String)>,
}

fn widen(span: &mut Option<(Timestamp, Timestamp)>, t: Timestamp) {
    *span = Some(match *span {
        None => (t, t),
        Some((a, b)) => (a.min(t), b.max(t)),
    });
}

/// Groups objects into conversations, one object at a time.
#[derive(Debug)]
pub struct Grouper {
    own: String,
    convs: HashMap<Key, Acc>,
    unsorted: u64,
    dropped: u64,
}

impl Grouper {
    /// A grouper for the box whose own address is `own_address` (its box id).
    pub fn new(own_address: &str) -> Self {
        Grouper { own: address::normalise(own_address), convs: HashMap::new(), unsorted: 0, dropped: 0 }
    }

    /// Objects seen that belong to no conversation (no Conversation-ID and no other party).
    pub fn unsorted(&self) -> u64 {
        self.unsorted
    }

    /// Objects not summarised because [`MAX_CONVERSATIONS`] was reached.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// Adds one object to its conversation's summary.
    pub fn add(&mut self, o: &Object) {
        let a = &o.attributes;
        let Some(key) = conversation::key(a, &self.own) else {
            self.unsorted += 1;
            return;
        };
        if !self.convs.contains_key(&key) && self.convs.len() >= MAX_CONVERSATIONS {
            self.dropped += 1;
            return;
        }
        let ctx = a.first(names::MESSAGE_CONTEXT).unwrap_or("");
        let date = a.first(names::DATE).and_then(|d| d.trim().parse::<Timestamp>().ok());
        let acc = self.convs.entry(key.clone()).or_default();
        acc.objects += 1;
        let short = context::short(ctx);
        acc.sms_mms |= matches!(short.as_str(), "sms" | "mms");
        acc.group |=
            short == "group-state" || a.first("Is-CPM-Group").is_some_and(|g| g.trim().eq_ignore_ascii_case("yes"));
        if let Some(t) = date {
            widen(&mut acc.any_span, t);
        }
        // A group-state document comes from the conference focus: its From is no participant.
        if short != "group-state" {
            let addrs = a.values(names::FROM).iter().chain(a.values(names::TO)).chain(a.values("Cc"));
            for n in addrs.map(|v| address::normalise(v)) {
                if acc.peers.len() >= MAX_PEERS {
                    break;
                }
                if !n.is_empty() && n != self.own {
                    acc.peers.insert(n);
                }
            }
        }
        if let Some(s) = a.first(names::SUBJECT).map(str::trim).filter(|s| !s.is_empty()) {
            let newer = match &acc.subject {
                None => true,
                Some((seen, _)) => date.is_some() && *seen <= date,
            };
            if newer {
                acc.subject = Some((date, s.chars().take(MAX_SUBJECT_CHARS).collect()));
            }
        }
        if short == "group-state"
            && let Some(part) = o
                .payload_part
                .iter()
                .find(|p| p.content_type.to_ascii_lowercase().contains("groupstate"))
                .or(o.payload_part.first())
                .filter(|p| !p.href.is_empty())
            && acc.group_state.as_ref().is_none_or(|(seen, _)| date.is_some() && *seen <= date)
        {
            acc.group_state = Some((date, part.href.clone()));
        }
        if is_record(ctx) {
            return;
        }
        acc.messages += 1;
        acc.attachments += o.payload_part.iter().filter(|p| is_attachment(p)).count() as u64;
        if !o.flags.flag.iter().any(|f| f.eq_ignore_ascii_case(names::SEEN)) {
            acc.unread += 1;
        }
        if let Some(t) = date {
            widen(&mut acc.span, t);
        }
    }

    /// The summaries, newest activity first (then by key, so the order is stable).
    pub fn finish(self) -> Vec<Summary> {
        self.finish_with_group_states().into_iter().map(|(s, _)| s).collect()
    }

    /// [`Grouper::finish`], each summary with the part URL of its newest group-state document.
    pub fn finish_with_group_states(self) -> Vec<(Summary, Option<String>)> {
        let mut out: Vec<(Option<Timestamp>, Summary, Option<String>)> = self
            .convs
            .into_iter()
            .map(|(key, acc)| {
                let peers: Vec<String> = match &key {
                    Key::Peers(p) => p.clone(),
                    Key::Conversation(_) => acc.peers.into_iter().collect(),
                };
                let kind = if acc.sms_mms {
                    Kind::SmsMms
                } else if acc.group || peers.len() > 1 {
                    Kind::GroupChat
                } else {
                    Kind::Chat
                };
                // Only a group's subject names the conversation; an MMS subject is the message's.
                let subject = if kind == Kind::GroupChat { acc.subject.map(|(_, s)| s) } else { None };
                let span = acc.span.or(acc.any_span);
                let full = key.to_string();
                let summary = Summary {
                    id: short_key(&full),
                    kind: "conversation",
                    key: full,
                    conversation_type: kind,
                    subject,
                    peers,
                    messages: acc.messages,
                    attachments: acc.attachments,
                    unread: acc.unread,
                    objects: acc.objects,
                    first_date: span.map(|(a, _)| wire_date(a)),
                    last_date: span.map(|(_, b)| wire_date(b)),
                };
                let group_state = if kind == Kind::GroupChat { acc.group_state.map(|(_, u)| u) } else { None };
                (span.map(|(_, b)| b), summary, group_state)
            })
            .collect();
        out.sort_by(|(a, x, _), (b, y, _)| b.cmp(a).then_with(|| x.key.cmp(&y.key)));
        out.into_iter().map(|(_, s, g)| (s, g)).collect()
    }
}

/// The conversations of a box and what could not be placed in one.
#[derive(Debug, Clone)]
pub struct Listing {
    pub conversations: Vec<Summary>,
    /// Objects that belong to no conversation.
    pub unsorted: u64,
    /// Objects past [`MAX_CONVERSATIONS`].
    pub dropped: u64,
    /// Group-state documents that could not be read (those groups list the addresses seen
    /// on their messages instead), with the first reason.
    pub unreadable_group_states: u64,
    pub group_state_error: Option<String>,
}

/// What [`list`] reads.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// Only objects below this folder.
    pub scope: Option<Reference>,
    /// Server-side criteria (dates, say); `None` reads every object.
    pub criteria: Option<SearchCriteria>,
    /// Only conversations this (normalised) address takes part in.
    pub participant: Option<String>,
    /// Objects per search request.
    pub page_size: u64,
}

/// The conversations of the box `client` opens, in one streaming pass of search (memory in
/// the number of conversations), newest activity first.
///
/// The participant filter applies to whole conversations, so a group chat's counts include
/// every member's messages, not only those the participant sent or received.
pub async fn list(client: &NmsClient, q: Query) -> Result<Listing, nms::Error> {
    use futures::StreamExt;
    let criteria = SelectionCriteria {
        max_entries: q.page_size.max(1),
        search_scope: q.scope,
        search_criteria: q.criteria,
        ..Default::default()
    };
    let mut grouper = Grouper::new(client.box_id());
    let mut pages = client.search_stream(criteria);
    while let Some(page) = pages.next().await {
        for o in &page?.object {
            grouper.add(o);
        }
    }
    let own = address::normalise(client.box_id());
    let mut listing = Listing {
        conversations: Vec::new(),
        unsorted: grouper.unsorted(),
        dropped: grouper.dropped(),
        unreadable_group_states: 0,
        group_state_error: None,
    };
    for (mut summary, url) in grouper.finish_with_group_states() {
        if let Some(url) = url {
            match group_members(client, &url, &own).await {
                Ok(members) if !members.is_empty() => summary.peers = members,
                Ok(_) => {}
                Err(e) => {
                    listing.unreadable_group_states += 1;
                    listing.group_state_error.get_or_insert(e);
                }
            }
        }
        if q.participant.as_ref().is_none_or(|p| summary.has_peer(p)) {
            listing.conversations.push(summary);
        }
    }
    Ok(listing)
}

/// The members a group-state document at `url` lists, normalised and sorted, the box's own
/// address (`own`, normalised) left out. At most [`groupstate::MAX_BYTES`] are read.
async fn group_members(client: &NmsClient, url: &str, own: &str) -> Result<Vec<String>, String> {
    use futures::StreamExt;
    let mut download = client.download(url).await.map_err(|e| e.to_string())?;
    let mut body = Vec::new();
    while let Some(chunk) = download.stream.next().await {
        body.extend_from_slice(&chunk.map_err(|e| e.to_string())?);
        if body.len() > groupstate::MAX_BYTES {
            return Err(format!("group-state document over {} bytes", groupstate::MAX_BYTES));
        }
    }
    let members: BTreeSet<String> = groupstate::participants(&body)?
        .iter()
        .map(|p| address::normalise(&p.address))
        .filter(|a| !a.is_empty() && a != own)
        .take(MAX_PEERS)
        .collect();
    Ok(members.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::FlagList;

    const OWN: &str = "tel:+15550001111";

    fn obj(pairs: &[(&str, &str)], seen: bool, parts: &[(&str, Option<&str>)]) -> Object {
        let mut o = Object::default();
        for (n, v) in pairs {
            o.attributes.push(n, *v);
        }
        if seen {
            o.flags = FlagList::new([names::SEEN]);
        }
        o.payload_part = parts
            .iter()
            .map(|(ct, cd)| PayloadPartInfo {
                content_type: ct.to_string(),
                content_disposition: cd.map(str::to_string),
                ..Default::default()
            })
            .collect();
        o
    }

    #[test]
    fn groups_counts_and_orders() {
        let mut g = Grouper::new(OWN);
        let sms = [("Message-Context", "pager-message"), ("From", "tel:+15550002222"), ("To", OWN)];
        g.add(&obj(&[sms[0], sms[1], sms[2], ("Date", "2024-05-01T10:00:00Z")], false, &[("text/plain", None)]));
        let reply = [("Message-Context", "multimedia-message"), ("From", OWN), ("To", "sip:+15550002222@h;user=phone")];
        g.add(&obj(
            &[reply[0], reply[1], reply[2], ("Date", "2024-05-02T10:00:00Z"), ("Subject", "pic")],
            true,
            &[("text/plain", None), ("image/png", Some("attachment; filename=a.png"))],
        ));
        let chat = |ctx: &'static str, date: &'static str, from: &'static str| {
            vec![
                ("Message-Context", ctx),
                ("Conversation-ID", "c-1"),
                ("Is-CPM-Group", "yes"),
                ("Subject", "Hike"),
                ("From", from),
                ("To", OWN),
                ("Date", date),
            ]
        };
        g.add(&obj(&chat("chat-message", "2024-06-01T10:00:00Z", "tel:+15550003333"), true, &[]));
        g.add(&obj(
            &chat("file-message", "2024-06-01T11:00:00Z", "tel:+15550004444"),
            false,
            &[("image/png", None), ("image/png", Some("icon; filename=t.png"))],
        ));
        g.add(&obj(&chat("imdn-message", "2024-06-03T10:00:00Z", "tel:+15550003333"), false, &[]));
        g.add(&obj(&chat("group-state", "2024-06-02T10:00:00Z", "sip:focus@conf"), true, &[]));
        g.add(&obj(&[("Date", "2024-01-01T00:00:00Z")], false, &[]));
        assert_eq!(g.unsorted(), 1);
        let mut with_doc = obj(&chat("group-state", "2024-06-02T12:00:00Z", "sip:focus@conf"), true, &[]);
        with_doc.payload_part = vec![PayloadPartInfo {
            content_type: "application/vnd.oma.cpm-groupstate+xml".into(),
            href: "http://h/objects/gs/payloadParts/part1".into(),
            ..Default::default()
        }];
        let mut older = with_doc.clone();
        older.attributes.set(names::DATE, vec!["2024-06-01T00:00:00Z".into()]);
        older.payload_part[0].href = "http://h/objects/old/payloadParts/part1".into();
        g.add(&with_doc);
        g.add(&older);
        let sources = g.finish_with_group_states();
        assert_eq!(sources[0].1.as_deref(), Some("http://h/objects/gs/payloadParts/part1"), "the newest document");
        assert_eq!(sources[1].1, None);
        let all: Vec<Summary> = sources.into_iter().map(|(s, _)| s).collect();
        assert_eq!(all.len(), 2);
        let group = &all[0];
        assert_eq!(group.key, "conversation:c-1");
        assert_eq!(group.id, short_key("conversation:c-1"));
        assert_eq!(group.id.len(), SHORT_KEY_LEN);
        assert_eq!(group.conversation_type, Kind::GroupChat);
        assert_eq!(group.subject.as_deref(), Some("Hike"));
        assert_eq!(group.peers, ["+15550003333", "+15550004444"]);
        assert_eq!((group.messages, group.attachments, group.unread, group.objects), (2, 1, 1, 6));
        assert_eq!(group.first_date.as_deref(), Some("2024-06-01T10:00:00Z"));
        assert_eq!(group.last_date.as_deref(), Some("2024-06-01T11:00:00Z"));
        let sms = &all[1];
        assert_eq!(sms.key, "peers:+15550002222");
        assert_eq!(sms.conversation_type, Kind::SmsMms);
        assert_eq!(sms.subject, None);
        assert_eq!((sms.messages, sms.attachments, sms.unread), (2, 1, 1));
        assert!(sms.has_peer("15550002222"));
        assert!(!sms.has_peer("+15550003333"));
        let json = serde_json::to_value(sms).unwrap();
        assert_eq!(json["type"], "sms-mms");
        assert_eq!(json["kind"], "conversation");
        assert_eq!(json["firstDate"], "2024-05-01T10:00:00Z");
    }

    #[test]
    fn keys_by_short_id_prefix_or_full_form() {
        let full = "peers:+15550002222";
        let short = short_key(full);
        assert_eq!(short, short_key(full), "stable");
        assert!(key_matches(&short, full));
        assert!(key_matches(&short[..6], full));
        assert!(key_matches(&short.to_ascii_uppercase(), full));
        assert!(key_matches(full, full));
        assert!(!key_matches(&short[..5], full));
        assert!(!key_matches("", full));
    }

    #[test]
    fn one_to_one_chat_and_bounded_peers() {
        let mut g = Grouper::new(OWN);
        let mut pairs = vec![("Message-Context", "chat-message"), ("Conversation-ID", "c-2"), ("From", OWN)];
        pairs.push(("To", "sip:Bob@Example.com"));
        g.add(&obj(&pairs, true, &[]));
        let all = g.finish();
        assert_eq!(all[0].conversation_type, Kind::Chat);
        assert_eq!(all[0].peers, ["sip:bob@example.com"]);
        assert_eq!(all[0].first_date, None);
        let mut g = Grouper::new(OWN);
        let many: Vec<String> = (0..MAX_PEERS + 10).map(|i| format!("tel:+1555{i:07}")).collect();
        let mut o = obj(&[("Message-Context", "chat-message"), ("Conversation-ID", "big")], true, &[]);
        o.attributes.set(names::TO, many);
        g.add(&o);
        assert_eq!(g.finish()[0].peers.len(), MAX_PEERS);
    }
}
