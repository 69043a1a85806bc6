//! The single-instance lock: an exclusive lock on `run/mcpd.lock` held for the daemon's life, with
//! the holder's pid written beside it so a second daemon can say who runs.

use mcpd_shim::paths::Paths;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};

/// How long to wait for the lock held by a daemon that is exiting.
const DYING_HOLDER_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// Held while the daemon runs; dropping it releases the lock.
pub struct InstanceLock {
    _file: File,
    pid_file: std::path::PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("mcpd is already running (pid {0})")]
    AlreadyRunning(String),
    #[error("cannot take the lock {path}: {source}")]
    Io { path: String, source: io::Error },
}

/// Takes the lock or says who holds it.
pub fn acquire(paths: &Paths) -> Result<InstanceLock, LockError> {
    let path = paths.lock_file();
    let io_err = |source| LockError::Io {
        path: path.display().to_string(),
        source,
    };
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io_err)?;
    // A daemon that was just killed can hold the lock a moment longer while its last threads
    // exit (its main thread already a zombie): wait for it rather than refuse.
    let deadline = std::time::Instant::now() + DYING_HOLDER_WAIT;
    loop {
        match file.try_lock() {
            Ok(()) => break,
            Err(std::fs::TryLockError::WouldBlock) => {
                let pid = std::fs::read_to_string(paths.pid_file())
                    .map(|s| s.trim().to_string())
                    .unwrap_or_default();
                let dying = pid
                    .parse::<u32>()
                    .is_ok_and(|p| !mcpd_shim::process::running(p));
                if !dying || std::time::Instant::now() > deadline {
                    return Err(LockError::AlreadyRunning(if pid.is_empty() {
                        "unknown".into()
                    } else {
                        pid
                    }));
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io_err(e)),
        }
    }
    let pid_file = paths.pid_file();
    let mut f = File::create(&pid_file).map_err(io_err)?;
    write!(f, "{}", std::process::id()).map_err(io_err)?;
    Ok(InstanceLock {
        _file: file,
        pid_file,
    })
}

impl Drop for InstanceLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.pid_file);
    }
}
