//! Server definitions: discovery, parsing, expansion, resolution.
//!
//! [`discover`] reads the config files visible from a client's working directory into a
//! [`ConfigSet`]; [`ConfigSet::get`] finds a [`ServerDef`] by name; [`ServerDef::resolve`] expands
//! it for the client that asked into a [`ResolvedServer`], whose [`ServerKey`] tells which
//! definitions can share one process. [`LastGood`] keeps each file's last version that parsed,
//! to stand in for it while an edit leaves it broken.

mod discover;
pub mod edit;
mod entry;
mod error;
mod expand;
mod key;
mod last_good;
mod model;
mod nearest;
mod parse;
mod resolve;

#[cfg(test)]
mod tests;

pub use discover::{
    ConfigSet, MCP_JSON_FILE, PROJECT_CONFIG_FILE, discover, discover_with, find_upward,
    read_config_file,
};
pub use error::{ConfigError, LookupError};
pub use expand::{expand, expand_tilde};
pub use key::ServerKey;
pub use last_good::LastGood;
pub use model::{ReloadMode, ServerDef, Source, SourceKind, Transport};
pub use nearest::{levenshtein, nearest};
pub use parse::{ParsedFile, parse_config, runs_mcpd_shim};
pub use resolve::{DEFAULT_TIMEOUT, ResolvedServer};
