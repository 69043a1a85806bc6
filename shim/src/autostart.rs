//! Connect to the daemon, starting it detached when none runs. Concurrent starters are safe: the
//! daemon's single-instance lock lets one win, and the others connect to it.

use crate::client::{Client, ClientError};
use crate::paths::Paths;
use crate::wire::Hello;
use std::path::Path;
use std::time::{Duration, Instant};

/// How long to wait for a daemon that another process is starting.
const WAIT_FOR_OTHER: Duration = Duration::from_secs(15);

/// Connects, or runs `EXE daemon --detach` (which returns once the daemon is ready or has said why
/// it cannot start) and connects then.
pub async fn connect_or_start(
    paths: &Paths,
    hello: &Hello,
    exe: &Path,
) -> Result<Client, ClientError> {
    match Client::connect(paths, hello).await {
        Err(ClientError::NotRunning { .. }) => {}
        other => return other,
    }
    let out = tokio::process::Command::new(exe)
        .args(["daemon", "--detach"])
        .env("MCPD_HOME", &paths.home)
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .map_err(|e| {
            ClientError::Start(format!(
                "could not run {} daemon --detach: {e}",
                exe.display()
            ))
        })?;
    let stderr = String::from_utf8_lossy(&out.stderr).trim().to_string();
    if !out.status.success() && !stderr.contains("already running") {
        return Err(ClientError::Start(format!(
            "the mcpd daemon could not start: {}\n(log: {})",
            if stderr.is_empty() {
                format!("exited with {}", out.status)
            } else {
                stderr
            },
            paths.daemon_log().display()
        )));
    }
    let deadline = Instant::now() + WAIT_FOR_OTHER;
    loop {
        match Client::connect(paths, hello).await {
            Err(ClientError::NotRunning { path, source }) if Instant::now() < deadline => {
                let _ = (path, source);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            other => return other,
        }
    }
}
