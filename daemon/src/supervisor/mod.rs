//! One supervisor per server definition: an actor task that owns the child instance and takes
//! control messages (acquire, stop, blue/green reload), restarts crashed children with back-off,
//! and a cheap handle the sessions hold.

mod actor;
mod backoff;
pub mod handle;
mod reload_loop;
mod starting;
mod state;
mod swap;
pub mod tool_diff;

pub use handle::ServerHandle;
pub use state::{ReloadNote, ServerState, Snapshot};
