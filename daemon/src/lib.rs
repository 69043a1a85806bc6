//! mcpd's daemon: everything long-running (config, supervisor, sessions, socket server).

pub mod catalog;
pub mod child;
pub mod config_reload;
pub use mcpd_config as config;
pub use mcpd_shim::clock;
pub mod lock;
pub mod logging;
pub mod memory;
pub mod registry;
pub mod server;
pub mod session;
pub mod socket;
pub mod state;
pub mod supervisor;
pub mod watch;

pub use server::run;
pub use state::Options;
pub use tokio_util::sync::CancellationToken;
