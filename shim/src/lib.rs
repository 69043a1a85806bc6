//! The client side of mcpd's local socket: wire types, paths, framing and connect-or-autostart.
//!
//! The daemon and the CLI depend on this crate; it never depends on the daemon, so the shim stays small.

pub mod autostart;
pub mod client;
pub mod clock;
pub mod framing;
pub mod jsonrpc;
pub mod link;
pub mod paths;
pub mod process;
pub mod server;
pub mod signature;
pub mod wire;

/// mcpd's version, sent in every hello so that an outdated daemon can be spotted.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
