//! All supervisors the daemon has, keyed by resolved definition, and the name lookup that maps a
//! client's server name (seen from its working directory and environment) to one of them.

use crate::catalog;
use crate::child::spawn::LaunchSpec;
use crate::child::stderr::ServerLog;
use crate::config::{self, ConfigSet, ServerKey, Transport};
use crate::state::Options;
use crate::supervisor::ServerHandle;
use crate::supervisor::handle::SupervisorSettings;
use mcpd_shim::paths::Paths;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

#[derive(Default)]
pub struct Registry {
    servers: Mutex<HashMap<ServerKey, Arc<ServerHandle>>>,
}

/// Why a name could not be turned into a server.
#[derive(Debug)]
pub struct LookupFailure {
    pub message: String,
}

impl Registry {
    /// The config files visible from `cwd`.
    pub fn config(paths: &Paths, cwd: &Path) -> ConfigSet {
        config::discover(cwd, &paths.user_config())
    }

    /// Finds the server called `name` for a client in `cwd` with environment `env`; the same
    /// resolved definition always yields the same (shared) handle.
    pub fn resolve(
        &self,
        paths: &Paths,
        options: &Options,
        cwd: &Path,
        env: &HashMap<String, String>,
        name: &str,
    ) -> Result<Arc<ServerHandle>, LookupFailure> {
        self.resolve_in(&Self::config(paths, cwd), paths, options, env, name)
    }

    /// Like `resolve`, with the config files already read.
    pub fn resolve_in(
        &self,
        set: &ConfigSet,
        paths: &Paths,
        options: &Options,
        env: &HashMap<String, String>,
        name: &str,
    ) -> Result<Arc<ServerHandle>, LookupFailure> {
        let def = set.get(name).map_err(|e| LookupFailure {
            message: e.to_string(),
        })?;
        if def.transport != Transport::Stdio {
            return Err(LookupFailure {
                message: format!(
                    "server '{name}' ({}) uses the {} transport, which this mcpd does not run yet; only stdio servers are supported",
                    def.source.path.display(),
                    def.transport.as_str()
                ),
            });
        }
        let resolved = def.resolve(env);
        let key = resolved.key();
        let mut servers = self.servers.lock().unwrap();
        if let Some(h) = servers.get(&key) {
            return Ok(h.clone());
        }
        let log = Arc::new(ServerLog::open(paths.server_log_dir().join(format!(
            "{}-{}.log",
            file_safe(name),
            &key.as_str()[..8.min(key.as_str().len())]
        ))));
        let spec = LaunchSpec {
            server: name.to_string(),
            command: resolved.command.clone(),
            args: resolved.args.clone(),
            env: resolved
                .env
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            base_env: env.clone(),
            cwd: resolved.cwd.clone(),
        };
        let settings = SupervisorSettings {
            handshake_timeout: options.handshake_timeout.min(resolved.timeout),
            stop_grace: options.stop_grace,
            drain_grace: options.drain_grace,
            max_frame: options.max_frame,
            children_dir: paths.children_dir(),
            tools_cache: Some(catalog::cache::file(&catalog::cache::dir(paths), &key)),
            watch_plan: crate::watch::plan(&resolved),
            debounce: options.debounce,
        };
        let handle = ServerHandle::new(
            key.clone(),
            resolved.project_label(),
            resolved.description.clone(),
            resolved.timeout,
            spec,
            log,
            settings,
        );
        servers.insert(key, handle.clone());
        Ok(handle)
    }

    /// Every server the daemon knows, in a stable order (by name, then key).
    pub fn all(&self) -> Vec<Arc<ServerHandle>> {
        let mut v: Vec<_> = self.servers.lock().unwrap().values().cloned().collect();
        v.sort_by(|a, b| (&a.name, &a.key).cmp(&(&b.name, &b.key)));
        v
    }

    /// Stops every child, all at once, and waits for them.
    pub async fn stop_all(&self) {
        let mut set = tokio::task::JoinSet::new();
        for h in self.all() {
            set.spawn(async move { h.stop().await });
        }
        while set.join_next().await.is_some() {}
    }
}

/// A name usable in a file name.
fn file_safe(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect()
}
