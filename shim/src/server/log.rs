//! The shim's own log: `$MCPD_HOME/logs/shim.log`, one line per event, appended (never stdout).

use std::io::Write;
use std::path::Path;
use std::sync::Mutex;
use std::sync::OnceLock;

static FILE: OnceLock<Mutex<Option<std::fs::File>>> = OnceLock::new();

/// Opens the log file; later `log` calls append to it. Failure to open only disables logging.
pub fn init(log_dir: &Path) {
    let _ = std::fs::create_dir_all(log_dir);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log_dir.join("shim.log"))
        .ok();
    let _ = FILE.set(Mutex::new(file));
}

/// Appends `[timestamp pid] message`.
pub fn log(message: &str) {
    if let Some(m) = FILE.get()
        && let Some(f) = m.lock().unwrap().as_mut()
    {
        let line = format!(
            "[{} shim {}] {message}\n",
            crate::clock::timestamp(),
            std::process::id()
        );
        let _ = f.write_all(line.as_bytes());
    }
}
