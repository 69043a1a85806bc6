//! `mcpd shim` spawned as a client like Claude Code would run it (the bench's MCPD_HOME, a project
//! directory as its working directory) and spoken to over its stdin/stdout.

use super::direct::INITIALIZE_PARAMS;
use super::process::Piped;
use super::rpc::Conn;
use anyhow::{Result, bail};
use std::path::Path;
use std::process::{ChildStdin, ChildStdout, Command};
use std::time::{Duration, Instant};

/// The longest a shim may live; past it the watchdog kills it.
const LIFETIME: Duration = Duration::from_secs(150);

/// A running shim. Dropping it closes its stdin (the end of the session) and reaps it.
pub struct Shim {
    proc: Piped,
}

impl Shim {
    /// Spawns `EXE shim` in `cwd` with `MCPD_HOME=home`.
    pub fn spawn(exe: &Path, home: &Path, cwd: &Path) -> Result<Shim> {
        let mut cmd = Command::new(exe);
        cmd.arg("shim")
            .env("MCPD_HOME", home)
            .env_remove("MCPD_LOG")
            .env_remove("MCPD_MAX_MESSAGE_BYTES")
            .current_dir(cwd);
        Ok(Shim {
            proc: Piped::spawn(cmd, "the shim", LIFETIME)?,
        })
    }

    /// Spawns, then initialize, notifications/initialized and tools/list (checked to hold the
    /// call meta-tool), as a client does before its first call.
    pub fn ready(exe: &Path, home: &Path, cwd: &Path) -> Result<Shim> {
        let mut shim = Shim::spawn(exe, home, cwd)?;
        shim.initialize()?;
        shim.conn().notify("notifications/initialized", None)?;
        let tools = shim.tools_list()?;
        if !tools.contains(r#""name":"call_dynamic_server_tool""#) {
            bail!("the shim's tools/list has no call_dynamic_server_tool: {tools}");
        }
        Ok(shim)
    }

    pub fn spawned_at(&self) -> Instant {
        self.proc.spawned_at
    }

    pub fn pid(&self) -> u32 {
        self.proc.pid()
    }

    pub fn conn(&mut self) -> &mut Conn<ChildStdin, ChildStdout> {
        self.proc.conn()
    }

    /// `initialize`; returns the raw result.
    pub fn initialize(&mut self) -> Result<String> {
        self.conn().request("initialize", INITIALIZE_PARAMS)
    }

    /// `tools/list`; returns the raw result.
    pub fn tools_list(&mut self) -> Result<String> {
        self.conn().request("tools/list", "{}")
    }

    /// `call_dynamic_server_tool`; returns the raw CallToolResult.
    pub fn call(&mut self, server: &str, tool: &str, parameters: &str) -> Result<String> {
        self.conn()
            .request("tools/call", &call_params(server, tool, parameters))
    }
}

/// `tools/call` params of `call_dynamic_server_tool` with `parameters` already serialized.
pub fn call_params(server: &str, tool: &str, parameters: &str) -> String {
    format!(
        r#"{{"name":"call_dynamic_server_tool","arguments":{{"server_name":"{server}","tool_name":"{tool}","parameters":{parameters}}}}}"#
    )
}
