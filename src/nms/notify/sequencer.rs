//! Strict-sync ordering of event lists: index gaps, held lists, duplicate lists and
//! duplicate events (NMS TS 5.1.4.3–5.1.4.5). Pure state, no I/O, so it is unit-tested here.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::{Duration, Instant};

use crate::wire::{NmsEvent, NmsEventList};

/// What the watcher hands to its caller.
// `Event` is by far the most frequent item, so boxing it would only add an allocation per event.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum WatchEvent {
    /// One change, in box order, reported once.
    Event {
        event: NmsEvent,
        /// The restartToken of the list the event came in (the position after that list).
        restart_token: Option<String>,
        /// The index of that list within the current subscription.
        index: u64,
    },
    /// The box was replaced (`resetBox`): everything known about it is stale.
    Reset { restart_token: Option<String>, index: u64 },
    /// Every event of the list `index` has been reported: `restart_token` is now safe to persist.
    Checkpoint { restart_token: Option<String>, index: u64 },
    /// Lists went missing and the subscription was rewound to `from_token` to get them again.
    Recovered { from_token: Option<String>, missing_from: u64 },
    /// A subscription delivers to the channel from `from_token` on (`None`: from now on):
    /// at start-up (continuing from a saved token, or reusing an earlier subscription), and
    /// again with `recreated` after the channel or the subscription was lost and made anew.
    Subscribed {
        subscription_url: String,
        channel_url: String,
        from_token: Option<String>,
        next_index: Option<u64>,
        recreated: bool,
    },
    /// A call failed and will be retried after `delay`.
    Retrying { reason: String, delay: Duration },
}

/// Remembers the highest lastModSeq reported per resource, for at most `cap` resources
/// (least recently touched ones are forgotten first), so replays after a rewind are not
/// reported twice. lastModSeq only grows per resource, so anything at or below the
/// remembered value has been reported already.
#[derive(Debug)]
pub(crate) struct Dedup {
    cap: usize,
    seen: HashMap<String, (u64, u64)>,
    order: VecDeque<(String, u64)>,
    tick: u64,
}

impl Dedup {
    pub(crate) fn new(cap: usize) -> Self {
        Dedup { cap: cap.max(1), seen: HashMap::new(), order: VecDeque::new(), tick: 0 }
    }

    /// True when (url, seq) is new; remembers it.
    pub(crate) fn fresh(&mut self, url: &str, seq: u64) -> bool {
        self.tick += 1;
        let tick = self.tick;
        match self.seen.get_mut(url) {
            Some((max, _)) if *max >= seq => return false,
            Some(entry) => *entry = (seq, tick),
            None => {
                self.seen.insert(url.to_string(), (seq, tick));
            }
        }
        self.order.push_back((url.to_string(), tick));
        self.evict();
        true
    }

    fn evict(&mut self) {
        while self.seen.len() > self.cap {
            let Some((url, tick)) = self.order.pop_front() else { break };
            // Stale queue entries (the resource was touched again later) are skipped.
            if self.seen.get(&url).is_some_and(|(_, t)| *t == tick) {
                self.seen.remove(&url);
            }
        }
        if self.order.len() > self.cap.saturating_mul(2) + 16 {
            let seen = &self.seen;
            self.order.retain(|(url, tick)| seen.get(url).is_some_and(|(_, t)| t == tick));
        }
    }

    pub(crate) fn clear(&mut self) {
        self.seen.clear();
        self.order.clear();
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.seen.len()
    }
}

/// Puts event lists back in index order and releases each one exactly once.
#[derive(Debug)]
pub(crate) struct Sequencer {
    /// Index the next contiguous list must carry; `None` until the server said.
    next_index: Option<u64>,
    /// restartToken after the last contiguous list (or the one the subscription started from).
    token: Option<String>,
    held: BTreeMap<u64, NmsEventList>,
    gap_since: Option<Instant>,
    dedup: Dedup,
    /// A list was released since the last rewind (tail check), so a lost trailing list is possible.
    dirty: bool,
    last_release: Option<Instant>,
}

impl Sequencer {
    pub(crate) fn new(dedup_cap: usize) -> Self {
        Sequencer {
            next_index: None,
            token: None,
            held: BTreeMap::new(),
            gap_since: None,
            dedup: Dedup::new(dedup_cap),
            dirty: false,
            last_release: None,
        }
    }

    pub(crate) fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    pub(crate) fn next_index(&self) -> Option<u64> {
        self.next_index
    }

    /// Lowest index held after a gap, if any.
    pub(crate) fn first_held(&self) -> Option<u64> {
        self.held.keys().next().copied()
    }

    pub(crate) fn dirty(&self) -> bool {
        self.dirty
    }

    pub(crate) fn last_release(&self) -> Option<Instant> {
        self.last_release
    }

