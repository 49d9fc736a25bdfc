//! How long duct's final waits may last: each wait has its own deadline, and a signal that comes after the
//! command has ended (SIGTERM from a batch system, Ctrl-C from a person) may bring all of them forward at once.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A handle on the run's final waits, shared by those who wait (the log files, info.json) and the one who
/// hurries them (signals::hurry_on).
#[derive(Clone, Default)]
pub struct Hurry(Arc<Mutex<Option<Instant>>>);

impl Hurry {
    /// `deadline`, or sooner if duct was asked to hurry.
    fn limit(&self, deadline: Instant) -> Instant {
        match *self.0.lock().unwrap_or_else(|e| e.into_inner()) {
            Some(h) => h.min(deadline),
            None => deadline,
        }
    }

    /// The time left until `deadline`, or until the sooner end a signal set; zero once it has passed.
    pub fn left(&self, deadline: Instant) -> Duration {
        self.limit(deadline).saturating_duration_since(Instant::now())
    }

    /// Every wait ends by `until` at the latest.
    pub fn by(&self, until: Instant) {
        let mut h = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *h = Some(h.map_or(until, |old| old.min(until)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_earliest_hurry_wins_and_never_extends_a_deadline() {
        let h = Hurry::default();
        let now = Instant::now();
        let far = now + Duration::from_secs(100);
        assert_eq!(h.limit(far), far);
        h.by(now + Duration::from_secs(10));
        h.clone().by(now + Duration::from_secs(50));
        assert_eq!(h.limit(far), now + Duration::from_secs(10));
        assert_eq!(h.limit(now), now);
        assert!(h.left(far) <= Duration::from_secs(10));
        h.by(now);
        assert_eq!(h.left(far), Duration::ZERO);
    }
}
