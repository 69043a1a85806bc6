//! What a supervisor publishes about its server for status displays.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServerState {
    /// Not running (never started, unloaded, or stopped).
    Stopped,
    Starting,
    Ready,
    /// The last start failed or the child exited unexpectedly; the next call starts it again.
    Failed,
}

impl fmt::Display for ServerState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ServerState::Stopped => "stopped",
            ServerState::Starting => "starting",
            ServerState::Ready => "ready",
            ServerState::Failed => "failed",
        })
    }
}

/// The supervisor's bookkeeping, readable without a round trip to the actor.
#[derive(Clone, Debug)]
pub struct Snapshot {
    pub state: ServerState,
    /// Starts after the first one (crash recoveries and reloads).
    pub restarts: u64,
    pub last_error: Option<String>,
}

impl Default for Snapshot {
    fn default() -> Self {
        Snapshot {
            state: ServerState::Stopped,
            restarts: 0,
            last_error: None,
        }
    }
}
