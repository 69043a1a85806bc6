//! `load_mcp_server_dynamically`: starts (or reuses) a server and lists its tools as compact
//! signatures with the first line of each description.

use super::Ctx;
use super::args::Args;
use super::outcome::{Outcome, describe};
use crate::signature::{signature, summary};
use crate::wire::{LoadResult, ServerParams, method};

pub async fn run(args: &Args, ctx: &Ctx) -> Result<Outcome, String> {
    let server = args.string("server_name")?;
    let params = serde_json::to_string(&ServerParams {
        server: server.clone(),
    })
    .map_err(|e| e.to_string())?;
    match ctx.link.request(method::LOAD, &params).await {
        Ok(raw) => {
            let r: LoadResult = serde_json::from_str(raw.get())
                .map_err(|e| format!("unexpected answer from the daemon: {e}"))?;
            Ok(Outcome::text(tool_listing(&server, &r, "is ready")))
        }
        Err(e) => Ok(Outcome::error(describe(e))),
    }
}

/// "Server 'x' is ready (pid N, M tools). ..." then one line per tool.
pub fn tool_listing(server: &str, r: &LoadResult, verb: &str) -> String {
    let tools: Vec<serde_json::Value> = serde_json::from_str(r.tools.get()).unwrap_or_default();
    let pid = r
        .server
        .pid
        .map(|p| format!("pid {p}, "))
        .unwrap_or_default();
    let mut text = format!(
        "Server '{server}' {verb} ({pid}{} tools). Call them with call_dynamic_server_tool(server_name=\"{server}\", tool_name, parameters); `?` marks optional parameters.",
        tools.len()
    );
    for t in &tools {
        let sum = summary(t);
        text.push_str(&format!("\n- {}", signature(t)));
        if !sum.is_empty() {
            text.push_str(&format!(" — {sum}"));
        }
    }
    text
}
