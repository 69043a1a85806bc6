//! `get_loaded_servers`: every server the agent can use here (configured and running), with
//! state, tools, pid, uptime, restarts and last error.

use super::Ctx;
use super::outcome::{Outcome, describe};
use crate::wire::{ServerInfo, StatusResult, method};

pub async fn run(ctx: &Ctx) -> Result<Outcome, String> {
    let raw = match ctx.link.request(method::STATUS, "{}").await {
        Ok(r) => r,
        Err(e) => return Ok(Outcome::error(describe(e))),
    };
    let status: StatusResult = serde_json::from_str(raw.get())
        .map_err(|e| format!("unexpected answer from the daemon: {e}"))?;
    if status.servers.is_empty() && status.config_errors.is_empty() {
        return Ok(Outcome::text(
            "No MCP servers are configured here. Add them to .mcpd.json (mcpServers: name -> command, args) in the project.",
        ));
    }
    let mut text = format!(
        "{} server(s). Use load_mcp_server_dynamically to see a server's tools.",
        status.servers.len()
    );
    for s in &status.servers {
        text.push_str(&format!("\n- {}", line(s)));
    }
    for e in &status.config_errors {
        text.push_str(&format!("\nconfig error: {e}"));
    }
    Ok(Outcome::text(text))
}

fn line(s: &ServerInfo) -> String {
    let mut parts = vec![s.state.clone()];
    if let Some(n) = s.tools {
        parts.push(format!("{n} tools"));
    }
    if let Some(p) = s.pid {
        parts.push(format!("pid {p}"));
    }
    if let Some(u) = s.uptime_secs {
        parts.push(format!("up {u}s"));
    }
    if s.restarts > 0 {
        parts.push(format!("{} restarts", s.restarts));
    }
    let mut out = format!("{} [{}]", s.name, parts.join(", "));
    if let Some(d) = &s.description {
        out.push_str(&format!(": {d}"));
    }
    if let Some(r) = &s.last_reload {
        out.push_str(&format!("\n  last reload: {}", r.replace('\n', "\n  ")));
    }
    if let Some(w) = &s.watching {
        out.push_str(&format!("\n  watching: {w}"));
    }
    if let Some(e) = &s.last_error {
        out.push_str(&format!("\n  last error: {}", e.replace('\n', "\n  ")));
    }
    out
}
