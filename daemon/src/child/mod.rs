//! One running child MCP server process: spawn, handshake, request routing, stderr capture, shutdown.

pub mod exit;
pub mod handshake;
pub mod instance;
pub mod orphans;
pub mod process_group;
pub mod reader;
pub mod spawn;
pub mod stderr;
pub mod writer;

pub use instance::{CallOutcome, Instance, PendingCall};
