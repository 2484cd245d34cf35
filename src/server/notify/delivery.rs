//! The dispatcher: woken by the store's commit notices, it turns change-log entries after each
//! subscription's position into nmsEventLists (filtered, batched, indexed) and queues them on
//! the subscription's channel; it also enforces change-log retention and expiries.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::broadcast::{self, error::RecvError};

use super::subscriptions::{self, Subscription, encode_token};
use super::{Hub, lock};
use crate::server::AppState;
use crate::server::error::ApiResult;
use crate::server::store::search::{Predicate, View};
use crate::server::store::{Change, ChangeKind, ChangeNotice, FilterSubject, ResourceKind, objects, search};
use crate::server::urls::Urls;
use crate::wire::{
    AttributeList, ChangedFolder, ChangedObject, DeletedFolder, DeletedObject, FlagList, Link, NmsEvent, NmsEventList,
    lenient::Present, names,
};

/// Change-log entries read per dispatch round for one box.
const READ_LIMIT: usize = 2000;
/// Events per nmsEventList.
const MAX_EVENTS: usize = 100;
/// How often expiries and stale fault holds are looked at.
const TICK: Duration = Duration::from_millis(250);

impl Hub {
    fn mark_quiet(&self, box_id: &str) {
        lock(&self.dirty).insert(box_id.to_string());
    }

    fn mark_all_subscribed(&self) {
        let boxes: Vec<String> = lock(&self.subs).values().map(|s| s.box_id.clone()).collect();
        let mut d = lock(&self.dirty);
        d.extend(boxes);
    }
}

/// The dispatcher loop; runs until its task is aborted or the store goes away.
pub async fn run(state: Arc<AppState>, mut rx: broadcast::Receiver<ChangeNotice>) {
    let hub = &state.notify;
    // Stored subscriptions may have missed changes while the server was down.
    hub.mark_all_subscribed();
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            r = rx.recv() => match r {
                Ok(n) => hub.mark_quiet(&n.box_id),
                Err(RecvError::Lagged(_)) => hub.mark_all_subscribed(),
                Err(RecvError::Closed) => return,
            },
            _ = hub.kick.notified() => {}
            _ = tick.tick() => {
                hub.sweep_channels();
                let expired = hub.take_expired_subscriptions();
                if let Err(e) = subscriptions::remove(state.store.as_ref(), expired).await {
                    log(&state, &e);
                }
            }
        }
        loop {
            match rx.try_recv() {
                Ok(n) => hub.mark_quiet(&n.box_id),
                Err(broadcast::error::TryRecvError::Lagged(_)) => hub.mark_all_subscribed(),
                Err(_) => break,
            }
        }
        for b in hub.take_dirty() {
            if let Err(e) = deliver_box(&state, &b).await {
                log(&state, &e);
            }
        }
    }
}

fn log(state: &AppState, e: &crate::server::error::ApiError) {
    if let Some(log) = &state.config.log {
        (log.0)(&format!("notification delivery: {}", e.error.message()));
    }
}

/// What one dispatch round produced for one subscription.
struct Outcome {
    lists: Vec<NmsEventList>,
    position: u64,
    next_index: u64,
    validity: String,
}