    /// Start of a (new) subscription or the answer to an update that carried our token:
    /// the server will deliver from `next_index` on, replaying everything after `token`.
    /// Held lists are below `next_index` and get replayed, so they are dropped.
    pub(crate) fn rewound(&mut self, next_index: Option<u64>, token: Option<String>, out: &mut VecDeque<WatchEvent>) {
        if let Some(n) = next_index {
            self.held = self.held.split_off(&n);
        } else {
            self.held.clear();
        }
        self.next_index = next_index;
        if token.is_some() {
            self.token = token;
        }
        self.gap_since = None;
        self.dirty = false;
        self.drain(out);
    }

    /// A new subscription: its indexes start afresh, so nothing held from an earlier one
    /// can be placed.
    pub(crate) fn restarted(&mut self, next_index: Option<u64>, token: Option<String>, out: &mut VecDeque<WatchEvent>) {
        self.held.clear();
        self.rewound(next_index, token, out);
    }

    /// Only the token is known (a fresh subscription that answered no index).
    pub(crate) fn set_token(&mut self, token: Option<String>) {
        if token.is_some() {
            self.token = token;
        }
    }

    /// When held lists must be given up on and the subscription rewound.
    pub(crate) fn gap_deadline(&self, hold: Duration) -> Option<Instant> {
        self.gap_since.map(|t| t + hold)
    }

    /// Without a token there is nothing to rewind to: skip to the lowest held list.
    pub(crate) fn skip_gap(&mut self, out: &mut VecDeque<WatchEvent>) {
        if let Some(first) = self.first_held() {
            self.next_index = Some(first);
            self.gap_since = None;
            self.drain(out);
        }
    }

    /// Takes one list from the channel; releases what became contiguous into `out`.
    pub(crate) fn push(&mut self, list: NmsEventList, now: Instant, out: &mut VecDeque<WatchEvent>) {
        let Some(index) = list.index else {
            // A server without strict sync: no order to restore.
            self.release(list, 0, out);
            self.last_release = Some(now);
            return;
        };
        let expected = *self.next_index.get_or_insert(index);
        if index < expected {
            return; // duplicate or already replayed
        }
        self.held.entry(index).or_insert(list);
        self.drain(out);
        if self.held.is_empty() {
            self.gap_since = None;
        } else if self.gap_since.is_none() {
            self.gap_since = Some(now);
        }
        if self.next_index != Some(expected) {
            self.last_release = Some(now);
        }
    }

    fn drain(&mut self, out: &mut VecDeque<WatchEvent>) {
        while let Some(next) = self.next_index {
            let Some(list) = self.held.remove(&next) else { break };
            self.next_index = Some(next + 1);
            self.release(list, next, out);
        }
        if self.held.is_empty() {
            self.gap_since = None;
        }
    }

