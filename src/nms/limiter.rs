//! `--tps-limit`: a global cap on requests per second, as a token bucket holding one token
//! (GCRA): each request takes the next free slot, slots are `1/N` seconds apart, so no
//! second ever sees more than N requests however many tasks send at once.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The request slots of one client (shared by its clones).
#[derive(Debug)]
pub struct Limiter {
    interval: Duration,
    next: Mutex<Option<Instant>>,
}

impl Limiter {
    /// At most `per_second` requests per second (at least 1).
    pub fn new(per_second: u32) -> Limiter {
        let interval = Duration::from_secs(1) / per_second.max(1);
        Limiter { interval, next: Mutex::new(None) }
    }

    /// Takes the next slot at or after `now` and returns when it starts.
    pub fn reserve(&self, now: Instant) -> Instant {
        // A poisoned lock only means another request panicked while holding it; the slot
        // time inside is still valid.
        let mut next = self.next.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let at = next.map_or(now, |n| n.max(now));
        *next = Some(at + self.interval);
        at
    }

    /// Waits for this request's slot.
    pub async fn acquire(&self) {
        let at = self.reserve(Instant::now());
        tokio::time::sleep_until(tokio::time::Instant::from_std(at)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_spaced_by_the_limit() {
        let l = Limiter::new(4);
        let t0 = Instant::now();
        let slots: Vec<Duration> = (0..9).map(|_| l.reserve(t0) - t0).collect();
        // Nine requests at once at 4/s: 0, 250 ms, …, 2 s; never more than 4 in any second.
        assert_eq!(slots[0], Duration::ZERO);
        assert_eq!(slots[8], Duration::from_millis(2000));
        for w in slots.windows(5) {
            assert!(w[4] - w[0] >= Duration::from_secs(1), "{slots:?}");
        }
        // After a quiet spell the next request goes at once.
        let later = t0 + Duration::from_secs(10);
        assert_eq!(l.reserve(later), later);
    }

    /// Clients made for other boxes (a `stats` survey) take their slots from the same limiter:
    /// the cap is global, so four boxes at 4/s still make 4 requests a second, not 16.
    #[test]
    fn clients_for_other_boxes_share_the_slots() {
        let server = url::Url::parse("http://127.0.0.1:9").unwrap();
        let mut cfg = crate::nms::ClientConfig::new(server, "store", "tel:+1", crate::nms::Auth::None);
        cfg.tps_limit = Some(4);
        let a = crate::nms::NmsClient::new(cfg).unwrap();
        let b = a.for_box("tel:+2").unwrap();
        assert_eq!(b.box_id(), "tel:+2");
        assert!(b.base_url().as_str().ends_with("/nms/v1/store/tel%3A%2B2"), "{}", b.base_url());
        let t0 = Instant::now();
        let slot = |c: &crate::nms::NmsClient| c.inner.limiter.as_ref().unwrap().reserve(t0) - t0;
        assert_eq!(slot(&a), Duration::ZERO);
        assert_eq!(slot(&b), Duration::from_millis(250));
        assert_eq!(slot(&a), Duration::from_millis(500));
    }
}
