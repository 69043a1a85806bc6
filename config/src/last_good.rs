//! [`LastGood`]: per config file, the last version that parsed. While an edit leaves a file broken
//! (bad JSON, unreadable) its last good definitions stand in for it, and an entry that became
//! invalid keeps its last valid definition; the problem is still reported, saying so.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use super::discover::{ConfigSet, discover_with, read_config_file};
use super::error::ConfigError;
use super::model::{ServerDef, Source};
use super::parse::ParsedFile;

type Entries = Vec<(String, Result<ServerDef, ConfigError>)>;

/// The last good version of every config file read through it. Shareable between threads.
#[derive(Debug, Default)]
pub struct LastGood {
    files: Mutex<HashMap<PathBuf, Entries>>,
}

impl LastGood {
    /// [`discover`](super::discover), with the last good versions standing in for broken files
    /// and entries. Each stand-in's problem is in `errors`, ending with what mcpd keeps using.
    pub fn discover(&self, cwd: &Path, user_config: &Path) -> ConfigSet {
        let mut kept = Vec::new();
        let mut set = discover_with(cwd, user_config, |source| {
            self.patch(source, read_config_file(source), &mut kept)
        });
        set.errors.extend(kept);
        set
    }

    /// `read` (one file as [`read_config_file`] found it), with the last good version standing
    /// in for a broken file or entry; remembers it when it parsed. Stand-ins for entries add
    /// their problem to `kept`. A file read as missing is forgotten (its servers are gone).
    pub fn patch(
        &self,
        source: &Source,
        read: Result<Option<ParsedFile>, ConfigError>,
        kept: &mut Vec<ConfigError>,
    ) -> Result<Option<ParsedFile>, ConfigError> {
        let mut files = self.files.lock().unwrap_or_else(PoisonError::into_inner);
        let mut parsed = match read {
            Ok(None) => {
                files.remove(&source.path);
                return Ok(None);
            }
            Ok(Some(parsed)) => parsed,
            Err(error) => return stand_in(files.get(&source.path), error).map(Some),
        };
        if let Some(error) = parsed.error.take() {
            let failed = |error| ParsedFile {
                servers: Vec::new(),
                error: Some(error),
            };
            let file = stand_in(files.get(&source.path), error).unwrap_or_else(failed);
            return Ok(Some(file));
        }
        let good = files.get(&source.path);
        if let Some(good) = good {
            for (name, entry) in &mut parsed.servers {
                let last = good.iter().find(|(n, _)| n == name).map(|(_, e)| e);
                if let (Err(error), Some(Ok(def))) = (&*entry, last) {
                    kept.push(keeping(error.clone(), "its last valid definition"));
                    *entry = Ok(def.clone());
                }
            }
        }
        files.insert(source.path.clone(), parsed.servers.clone());
        Ok(Some(parsed))
    }
}

/// The last good entries `good` in place of a file broken by `error`; `error` when there are none.
fn stand_in(good: Option<&Entries>, error: ConfigError) -> Result<ParsedFile, ConfigError> {
    match good {
        Some(good) => Ok(ParsedFile {
            servers: good.clone(),
            error: Some(keeping(error, "the last valid version of this file")),
        }),
        None => Err(error),
    }
}

/// `error`, saying that mcpd keeps using `what` meanwhile.
fn keeping(mut error: ConfigError, what: &str) -> ConfigError {
    error.problem = format!("{} (mcpd keeps using {what})", error.problem);
    error
}
