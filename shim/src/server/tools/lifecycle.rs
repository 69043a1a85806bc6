//! `reload_mcp_server` and `unload_mcp_server`.

use super::Ctx;
use super::args::Args;
use super::load::tool_listing;
use super::outcome::{Outcome, describe};
use crate::wire::{LoadResult, ServerParams, method};

pub async fn reload(args: &Args, ctx: &Ctx) -> Result<Outcome, String> {
    let server = args.string("server_name")?;
    let params = serde_json::to_string(&ServerParams {
        server: server.clone(),
    })
    .map_err(|e| e.to_string())?;
    match ctx.link.request(method::RELOAD, &params).await {
        Ok(raw) => {
            let r: LoadResult = serde_json::from_str(raw.get())
                .map_err(|e| format!("unexpected answer from the daemon: {e}"))?;
            let mut text = tool_listing(&server, &r, "was reloaded and is ready");
            if let Some(note) = &r.server.last_reload {
                text = format!("Server '{server}' {note}.\n{text}");
            }
            Ok(Outcome::text(text))
        }
        Err(e) => Ok(Outcome::error(describe(e))),
    }
}

pub async fn unload(args: &Args, ctx: &Ctx) -> Result<Outcome, String> {
    let server = args.string("server_name")?;
    let params = serde_json::to_string(&ServerParams {
        server: server.clone(),
    })
    .map_err(|e| e.to_string())?;
    match ctx.link.request(method::UNLOAD, &params).await {
        Ok(_) => Ok(Outcome::text(format!(
            "Server '{server}' is stopped. It starts again on the next call_dynamic_server_tool or load_mcp_server_dynamically."
        ))),
        Err(e) => Ok(Outcome::error(describe(e))),
    }
}
