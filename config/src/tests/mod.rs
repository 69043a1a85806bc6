//! Tests of the config module against real files in temporary folders.

mod discover;
mod errors;
mod fields;
mod last_good;
mod resolve;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::{ParsedFile, Source, SourceKind, parse_config};

/// Writes `content` to `root/rel`, creating folders; returns the file's path.
pub fn write(root: &Path, rel: &str, content: &str) -> PathBuf {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, content).unwrap();
    path
}

/// A client environment from pairs.
pub fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A temporary folder, canonicalized so that paths compare equal on macOS (/var → /private/var).
pub fn tempdir() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    (dir, root)
}

/// The source every in-memory parse test pretends to read.
pub fn source() -> Source {
    Source {
        kind: SourceKind::User,
        path: PathBuf::from("cfg/config.json"),
    }
}

/// Parses `text` as if it were the user config `cfg/config.json`.
pub fn parse(text: &str) -> ParsedFile {
    parse_config(text.as_bytes(), &source())
}
