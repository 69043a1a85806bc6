//! Finding the three config files for a working directory and merging them, first match wins.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;

use super::error::{ConfigError, LookupError};
use super::model::{ServerDef, Source, SourceKind};
use super::nearest::nearest;
use super::parse::{ParsedFile, parse_config};

/// The project file mcpd owns, searched from the client's working directory upward.
pub const PROJECT_CONFIG_FILE: &str = ".mcpd.json";
/// The client's own project file, searched from the client's working directory upward; read only.
pub const MCP_JSON_FILE: &str = ".mcp.json";

/// Every server visible from one working directory.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConfigSet {
    /// Winning definition per name, in lookup order (`.mcpd.json`, user config, `.mcp.json`) and
    /// file order within each. An invalid winning entry shadows valid ones in later files.
    pub servers: IndexMap<String, Result<ServerDef, ConfigError>>,
    /// Whole-file problems: unreadable files, bad JSON, `mcpServers` not an object.
    pub errors: Vec<ConfigError>,
    /// Files that exist and were read, in lookup order.
    pub files: Vec<PathBuf>,
}

/// Reads, in order, the nearest `.mcpd.json` from `cwd` upward, the user config file and the
/// nearest `.mcp.json` from `cwd` upward; the first definition of a name wins. Missing files are
/// skipped; every other problem is recorded in the set, never returned or panicked on.
pub fn discover(cwd: &Path, user_config: &Path) -> ConfigSet {
    discover_with(cwd, user_config, read_config_file)
}

/// [`discover`] with each file read by `read`: `Ok(None)` for a file that does not exist, an
/// error for one that cannot be read, its [`ParsedFile`] otherwise. Lets a caller stand in for a
/// file (e.g. with its last version that parsed, see [`LastGood`](super::LastGood)).
pub fn discover_with(
    cwd: &Path,
    user_config: &Path,
    mut read: impl FnMut(&Source) -> Result<Option<ParsedFile>, ConfigError>,
) -> ConfigSet {
    let cwd = std::path::absolute(cwd).unwrap_or_else(|_| cwd.to_path_buf());
    let user_config = std::path::absolute(user_config).unwrap_or_else(|_| user_config.into());
    let sources = [
        find_upward(&cwd, PROJECT_CONFIG_FILE).map(|path| Source {
            kind: SourceKind::ProjectMcpd,
            path,
        }),
        Some(Source {
            kind: SourceKind::User,
            path: user_config,
        }),
        find_upward(&cwd, MCP_JSON_FILE).map(|path| Source {
            kind: SourceKind::ProjectMcpJson,
            path,
        }),
    ];
    let mut set = ConfigSet::default();
    for source in sources.into_iter().flatten() {
        set.load(source, &mut read);
    }
    set
}

/// Reads and parses one config file: `Ok(None)` when it does not exist.
pub fn read_config_file(source: &Source) -> Result<Option<ParsedFile>, ConfigError> {
    match std::fs::read(&source.path) {
        Ok(bytes) => Ok(Some(parse_config(&bytes, source))),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => {
            let problem = format!("cannot read {}: {err}", source.kind);
            Err(ConfigError::new(&source.path, "", problem))
        }
    }
}

/// The nearest file called `name` in `start` or one of its ancestors, up to the filesystem root.
pub fn find_upward(start: &Path, name: &str) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

impl ConfigSet {
    /// Reads one file with `read` and adds the names not already defined.
    fn load(
        &mut self,
        source: Source,
        read: &mut impl FnMut(&Source) -> Result<Option<ParsedFile>, ConfigError>,
    ) {
        if self.files.contains(&source.path) {
            return; // The same file reached twice (e.g. the user config inside the project).
        }
        let parsed = match read(&source) {
            Ok(Some(parsed)) => parsed,
            Ok(None) => return,
            Err(err) => {
                self.errors.push(err);
                return;
            }
        };
        self.files.push(source.path.clone());
        self.errors.extend(parsed.error);
        for (name, entry) in parsed.servers {
            self.servers.entry(name).or_insert(entry);
        }
    }

    /// The winning definition of `name`, its error when it is invalid, or an
    /// [`LookupError::Unknown`] naming the configured servers, a likely typo fix and any file
    /// errors.
    pub fn get(&self, name: &str) -> Result<&ServerDef, LookupError> {
        match self.servers.get(name) {
            Some(Ok(def)) => Ok(def),
            Some(Err(err)) => Err(LookupError::Invalid(err.clone())),
            None => {
                let mut known: Vec<String> = self.servers.keys().cloned().collect();
                known.sort();
                let nearest = nearest(name, known.iter().map(String::as_str)).map(str::to_string);
                Err(LookupError::Unknown {
                    name: name.to_string(),
                    known,
                    nearest,
                    file_errors: self.errors.iter().map(ToString::to_string).collect(),
                })
            }
        }
    }

    /// Every configured name, valid or not, in lookup order.
    pub fn names(&self) -> Vec<&str> {
        self.servers.keys().map(String::as_str).collect()
    }

    /// The valid definitions, in lookup order.
    pub fn valid(&self) -> impl Iterator<Item = &ServerDef> {
        self.servers
            .values()
            .filter_map(|entry| entry.as_ref().ok())
    }

    /// Every problem: whole-file errors first, then those of invalid entries.
    pub fn all_errors(&self) -> impl Iterator<Item = &ConfigError> {
        let entries = self
            .servers
            .values()
            .filter_map(|entry| entry.as_ref().err());
        self.errors.iter().chain(entries)
    }
}
