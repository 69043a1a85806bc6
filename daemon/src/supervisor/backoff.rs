//! Crash accounting for automatic restarts: exponential back-off (sub-second first, capped), a
//! reset after a sustained healthy uptime, and giving up after too many crashes in a window.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// First restart delay; doubles per crash in the window.
const FIRST: Duration = Duration::from_millis(250);
/// Longest restart delay.
const CAP: Duration = Duration::from_secs(30);
/// An instance up this long was healthy: its crash starts a fresh count.
const HEALTHY: Duration = Duration::from_secs(60);
/// Crashes counted within this window...
const WINDOW: Duration = Duration::from_secs(600);
/// ...up to this many before giving up (failed state until a call or a file change): about a
/// minute and a half of restarts, the last ones 30 s apart.
const MAX_CRASHES: usize = 10;

#[derive(Default, Debug)]
pub struct Backoff {
    crashes: VecDeque<Instant>,
}

/// What to do after a crash.
#[derive(Debug, PartialEq, Eq)]
pub enum Decision {
    RestartAfter(Duration),
    GiveUp { crashes: usize },
}

impl Backoff {
    /// Records a crash at `now` of an instance that had been up for `uptime`.
    pub fn crashed(&mut self, now: Instant, uptime: Duration) -> Decision {
        if uptime >= HEALTHY {
            self.crashes.clear();
        }
        while self
            .crashes
            .front()
            .is_some_and(|t| now.duration_since(*t) > WINDOW)
        {
            self.crashes.pop_front();
        }
        self.crashes.push_back(now);
        let n = self.crashes.len();
        if n >= MAX_CRASHES {
            return Decision::GiveUp { crashes: n };
        }
        let delay = FIRST.saturating_mul(1 << (n - 1).min(16) as u32).min(CAP);
        Decision::RestartAfter(delay)
    }

    /// A deliberate (re)start by a person, a call or a file change: forget the crash count.
    pub fn reset(&mut self) {
        self.crashes.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_then_it_gives_up() {
        let mut b = Backoff::default();
        let t0 = Instant::now();
        let quick = Duration::from_secs(1);
        let delays: Vec<Decision> = (0..10)
            .map(|i| b.crashed(t0 + Duration::from_secs(i), quick))
            .collect();
        assert_eq!(
            delays[0],
            Decision::RestartAfter(Duration::from_millis(250))
        );
        assert_eq!(
            delays[1],
            Decision::RestartAfter(Duration::from_millis(500))
        );
        assert_eq!(delays[4], Decision::RestartAfter(Duration::from_secs(4)));
        assert_eq!(delays[8], Decision::RestartAfter(Duration::from_secs(30)));
        assert_eq!(delays[9], Decision::GiveUp { crashes: 10 });
    }

    #[test]
    fn a_healthy_uptime_or_a_reset_starts_the_count_again() {
        let mut b = Backoff::default();
        let t0 = Instant::now();
        for i in 0..4 {
            b.crashed(t0 + Duration::from_secs(i), Duration::from_secs(1));
        }
        assert_eq!(
            b.crashed(t0 + Duration::from_secs(100), Duration::from_secs(90)),
            Decision::RestartAfter(Duration::from_millis(250))
        );
        b.crashed(t0 + Duration::from_secs(101), Duration::from_secs(1));
        b.reset();
        assert_eq!(
            b.crashed(t0 + Duration::from_secs(102), Duration::from_secs(1)),
            Decision::RestartAfter(Duration::from_millis(250))
        );
    }

    #[test]
    fn the_delay_is_capped() {
        let mut b = Backoff::default();
        let t0 = Instant::now();
        let mut last = Decision::RestartAfter(Duration::ZERO);
        for i in 0..5 {
            last = b.crashed(t0 + Duration::from_millis(i), Duration::ZERO);
        }
        assert!(matches!(last, Decision::RestartAfter(d) if d <= CAP));
    }
}
