//! [`WatchPlan`]: what one server's watcher watches and why, decided from its definition alone.

use std::path::PathBuf;

use mcpd_config::{ReloadMode, ResolvedServer, Transport};

use super::ignore_rules::IgnoreRules;
use super::{default_plan, explicit};

/// What to watch for one server, and why.
#[derive(Clone, Debug, Default)]
pub struct WatchPlan {
    /// Directories watched recursively (pruned by `ignore`), or single files; absolute.
    pub roots: Vec<PathBuf>,
    /// Absolute globs a change must match to count; empty means every change under the roots
    /// counts. Set from the server's explicit `watch` entries.
    pub patterns: Vec<String>,
    /// What is never watched or reported.
    pub ignore: IgnoreRules,
    /// Why this is watched, for `mcpd status`: "source tree of python server.py: /p/srv",
    /// "explicit watch: src, *.yaml", "nothing: npx @x/y: a package from a registry".
    pub reason: String,
    /// Problems worth showing (a `watch` path that does not exist, a glob matching nothing);
    /// the server still runs.
    pub warnings: Vec<String>,
}

impl WatchPlan {
    /// A plan that watches nothing, for `why`.
    pub fn nothing(why: impl std::fmt::Display) -> WatchPlan {
        WatchPlan {
            reason: format!("nothing: {why}"),
            ..WatchPlan::default()
        }
    }

    /// Whether nothing is watched.
    pub fn is_empty(&self) -> bool {
        self.roots.is_empty()
    }
}

/// What to watch for `server`: its explicit `watch` paths/globs (relative to its cwd) when set,
/// else the source tree of the local code it runs; nothing for `reload: "manual"`, remote
/// servers and packages launched from a registry (`npx`, `uvx`, ...).
///
/// Pure apart from looking at the file system (project markers, `.gitignore` files, whether
/// watched paths exist).
pub fn plan(server: &ResolvedServer) -> WatchPlan {
    if server.reload == ReloadMode::Manual {
        return WatchPlan::nothing("reload is manual");
    }
    if server.transport != Transport::Stdio {
        return WatchPlan::nothing(format!("a remote {} server", server.transport));
    }
    if !server.watch.is_empty() {
        return explicit::plan(server);
    }
    default_plan::plan(server)
}
