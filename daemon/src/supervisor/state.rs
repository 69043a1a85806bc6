//! What a supervisor publishes about its server for status displays and for sessions.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServerState {
    /// Not running (never started, unloaded, or stopped).
    Stopped,
    Starting,
    Ready,
    /// Crashed; a restart is scheduled after a back-off.
    Restarting,
    /// The last start failed, or it crashed too often; the next call or file change tries again.
    Failed,
}

impl fmt::Display for ServerState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ServerState::Stopped => "stopped",
            ServerState::Starting => "starting",
            ServerState::Ready => "ready",
            ServerState::Restarting => "restarting",
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
    /// Bumped by every reload attempt that finished (swapped or failed); sessions compare it
    /// with what they have seen to tell the agent once.
    pub reload_seq: u64,
    /// What the last reload changed ("added x; removed y"), or why it failed.
    pub last_reload: Option<ReloadNote>,
    /// What is watched for hot reload, for status displays.
    pub watching: Option<String>,
}

/// The outcome of one reload, as told to the agent.
#[derive(Clone, Debug)]
pub struct ReloadNote {
    pub ok: bool,
    /// The tool list differs from the previous instance's.
    pub tools_changed: bool,
    pub text: String,
}

impl Default for Snapshot {
    fn default() -> Self {
        Snapshot {
            state: ServerState::Stopped,
            restarts: 0,
            last_error: None,
            reload_seq: 0,
            last_reload: None,
            watching: None,
        }
    }
}
