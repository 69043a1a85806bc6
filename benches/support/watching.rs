//! Loading a server and timing how long until `mcpd/status` shows its file watcher running
//! (the watcher is set up off the supervisor, beside the child's start, so both are timed from
//! the same `mcpd/load` request).

use super::daemon_client::DaemonClient;
use super::world::World;
use anyhow::{Context, Result, anyhow, bail};
use std::path::Path;
use std::time::{Duration, Instant};

/// How often `mcpd/status` is asked while waiting.
const POLL: Duration = Duration::from_millis(2);
/// The longest the bench waits for a watcher.
const LIMIT: Duration = Duration::from_secs(20);

pub struct Watched {
    /// `mcpd/load` sent → answered (the child is ready).
    pub load: Duration,
    /// `mcpd/load` sent → `mcpd/status` first shows the watcher running.
    pub watching: Duration,
    /// What status says is watched: "source tree of ... (N directories, inotify)".
    pub describe: String,
}

/// Loads `server` (configured in `project`) on one connection while another asks `mcpd/status`
/// every 2 ms until the server's `watching` names the directories watched and how.
pub fn load_and_watch(world: &World, project: &Path, server: &str) -> Result<Watched> {
    let socket = world.paths.socket();
    let mut loader = DaemonClient::connect(&socket, project)?;
    let mut poller = DaemonClient::connect(&socket, project)?;
    let t0 = Instant::now();
    std::thread::scope(|scope| {
        let load = scope.spawn(move || {
            let loaded = loader.load(server)?;
            anyhow::Ok((t0.elapsed(), loaded))
        });
        let (watching, describe) = loop {
            let info = poller.server_status(server)?;
            if let Some(w) = info.watching.as_deref().filter(|w| is_running(w)) {
                break (t0.elapsed(), w.to_string());
            }
            if info.state == "failed" {
                bail!("{server} failed to start: {:?}", info.last_error);
            }
            if t0.elapsed() > LIMIT {
                bail!(
                    "{server}: no watcher running after {LIMIT:?} (watching: {:?})",
                    info.watching
                );
            }
            std::thread::sleep(POLL);
        };
        let (load, loaded) = load
            .join()
            .map_err(|_| anyhow!("the loading thread panicked"))??;
        let pid = loaded.server.pid.context("a loaded server has a pid")?;
        world.note_child(pid);
        Ok(Watched {
            load,
            watching,
            describe,
        })
    })
}

/// Whether a status `watching` text is a running watcher's ("... (3 directories, inotify)"),
/// not just the plan's reason shown while it is set up.
fn is_running(watching: &str) -> bool {
    watching.ends_with(')')
        && [" directory, ", " directories, "]
            .iter()
            .any(|d| watching.contains(d))
}
