//! The types of a server definition as read from a config file (strings kept as written, unexpanded).

use std::fmt;
use std::path::{Path, PathBuf};

use indexmap::IndexMap;

/// Which of the three config files a definition came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SourceKind {
    /// The nearest `.mcpd.json` from the client's working directory upward.
    ProjectMcpd,
    /// The user config file (`$MCPD_HOME/config.json`).
    User,
    /// The nearest `.mcp.json` from the client's working directory upward (read only).
    ProjectMcpJson,
}

impl fmt::Display for SourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SourceKind::ProjectMcpd => ".mcpd.json",
            SourceKind::User => "user config",
            SourceKind::ProjectMcpJson => ".mcp.json",
        })
    }
}

/// The file a definition came from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Source {
    pub kind: SourceKind,
    /// The config file itself.
    pub path: PathBuf,
}

impl Source {
    /// The folder holding the file: a server's default working directory.
    pub fn folder(&self) -> &Path {
        match self.path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        }
    }
}

/// How mcpd talks to a server.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Transport {
    /// A child process speaking newline-delimited JSON-RPC on stdin/stdout.
    #[default]
    Stdio,
    /// Streamable HTTP at `url`.
    Http,
    /// The older HTTP+SSE transport at `url`.
    Sse,
}

impl Transport {
    /// The value of the `type` key that selects this transport.
    pub fn as_str(self) -> &'static str {
        match self {
            Transport::Stdio => "stdio",
            Transport::Http => "http",
            Transport::Sse => "sse",
        }
    }
}

impl fmt::Display for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a change under the watched paths restarts the server by itself.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ReloadMode {
    /// Restart on change (the default).
    #[default]
    Auto,
    /// Restart only when asked (`reload_mcp_server`, `mcpd reload`).
    Manual,
}

impl ReloadMode {
    /// The value of the `reload` key that selects this mode.
    pub fn as_str(self) -> &'static str {
        match self {
            ReloadMode::Auto => "auto",
            ReloadMode::Manual => "manual",
        }
    }
}

impl fmt::Display for ReloadMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One entry of `mcpServers`, validated but not expanded: `${VAR}` and `~` are still as written.
/// [`ServerDef::resolve`] turns it into something runnable for one client's environment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerDef {
    pub name: String,
    pub source: Source,
    /// Required for stdio servers.
    pub command: Option<String>,
    pub args: Vec<String>,
    pub env: IndexMap<String, String>,
    /// As written; `None` means the folder of the defining file.
    pub cwd: Option<String>,
    pub transport: Transport,
    /// Required for http and sse servers.
    pub url: Option<String>,
    pub headers: IndexMap<String, String>,
    /// Paths or globs whose changes restart the server.
    pub watch: Vec<String>,
    /// Globs excluded from `watch`.
    pub ignore: Vec<String>,
    pub reload: ReloadMode,
    /// Per-call timeout in milliseconds; `None` means the default.
    pub timeout_ms: Option<u64>,
    pub description: Option<String>,
}
