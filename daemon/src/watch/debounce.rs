//! Debouncing: many file events become one [`ChangeBatch`], fired after a quiet period but never
//! later than `max_wait` after the first event of the burst. A pure state machine over
//! [`Instant`]s, driven by the worker thread.

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// How long to wait before reporting a burst of changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Debounce {
    /// Fire once no event has arrived for this long.
    pub quiet: Duration,
    /// ... but never later than this after the first event of a burst.
    pub max_wait: Duration,
}

impl Default for Debounce {
    fn default() -> Self {
        Debounce {
            quiet: Duration::from_millis(300),
            max_wait: Duration::from_secs(2),
        }
    }
}

/// One debounced burst of changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChangeBatch {
    /// The first few changed paths, for logs.
    pub paths: Vec<PathBuf>,
    /// How many distinct paths changed.
    pub count: usize,
}

/// How many paths a [`ChangeBatch`] names.
const SAMPLE: usize = 10;

/// The pending burst, if any.
#[derive(Debug)]
pub(super) struct Debouncer {
    config: Debounce,
    first: Option<Instant>,
    last: Option<Instant>,
    seen: HashSet<PathBuf>,
    sample: Vec<PathBuf>,
}

impl Debouncer {
    pub(super) fn new(config: Debounce) -> Self {
        Debouncer {
            config,
            first: None,
            last: None,
            seen: HashSet::new(),
            sample: Vec::new(),
        }
    }

    /// Notes a change to `path` seen at `now`.
    pub(super) fn record(&mut self, path: PathBuf, now: Instant) {
        self.first.get_or_insert(now);
        self.last = Some(now);
        if self.sample.len() < SAMPLE && !self.seen.contains(&path) {
            self.sample.push(path.clone());
        }
        self.seen.insert(path);
    }

    /// When the pending burst is due; `None` when nothing is pending.
    pub(super) fn deadline(&self) -> Option<Instant> {
        let (first, last) = (self.first?, self.last?);
        Some((last + self.config.quiet).min(first + self.config.max_wait))
    }

    /// The pending burst when it is due at `now`, leaving nothing pending.
    pub(super) fn take_due(&mut self, now: Instant) -> Option<ChangeBatch> {
        if self.deadline()? > now {
            return None;
        }
        self.first = None;
        self.last = None;
        let count = self.seen.len();
        self.seen.clear();
        Some(ChangeBatch {
            paths: std::mem::take(&mut self.sample),
            count,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn debouncer() -> Debouncer {
        Debouncer::new(Debounce {
            quiet: ms(300),
            max_wait: ms(2000),
        })
    }

    #[test]
    fn nothing_pending_means_no_deadline() {
        let mut d = debouncer();
        assert_eq!(d.deadline(), None);
        assert_eq!(d.take_due(Instant::now()), None);
    }

    #[test]
    fn a_burst_fires_once_after_the_quiet_period() {
        let mut d = debouncer();
        let t0 = Instant::now();
        for i in 0..50 {
            d.record(PathBuf::from(format!("f{i}")), t0 + ms(i * 5));
        }
        let last = t0 + ms(49 * 5);
        assert_eq!(d.deadline(), Some(last + ms(300)));
        assert_eq!(d.take_due(last + ms(299)), None);
        let batch = d.take_due(last + ms(300)).expect("due");
        assert_eq!(batch.count, 50);
        assert_eq!(batch.paths.len(), SAMPLE);
        assert_eq!(batch.paths[0], PathBuf::from("f0"));
        assert_eq!(d.deadline(), None);
        assert_eq!(d.take_due(last + ms(10_000)), None);
    }

    #[test]
    fn a_steady_stream_fires_at_max_wait() {
        let mut d = debouncer();
        let t0 = Instant::now();
        let mut fired = Vec::new();
        // An event every 100 ms for 5 s: never quiet for 300 ms.
        for i in 0..50u64 {
            let now = t0 + ms(i * 100);
            if let Some(batch) = d.take_due(now) {
                fired.push((now - t0, batch.count));
            }
            d.record(PathBuf::from("same"), now);
        }
        assert_eq!(
            fired,
            vec![(ms(2000), 1), (ms(4000), 1)],
            "max_wait counts from the first event of each burst"
        );
    }

    #[test]
    fn repeated_paths_count_once() {
        let mut d = debouncer();
        let t0 = Instant::now();
        for _ in 0..3 {
            d.record(PathBuf::from("a"), t0);
            d.record(PathBuf::from("b"), t0);
        }
        let batch = d.take_due(t0 + ms(300)).expect("due");
        assert_eq!(batch.count, 2);
        assert_eq!(batch.paths, vec![PathBuf::from("a"), PathBuf::from("b")]);
    }

    #[test]
    fn the_default_is_300_ms_quiet_and_2_s_at_most() {
        let d = Debounce::default();
        assert_eq!((d.quiet, d.max_wait), (ms(300), ms(2000)));
    }
}
