//! The messages of mcpd's socket protocol: a versioned hello, then JSON-RPC requests named here.
//! Daemon and clients share these types; tool payloads stay raw JSON.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::collections::HashMap;
use std::path::PathBuf;

/// Bumped on any incompatible change of the socket protocol.
pub const PROTOCOL: u32 = 1;

/// Method names of the socket protocol.
pub mod method {
    pub const HELLO: &str = "mcpd/hello";
    pub const STATUS: &str = "mcpd/status";
    pub const LOAD: &str = "mcpd/load";
    pub const UNLOAD: &str = "mcpd/unload";
    pub const RELOAD: &str = "mcpd/reload";
    pub const TOOLS: &str = "mcpd/tools";
    pub const CALL: &str = "mcpd/call";
    pub const LOGS: &str = "mcpd/logs";
    pub const STOP: &str = "mcpd/stop";
    /// Ranks the tools of the caller's servers against a query (`SearchParams` → `SearchResult`).
    pub const SEARCH: &str = "mcpd/search";
    /// Notification, client → daemon: `{"requestId": ID}` cancels a request of this connection.
    pub const CANCELLED: &str = "notifications/cancelled";
    /// Notification, daemon → client: progress of a `mcpd/call` that carried `_meta.progressToken`.
    pub const PROGRESS: &str = "notifications/progress";
}

/// Who is connecting; shown in logs.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ClientKind {
    Cli,
    Shim,
    Bench,
}

/// First message of every connection: the client's working directory and environment decide which
/// server definitions it sees and how `${VAR}` expands.
#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct Hello {
    pub protocol: u32,
    pub version: String,
    pub kind: ClientKind,
    pub pid: u32,
    pub cwd: PathBuf,
    pub env: HashMap<String, String>,
}

impl Hello {
    /// A hello describing the current process.
    pub fn from_current_process(kind: ClientKind) -> std::io::Result<Hello> {
        Ok(Hello {
            protocol: PROTOCOL,
            version: crate::VERSION.to_string(),
            kind,
            pid: std::process::id(),
            cwd: std::env::current_dir()?,
            env: std::env::vars().collect(),
        })
    }
}

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct HelloReply {
    pub protocol: u32,
    pub version: String,
    pub pid: u32,
}

#[derive(Serialize, Deserialize, Debug, Clone, Default)]
pub struct ServerParams {
    pub server: String,
}

#[derive(Serialize, Deserialize, Debug, Clone, Default)]
pub struct ToolsParams {
    #[serde(default)]
    pub server: Option<String>,
}

/// Parameters of `mcpd/call`. `arguments` and `_meta` are passed to the child as they are.
#[derive(Serialize, Deserialize, Debug)]
pub struct CallParams {
    pub server: String,
    pub tool: String,
    #[serde(default)]
    pub arguments: Option<Box<RawValue>>,
    #[serde(default, rename = "_meta")]
    pub meta: Option<Box<RawValue>>,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct LogsParams {
    pub server: String,
    #[serde(default = "default_log_lines")]
    pub lines: usize,
}

fn default_log_lines() -> usize {
    50
}

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct LogsResult {
    pub server: String,
    pub path: PathBuf,
    pub lines: Vec<String>,
}

/// The daemon itself, as `mcpd status` shows it.
#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct DaemonInfo {
    pub pid: u32,
    pub version: String,
    pub uptime_secs: u64,
    pub socket: PathBuf,
    pub log: PathBuf,
    pub home: PathBuf,
}

/// One server (running, or configured and stopped), as `mcpd status` shows it.
#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct ServerInfo {
    pub name: String,
    pub project: String,
    /// "stopped", "starting", "ready", "failed" or "invalid".
    pub state: String,
    pub pid: Option<u32>,
    pub uptime_secs: Option<u64>,
    pub restarts: u64,
    pub tools: Option<usize>,
    pub calls: u64,
    pub last_error: Option<String>,
    pub description: Option<String>,
    /// The sharing key: identical resolved definitions share one process.
    pub key: Option<String>,
    pub log: Option<PathBuf>,
    /// What the last reload did ("reloaded (new pid N): tools added: x") or why it failed.
    #[serde(default)]
    pub last_reload: Option<String>,
    /// What is watched for hot reload.
    #[serde(default)]
    pub watching: Option<String>,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct StatusResult {
    pub daemon: DaemonInfo,
    pub servers: Vec<ServerInfo>,
    /// Problems with the caller's config files.
    #[serde(default)]
    pub config_errors: Vec<String>,
}

/// `mcpd/load` and `mcpd/reload` answer with the server and its tools (raw MCP Tool objects).
#[derive(Serialize, Deserialize, Debug)]
pub struct LoadResult {
    pub server: ServerInfo,
    pub tools: Box<RawValue>,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct ServerTools {
    pub server: String,
    #[serde(default)]
    pub tools: Option<Box<RawValue>>,
    #[serde(default)]
    pub error: Option<String>,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct ToolsResult {
    pub servers: Vec<ServerTools>,
}

/// Parameters of `mcpd/search`.
#[derive(Serialize, Deserialize, Debug, Clone, Default)]
#[serde(rename_all = "camelCase")]
pub struct SearchParams {
    /// Free text; matched against tool names, titles, descriptions and parameters.
    pub query: String,
    /// Search only this server (as the caller names it); every configured server when absent.
    #[serde(default)]
    pub server: Option<String>,
    /// Most matches returned: default 5, at most 50.
    #[serde(default)]
    pub limit: Option<usize>,
}

/// The answer to `mcpd/search`: the best matches first.
#[derive(Serialize, Deserialize, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct SearchResult {
    pub matches: Vec<SearchMatch>,
    /// Servers whose tools could not be read (failed to start, invalid definition); not fatal.
    #[serde(default)]
    pub errors: Vec<ServerError>,
    /// Servers whose tools were searched (live, or from the on-disk cache), in config order.
    #[serde(default)]
    pub searched: Vec<String>,
}

#[derive(Serialize, Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct SearchMatch {
    pub server: String,
    /// Higher is better; only comparable within one search.
    pub score: f64,
    /// The child's Tool object, byte for byte (full inputSchema).
    pub tool: Box<RawValue>,
}

/// A server that could not be searched, and why.
#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct ServerError {
    pub server: String,
    pub error: String,
}
