//! [`ConfigFiles`]: reads config files through their last good versions and watches every file
//! read so far (plus the user config, even before it exists), waking the reload on a change.

use crate::config::{ConfigSet, LastGood, MCP_JSON_FILE, PROJECT_CONFIG_FILE};
use crate::watch::{Debounce, IgnoreRules, WatchPlan, Watcher};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tokio::sync::Notify;

pub struct ConfigFiles {
    last_good: LastGood,
    debounce: Debounce,
    watched: Mutex<Watched>,
    changed: Arc<Notify>,
}

#[derive(Default)]
struct Watched {
    files: BTreeSet<PathBuf>,
    /// Replaced by one watching every file whenever a file is added.
    watcher: Option<Watcher>,
}

impl ConfigFiles {
    pub fn new(debounce: Debounce) -> ConfigFiles {
        ConfigFiles {
            last_good: LastGood::default(),
            debounce,
            watched: Mutex::default(),
            changed: Arc::default(),
        }
    }

    /// The config files visible from `cwd`; watches them from now on.
    pub fn read(&self, cwd: &Path, user_config: &Path) -> ConfigSet {
        let set = self.last_good.discover(cwd, user_config);
        let user_config = std::path::absolute(user_config).unwrap_or_else(|_| user_config.into());
        self.watch(set.files.iter().chain([&user_config]));
        set
    }

    /// Resolves after a debounced burst of changes to a watched file (at once when one came
    /// since the last call).
    pub async fn changed(&self) {
        self.changed.notified().await;
    }

    /// Adds `files` to the watch, and beside each project file the other project file name (so
    /// a `.mcpd.json` created next to a `.mcp.json` is seen). Cheap when nothing is new.
    fn watch<'a>(&self, files: impl Iterator<Item = &'a PathBuf>) {
        let mut watched = self.watched.lock().unwrap();
        let mut grew = false;
        for file in files {
            for path in std::iter::once(file.clone()).chain(sibling(file)) {
                grew |= watched.files.insert(path);
            }
        }
        if !grew {
            return;
        }
        let plan = WatchPlan {
            roots: watched.files.iter().cloned().collect(),
            patterns: Vec::new(),
            ignore: IgnoreRules::default(),
            reason: "config files".to_string(),
            warnings: Vec::new(),
        };
        let changed = self.changed.clone();
        match crate::watch::start(plan, self.debounce, move |_| changed.notify_one()) {
            // The new watcher is up before the old one goes: no change is missed.
            Ok(watcher) => watched.watcher = Some(watcher),
            Err(e) => tracing::warn!("cannot watch the config files for changes: {e}"),
        }
    }
}

/// The other project file name in the folder of `file`, if `file` is a project file.
fn sibling(file: &Path) -> Option<PathBuf> {
    let other = match file.file_name()?.to_str()? {
        PROJECT_CONFIG_FILE => MCP_JSON_FILE,
        MCP_JSON_FILE => PROJECT_CONFIG_FILE,
        _ => return None,
    };
    Some(file.with_file_name(other))
}