/// Delivers whatever the box's change log holds beyond each live subscription's position.
pub async fn deliver_box(state: &Arc<AppState>, box_id: &str) -> ApiResult<()> {
    let hub = &state.notify;
    let _guard = hub.delivery.lock().await;
    // A subscription whose channel is gone keeps its position: nothing is lost if the client
    // comes back (with its token) on a new channel.
    let subs: Vec<Subscription> =
        hub.subscriptions_of(box_id).into_iter().filter(|s| hub.channel(&s.channel_id).is_some()).collect();
    let store = state.store.as_ref();
    let (last, validity) = store.box_state(box_id).await?.unwrap_or((0, String::new()));
    let oldest = store.oldest_change(box_id).await?;
    let mut entries = match subs.iter().map(|s| s.position).min() {
        Some(p) if p < last => store.changes_since(box_id, p, READ_LIMIT).await?,
        _ => Vec::new(),
    };
    let more = entries.len() == READ_LIMIT;
    // The reads above are separate snapshots: entries committed after `last` was read wait
    // for the next round (their commit notice marks the box again).
    entries.retain(|e| e.seq <= last);
    let preds: Vec<Predicate> =
        subs.iter().map(|s| search::compile(s.filter.as_ref()).unwrap_or(Predicate::Const(true))).collect();
    let keys: Vec<(ResourceKind, String)> = if preds.iter().all(|p| matches!(p, Predicate::Const(true))) {
        Vec::new()
    } else {
        let set: HashSet<(ResourceKind, String)> = entries.iter().map(|e| (e.resource, e.id.clone())).collect();
        set.into_iter().collect()
    };
    let subjects = if keys.is_empty() { HashMap::new() } else { store.filter_subjects(box_id, keys).await? };
    let window = Window { box_id, last, validity, oldest, entries };
    let outcomes = compute(&window, &state.config.store_name, &subs, &preds, &subjects);
    // Pruning after the read: entries it removes were either just turned into events or are
    // older than the retention every subscription gets judged by anyway.
    if let Some(keep) = hub.retention {
        store.truncate_change_log(box_id, keep).await?;
    }
    let mut changed = Vec::new();
    for (mut sub, out) in subs.into_iter().zip(outcomes) {
        if let Some(ch) = hub.channel(&sub.channel_id) {
            for l in out.lists {
                hub.deliver(&ch, l);
            }
        }
        if sub.position != out.position
            || sub.next_index != out.next_index
            || sub.reset_pending
            || sub.validity != out.validity
        {
            sub.position = out.position;
            sub.next_index = out.next_index;
            sub.reset_pending = false;
            sub.validity = out.validity;
            hub.put_subscription(sub.clone());
            changed.push(sub);
        }
    }
    subscriptions::save(store, changed).await?;
    if more {
        hub.mark_dirty(box_id);
    }
    Ok(())
}

/// Drops all but the last `keep` change-log entries of a box (tests use it to age tokens out);
/// returns how many entries were removed.
pub async fn truncate_change_log(state: &AppState, box_id: &str, keep: u64) -> ApiResult<usize> {
    state.store.truncate_change_log(box_id, keep).await
}

/// The part of a box's change log one dispatch round works on.
struct Window<'a> {
    box_id: &'a str,
    last: u64,
    validity: String,
    oldest: Option<u64>,
    entries: Vec<Change>,
}

/// What a filter sees of an object or folder (None: unknown, the event passes).
struct Seen {
    attributes: AttributeList,
    text: String,
    date_ns: Option<i64>,
    correlation_id: Option<String>,
    correlation_tag: Option<String>,
}

/// What the filter evaluates, worked out once per resource: the live row, else the
/// attribute snapshot of the object's deletion entry (or the last one the log kept).
#[derive(Default)]
struct Lookup {
    cache: HashMap<(ResourceKind, String), Option<Seen>>,
}

impl Lookup {
    fn seen(&mut self, subjects: &Subjects, e: &Change) -> Option<&Seen> {
        let key = (e.resource, e.id.clone());
        if !self.cache.contains_key(&key) {
            let v = subjects.get(&key).and_then(|s| seen_of(s, e));
            self.cache.insert(key.clone(), v);
        }
        self.cache.get(&key).and_then(Option::as_ref)
    }
}

type Subjects = HashMap<(ResourceKind, String), FilterSubject>;

fn seen_of(subject: &FilterSubject, e: &Change) -> Option<Seen> {
    let attrs = match subject {
        FilterSubject::Object(row) => {
            return Some(Seen {
                attributes: row.attributes.clone(),
                text: row.search_text.clone(),
                date_ns: Some(row.date_ns),
                correlation_id: row.correlation_id.clone(),
                correlation_tag: row.correlation_tag.clone(),
            });
        }
        FilterSubject::Folder(attrs) => {
            return Some(Seen {
                attributes: attrs.clone().unwrap_or_default(),
                text: String::new(),
                date_ns: None,
                correlation_id: None,
                correlation_tag: None,
            });
        }
        FilterSubject::DeletedObject(snapshot) => e.attributes.clone().or_else(|| snapshot.clone()),
    };
    attrs.map(|attributes| {
        let text = attributes.attribute.iter().flat_map(|a| a.value.iter()).map(|v| v.to_lowercase() + "\n").collect();
        let date_ns = attributes.first(names::DATE).and_then(objects::parse_date);
        Seen {
            attributes,
            text,
            date_ns,
            correlation_id: e.correlation_id.clone(),
            correlation_tag: e.correlation_tag.clone(),
        }
    })
}

