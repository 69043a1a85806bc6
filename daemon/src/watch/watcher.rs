//! [`Watcher`]: a running watch of one server's tree; [`start`] sets it up, dropping it stops it.

use std::fmt;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, PoisonError};
use std::thread::{self, JoinHandle};

use super::backend::{Msg, Options};
use super::debounce::{ChangeBatch, Debounce};
use super::plan::WatchPlan;
use super::tree::Tree;
use super::worker::{Shared, Worker};

/// A running watch. Dropping it stops it: no `on_change` call starts after the drop returns
/// (unless dropped from inside `on_change` itself).
pub struct Watcher {
    reason: String,
    warnings: Vec<String>,
    shared: Arc<Shared>,
    /// `None` when nothing is watched.
    running: Option<(Sender<Msg>, JoinHandle<()>)>,
}

/// Starts watching what `plan` says, calling `on_change` (on the watcher's own thread) once
/// per debounced burst of changes. An empty plan gives a watcher that watches nothing.
/// Walks the tree before returning; fails only when the OS offers neither native watching nor
/// polling.
pub fn start(
    plan: WatchPlan,
    debounce: Debounce,
    on_change: impl Fn(ChangeBatch) + Send + Sync + 'static,
) -> Result<Watcher, String> {
    start_with(plan, debounce, Options::default(), on_change)
}

/// [`start`] with tuning.
pub(super) fn start_with(
    plan: WatchPlan,
    debounce: Debounce,
    options: Options,
    on_change: impl Fn(ChangeBatch) + Send + Sync + 'static,
) -> Result<Watcher, String> {
    let WatchPlan {
        roots,
        patterns,
        ignore,
        reason,
        warnings,
    } = plan;
    if roots.is_empty() {
        return Ok(Watcher {
            reason,
            warnings,
            shared: Arc::default(),
            running: None,
        });
    }
    let (tx, rx) = mpsc::channel();
    let tree = Tree::new(roots, &patterns, ignore);
    let mut worker = Worker::new(
        tree,
        tx.clone(),
        options,
        debounce,
        on_change,
        reason.clone(),
    )?;
    worker.setup();
    let shared = worker.shared();
    let thread = thread::Builder::new()
        .name("mcpd-watch".to_string())
        .spawn(move || worker.run(rx))
        .map_err(|err| format!("cannot start the watcher thread: {err}"))?;
    Ok(Watcher {
        reason,
        warnings,
        shared,
        running: Some((tx, thread)),
    })
}

impl Watcher {
    /// What is watched, for `mcpd status`: the plan's reason, the number of directories and
    /// how; "polling (inotify limit reached: fix with sudo sysctl ...)" when fallen back.
    pub fn describe(&self) -> String {
        if self.running.is_none() {
            return self.reason.clone();
        }
        let dirs = self.shared.dirs.load(Ordering::Relaxed);
        let dirs = if dirs == 1 {
            "1 directory".to_string()
        } else {
            format!("{dirs} directories")
        };
        let how = match self.polling_hint() {
            Some(hint) => format!("polling ({hint})"),
            None if cfg!(target_os = "linux") => "inotify".to_string(),
            None => "native events".to_string(),
        };
        format!("{} ({dirs}, {how})", self.reason)
    }

    /// The plan's warnings (a missing path, a glob matching nothing).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Whether anything is watched.
    pub fn is_watching(&self) -> bool {
        self.running.is_some()
    }

    /// Whether the watcher fell back to polling (the OS watch limit was reached).
    pub fn is_polling(&self) -> bool {
        self.polling_hint().is_some()
    }

    fn polling_hint(&self) -> Option<&'static str> {
        *self
            .shared
            .polling
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for Watcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Watcher")
            .field("describe", &self.describe())
            .field("warnings", &self.warnings)
            .finish()
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        if let Some((tx, thread)) = self.running.take() {
            let _ = tx.send(Msg::Stop);
            if thread.thread().id() != thread::current().id() {
                let _ = thread.join();
            }
        }
    }
}
