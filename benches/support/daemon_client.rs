//! A blocking client of the daemon's socket: `mcpd/hello` from the project directory with the
//! bench's environment, then `mcpd/*` requests one at a time or pipelined.

use super::rpc::Conn;
use anyhow::{Context, Result, bail};
use mcpd_shim::wire::{
    ClientKind, Hello, HelloReply, LoadResult, LogsResult, PROTOCOL, ServerInfo, StatusResult,
    method,
};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::Duration;

pub struct DaemonClient {
    conn: Conn<UnixStream, UnixStream>,
}

impl DaemonClient {
    /// Connects to `socket` and says hello as a client working in `cwd`.
    pub fn connect(socket: &Path, cwd: &Path) -> Result<DaemonClient> {
        let stream = UnixStream::connect(socket)
            .with_context(|| format!("connecting to {}", socket.display()))?;
        // A daemon that stops answering fails the bench instead of hanging it.
        stream.set_read_timeout(Some(Duration::from_secs(60)))?;
        let reader = stream.try_clone()?;
        let mut conn = Conn::new("the daemon", stream, reader);
        let hello = Hello {
            protocol: PROTOCOL,
            version: mcpd_shim::VERSION.to_string(),
            kind: ClientKind::Bench,
            pid: std::process::id(),
            cwd: cwd.to_path_buf(),
            env: std::env::vars().collect(),
        };
        let reply = conn.request(method::HELLO, &serde_json::to_string(&hello)?)?;
        let reply: HelloReply =
            serde_json::from_str(&reply).with_context(|| format!("bad hello reply: {reply}"))?;
        if reply.protocol != PROTOCOL {
            bail!("the daemon speaks protocol {}", reply.protocol);
        }
        Ok(DaemonClient { conn })
    }

    pub fn conn(&mut self) -> &mut Conn<UnixStream, UnixStream> {
        &mut self.conn
    }

    /// `mcpd/call`; returns the child's raw CallToolResult.
    pub fn call(&mut self, server: &str, tool: &str, arguments: &str) -> Result<String> {
        self.conn
            .request(method::CALL, &call_params(server, tool, arguments))
    }

    /// `mcpd/load`: starts the server (or finds it running); answers once it is ready.
    pub fn load(&mut self, server: &str) -> Result<LoadResult> {
        let raw = self
            .conn
            .request(method::LOAD, &server_params(server))
            .with_context(|| format!("loading {server}"))?;
        serde_json::from_str(&raw).with_context(|| format!("bad mcpd/load result: {raw}"))
    }

    /// `mcpd/status`: the daemon and the servers as this client sees them.
    pub fn status(&mut self) -> Result<StatusResult> {
        let raw = self.conn.request(method::STATUS, "{}")?;
        serde_json::from_str(&raw).with_context(|| format!("bad mcpd/status result: {raw}"))
    }

    /// The status record of `server` (as this client names it).
    pub fn server_status(&mut self, server: &str) -> Result<ServerInfo> {
        self.status()?
            .servers
            .into_iter()
            .find(|s| s.name == server)
            .with_context(|| format!("mcpd/status does not list {server}"))
    }

    /// The last `lines` lines of `server`'s log (its stderr and mcpd's notes about it).
    pub fn log_tail(&mut self, server: &str, lines: usize) -> Result<Vec<String>> {
        let params = serde_json::json!({ "server": server, "lines": lines }).to_string();
        let raw = self.conn.request(method::LOGS, &params)?;
        let logs: LogsResult =
            serde_json::from_str(&raw).with_context(|| format!("bad mcpd/logs result: {raw}"))?;
        Ok(logs.lines)
    }

    /// `mcpd/unload`: answers once the child is gone.
    pub fn unload(&mut self, server: &str) -> Result<ServerInfo> {
        let raw = self
            .conn
            .request(method::UNLOAD, &server_params(server))
            .with_context(|| format!("unloading {server}"))?;
        serde_json::from_str(&raw).with_context(|| format!("bad mcpd/unload result: {raw}"))
    }
}

/// `mcpd/call` params with `arguments` already serialized.
pub fn call_params(server: &str, tool: &str, arguments: &str) -> String {
    format!(r#"{{"server":"{server}","tool":"{tool}","arguments":{arguments}}}"#)
}

fn server_params(server: &str) -> String {
    serde_json::json!({ "server": server }).to_string()
}
