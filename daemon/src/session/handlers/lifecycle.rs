//! `mcpd/load`, `mcpd/unload` and `mcpd/reload`.

use super::info::server_info;
use super::{HandlerError, HandlerResult, to_json};
use crate::session::SessionCtx;
use crate::supervisor::ServerHandle;
use mcpd_shim::jsonrpc::code;
use mcpd_shim::wire::{LoadResult, ServerParams};
use std::sync::Arc;

pub async fn load(p: ServerParams, s: &SessionCtx) -> HandlerResult {
    let h = lookup(&p.server, s)?;
    let inst = h.acquire().await.map_err(unavailable)?;
    loaded(&h, &inst)
}

pub async fn unload(p: ServerParams, s: &SessionCtx) -> HandlerResult {
    let h = lookup(&p.server, s)?;
    h.stop().await;
    to_json(&server_info(&h))
}

pub async fn reload(p: ServerParams, s: &SessionCtx) -> HandlerResult {
    let h = lookup(&p.server, s)?;
    let result = h.reload().await;
    // This answer tells what the reload did (or why it failed): no need to repeat it later.
    let _ = s.reload_news(&h);
    let inst = result.map_err(unavailable)?;
    loaded(&h, &inst)
}

fn loaded(h: &ServerHandle, inst: &crate::child::Instance) -> HandlerResult {
    let tools = inst.tools();
    to_json(&LoadResult {
        server: server_info(h),
        tools: tools.raw.clone(),
    })
}

/// Looks the name up afresh (load/unload/reload always see the current config).
pub fn lookup(name: &str, s: &SessionCtx) -> Result<Arc<ServerHandle>, HandlerError> {
    s.lookup_fresh(name)
        .map_err(|e| HandlerError::new(code::UNKNOWN_SERVER, e.message))
}

pub fn unavailable(message: String) -> HandlerError {
    HandlerError::new(code::SERVER_UNAVAILABLE, message)
}
