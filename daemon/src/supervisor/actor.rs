//! The supervisor actor: owns the current child instance of one server and serialises starts,
//! stops, reloads and exit handling, so no two starts of one server ever race.

use super::handle::SupervisorSettings;
use super::state::{ServerState, Snapshot};
use crate::catalog;
use crate::child::spawn::{LaunchSpec, spawn};
use crate::child::stderr::ServerLog;
use crate::child::{Instance, exit::ExitInfo, handshake};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot, watch};

type Reply = oneshot::Sender<Result<Arc<Instance>, String>>;

pub enum Control {
    Acquire(Reply),
    Reload(Reply),
    Stop(oneshot::Sender<()>),
    /// Internal: a start attempt finished.
    Started {
        generation: u64,
        result: Result<Arc<Instance>, String>,
    },
    /// Internal: the instance of `generation` exited.
    Exited {
        generation: u64,
        info: ExitInfo,
    },
    /// Internal: the old instance of a reload is gone; start the new one.
    BeginStart {
        generation: u64,
    },
}

pub struct Actor {
    spec: LaunchSpec,
    settings: SupervisorSettings,
    log: Arc<ServerLog>,
    snapshot: Arc<Mutex<Snapshot>>,
    current_tx: watch::Sender<Option<Arc<Instance>>>,
    tx: mpsc::UnboundedSender<Control>,
    /// Bumped by every start and stop; results of older generations are discarded.
    generation: u64,
    waiters: Vec<Reply>,
    started_before: bool,
}

impl Actor {
    pub fn new(
        spec: LaunchSpec,
        settings: SupervisorSettings,
        log: Arc<ServerLog>,
        snapshot: Arc<Mutex<Snapshot>>,
        current_tx: watch::Sender<Option<Arc<Instance>>>,
        tx: mpsc::UnboundedSender<Control>,
    ) -> Actor {
        Actor {
            spec,
            settings,
            log,
            snapshot,
            current_tx,
            tx,
            generation: 0,
            waiters: Vec::new(),
            started_before: false,
        }
    }

    pub async fn run(mut self, mut rx: mpsc::UnboundedReceiver<Control>) {
        while let Some(msg) = rx.recv().await {
            match msg {
                Control::Acquire(reply) => self.acquire(reply),
                Control::Reload(reply) => self.reload(reply),
                Control::Stop(done) => self.stop(done),
                Control::Started { generation, result } => self.started(generation, result),
                Control::Exited { generation, info } => self.exited(generation, info),
                Control::BeginStart { generation } if generation == self.generation => {
                    self.begin_start()
                }
                Control::BeginStart { .. } => {}
            }
        }
    }

    fn state(&self) -> ServerState {
        self.snapshot.lock().unwrap().state
    }

    fn set_state(&self, state: ServerState, error: Option<String>) {
        let mut s = self.snapshot.lock().unwrap();
        s.state = state;
        if error.is_some() || state == ServerState::Ready {
            s.last_error = error;
        }
    }

    fn acquire(&mut self, reply: Reply) {
        if let Some(inst) = self.current_tx.borrow().as_ref().filter(|i| !i.is_gone()) {
            let _ = reply.send(Ok(inst.clone()));
            return;
        }
        self.waiters.push(reply);
        if self.state() != ServerState::Starting {
            self.generation += 1;
            self.begin_start();
        }
    }

    fn reload(&mut self, reply: Reply) {
        self.waiters.push(reply);
        self.generation += 1;
        let generation = self.generation;
        self.set_state(ServerState::Starting, None);
        let old = self.current_tx.send_replace(None);
        let tx = self.tx.clone();
        let grace = self.settings.stop_grace;
        tokio::spawn(async move {
            if let Some(old) = old {
                old.shutdown(grace).await;
            }
            let _ = tx.send(Control::BeginStart { generation });
        });
    }

