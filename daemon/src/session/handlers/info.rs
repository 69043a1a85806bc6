//! A server's status record, built from its supervisor handle (or from config for a stopped one).

use crate::supervisor::{ServerHandle, ServerState};
use mcpd_shim::wire::ServerInfo;

pub fn server_info(h: &ServerHandle) -> ServerInfo {
    let snap = h.snapshot();
    let running = h.running();
    let state = match (&running, snap.state) {
        (None, ServerState::Ready) => ServerState::Failed,
        (_, s) => s,
    };
    ServerInfo {
        name: h.name.clone(),
        project: h.project.clone(),
        state: state.to_string(),
        pid: running.as_ref().map(|i| i.pid),
        uptime_secs: running.as_ref().map(|i| i.started_at.elapsed().as_secs()),
        restarts: snap.restarts,
        tools: running.as_ref().map(|i| i.tools().names.len()),
        calls: h.calls(),
        last_error: snap.last_error,
        description: h.description.clone(),
        key: Some(h.key.to_string()),
        log: Some(h.log.path().to_path_buf()),
        last_reload: snap.last_reload.as_ref().map(|r| r.text.clone()),
        watching: snap.watching.clone(),
    }
}
