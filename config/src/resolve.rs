//! Turning a [`ServerDef`] into a runnable [`ResolvedServer`] for one client's environment.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use indexmap::IndexMap;

use super::expand::{expand, expand_tilde};
use super::model::{ReloadMode, ServerDef, Source, SourceKind, Transport};

/// Per-call timeout when a definition sets none.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10 * 60);

/// A definition with `${VAR}` and `~` expanded against one client's environment and every path
/// made absolute: what the supervisor spawns or connects to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolvedServer {
    pub name: String,
    pub source: Source,
    /// Empty for http and sse servers. A relative path containing a separator (`./server.js`) is
    /// made absolute against `cwd`; a bare name (`npx`) is left for a PATH lookup.
    pub command: String,
    pub args: Vec<String>,
    /// The configured env, expanded (the client's own environment is not merged in).
    pub env: IndexMap<String, String>,
    /// Absolute.
    pub cwd: PathBuf,
    pub transport: Transport,
    pub url: Option<String>,
    pub headers: IndexMap<String, String>,
    pub watch: Vec<String>,
    pub ignore: Vec<String>,
    pub reload: ReloadMode,
    pub timeout: Duration,
    pub description: Option<String>,
}

impl ServerDef {
    /// Expands `${VAR}`/`${VAR:-default}` in command, args, env values, cwd, url and header
    /// values against `client_env` (the environment of the client that asked, not the daemon's),
    /// expands a leading `~` in cwd, command and args to the client's HOME, and resolves cwd
    /// against the folder of the defining file.
    pub fn resolve(&self, client_env: &HashMap<String, String>) -> ResolvedServer {
        let lookup = |name: &str| client_env.get(name).cloned();
        let home = client_env
            .get("HOME")
            .or_else(|| client_env.get("USERPROFILE"))
            .filter(|home| !home.is_empty())
            .map(String::as_str);
        let path_like = |s: &str| expand_tilde(&expand(s, &lookup), home);

        let folder = absolute(self.source.folder());
        let cwd = match &self.cwd {
            None => folder,
            Some(cwd) => clean(&folder.join(path_like(cwd))),
        };
        let command = match &self.command {
            None => String::new(),
            Some(command) => absolute_command(&path_like(command), &cwd),
        };
        let expand_values = |map: &IndexMap<String, String>| -> IndexMap<String, String> {
            map.iter()
                .map(|(k, v)| (k.clone(), expand(v, &lookup)))
                .collect()
        };

        ResolvedServer {
            name: self.name.clone(),
            source: self.source.clone(),
            command,
            args: self.args.iter().map(|a| path_like(a)).collect(),
            env: expand_values(&self.env),
            cwd,
            transport: self.transport,
            url: self.url.as_deref().map(|url| expand(url, &lookup)),
            headers: expand_values(&self.headers),
            watch: self.watch.clone(),
            ignore: self.ignore.clone(),
            reload: self.reload,
            timeout: self
                .timeout_ms
                .map_or(DEFAULT_TIMEOUT, Duration::from_millis),
            description: self.description.clone(),
        }
    }
}

impl ResolvedServer {
    /// Where the server is defined, for listings: the folder of the defining file with the
    /// user's home shortened to `~`, or `"user"` for the user config.
    pub fn project_label(&self) -> String {
        let home = std::env::var_os("HOME")
            .or_else(|| std::env::var_os("USERPROFILE"))
            .map(PathBuf::from);
        self.project_label_with_home(home.as_deref())
    }

    /// [`project_label`](Self::project_label) with an explicit home folder.
    pub fn project_label_with_home(&self, home: Option<&Path>) -> String {
        if self.source.kind == SourceKind::User {
            return "user".to_string();
        }
        let folder = self.source.folder();
        if let Some(home) = home.filter(|home| home.components().count() > 1)
            && let Ok(rest) = folder.strip_prefix(home)
        {
            return if rest.as_os_str().is_empty() {
                "~".to_string()
            } else {
                format!("~{}{}", std::path::MAIN_SEPARATOR, rest.display())
            };
        }
        folder.display().to_string()
    }
}

/// `path` made absolute against the daemon's working directory when it is not already.
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Drops `.` components and doubled separators; `..` is kept, as symlinks make folding it unsafe.
fn clean(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect()
}

/// A relative command with a separator in it is a path relative to the server's cwd.
fn absolute_command(command: &str, cwd: &Path) -> String {
    let has_separator = command.contains('/') || command.contains(std::path::MAIN_SEPARATOR);
    if has_separator && Path::new(command).is_relative() {
        clean(&cwd.join(command)).to_string_lossy().into_owned()
    } else {
        command.to_string()
    }
}