    fn release(&mut self, list: NmsEventList, index: u64, out: &mut VecDeque<WatchEvent>) {
        let token = list.restart_token.clone();
        for event in list.nms_event {
            if event.reset_box.is_some() {
                // Sequence numbers of a replaced box say nothing about the old one.
                self.dedup.clear();
                out.push_back(WatchEvent::Reset { restart_token: token.clone(), index });
                continue;
            }
            if let Some(seq) = event.last_mod_seq()
                && !self.dedup.fresh(event.resource_url(), seq)
            {
                continue;
            }
            out.push_back(WatchEvent::Event { event, restart_token: token.clone(), index });
        }
        if token.is_some() {
            self.token = token.clone();
        }
        self.dirty = true;
        out.push_back(WatchEvent::Checkpoint { restart_token: token, index });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::ChangedObject;

    fn list(index: u64, events: &[(&str, u64)]) -> NmsEventList {
        NmsEventList {
            nms_event: events
                .iter()
                .map(|(url, seq)| NmsEvent {
                    changed_object: Some(ChangedObject {
                        resource_url: url.to_string(),
                        last_mod_seq: Some(*seq),
                        ..Default::default()
                    }),
                    ..Default::default()
                })
                .collect(),
            index: Some(index),
            restart_token: Some(format!("t{index}")),
            ..Default::default()
        }
    }

    fn events(out: &mut VecDeque<WatchEvent>) -> Vec<(String, u64, u64)> {
        out.drain(..)
            .filter_map(|e| match e {
                WatchEvent::Event { event, index, .. } => {
                    Some((event.resource_url().to_string(), event.last_mod_seq().unwrap_or(0), index))
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn in_order_lists_are_released_with_checkpoints() {
        let mut s = Sequencer::new(100);
        let mut out = VecDeque::new();
        s.rewound(Some(1), Some("t0".into()), &mut out);
        s.push(list(1, &[("a", 1)]), Instant::now(), &mut out);
        assert_eq!(out.len(), 2);
        assert!(matches!(&out[1], WatchEvent::Checkpoint { restart_token: Some(t), index: 1 } if t == "t1"));
        s.push(list(2, &[("b", 2)]), Instant::now(), &mut out);
        assert_eq!(events(&mut out), vec![("a".into(), 1, 1), ("b".into(), 2, 2)]);
        assert_eq!(s.token(), Some("t2"));
        assert_eq!(s.next_index(), Some(3));
    }

    #[test]
    fn reordered_lists_wait_for_the_missing_one() {
        let mut s = Sequencer::new(100);
        let mut out = VecDeque::new();
        let now = Instant::now();
        s.rewound(Some(1), None, &mut out);
        s.push(list(2, &[("b", 2)]), now, &mut out);
        assert!(out.is_empty());
        assert_eq!(s.gap_deadline(Duration::from_secs(1)), Some(now + Duration::from_secs(1)));
        s.push(list(1, &[("a", 1)]), now, &mut out);
        assert_eq!(events(&mut out), vec![("a".into(), 1, 1), ("b".into(), 2, 2)]);
        assert_eq!(s.gap_deadline(Duration::from_secs(1)), None);
    }

    #[test]
    fn duplicate_lists_and_events_are_dropped() {
        let mut s = Sequencer::new(100);
        let mut out = VecDeque::new();
        s.rewound(Some(1), None, &mut out);
        s.push(list(1, &[("a", 1)]), Instant::now(), &mut out);
        s.push(list(1, &[("a", 1)]), Instant::now(), &mut out);
        s.push(list(3, &[("c", 3)]), Instant::now(), &mut out);
        s.push(list(3, &[("c", 3)]), Instant::now(), &mut out);
        // After a rewind the server replays "a" and "c" again under new indexes.
        s.rewound(Some(4), Some("t1".into()), &mut out);
        assert_eq!(s.first_held(), None);
        s.push(list(4, &[("b", 2), ("c", 3)]), Instant::now(), &mut out);
        s.push(list(5, &[("a", 1), ("a", 7)]), Instant::now(), &mut out);
        assert_eq!(
            events(&mut out),
            vec![("a".into(), 1, 1), ("b".into(), 2, 4), ("c".into(), 3, 4), ("a".into(), 7, 5)]
        );
    }

    #[test]
    fn reset_box_is_surfaced_and_forgets_sequence_numbers() {
        let mut s = Sequencer::new(100);
        let mut out = VecDeque::new();
        s.rewound(Some(1), None, &mut out);
        s.push(list(1, &[("a", 5)]), Instant::now(), &mut out);
        let mut reset = list(2, &[("a", 1)]);
        reset.nms_event.insert(0, NmsEvent { reset_box: Some(crate::wire::lenient::Present), ..Default::default() });
        s.push(reset, Instant::now(), &mut out);
        let kinds: Vec<&str> = out
            .iter()
            .map(|e| match e {
                WatchEvent::Event { .. } => "event",
                WatchEvent::Reset { .. } => "reset",
                WatchEvent::Checkpoint { .. } => "checkpoint",
                _ => "other",
            })
            .collect();
        assert_eq!(kinds, ["event", "checkpoint", "reset", "event", "checkpoint"]);
    }

    #[test]
    fn a_new_subscription_forgets_held_lists() {
        let mut s = Sequencer::new(100);
        let mut out = VecDeque::new();
        s.rewound(Some(1), None, &mut out);
        s.push(list(3, &[("c", 3)]), Instant::now(), &mut out);
        s.restarted(Some(1), Some("t1".into()), &mut out);
        assert_eq!(s.first_held(), None);
        assert_eq!(s.gap_deadline(Duration::from_secs(1)), None);
        s.push(list(1, &[("b", 2)]), Instant::now(), &mut out);
        assert_eq!(events(&mut out), vec![("b".into(), 2, 1)]);
    }

    #[test]
    fn skip_gap_without_token_moves_on() {
        let mut s = Sequencer::new(100);
        let mut out = VecDeque::new();
        s.rewound(Some(1), None, &mut out);
        s.push(list(3, &[("c", 3)]), Instant::now(), &mut out);
        s.skip_gap(&mut out);
        assert_eq!(events(&mut out), vec![("c".into(), 3, 3)]);
    }

    #[test]
    fn dedup_memory_is_bounded() {
        let mut d = Dedup::new(10);
        for i in 0..1000u64 {
            assert!(d.fresh(&format!("r{i}"), i + 1));
        }
        assert_eq!(d.len(), 10);
        assert!(d.order.len() <= 10 * 2 + 16);
        assert!(!d.fresh("r999", 1000));
        assert!(d.fresh("r0", 1), "evicted resources are forgotten");
    }
}
