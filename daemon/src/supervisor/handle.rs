//! The handle to a server's supervisor: get a ready instance (starting it if needed), stop,
//! reload, and read its state, from any task.

use super::actor::{Actor, Control};
use super::state::Snapshot;
use crate::child::Instance;
use crate::child::spawn::LaunchSpec;
use crate::child::stderr::ServerLog;
use crate::config::ServerKey;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot, watch};

/// Shared by every session that uses one server definition.
pub struct ServerHandle {
    pub key: ServerKey,
    pub name: String,
    pub project: String,
    pub description: Option<String>,
    /// Per-request timeout (no answer and no progress for this long fails the request).
    pub timeout: Duration,
    pub log: Arc<ServerLog>,
    calls: AtomicU64,
    /// Set when a config change replaced or removed this definition: see [`Self::retire`].
    retired: AtomicBool,
    snapshot: Arc<Mutex<Snapshot>>,
    current: watch::Receiver<Option<Arc<Instance>>>,
    tx: mpsc::UnboundedSender<Control>,
}

/// Settings a supervisor needs besides the launch spec.
#[derive(Clone, Debug)]
pub struct SupervisorSettings {
    pub handshake_timeout: Duration,
    pub stop_grace: Duration,
    /// How long a replaced instance may finish its calls in flight before it is stopped.
    pub drain_grace: Duration,
    pub max_frame: usize,
    /// Where live children's process groups are recorded (for clean-up after a daemon crash).
    pub children_dir: std::path::PathBuf,
    /// Where this server's tools are cached for `mcpd/search` (written after each start and
    /// list_changed refresh); `None` caches nothing.
    pub tools_cache: Option<std::path::PathBuf>,
    /// What to watch for hot reload (possibly nothing).
    pub watch_plan: crate::watch::WatchPlan,
    pub debounce: crate::watch::Debounce,
}

impl ServerHandle {
    /// Creates the handle and starts its actor (which starts no process until asked).
    pub fn new(
        key: ServerKey,
        project: String,
        description: Option<String>,
        timeout: Duration,
        spec: LaunchSpec,
        log: Arc<ServerLog>,
        settings: SupervisorSettings,
    ) -> Arc<ServerHandle> {
        let (tx, rx) = mpsc::unbounded_channel();
        let (current_tx, current) = watch::channel(None);
        let snapshot = Arc::new(Mutex::new(Snapshot::default()));
        let handle = Arc::new(ServerHandle {
            key,
            name: spec.server.clone(),
            project,
            description,
            timeout,
            log: log.clone(),
            calls: AtomicU64::new(0),
            retired: AtomicBool::new(false),
            snapshot: snapshot.clone(),
            current,
            tx: tx.clone(),
        });
        let actor = Actor::new(spec, settings, log, snapshot, current_tx, tx.downgrade());
        tokio::spawn(actor.run(rx));
        handle
    }

    /// A ready instance: the running one, or one started now (concurrent callers share the start).
    pub async fn acquire(&self) -> Result<Arc<Instance>, String> {
        if self.is_retired() {
            return Err(format!(
                "server '{}' was replaced or removed by a config change",
                self.name
            ));
        }
        if let Some(inst) = self.running() {
            return Ok(inst);
        }
        self.ask(Control::Acquire).await
    }

    /// Changes whenever the current instance does (start, swap, stop, crash).
    pub fn subscribe(&self) -> watch::Receiver<Option<Arc<Instance>>> {
        self.current.clone()
    }

    /// The running, usable instance, if any.
    pub fn running(&self) -> Option<Arc<Instance>> {
        self.current
            .borrow()
            .as_ref()
            .filter(|i| !i.is_gone())
            .cloned()
    }

    /// Stops the child (its whole process group). Returns once it is gone.
    pub async fn stop(&self) {
        let (tx, rx) = oneshot::channel();
        if self.tx.send(Control::Stop(tx)).is_ok() {
            let _ = rx.await;
        }
    }

    /// Marks the handle replaced or removed by a config change: `acquire` refuses from now on (the
    /// caller looks the name up again). Then [`Self::drain_then_stop`] ends it.
    pub fn retire(&self) {
        self.retired.store(true, Ordering::SeqCst);
    }

    pub fn is_retired(&self) -> bool {
        self.retired.load(Ordering::SeqCst)
    }

    /// Lets the calls in flight finish (up to `drain_grace`), then stops the child.
    pub async fn drain_then_stop(&self, drain_grace: Duration) {
        let current = self.current.borrow().clone();
        if let Some(inst) = current {
            super::swap::drain(&inst, drain_grace).await;
        }
        self.stop().await;
    }

    /// Stops and starts the child again; answers with the new instance.
    pub async fn reload(&self) -> Result<Arc<Instance>, String> {
        self.ask(Control::Reload).await
    }

    async fn ask(
        &self,
        make: fn(oneshot::Sender<Result<Arc<Instance>, String>>) -> Control,
    ) -> Result<Arc<Instance>, String> {
        let (tx, rx) = oneshot::channel();
        self.tx
            .send(make(tx))
            .map_err(|_| format!("server '{}' is shutting down", self.name))?;
        rx.await
            .unwrap_or_else(|_| Err(format!("server '{}' is shutting down", self.name)))
    }

    /// How many reloads have finished (cheap: no copy of the snapshot).
    pub fn reload_seq(&self) -> u64 {
        self.snapshot.lock().unwrap().reload_seq
    }

    pub fn snapshot(&self) -> Snapshot {
        self.snapshot.lock().unwrap().clone()
    }

    pub fn count_call(&self) {
        self.calls.fetch_add(1, Ordering::Relaxed);
    }

    pub fn calls(&self) -> u64 {
        self.calls.load(Ordering::Relaxed)
    }
}
