//! Server definitions: discovery, parsing, expansion, resolution.
//!
//! [`discover`] reads the config files visible from a client's working directory into a
//! [`ConfigSet`]; [`ConfigSet::get`] finds a [`ServerDef`] by name; [`ServerDef::resolve`] expands
//! it for the client that asked into a [`ResolvedServer`], whose [`ServerKey`] tells which
//! definitions can share one process.

mod discover;
pub mod edit;
mod entry;
mod error;
mod expand;
mod key;
mod model;
mod nearest;
mod parse;
mod resolve;

#[cfg(test)]
mod tests;

pub use discover::{ConfigSet, MCP_JSON_FILE, PROJECT_CONFIG_FILE, discover, find_upward};
pub use error::{ConfigError, LookupError};
pub use expand::{expand, expand_tilde};
pub use key::ServerKey;
pub use model::{ReloadMode, ServerDef, Source, SourceKind, Transport};
pub use nearest::{levenshtein, nearest};
pub use parse::{ParsedFile, parse_config, runs_mcpd_shim};
pub use resolve::{DEFAULT_TIMEOUT, ResolvedServer};
