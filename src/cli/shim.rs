//! `mcpd shim`: the stdio MCP server for clients' `.mcp.json`, on a small single-threaded runtime.

use mcpd_shim::paths::Paths;
use mcpd_shim::wire::{ClientKind, Hello};
use std::process::ExitCode;

/// `server`: passthrough mode (`--server NAME`).
pub fn run(server: Option<String>) -> ExitCode {
    let setup = Paths::from_env()
        .and_then(|p| Hello::from_current_process(ClientKind::Shim).map(|h| (p, h)));
    let (paths, hello) = match setup {
        Ok(v) => v,
        Err(e) => return super::fail(format!("the shim cannot start: {e}")),
    };
    let exe = match std::env::current_exe() {
        Ok(e) => e,
        Err(e) => return super::fail(format!("cannot find the mcpd binary: {e}")),
    };
    // Big tool results pass through here too: hand their buffers back to the system afterwards.
    mcpd_daemon::memory::tune();
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return super::fail(format!("cannot start a runtime: {e}")),
    };
    let code = rt.block_on(mcpd_shim::server::run(paths, hello, exe, server));
    // Do not wait for the blocking stdin reader thread: the client has gone.
    rt.shutdown_background();
    ExitCode::from(code.clamp(0, 255) as u8)
}
