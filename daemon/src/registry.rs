//! All supervisors the daemon has, keyed by resolved definition, and the name lookup that maps a
//! client's server name (seen from its working directory and environment) to one of them. Config
//! files are read through [`ConfigFiles`] (last good versions, watched for config reload), and
//! every lookup is remembered in [`Bindings`] so that a config change can tell which servers it
//! replaces or removes (see `config_reload`).

use crate::catalog;
use crate::child::spawn::LaunchSpec;
use crate::child::stderr::ServerLog;
use crate::config::{ConfigSet, ResolvedServer, ServerKey, Transport};
use crate::config_reload::{Bindings, ConfigFiles};
use crate::state::Options;
use crate::supervisor::ServerHandle;
use crate::supervisor::handle::SupervisorSettings;
use mcpd_shim::paths::Paths;
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

pub struct Registry {
    /// By process identity and the settings a handle is made with (watch, timeout, ...).
    servers: Mutex<HashMap<(ServerKey, u64), Arc<ServerHandle>>>,
    /// Handles a config change replaced or removed, until they have stopped.
    retiring: Mutex<Vec<Arc<ServerHandle>>>,
    pub(crate) files: ConfigFiles,
    pub(crate) bindings: Bindings,
    /// Bumped by every config reload; sessions drop the handles they cached before.
    epoch: AtomicU64,
}

impl Default for Registry {
    fn default() -> Self {
        Registry::new(crate::watch::Debounce::default())
    }
}

/// Why a name could not be turned into a server.
#[derive(Debug)]
pub struct LookupFailure {
    pub message: String,
}

impl Registry {
    /// An empty registry; config files are watched with `debounce`.
    pub fn new(debounce: crate::watch::Debounce) -> Registry {
        Registry {
            servers: Mutex::default(),
            retiring: Mutex::default(),
            files: ConfigFiles::new(debounce),
            bindings: Bindings::default(),
            epoch: AtomicU64::new(0),
        }
    }

    /// The config files visible from `cwd` (a broken file's last good version standing in), which
    /// are watched from now on.
    pub fn config(&self, paths: &Paths, cwd: &Path) -> ConfigSet {
        self.files.read(cwd, &paths.user_config())
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
        self.resolve_in(&self.config(paths, cwd), paths, options, cwd, env, name)
    }

    /// Like `resolve`, with the config files visible from `cwd` already read.
    pub fn resolve_in(
        &self,
        set: &ConfigSet,
        paths: &Paths,
        options: &Options,
        cwd: &Path,
        env: &HashMap<String, String>,
        name: &str,
    ) -> Result<Arc<ServerHandle>, LookupFailure> {
        let h = self.handle_for(set, paths, options, env, name)?;
        self.bindings.record(cwd, name, env, &h);
        Ok(h)
    }

    fn handle_for(
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
        let id = (key.clone(), settings_hash(&resolved));
        let mut servers = self.servers.lock().unwrap();
        if let Some(h) = servers.get(&id) {
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
        servers.insert(id, handle.clone());
        Ok(handle)
    }

    /// Bumped by every config reload.
    pub fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::SeqCst)
    }

    /// Takes handles a config change replaced or removed out of the lookups: they refuse new
    /// calls, sessions drop them from their caches, and they wait in `retiring` (still stopped
    /// by `stop_all`) until [`Self::forget_retired`].
    pub(crate) fn retire(&self, stale: &[Arc<ServerHandle>]) {
        self.servers
            .lock()
            .unwrap()
            .retain(|_, h| !stale.iter().any(|s| Arc::ptr_eq(s, h)));
        self.retiring.lock().unwrap().extend(stale.iter().cloned());
        for h in stale {
            h.retire();
        }
        self.epoch.fetch_add(1, Ordering::SeqCst);
    }

    /// A retired handle has stopped.
    pub(crate) fn forget_retired(&self, h: &Arc<ServerHandle>) {
        self.retiring.lock().unwrap().retain(|r| !Arc::ptr_eq(r, h));
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
        let retiring = self.retiring.lock().unwrap().clone();
        for h in self.all().into_iter().chain(retiring) {
            set.spawn(async move { h.stop().await });
        }
        while set.join_next().await.is_some() {}
    }
}

/// What a handle is made with besides its process identity: a change of one of these in the
/// config gives a new handle too.
fn settings_hash(r: &ResolvedServer) -> u64 {
    let mut h = DefaultHasher::new();
    (&r.watch, &r.ignore, r.reload, r.timeout).hash(&mut h);
    h.finish()
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