    fn stop(&mut self, done: oneshot::Sender<()>) {
        self.generation += 1;
        self.set_state(ServerState::Stopped, None);
        for w in self.waiters.drain(..) {
            let _ = w.send(Err(format!(
                "server '{}' was stopped before it was ready",
                self.spec.server
            )));
        }
        let old = self.current_tx.send_replace(None);
        let grace = self.settings.stop_grace;
        tokio::spawn(async move {
            if let Some(old) = old {
                old.shutdown(grace).await;
            }
            let _ = done.send(());
        });
    }

    /// Spawns the process and runs the handshake in a task; the result comes back as `Started`.
    fn begin_start(&mut self) {
        let generation = self.generation;
        self.set_state(ServerState::Starting, None);
        if self.started_before {
            self.snapshot.lock().unwrap().restarts += 1;
        }
        self.started_before = true;
        let refresh_timeout = self.settings.handshake_timeout;
        let cache = self.settings.tools_cache.clone();
        let on_tools_changed = move |inst: Arc<Instance>| {
            let cache = cache.clone();
            tokio::spawn(async move {
                match handshake::refresh_tools(&inst, refresh_timeout).await {
                    Ok(()) => catalog::remember(cache, &inst).await,
                    Err(e) => {
                        tracing::warn!(server = %inst.server, "refreshing tools after list_changed failed: {e}")
                    }
                }
            });
        };
        let spawned = spawn(
            &self.spec,
            generation,
            self.log.clone(),
            &self.settings,
            on_tools_changed,
        );
        let tx = self.tx.clone();
        let settings = self.settings.clone();
        tokio::spawn(async move {
            let result = match spawned {
                Ok(inst) => match handshake::run(&inst, settings.handshake_timeout).await {
                    Ok(()) => {
                        catalog::remember(settings.tools_cache.clone(), &inst).await;
                        Ok(inst)
                    }
                    Err(e) => Err(failed_start(&inst, e, settings.stop_grace).await),
                },
                Err(e) => Err(e),
            };
            let _ = tx.send(Control::Started { generation, result });
        });
    }

    fn started(&mut self, generation: u64, result: Result<Arc<Instance>, String>) {
        if generation != self.generation {
            if let Ok(stale) = result {
                let grace = self.settings.stop_grace;
                tokio::spawn(async move { stale.shutdown(grace).await });
            }
            return;
        }
        match &result {
            Ok(inst) => {
                tracing::info!(server = %self.spec.server, pid = inst.pid, tools = inst.tools().names.len(), "server ready");
                self.set_state(ServerState::Ready, None);
                self.current_tx.send_replace(Some(inst.clone()));
                let tx = self.tx.clone();
                let inst = inst.clone();
                tokio::spawn(async move {
                    let info = inst.exited().await;
                    let _ = tx.send(Control::Exited { generation, info });
                });
            }
            Err(e) => {
                tracing::warn!(server = %self.spec.server, "start failed: {e}");
                self.set_state(ServerState::Failed, Some(e.clone()));
            }
        }
        for w in self.waiters.drain(..) {
            let _ = w.send(result.clone());
        }
    }

    fn exited(&mut self, generation: u64, info: ExitInfo) {
        if generation != self.generation {
            return;
        }
        let message = info.message(&self.spec.server);
        tracing::warn!(server = %self.spec.server, "{}", message);
        self.set_state(ServerState::Failed, Some(message));
        if let Some(old) = self.current_tx.send_replace(None) {
            let grace = self.settings.stop_grace;
            // The leader is gone; end whatever it left in its group.
            tokio::spawn(async move { old.shutdown(grace).await });
        }
    }
}

/// Describes a failed start (with the exit status and stderr if the child died) and ends the child.
async fn failed_start(inst: &Arc<Instance>, error: String, grace: Duration) -> String {
    let exit = tokio::time::timeout(Duration::from_millis(500), inst.exited())
        .await
        .ok();
    let msg = match exit {
        Some(info) => format!("{} during start-up", info.message(&inst.server)),
        None => {
            let tail = inst.log.tail(12);
            if tail.is_empty() {
                error
            } else {
                format!("{error}; its last stderr lines:\n  {}", tail.join("\n  "))
            }
        }
    };
    inst.shutdown(grace).await;
    msg
}
