//! The baseline: `mcpd example-server` spawned by the bench itself and spoken to over its own
//! stdin/stdout, as an MCP client would without mcpd.

use super::process::Piped;
use super::rpc::Conn;
use anyhow::{Context, Result, bail};
use serde_json::Value;
use std::path::Path;
use std::process::{ChildStdin, ChildStdout, Command};
use std::time::{Duration, Instant};

/// The longest a direct child may live; past it the watchdog kills it.
const LIFETIME: Duration = Duration::from_secs(150);

/// What the bench sends as `initialize` params, to the example server and to the shim alike.
pub const INITIALIZE_PARAMS: &str = r#"{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"mcpd-bench","version":"0"}}"#;

/// A child example server and the MCP connection to it. Dropping it ends the child.
pub struct Direct {
    proc: Piped,
    /// Taken just before the spawn.
    pub spawned_at: Instant,
}

impl Direct {
    /// Spawns `EXE example-server FLAGS` with piped stdin/stdout.
    pub fn spawn(exe: &Path, flags: &[&str]) -> Result<Direct> {
        let mut cmd = Command::new(exe);
        cmd.arg("example-server").args(flags);
        let proc = Piped::spawn(cmd, "the direct example server", LIFETIME)?;
        let spawned_at = proc.spawned_at;
        Ok(Direct { proc, spawned_at })
    }

    /// Spawns and completes the MCP handshake (see [`Direct::handshake`]).
    pub fn ready(exe: &Path, flags: &[&str]) -> Result<Direct> {
        let mut d = Direct::spawn(exe, flags)?;
        d.handshake()?;
        Ok(d)
    }

    pub fn conn(&mut self) -> &mut Conn<ChildStdin, ChildStdout> {
        self.proc.conn()
    }

    /// `initialize`; returns the raw result.
    pub fn initialize(&mut self) -> Result<String> {
        self.conn().request("initialize", INITIALIZE_PARAMS)
    }

    /// initialize, notifications/initialized, tools/list (what a client does before a call);
    /// checks that `echo` is listed.
    pub fn handshake(&mut self) -> Result<()> {
        self.initialize()?;
        let conn = self.conn();
        conn.notify("notifications/initialized", None)?;
        let tools = conn.request("tools/list", "{}")?;
        if !tools.contains(r#""name":"echo""#) {
            bail!("the direct example server's tools/list has no echo: {tools}");
        }
        Ok(())
    }

    /// Every page of `tools/list` (following `nextCursor`), as the raw results.
    pub fn tools_list_pages(&mut self) -> Result<Vec<String>> {
        let mut pages = Vec::new();
        let mut params = "{}".to_string();
        loop {
            let page = self.conn().request("tools/list", &params)?;
            let v: Value = serde_json::from_str(&page).context("tools/list result")?;
            let next = v
                .get("nextCursor")
                .and_then(Value::as_str)
                .map(str::to_owned);
            pages.push(page);
            match next {
                Some(cursor) => params = serde_json::json!({ "cursor": cursor }).to_string(),
                None => return Ok(pages),
            }
        }
    }

    /// A `tools/call`; returns the raw CallToolResult.
    pub fn call(&mut self, tool: &str, arguments: &str) -> Result<String> {
        let params = format!(r#"{{"name":"{tool}","arguments":{arguments}}}"#);
        self.conn().request("tools/call", &params)
    }
}
