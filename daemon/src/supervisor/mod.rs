//! One supervisor per server definition: an actor task that owns the child instance and takes
//! control messages (acquire, stop, reload), and a cheap handle the sessions hold.

mod actor;
pub mod handle;
mod state;

pub use handle::ServerHandle;
pub use state::{ServerState, Snapshot};
