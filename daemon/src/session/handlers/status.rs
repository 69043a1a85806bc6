//! `mcpd/status`: the daemon, every running server, and the servers configured for the caller.

use super::info::server_info;
use super::{HandlerResult, to_json};
use crate::session::SessionCtx;
use crate::supervisor::ServerState;
use mcpd_shim::wire::{DaemonInfo, ServerInfo, StatusResult};
use std::collections::HashSet;

pub fn status(s: &SessionCtx) -> HandlerResult {
    let d = &s.daemon;
    let daemon = DaemonInfo {
        pid: std::process::id(),
        version: mcpd_shim::VERSION.to_string(),
        uptime_secs: d.started.elapsed().as_secs(),
        socket: d.paths.socket(),
        log: d.paths.daemon_log(),
        home: d.paths.home.clone(),
    };
    let mut servers: Vec<ServerInfo> = Vec::new();
    let mut shown = HashSet::new();
    let config = s.config();
    // Configured for this caller first, in file order.
    for name in config.names() {
        match s.lookup_in(&config, name) {
            Ok(h) => {
                shown.insert(h.key.clone());
                let mut info = server_info(&h);
                // Names that share one process keep their own name and description.
                info.name = name.to_string();
                info.description = config.get(name).ok().and_then(|d| d.description.clone());
                servers.push(info);
            }
            Err(e) => servers.push(invalid(name, e.message)),
        }
    }
    // Then whatever else runs (other projects).
    for h in d.registry.all() {
        if !shown.contains(&h.key)
            && (h.running().is_some() || h.snapshot().state != ServerState::Stopped)
        {
            servers.push(server_info(&h));
        }
    }
    let config_errors = config.errors.iter().map(|e| e.to_string()).collect();
    to_json(&StatusResult {
        daemon,
        servers,
        config_errors,
    })
}

fn invalid(name: &str, error: String) -> ServerInfo {
    ServerInfo {
        name: name.to_string(),
        project: String::new(),
        state: "invalid".into(),
        pid: None,
        uptime_secs: None,
        restarts: 0,
        tools: None,
        calls: 0,
        last_error: Some(error),
        description: None,
        key: None,
        log: None,
        last_reload: None,
        watching: None,
    }
}
