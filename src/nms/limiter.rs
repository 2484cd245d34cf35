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
}
