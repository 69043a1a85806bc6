//! `mcpd shim --server NAME`: exposes one daemon-owned server's own tools directly (shared child,
//! warm across sessions) instead of the meta-tools.

use super::tools::{Ctx, Outcome, describe};
use crate::jsonrpc::code;
use crate::link::LinkError;
use crate::wire::{CallParams, ToolsParams, ToolsResult, method};
use serde_json::value::RawValue;

/// The `tools/list` result: the server's tools as it sent them.
pub async fn list(ctx: &Ctx, server: &str) -> Result<String, (i64, String)> {
    let params = serde_json::to_string(&ToolsParams {
        server: Some(server.to_string()),
    })
    .expect("serializable");
    let raw = ctx
        .link
        .request(method::TOOLS, &params)
        .await
        .map_err(|e| (code::SERVER_UNAVAILABLE, describe(e)))?;
    let r: ToolsResult =
        serde_json::from_str(raw.get()).map_err(|e| (code::INTERNAL_ERROR, e.to_string()))?;
    match r.servers.into_iter().next() {
        Some(s) => match (s.tools, s.error) {
            (Some(tools), _) => Ok(format!(r#"{{"tools":{}}}"#, tools.get())),
            (None, e) => Err((
                code::SERVER_UNAVAILABLE,
                e.unwrap_or_else(|| format!("server '{server}' has no tool list")),
            )),
        },
        None => Err((
            code::SERVER_UNAVAILABLE,
            format!("server '{server}' is not available"),
        )),
    }
}

/// A tools/call forwarded as is; mcpd's own failures become `isError` results.
pub async fn call(
    ctx: &Ctx,
    server: &str,
    tool: String,
    arguments: Option<Box<RawValue>>,
    meta: Option<Box<RawValue>>,
) -> String {
    let params = CallParams {
        server: server.to_string(),
        tool,
        arguments,
        meta,
    };
    let params = serde_json::to_string(&params).expect("serializable");
    match ctx.link.request(method::CALL, &params).await {
        Ok(raw) => Box::<str>::from(raw).into_string(),
        Err(LinkError::Rpc(e)) => Outcome::error(e.message).into_result(),
        Err(e) => Outcome::error(describe(e)).into_result(),
    }
}

/// What the client's system prompt says about this session.
pub fn instructions(server: &str) -> String {
    format!(
        "These are the tools of the MCP server '{server}', run by mcpd: one shared process for every session, kept warm between sessions."
    )
}
