//! What a session knows about its client (working directory, environment) and the lookups it makes.

use super::outbox::Outbox;
use crate::config::{ConfigSet, ServerKey};
use crate::registry::LookupFailure;
use crate::state::Daemon;
use crate::supervisor::ServerHandle;
use mcpd_shim::wire::Hello;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub struct SessionCtx {
    pub hello: Hello,
    pub daemon: Arc<Daemon>,
    pub out: Outbox,
    /// Names already resolved by this session (the hot path of repeated calls skips the files),
    /// with the registry's config epoch when they were: a config reload since voids them.
    resolved: Mutex<HashMap<String, (u64, Arc<ServerHandle>)>>,
    /// The reload count of each server this session has been told about.
    seen_reloads: Mutex<HashMap<ServerKey, u64>>,
    /// Tasks that send `notifications/tools/list_changed` for the servers this session used.
    announcers: Mutex<Vec<tokio::task::AbortHandle>>,
}

impl SessionCtx {
    pub fn new(hello: Hello, daemon: Arc<Daemon>, out: Outbox) -> SessionCtx {
        SessionCtx {
            hello,
            daemon,
            out,
            resolved: Mutex::default(),
            seen_reloads: Mutex::default(),
            announcers: Mutex::default(),
        }
    }

    /// The config files this client sees.
    pub fn config(&self) -> ConfigSet {
        self.daemon
            .registry
            .config(&self.daemon.paths, &self.hello.cwd)
    }

    /// The server `name` as this client sees it, from the config files (never cached).
    pub fn lookup_fresh(&self, name: &str) -> Result<Arc<ServerHandle>, LookupFailure> {
        let d = &self.daemon;
        let epoch = d.registry.epoch();
        let h = d
            .registry
            .resolve(&d.paths, &d.options, &self.hello.cwd, &self.hello.env, name)?;
        Ok(self.remember(name, h, epoch))
    }

    /// The server `name` in config files already read by the caller.
    pub fn lookup_in(
        &self,
        set: &ConfigSet,
        name: &str,
    ) -> Result<Arc<ServerHandle>, LookupFailure> {
        let d = &self.daemon;
        let epoch = d.registry.epoch();
        let (cwd, env) = (&self.hello.cwd, &self.hello.env);
        let h = d
            .registry
            .resolve_in(set, &d.paths, &d.options, cwd, env, name)?;
        Ok(self.remember(name, h, epoch))
    }

    /// The server `name`, from this session's cache when it was looked up before (and no config
    /// reload replaced it since).
    pub fn lookup(&self, name: &str) -> Result<Arc<ServerHandle>, LookupFailure> {
        let epoch = self.daemon.registry.epoch();
        if let Some((seen, h)) = self.resolved.lock().unwrap().get(name)
            && *seen == epoch
            && !h.is_retired()
        {
            return Ok(h.clone());
        }
        self.lookup_fresh(name)
    }

    fn remember(&self, name: &str, h: Arc<ServerHandle>, epoch: u64) -> Arc<ServerHandle> {
        self.resolved
            .lock()
            .unwrap()
            .insert(name.to_string(), (epoch, h.clone()));
        // Reloads before this session first saw the server are no news to it.
        let seq = h.reload_seq();
        let first_sight = match self.seen_reloads.lock().unwrap().entry(h.key.clone()) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(seq);
                true
            }
            std::collections::hash_map::Entry::Occupied(_) => false,
        };
        if first_sight {
            let task = tokio::spawn(announce_tool_changes(
                h.clone(),
                name.to_string(),
                seq,
                self.out.clone(),
            ));
            self.announcers.lock().unwrap().push(task.abort_handle());
        }
        h
    }

    /// What the server's reloads did since this session last heard, once.
    pub fn reload_news(&self, h: &ServerHandle) -> Option<String> {
        // Every call asks: only a counter is read unless there is news.
        let seq = h.reload_seq();
        {
            let mut seen = self.seen_reloads.lock().unwrap();
            match seen.get_mut(&h.key) {
                Some(last) if *last >= seq => return None,
                Some(last) => *last = seq,
                None => {
                    seen.insert(h.key.clone(), seq);
                    return None;
                }
            }
        }
        h.snapshot()
            .last_reload
            .map(|r| format!("server '{}' {}", h.name, r.text))
    }
}

impl Drop for SessionCtx {
    fn drop(&mut self) {
        for task in self.announcers.lock().unwrap().drain(..) {
            task.abort();
        }
    }
}

/// Sends `notifications/tools/list_changed` (with the server's name) whenever a reload changes
/// the server's tools, so a session exposing them directly (`mcpd shim --server`) can pass it on;
/// also once when a config change replaced or removed the definition (its tools may differ).
async fn announce_tool_changes(h: Arc<ServerHandle>, name: String, mut seen: u64, out: Outbox) {
    let mut rx = h.subscribe();
    let list_changed = || {
        let params = serde_json::json!({ "server": name }).to_string();
        out.send(mcpd_shim::jsonrpc::notification(
            "notifications/tools/list_changed",
            Some(&params),
        ));
    };
    while rx.changed().await.is_ok() {
        if h.is_retired() {
            list_changed();
            return;
        }
        let snap = h.snapshot();
        if snap.reload_seq > seen {
            seen = snap.reload_seq;
            if snap.last_reload.is_some_and(|r| r.ok && r.tools_changed) {
                list_changed();
            }
        }
    }
}
