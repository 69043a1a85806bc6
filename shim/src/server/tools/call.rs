//! `call_dynamic_server_tool`: forwards to the daemon's `mcpd/call` (which loads the server on
//! first use) and returns the child's CallToolResult unchanged; failures become `isError` results.

use super::Ctx;
use super::args::{Args, preview};
use super::outcome::{Outcome, describe};
use crate::jsonrpc::{RpcError, code};
use crate::link::LinkError;
use crate::wire::{CallParams, method};
use serde_json::value::RawValue;

pub async fn run(args: &Args, meta: Option<Box<RawValue>>, ctx: &Ctx) -> Result<Outcome, String> {
    let server = args.string("server_name")?;
    let tool = args.string("tool_name")?;
    let parameters = match args.raw("parameters") {
        None => RawValue::from_string("{}".into()).expect("valid"),
        Some(p) if p.get() == "null" => RawValue::from_string("{}".into()).expect("valid"),
        Some(p) if p.get().trim_start().starts_with('{') => p.to_owned(),
        Some(p) => {
            return Err(format!(
                "'parameters' must be a JSON object with the tool's arguments (use {{}} for none), got: {}",
                preview(p.get())
            ));
        }
    };
    let params = CallParams {
        server: server.clone(),
        tool: tool.clone(),
        arguments: Some(parameters),
        meta,
    };
    let params = serde_json::to_string(&params).map_err(|e| e.to_string())?;
    match ctx.link.request(method::CALL, &params).await {
        Ok(raw) => Ok(Outcome::Raw(Box::<str>::from(raw).into_string())),
        // The daemon's own answer (it names the nearest tool and lists them all), not the child's.
        Err(LinkError::Rpc(e)) if is_unknown_tool(&e) => Ok(Outcome::error(e.message)),
        Err(LinkError::Rpc(e)) if e.code > -32000 || e.code < -32099 => {
            // The child's own JSON-RPC error (e.g. invalid params).
            let mut text = format!(
                "server '{server}' rejected the call to '{tool}': {} (code {})",
                e.message, e.code
            );
            if e.code == code::INVALID_PARAMS && e.data.is_none() {
                text.push_str(". Check the parameters against the tool's schema (load_mcp_server_dynamically or search_tools shows it).");
            } else if let Some(d) = e.data {
                text.push_str(&format!("; details: {d}"));
            }
            Ok(Outcome::error(text))
        }
        Err(e) => Ok(Outcome::error(describe(e))),
    }
}

/// The daemon's "server has no tool" error: invalid params with the server's tool names as data.
fn is_unknown_tool(e: &RpcError) -> bool {
    e.code == code::INVALID_PARAMS
        && e.data
            .as_ref()
            .and_then(|d| d.get("tools"))
            .is_some_and(|t| t.is_array())
}
