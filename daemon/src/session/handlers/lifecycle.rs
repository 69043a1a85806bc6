//! `mcpd/load`, `mcpd/unload` and `mcpd/reload`.

use super::info::server_info;
use super::{HandlerError, HandlerResult, to_json};
use crate::child::Instance;
use crate::session::SessionCtx;
use crate::supervisor::ServerHandle;
use mcpd_shim::jsonrpc::code;
use mcpd_shim::wire::{LoadResult, ServerParams};
use std::sync::Arc;

pub async fn load(p: ServerParams, s: &SessionCtx) -> HandlerResult {
    let (h, inst) = acquire(&p.server, s, true).await?;
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

/// The server `name` (looked up afresh, or from the session's cache) and a ready instance of it.
/// A handle that a config reload retired meanwhile (its definition changed or went away) is
/// looked up again, so a call racing a config change goes to the new definition.
pub async fn acquire(
    name: &str,
    s: &SessionCtx,
    fresh: bool,
) -> Result<(Arc<ServerHandle>, Arc<Instance>), HandlerError> {
    let mut tries = 0;
    loop {
        let h = match fresh {
            true => lookup(name, s)?,
            false => s
                .lookup(name)
                .map_err(|e| HandlerError::new(code::UNKNOWN_SERVER, e.message))?,
        };
        match h.acquire().await {
            Ok(inst) => return Ok((h, inst)),
            Err(_) if h.is_retired() && tries < 3 => tries += 1,
            Err(e) => return Err(unavailable(e)),
        }
    }
}

pub fn unavailable(message: String) -> HandlerError {
    HandlerError::new(code::SERVER_UNAVAILABLE, message)
}
