//! Fault injection for notification delivery: drop, duplicate or reorder nmsEventLists when
//! they are queued on a channel, driven by a seeded PRNG so that test runs are reproducible.

/// Shares (0.0–1.0) of queued nmsEventLists that are dropped, queued twice, or held back and
/// emitted after the next one. All zero (the default) disables fault injection.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct FaultConfig {
    pub drop: f64,
    pub duplicate: f64,
    pub reorder: f64,
    pub seed: u64,
}

impl FaultConfig {
    pub fn is_active(&self) -> bool {
        self.drop > 0.0 || self.duplicate > 0.0 || self.reorder > 0.0
    }
}

/// What to do with one list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Deliver,
    Drop,
    Duplicate,
    /// Hold it and emit it after the next list queued on the same channel.
    Hold,
}

/// The decision maker: a SplitMix64 generator (tiny, deterministic, good enough for shares).
#[derive(Debug, Clone)]
pub struct Fault {
    config: FaultConfig,
    state: u64,
}

impl Fault {
    pub fn new(config: FaultConfig) -> Fault {
        Fault { config, state: config.seed }
    }

    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform value in [0, 1).
    fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn decide(&mut self) -> Action {
        if !self.config.is_active() {
            return Action::Deliver;
        }
        let r = self.next_f64();
        let c = self.config;
        if r < c.drop {
            Action::Drop
        } else if r < c.drop + c.duplicate {
            Action::Duplicate
        } else if r < c.drop + c.duplicate + c.reorder {
            Action::Hold
        } else {
            Action::Deliver
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inactive_always_delivers() {
        let mut f = Fault::new(FaultConfig::default());
        assert!((0..100).all(|_| f.decide() == Action::Deliver));
    }

    #[test]
    fn shares_are_roughly_respected_and_reproducible() {
        let cfg = FaultConfig { drop: 0.2, duplicate: 0.1, reorder: 0.1, seed: 42 };
        let run = || {
            let mut f = Fault::new(cfg);
            (0..10_000).map(|_| f.decide()).collect::<Vec<_>>()
        };
        let a = run();
        assert_eq!(a, run());
        let drops = a.iter().filter(|x| **x == Action::Drop).count();
        let dups = a.iter().filter(|x| **x == Action::Duplicate).count();
        let holds = a.iter().filter(|x| **x == Action::Hold).count();
        assert!((1700..2300).contains(&drops), "{drops}");
        assert!((800..1200).contains(&dups), "{dups}");
        assert!((800..1200).contains(&holds), "{holds}");
    }
}
