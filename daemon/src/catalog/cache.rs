//! The on-disk tool cache: `$MCPD_HOME/cache/tools/<ServerKey>.json` holds a server's last known
//! tools array (raw, byte for byte) and its name, written atomically (temp file, then rename).

use crate::config::ServerKey;
use mcpd_shim::paths::Paths;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// Serialises writes, so the file that stays is the one written last.
static WRITING: Mutex<()> = Mutex::new(());
/// Makes temp file names unique within this process.
static TEMP_SEQ: AtomicU64 = AtomicU64::new(0);

/// The directory of the cache files.
pub fn dir(paths: &Paths) -> PathBuf {
    paths.cache_dir().join("tools")
}

/// The cache file of one server definition.
pub fn file(dir: &Path, key: &ServerKey) -> PathBuf {
    dir.join(format!("{key}.json"))
}

/// What a cache file holds.
#[derive(Serialize, Deserialize, Debug)]
pub struct Entry {
    /// The name the server had when its tools were cached (informative only).
    pub server: String,
    /// When the tools were cached (UTC, RFC 3339).
    #[serde(default)]
    pub saved: String,
    /// A JSON array of the child's Tool objects, byte for byte.
    pub tools: Box<RawValue>,
}

/// Writes `tools` for `server` to `path` atomically; `tools` is produced under the write lock, so
/// of concurrent writers the last one also writes the newest list.
pub fn write(path: &Path, server: &str, tools: impl FnOnce() -> Box<RawValue>) -> io::Result<()> {
    let _guard = WRITING.lock().unwrap_or_else(|e| e.into_inner());
    let entry = Entry {
        server: server.to_string(),
        saved: mcpd_shim::clock::timestamp(),
        tools: tools(),
    };
    let text = serde_json::to_vec(&entry).map_err(io::Error::other)?;
    let parent = path
        .parent()
        .ok_or_else(|| io::Error::other("cache path has no parent"))?;
    std::fs::create_dir_all(parent)?;
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let temp = parent.join(format!(
        ".{name}.{}.{}.tmp",
        std::process::id(),
        TEMP_SEQ.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| {
        let mut f = std::fs::File::create(&temp)?;
        f.write_all(&text)?;
        f.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// The cached entry at `path`; None when there is none or it is unusable (a tools value that is
/// not an array counts as none).
pub fn read(path: &Path) -> Option<Entry> {
    let text = std::fs::read(path).ok()?;
    let entry: Entry = serde_json::from_slice(&text).ok()?;
    entry
        .tools
        .get()
        .trim_start()
        .starts_with('[')
        .then_some(entry)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(s: &str) -> Box<RawValue> {
        RawValue::from_string(s.to_string()).unwrap()
    }

    #[test]
    fn round_trip_keeps_the_tools_byte_for_byte() {
        let home = tempfile::tempdir().unwrap();
        let dir = dir(&Paths::at(home.path().to_path_buf()));
        let path = dir.join("0123456789abcdef.json");
        let tools =
            r#"[{"name":"add","x-vendor":1.50,"inputSchema":{"type":"object"}} ,{"name":"b"}]"#;
        write(&path, "calc", || raw(tools)).unwrap();
        let entry = read(&path).unwrap();
        assert_eq!(entry.server, "calc");
        assert_eq!(entry.tools.get(), tools);
        assert!(!entry.saved.is_empty());

        // Overwritten in place; no temp files are left behind.
        write(&path, "calc", || raw("[]")).unwrap();
        assert_eq!(read(&path).unwrap().tools.get(), "[]");
        let names: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn missing_or_broken_files_read_as_none() {
        let home = tempfile::tempdir().unwrap();
        assert!(read(&home.path().join("nope.json")).is_none());
        let bad = home.path().join("bad.json");
        std::fs::write(&bad, "{\"server\":\"x\",\"tools\":").unwrap();
        assert!(read(&bad).is_none());
        std::fs::write(&bad, r#"{"server":"x","tools":{"not":"an array"}}"#).unwrap();
        assert!(read(&bad).is_none());
    }
}