fn passes(pred: &Predicate, lookup: &mut Lookup, subjects: &Subjects, e: &Change) -> bool {
    if matches!(pred, Predicate::Const(true)) {
        return true;
    }
    let Some(seen) = lookup.seen(subjects, e) else { return true };
    // Flags as they were after this change: a replayed entry is judged as it was then.
    let view = View {
        attributes: &seen.attributes,
        flags: &e.flags,
        date_ns: seen.date_ns,
        text: &seen.text,
        correlation_id: seen.correlation_id.as_deref(),
        correlation_tag: seen.correlation_tag.as_deref(),
    };
    pred.matches(&view)
}

/// The event of one change-log entry (each carries the lastModSeq it stamped).
fn event(urls: &Urls, e: &Change) -> NmsEvent {
    let parent = e.parent_id.as_deref().map(|p| urls.folder(p)).unwrap_or_default();
    match (e.resource, e.kind) {
        (ResourceKind::Object, ChangeKind::Deleted) => NmsEvent {
            deleted_object: Some(DeletedObject {
                resource_url: urls.object(&e.id),
                last_mod_seq: Some(e.seq),
                correlation_id: e.correlation_id.clone(),
                correlation_tag: e.correlation_tag.clone(),
            }),
            ..Default::default()
        },
        (ResourceKind::Object, _) => NmsEvent {
            changed_object: Some(ChangedObject {
                parent_folder: parent,
                flags: FlagList { flag: e.flags.clone(), resource_url: None },
                resource_url: urls.object(&e.id),
                last_mod_seq: Some(e.seq),
                correlation_id: e.correlation_id.clone(),
                correlation_tag: e.correlation_tag.clone(),
            }),
            ..Default::default()
        },
        (ResourceKind::Folder, ChangeKind::Deleted) => NmsEvent {
            deleted_folder: Some(DeletedFolder { resource_url: urls.folder(&e.id), last_mod_seq: Some(e.seq) }),
            ..Default::default()
        },
        (ResourceKind::Folder, _) => NmsEvent {
            changed_folder: Some(ChangedFolder {
                parent_folder: parent,
                resource_url: urls.folder(&e.id),
                name: e.name.clone().unwrap_or_default(),
                last_mod_seq: Some(e.seq),
            }),
            ..Default::default()
        },
    }
}

/// Builds the lists of every subscription (same order as `subs` and `preds`).
fn compute(
    w: &Window<'_>,
    store_name: &str,
    subs: &[Subscription],
    preds: &[Predicate],
    subjects: &Subjects,
) -> Vec<Outcome> {
    let (box_id, last, validity, oldest) = (w.box_id, w.last, &w.validity, w.oldest);
    let mut lookup = Lookup::default();
    let mut out = Vec::with_capacity(subs.len());
    for (sub, pred) in subs.iter().zip(preds) {
        let urls = Urls::new(&sub.root, store_name, box_id);
        let link = vec![Link { rel: "NmsSubscription".into(), href: sub.url(store_name) }];
        let mut next_index = sub.next_index;
        let mut lists = Vec::new();
        let mut make = |events: Vec<NmsEvent>, token: String| {
            lists.push(NmsEventList {
                nms_event: events,
                callback_data: sub.callback.callback_data.clone(),
                index: Some(next_index),
                restart_token: Some(token),
                link: link.clone(),
            });
            next_index += 1;
        };
        let mut position = sub.position;
        let retained = oldest.map_or(position >= last, |o| position + 1 >= o);
        let stale = sub.validity != *validity || position > last || !retained;
        if stale {
            position = last;
        }
        if stale || sub.reset_pending {
            make(vec![NmsEvent { reset_box: Some(Present), ..Default::default() }], encode_token(validity, position));
        }
        let mut events = Vec::new();
        let start = position;
        for e in w.entries.iter().filter(|e| e.seq > start) {
            position = e.seq;
            if passes(pred, &mut lookup, subjects, e) {
                events.push(event(&urls, e));
            }
            if events.len() == MAX_EVENTS {
                make(std::mem::take(&mut events), encode_token(validity, position));
            }
        }
        if !events.is_empty() {
            make(events, encode_token(validity, position));
        }
        out.push(Outcome { lists, position, next_index, validity: validity.clone() });
    }
    out
}
