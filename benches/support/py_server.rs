//! The hot-reload subject: a plain-Python stdio MCP server (no dependencies) with one tool,
//! `version`, whose answer tells which version of the file runs and when that process reached
//! its first line, got `initialize` and answered `tools/list` (CLOCK_MONOTONIC, the bench's
//! [`monotonic_secs`](super::cpu::monotonic_secs)). Saved atomically (temp file, rename), and
//! spawned directly for its own start-to-ready time.

use super::cpu::monotonic_secs;
use super::direct::INITIALIZE_PARAMS;
use super::process::Piped;
use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// How `.mcpd.json` runs it (and how the bench spawns it directly): `python3 server.py`.
pub const COMMAND: &str = "python3";
pub const SCRIPT: &str = "server.py";

const SOURCE: &str = r#""""mcpd-bench hot-reload subject: a stdio MCP server with one tool, `version`."""
import json
import os
import sys
import time

TOP = time.monotonic()
VERSION = @VERSION@
TOOL = {
    "name": "version",
    "description": "Which version of server.py answers, and when its process came up.",
    "inputSchema": {"type": "object", "properties": {}},
}


def main():
    marks = {"version": VERSION, "pid": os.getpid(), "top": TOP}
    out = sys.stdout.buffer
    for line in iter(sys.stdin.buffer.readline, b""):
        try:
            msg = json.loads(line)
        except ValueError:
            continue
        if not isinstance(msg, dict) or "id" not in msg or "method" not in msg:
            continue
        method, params = msg["method"], msg.get("params") or {}
        reply = {"jsonrpc": "2.0", "id": msg["id"]}
        if method == "initialize":
            marks["init"] = time.monotonic()
            reply["result"] = {
                "protocolVersion": params.get("protocolVersion", "2025-06-18"),
                "capabilities": {"tools": {}},
                "serverInfo": {"name": "mcpd-bench-reload", "version": str(VERSION)},
            }
        elif method == "tools/list":
            marks["listed"] = time.monotonic()
            reply["result"] = {"tools": [TOOL]}
        elif method == "tools/call" and params.get("name") == "version":
            reply["result"] = {"content": [{"type": "text", "text": json.dumps(marks)}]}
        elif method == "ping":
            reply["result"] = {}
        else:
            reply["error"] = {"code": -32601, "message": "unknown method " + str(method)}
        out.write(json.dumps(reply).encode() + b"\n")
        out.flush()


main()
"#;

/// What `version` answers: the file's version, the process, and its CLOCK_MONOTONIC marks.
#[derive(Deserialize, Debug, Clone, Copy)]
pub struct Marks {
    pub version: u64,
    pub pid: u32,
    /// First line of the script ran (the interpreter is up).
    pub top: f64,
    /// `tools/list` answered (the end of its handshake).
    pub listed: Option<f64>,
}

/// `.mcpd.json`'s entry for the server.
pub fn config() -> serde_json::Value {
    serde_json::json!({ "command": COMMAND, "args": [SCRIPT] })
}

/// Writes version `version` of `server.py` into `dir` as an editor does: a temp file, renamed
/// over the old one.
pub fn save(dir: &Path, version: u64) -> Result<()> {
    let temp = dir.join(format!("{SCRIPT}.tmp"));
    let text = SOURCE.replace("@VERSION@", &version.to_string());
    std::fs::write(&temp, text).with_context(|| format!("writing {}", temp.display()))?;
    std::fs::rename(&temp, dir.join(SCRIPT)).context("renaming server.py.tmp over server.py")
}

/// The marks in a `version` CallToolResult (raw), or why there are none.
pub fn parse_answer(raw: &str) -> Result<Marks> {
    let v: serde_json::Value = serde_json::from_str(raw)?;
    if v["isError"] == true {
        bail!("isError result: {}", super::rpc::glimpse(raw.as_bytes()));
    }
    let blocks = v["content"].as_array().context("no content")?;
    // A reload note may ride along in another block: take the one the server wrote.
    blocks
        .iter()
        .filter_map(|b| b["text"].as_str())
        .find_map(|t| serde_json::from_str::<Marks>(t).ok())
        .with_context(|| format!("no version in {}", super::rpc::glimpse(raw.as_bytes())))
}

/// One direct start: spawn to `tools/list` answered, and the child's own marks.
pub struct DirectStart {
    pub ready: Duration,
    /// Spawn to the script's first line (the interpreter's start).
    pub to_top: Duration,
    /// The script's first line to `tools/list` answered.
    pub top_to_listed: Duration,
}

/// Spawns `python3 server.py` in `dir` as an MCP client would (initialize, initialized,
/// tools/list), times it to ready, then asks `version` (untimed) for the child's marks.
pub fn start_directly(dir: &Path) -> Result<DirectStart> {
    let mut cmd = Command::new(COMMAND);
    cmd.arg(SCRIPT).current_dir(dir);
    let spawn_mono = monotonic_secs();
    let mut proc = Piped::spawn(cmd, "python3 server.py", Duration::from_secs(30))?;
    let conn = proc.conn();
    conn.request("initialize", INITIALIZE_PARAMS)?;
    conn.notify("notifications/initialized", None)?;
    let tools = conn.request("tools/list", "{}")?;
    let ready = proc.spawned_at.elapsed();
    if !tools.contains(r#""name": "version""#) {
        bail!("python3 server.py lists no version tool: {tools}");
    }
    let answer = proc
        .conn()
        .request("tools/call", r#"{"name":"version","arguments":{}}"#)?;
    let marks = parse_answer(&answer)?;
    let listed = marks.listed.context("no tools/list mark")?;
    Ok(DirectStart {
        ready,
        to_top: secs(marks.top - spawn_mono),
        top_to_listed: secs(listed - marks.top),
    })
}

/// A non-negative difference of CLOCK_MONOTONIC readings as a Duration.
pub fn secs(s: f64) -> Duration {
    Duration::from_secs_f64(s.max(0.0))
}
