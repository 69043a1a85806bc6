//! Order statistics over timing samples, and how durations and rates are printed.

use std::time::Duration;

/// Samples, sorted once.
pub struct Samples(Vec<Duration>);

impl Samples {
    pub fn new(mut v: Vec<Duration>) -> Samples {
        assert!(!v.is_empty(), "no samples");
        v.sort_unstable();
        Samples(v)
    }

    /// The nearest-rank percentile `p` (0 < p ≤ 100).
    pub fn percentile(&self, p: f64) -> Duration {
        let rank = ((p / 100.0) * self.0.len() as f64).ceil() as usize;
        self.0[rank.clamp(1, self.0.len()) - 1]
    }

    pub fn median(&self) -> Duration {
        self.percentile(50.0)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }
}

/// `87 µs`, `1.42 ms`, `2.10 s`.
pub fn fmt_duration(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us < 1000.0 {
        format!("{us:.0} µs")
    } else if us < 1e6 {
        format!("{:.2} ms", us / 1e3)
    } else {
        format!("{:.2} s", us / 1e6)
    }
}

/// A signed difference in microseconds: `+42 µs`.
pub fn fmt_added(direct: Duration, daemon: Duration) -> String {
    let added = daemon.as_secs_f64() * 1e6 - direct.as_secs_f64() * 1e6;
    format!("{added:+.0} µs")
}

/// `12 345 calls/s`.
pub fn fmt_rate(rate: f64) -> String {
    format!("{rate:.0} calls/s")
}

/// Memory given in KiB (as /proc reports it), printed in MB of 10^6 bytes.
pub fn fmt_kib(kib: u64) -> String {
    format!("{:.1} MB", kib_to_mb(kib))
}

/// KiB to MB (10^6 bytes).
pub fn kib_to_mb(kib: u64) -> f64 {
    kib as f64 * 1024.0 / 1e6
}

/// `daemon / direct` as `×1.23`.
pub fn fmt_factor(direct: Duration, daemon: Duration) -> String {
    format!("×{:.2}", daemon.as_secs_f64() / direct.as_secs_f64())
}
