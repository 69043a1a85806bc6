//! [`Bindings`]: every lookup made so far (working directory, environment, name) and the handle
//! it found, so that a config change can look them up again and tell which handles it replaced.

use crate::supervisor::ServerHandle;
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// One remembered lookup.
#[derive(Clone)]
pub struct Binding {
    pub cwd: PathBuf,
    pub name: String,
    pub env: Arc<HashMap<String, String>>,
}

/// By working directory, name and a hash of the environment.
type Key = (PathBuf, String, u64);

#[derive(Default)]
pub struct Bindings {
    map: Mutex<HashMap<Key, (Binding, Arc<ServerHandle>)>>,
}

impl Bindings {
    /// Remembers that `name`, looked up from `cwd` with `env`, found `h`.
    pub fn record(
        &self,
        cwd: &Path,
        name: &str,
        env: &HashMap<String, String>,
        h: &Arc<ServerHandle>,
    ) {
        let key = (cwd.to_path_buf(), name.to_string(), env_hash(env));
        let mut map = self.map.lock().unwrap();
        match map.get_mut(&key) {
            Some((_, found)) => *found = h.clone(),
            None => {
                let binding = Binding {
                    cwd: key.0.clone(),
                    name: key.1.clone(),
                    env: Arc::new(env.clone()),
                };
                map.insert(key, (binding, h.clone()));
            }
        }
    }

    /// Every remembered lookup and what it found.
    pub fn all(&self) -> Vec<(Binding, Arc<ServerHandle>)> {
        self.map.lock().unwrap().values().cloned().collect()
    }

    /// Forgets a lookup that no longer finds a server.
    pub fn forget(&self, b: &Binding) {
        let key = (b.cwd.clone(), b.name.clone(), env_hash(&b.env));
        self.map.lock().unwrap().remove(&key);
    }
}

/// A hash of an environment that does not depend on the order of its variables.
fn env_hash(env: &HashMap<String, String>) -> u64 {
    let mut pairs: Vec<_> = env.iter().collect();
    pairs.sort_unstable();
    let mut h = DefaultHasher::new();
    pairs.hash(&mut h);
    h.finish()
}
