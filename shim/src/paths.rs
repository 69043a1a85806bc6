//! Every path mcpd uses, all under one root (`MCPD_HOME`, default `~/.mcpd`).

use std::io;
use std::path::{Path, PathBuf};

/// The longest socket path the platform takes (sun_path is 108 bytes on Linux, 104 on macOS).
#[cfg(target_os = "linux")]
pub const MAX_SOCKET_PATH: usize = 107;
#[cfg(not(target_os = "linux"))]
pub const MAX_SOCKET_PATH: usize = 103;

/// File name prefix of the daemon's daily log files.
pub const DAEMON_LOG_PREFIX: &str = "mcpd.log";

/// The file layout under the mcpd root.
#[derive(Clone, Debug)]
pub struct Paths {
    pub home: PathBuf,
}

impl Paths {
    /// The root from `MCPD_HOME`, else `~/.mcpd`; made absolute so a daemon that changes directory
    /// still finds it.
    pub fn from_env() -> io::Result<Paths> {
        let home = match std::env::var_os("MCPD_HOME").filter(|v| !v.is_empty()) {
            Some(h) => PathBuf::from(h),
            None => {
                let user_home = std::env::var_os("HOME")
                    .filter(|v| !v.is_empty())
                    .ok_or_else(|| {
                        io::Error::other(
                            "neither MCPD_HOME nor HOME is set: cannot place mcpd's files",
                        )
                    })?;
                PathBuf::from(user_home).join(".mcpd")
            }
        };
        Ok(Paths::at(absolute(&home)?))
    }

    pub fn at(home: PathBuf) -> Paths {
        Paths { home }
    }

    /// Directory of the socket, lock and pid file; kept at mode 0700.
    pub fn run_dir(&self) -> PathBuf {
        self.home.join("run")
    }
    pub fn socket(&self) -> PathBuf {
        self.run_dir().join("mcpd.sock")
    }
    pub fn lock_file(&self) -> PathBuf {
        self.run_dir().join("mcpd.lock")
    }
    pub fn pid_file(&self) -> PathBuf {
        self.run_dir().join("mcpd.pid")
    }
    /// The ledger of live children's process groups (see the daemon's `child::orphans`).
    pub fn children_dir(&self) -> PathBuf {
        self.run_dir().join("children")
    }
    pub fn log_dir(&self) -> PathBuf {
        self.home.join("logs")
    }
    /// The daemon's own log today: `mcpd.log.YYYY-MM-DD` (UTC) in the log directory, rolled daily.
    pub fn daemon_log(&self) -> PathBuf {
        self.log_dir()
            .join(format!("{DAEMON_LOG_PREFIX}.{}", crate::clock::today()))
    }
    pub fn server_log_dir(&self) -> PathBuf {
        self.log_dir().join("servers")
    }
    pub fn user_config(&self) -> PathBuf {
        self.home.join("config.json")
    }
    pub fn cache_dir(&self) -> PathBuf {
        self.home.join("cache")
    }

    /// Fails with a clear message when the socket path is longer than the platform takes.
    pub fn check_socket_len(&self) -> io::Result<()> {
        let len = self.socket().as_os_str().len();
        if len > MAX_SOCKET_PATH {
            return Err(io::Error::other(format!(
                "socket path {} is {len} bytes, over the platform's limit of {MAX_SOCKET_PATH}: \
                 set MCPD_HOME to a shorter directory",
                self.socket().display()
            )));
        }
        Ok(())
    }
}

fn absolute(path: &Path) -> io::Result<PathBuf> {
    if path.is_absolute() {
        Ok(path.to_path_buf())
    } else {
        Ok(std::env::current_dir()?.join(path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_is_under_home() {
        let home = std::env::temp_dir().join("mcpd-home");
        let p = Paths::at(home.clone());
        assert_eq!(p.socket(), home.join("run/mcpd.sock"));
        assert_eq!(p.user_config(), home.join("config.json"));
        assert!(p.daemon_log().starts_with(home.join("logs")));
    }

    #[test]
    fn long_socket_path_is_refused_with_a_hint() {
        let p = Paths::at(PathBuf::from(format!("/{}", "a".repeat(120))));
        let err = p.check_socket_len().unwrap_err().to_string();
        assert!(err.contains("MCPD_HOME"), "{err}");
    }
}
