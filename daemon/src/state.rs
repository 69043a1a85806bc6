//! The daemon's shared state: paths, options, the registry of servers, and the shutdown signal.

use crate::registry::Registry;
use mcpd_shim::paths::Paths;
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

/// Tunables, from flags and environment variables of `mcpd daemon`.
#[derive(Clone, Debug)]
pub struct Options {
    /// Largest message accepted on the socket or from a child.
    pub max_frame: usize,
    /// Each step of a child's shutdown (stdin closed, SIGTERM) waits this long before the next.
    pub stop_grace: Duration,
    /// Quiet period and longest wait before a burst of file changes reloads a server.
    pub debounce: crate::watch::Debounce,
    /// A replaced instance (reload) may finish its calls in flight for this long.
    pub drain_grace: Duration,
    /// A child's handshake may take at most this long (or its `timeout`, if shorter).
    pub handshake_timeout: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_frame: mcpd_shim::framing::DEFAULT_MAX_FRAME,
            stop_grace: Duration::from_secs(2),
            drain_grace: Duration::from_secs(30),
            debounce: crate::watch::Debounce::default(),
            handshake_timeout: Duration::from_secs(60),
        }
    }
}

impl Options {
    /// Defaults, overridden by `MCPD_MAX_MESSAGE_BYTES` when set.
    pub fn from_env() -> Result<Options, String> {
        let mut o = Options::default();
        if let Ok(v) = std::env::var("MCPD_MAX_MESSAGE_BYTES") {
            o.max_frame = v
                .trim()
                .parse()
                .ok()
                .filter(|n| *n >= 1024)
                .ok_or_else(|| format!("MCPD_MAX_MESSAGE_BYTES must be a number of bytes, at least 1024 (got '{v}')"))?;
        }
        if let Ok(v) = std::env::var("MCPD_RELOAD_DEBOUNCE_MS") {
            let ms: u64 = v.trim().parse().map_err(|_| {
                format!("MCPD_RELOAD_DEBOUNCE_MS must be a number of milliseconds (got '{v}')")
            })?;
            o.debounce.quiet = Duration::from_millis(ms);
            o.debounce.max_wait = o.debounce.max_wait.max(Duration::from_millis(ms * 4));
        }
        Ok(o)
    }
}

pub struct Daemon {
    pub paths: Paths,
    pub options: Options,
    pub registry: Registry,
    pub started: Instant,
    pub shutdown: CancellationToken,
}
