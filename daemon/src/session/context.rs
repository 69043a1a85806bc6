//! What a session knows about its client (working directory, environment) and the lookups it makes.

use super::outbox::Outbox;
use crate::config::ConfigSet;
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
    /// Names already resolved by this session (the hot path of repeated calls skips the files).
    resolved: Mutex<HashMap<String, Arc<ServerHandle>>>,
}

impl SessionCtx {
    pub fn new(hello: Hello, daemon: Arc<Daemon>, out: Outbox) -> SessionCtx {
        SessionCtx {
            hello,
            daemon,
            out,
            resolved: Mutex::default(),
        }
    }

    /// The server `name` as this client sees it, from the config files (never cached).
    pub fn lookup_fresh(&self, name: &str) -> Result<Arc<ServerHandle>, LookupFailure> {
        let d = &self.daemon;
        let h = d
            .registry
            .resolve(&d.paths, &d.options, &self.hello.cwd, &self.hello.env, name)?;
        self.resolved
            .lock()
            .unwrap()
            .insert(name.to_string(), h.clone());
        Ok(h)
    }

    /// The server `name` in config files already read by the caller.
    pub fn lookup_in(
        &self,
        set: &ConfigSet,
        name: &str,
    ) -> Result<Arc<ServerHandle>, LookupFailure> {
        let d = &self.daemon;
        let h = d
            .registry
            .resolve_in(set, &d.paths, &d.options, &self.hello.env, name)?;
        self.resolved
            .lock()
            .unwrap()
            .insert(name.to_string(), h.clone());
        Ok(h)
    }

    /// The server `name`, from this session's cache when it was looked up before.
    pub fn lookup(&self, name: &str) -> Result<Arc<ServerHandle>, LookupFailure> {
        if let Some(h) = self.resolved.lock().unwrap().get(name) {
            return Ok(h.clone());
        }
        self.lookup_fresh(name)
    }
}
