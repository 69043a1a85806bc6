//! Errors: a problem in a config file ([`ConfigError`]) and a failed lookup by name ([`LookupError`]).

use std::fmt;
use std::path::PathBuf;

/// A problem in one config file: which file, where in it, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub file: PathBuf,
    /// Key path such as `mcpServers.github.args[2]`; empty when the problem is the whole file.
    pub key: String,
    pub problem: String,
}

impl ConfigError {
    pub fn new(
        file: impl Into<PathBuf>,
        key: impl Into<String>,
        problem: impl Into<String>,
    ) -> Self {
        ConfigError {
            file: file.into(),
            key: key.into(),
            problem: problem.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.key.is_empty() {
            write!(f, "{}: {}", self.file.display(), self.problem)
        } else {
            write!(f, "{}: {}: {}", self.file.display(), self.key, self.problem)
        }
    }
}

impl std::error::Error for ConfigError {}

/// Why [`ConfigSet::get`](super::ConfigSet::get) found no usable definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LookupError {
    /// No config file defines the name.
    Unknown {
        name: String,
        /// Every configured name, sorted.
        known: Vec<String>,
        /// The closest configured name, when one is close enough to be a likely typo.
        nearest: Option<String>,
        /// Whole-file problems (bad JSON, unreadable file) that may explain the miss.
        file_errors: Vec<String>,
    },
    /// The name is defined, but its first (winning) definition is invalid.
    Invalid(ConfigError),
}

impl fmt::Display for LookupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LookupError::Invalid(err) => err.fmt(f),
            LookupError::Unknown {
                name,
                known,
                nearest,
                file_errors,
            } => {
                write!(f, "unknown server '{name}'")?;
                let sep = match nearest {
                    Some(near) => {
                        write!(f, "; did you mean '{near}'?")?;
                        " "
                    }
                    None => "; ",
                };
                if known.is_empty() {
                    write!(
                        f,
                        "{sep}no servers are configured (define them under \"mcpServers\" in \
                         .mcpd.json, the user config or .mcp.json)"
                    )?;
                } else {
                    write!(f, "{sep}configured: {}", known.join(", "))?;
                }
                for err in file_errors {
                    write!(f, "\n{err}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for LookupError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            LookupError::Invalid(err) => Some(err),
            LookupError::Unknown { .. } => None,
        }
    }
}
