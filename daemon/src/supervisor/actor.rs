//! The supervisor actor: owns the current child instance of one server and serialises starts,
//! stops, blue/green reloads and crash recovery, so no two starts of one server ever race.

use super::backoff::{Backoff, Decision};
use super::handle::SupervisorSettings;
use super::reload_loop::{LoopGuard, Verdict};
use super::starting::begin;
use super::state::{ReloadNote, ServerState, Snapshot};
use super::swap::drain_then_stop;
use super::tool_diff::diff;
use crate::child::spawn::LaunchSpec;
use crate::child::stderr::ServerLog;
use crate::child::{Instance, exit::ExitInfo};
use crate::watch::{ChangeBatch, Watcher};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};
use tokio::sync::{mpsc, oneshot, watch};

pub type Reply = oneshot::Sender<Result<Arc<Instance>, String>>;

pub enum Control {
    Acquire(Reply),
    /// Blue/green: start a new instance, switch new calls to it, drain the old one.
    Reload(Reply),
    Stop(oneshot::Sender<()>),
    /// Internal: a start attempt finished.
    Started {
        generation: u64,
        result: Result<Arc<Instance>, String>,
    },
    /// Internal: the instance of `generation` exited after `uptime`.
    Exited {
        generation: u64,
        info: ExitInfo,
        uptime: Duration,
    },
    /// Internal: the back-off after a crash is over.
    RestartDue {
        generation: u64,
    },
    /// Internal: a debounced burst of changes in the watched files.
    FilesChanged(ChangeBatch),
    /// Internal: the file watcher of `generation` is set up (or could not be).
    Watching {
        generation: u64,
        result: Result<Watcher, String>,
    },
}

/// A start in progress.
struct Attempt {
    generation: u64,
    /// A reload next to a live instance (blue/green), not a cold start.
    swap: bool,
    /// When it began (its process is spawned right after).
    since: SystemTime,
}

pub struct Actor {
    pub(super) spec: LaunchSpec,
    pub(super) settings: SupervisorSettings,
    pub(super) log: Arc<ServerLog>,
    snapshot: Arc<Mutex<Snapshot>>,
    current_tx: watch::Sender<Option<Arc<Instance>>>,
    /// Weak, so the actor ends once every handle (the only strong senders) is gone.
    pub(super) tx: mpsc::WeakUnboundedSender<Control>,
    /// Bumped by every start attempt and every stop; results of older ones are discarded.
    generation: u64,
    /// The generation of the current instance.
    live: u64,
    attempt: Option<Attempt>,
    waiters: Vec<Reply>,
    /// A reload was asked for while one was in progress: one more after it (never a pile-up).
    reload_again: bool,
    backoff: Backoff,
    started_before: bool,
    /// Watches the server's files while it is loaded; `None` before the first start and after a stop.
    watcher: Option<Watcher>,
    /// Bumped by every stop, so a watcher set up for an earlier load is dropped.
    watch_generation: u64,
    watch_starting: bool,
    loop_guard: LoopGuard,
}

impl Actor {
    pub fn new(
        spec: LaunchSpec,
        settings: SupervisorSettings,
        log: Arc<ServerLog>,
        snapshot: Arc<Mutex<Snapshot>>,
        current_tx: watch::Sender<Option<Arc<Instance>>>,
        tx: mpsc::WeakUnboundedSender<Control>,
    ) -> Actor {
        Actor {
            spec,
            settings,
            log,
            snapshot,
            current_tx,
            tx,
            generation: 0,
            live: 0,
            attempt: None,
            waiters: Vec::new(),
            reload_again: false,
            backoff: Backoff::default(),
            started_before: false,
            watcher: None,
            watch_generation: 0,
            watch_starting: false,
            loop_guard: LoopGuard::default(),
        }
    }

    pub async fn run(mut self, mut rx: mpsc::UnboundedReceiver<Control>) {
        while let Some(msg) = rx.recv().await {
            match msg {
                Control::Acquire(reply) => self.acquire(reply),
                Control::Reload(reply) => self.reload(reply),
                Control::Stop(done) => self.stop(done),
                Control::Started { generation, result } => self.started(generation, result),
                Control::Exited {
                    generation,
                    info,
                    uptime,
                } => self.exited(generation, info, uptime),
                Control::RestartDue { generation } => self.restart_due(generation),
                Control::FilesChanged(batch) => self.files_changed(batch),
                Control::Watching { generation, result } => self.watching(generation, result),
            }
        }
    }

    fn snap(&self) -> std::sync::MutexGuard<'_, Snapshot> {
        self.snapshot.lock().unwrap()
    }

    fn set_state(&self, state: ServerState, error: Option<String>) {
        let mut s = self.snap();
        s.state = state;
        if error.is_some() || state == ServerState::Ready {
            s.last_error = error;
        }
    }

    fn live_instance(&self) -> Option<Arc<Instance>> {
        self.current_tx
            .borrow()
            .as_ref()
            .filter(|i| !i.is_gone())
            .cloned()
    }

    fn acquire(&mut self, reply: Reply) {
        if let Some(inst) = self.live_instance() {
            let _ = reply.send(Ok(inst));
            return;
        }
        self.waiters.push(reply);
        // A start is on its way (or a restart is scheduled): wait for it.
        if self.attempt.is_none() && self.snap().state != ServerState::Restarting {
            self.start(false);
        }
    }

    fn reload(&mut self, reply: Reply) {
        self.waiters.push(reply);
        self.reload_now();
    }

    /// Starts a reload, or asks for one more after the one in progress.
    fn reload_now(&mut self) {
        match &self.attempt {
            Some(a) if a.swap => self.reload_again = true,
            Some(_) => {}
            None => {
                // A deliberate restart: forget earlier crashes.
                self.backoff.reset();
                let swap = self.live_instance().is_some();
                self.start(swap);
            }
        }
    }

    fn stop(&mut self, done: oneshot::Sender<()>) {
        self.watcher = None;
        self.watch_generation += 1;
        self.watch_starting = false;
        self.generation += 1;
        self.attempt = None;
        self.reload_again = false;
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

    /// Starts an instance; `swap` keeps the current one serving until the new one is ready.
    fn start(&mut self, swap: bool) {
        self.generation += 1;
        self.attempt = Some(Attempt {
            generation: self.generation,
            swap,
            since: SystemTime::now(),
        });
        // A restart after a crash stays "restarting" until it is ready.
        if !swap && self.snap().state != ServerState::Restarting {
            self.set_state(ServerState::Starting, None);
        }
        if self.started_before {
            self.snap().restarts += 1;
        }
        self.started_before = true;
        begin(self, self.generation);
        // Watch from the first start on, so a server whose start failed is retried on a save.
        self.ensure_watching();
    }

    fn started(&mut self, generation: u64, result: Result<Arc<Instance>, String>) {
        let swap = match &self.attempt {
            Some(a) if a.generation == generation => a.swap,
            _ => {
                if let Ok(stale) = result {
                    let grace = self.settings.stop_grace;
                    tokio::spawn(async move { stale.shutdown(grace).await });
                }
                return;
            }
        };
        self.attempt = None;
        match &result {
            Ok(inst) => self.go_live(inst.clone(), generation, swap),
            Err(e) if swap && self.live_instance().is_some() => {
                tracing::warn!(server = %self.spec.server, "reload failed; the previous instance keeps serving: {e}");
                self.note_reload(
                    false,
                    false,
                    format!("reload failed, the previous version keeps serving: {e}"),
                );
            }
            Err(e) => {
                tracing::warn!(server = %self.spec.server, "start failed: {e}");
                self.set_state(ServerState::Failed, Some(e.clone()));
            }
        }
        let reply = match (&result, swap) {
            (Err(e), true) if self.live_instance().is_some() => Err(format!(
                "reload of '{}' failed; the previous version keeps serving. {e}",
                self.spec.server
            )),
            _ => result,
        };
        for w in self.waiters.drain(..) {
            let _ = w.send(reply.clone());
        }
        if std::mem::take(&mut self.reload_again) && self.attempt.is_none() {
            let swap = self.live_instance().is_some();
            self.start(swap);
        }
    }

    /// Routes new calls to `inst`; a replaced instance drains its calls in flight, then stops.
    fn go_live(&mut self, inst: Arc<Instance>, generation: u64, swap: bool) {
        tracing::info!(server = %self.spec.server, pid = inst.pid, tools = inst.tools().names.len(), swap, "server ready");
        let recovered = self.snap().state == ServerState::Restarting;
        if recovered {
            // Back after a crash: keep the crash as the last error for status displays.
            self.snap().state = ServerState::Ready;
        } else {
            self.set_state(ServerState::Ready, None);
        }
        self.live = generation;
        // The note first: sessions that see the new instance find what changed.
        if swap && let Some(old) = self.live_instance() {
            let change = diff(&old.tools().raw, &inst.tools().raw);
            let text = format!("reloaded (new pid {}): {}", inst.pid, change.summary());
            self.note_reload(true, !change.is_empty(), text);
        }
        let old = self.current_tx.send_replace(Some(inst.clone()));
        self.loop_guard
            .went_live(inst.started_wall, SystemTime::now());
        if let Some(old) = old {
            tokio::spawn(drain_then_stop(
                old,
                self.settings.drain_grace,
                self.settings.stop_grace,
            ));
        }
        let Some(tx) = self.tx.upgrade() else { return };
        tokio::spawn(async move {
            let info = inst.exited().await;
            let uptime = inst.started_at.elapsed();
            let _ = tx.send(Control::Exited {
                generation,
                info,
                uptime,
            });
        });
    }

    fn note_reload(&self, ok: bool, tools_changed: bool, text: String) {
        self.log.note(&text);
        let mut s = self.snap();
        s.reload_seq += 1;
        s.last_reload = Some(ReloadNote {
            ok,
            tools_changed,
            text,
        });
    }

    /// The current instance died on its own: restart it after a back-off, or give up for now.
    fn exited(&mut self, generation: u64, info: ExitInfo, uptime: Duration) {
        if generation != self.live || self.current_tx.borrow().is_none() {
            return; // a replaced or stopped instance
        }
        if let Some(old) = self.current_tx.send_replace(None) {
            let grace = self.settings.stop_grace;
            // The leader is gone; end whatever it left in its group.
            tokio::spawn(async move { old.shutdown(grace).await });
        }
        let message = info.message(&self.spec.server);
        tracing::warn!(server = %self.spec.server, "{message}");
        match self.backoff.crashed(Instant::now(), uptime) {
            Decision::RestartAfter(delay) => {
                self.set_state(
                    ServerState::Restarting,
                    Some(format!(
                        "{message}\n(mcpd restarts it in {} ms)",
                        delay.as_millis()
                    )),
                );
                let (tx, generation) = (self.tx.clone(), self.generation);
                let Some(tx) = tx.upgrade() else { return };
                tokio::spawn(async move {
                    tokio::time::sleep(delay).await;
                    let _ = tx.send(Control::RestartDue { generation });
                });
            }
            Decision::GiveUp { crashes } => {
                let why = format!(
                    "{message}\n(it crashed {crashes} times in a row; mcpd stopped restarting it: the next call, reload or file change tries again)"
                );
                self.set_state(ServerState::Failed, Some(why.clone()));
                for w in self.waiters.drain(..) {
                    let _ = w.send(Err(why.clone()));
                }
            }
        }
    }

    fn restart_due(&mut self, generation: u64) {
        if generation == self.generation
            && self.attempt.is_none()
            && self.current_tx.borrow().is_none()
        {
            self.start(false);
        }
    }

    /// Sets up the file watcher (once per load), off the actor: walking a tree takes a moment.
    fn ensure_watching(&mut self) {
        let plan = &self.settings.watch_plan;
        if self.watcher.is_some() || self.watch_starting {
            return;
        }
        self.snap().watching = Some(plan.reason.clone());
        if plan.is_empty() {
            return;
        }
        for w in &plan.warnings {
            self.log.note(&format!("watch: {w}"));
            tracing::warn!(server = %self.spec.server, "watch: {w}");
        }
        self.watch_starting = true;
        let (plan, debounce, tx, generation) = (
            plan.clone(),
            self.settings.debounce,
            self.tx.clone(),
            self.watch_generation,
        );
        tokio::spawn(async move {
            let on_change_tx = tx.clone();
            let Some(tx) = tx.upgrade() else { return };
            let started = tokio::task::spawn_blocking(move || {
                crate::watch::start(plan, debounce, move |batch| {
                    if let Some(tx) = on_change_tx.upgrade() {
                        let _ = tx.send(Control::FilesChanged(batch));
                    }
                })
            })
            .await
            .unwrap_or_else(|e| Err(format!("the watcher could not start: {e}")));
            let _ = tx.send(Control::Watching {
                generation,
                result: started,
            });
        });
    }

    fn watching(&mut self, generation: u64, result: Result<Watcher, String>) {
        if generation != self.watch_generation {
            return; // stopped meanwhile: dropping the watcher ends it
        }
        self.watch_starting = false;
        match result {
            Ok(w) => {
                self.snap().watching = Some(w.describe());
                self.watcher = Some(w);
            }
            Err(e) => {
                self.log.note(&format!("not watching for changes: {e}"));
                self.snap().watching = Some(format!("nothing: {e}"));
            }
        }
    }

    /// Saved files: reload (blue/green); a failed server gets another chance.
    fn files_changed(&mut self, batch: ChangeBatch) {
        let sample: Vec<String> = batch
            .paths
            .iter()
            .take(3)
            .map(|p| p.display().to_string())
            .collect();
        self.log.note(&format!(
            "{} file(s) changed ({}); reloading",
            batch.count,
            sample.join(", ")
        ));
        let starting = self.attempt.as_ref().map(|a| a.since);
        if let Verdict::Ignore { first } = self.loop_guard.check(&batch.paths, starting) {
            if first {
                let files: Vec<String> = self
                    .loop_guard
                    .suspects()
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect();
                let hint = format!(
                    "not reloading for {}: it changes every time the server starts; add it to the server's \"ignore\" list",
                    files.join(", ")
                );
                self.log.note(&hint);
                tracing::warn!(server = %self.spec.server, "{hint}");
                self.snap().watching = Some(hint);
            }
            return;
        }
        let state = self.snap().state;
        match state {
            ServerState::Stopped => return,
            // A deliberate change: try now rather than after the crash back-off.
            ServerState::Failed | ServerState::Restarting => self.backoff.reset(),
            _ => {}
        }
        if self.attempt.as_ref().is_some_and(|a| !a.swap) {
            // A start in progress may have read the old files: reload once it is up.
            self.reload_again = true;
            return;
        }
        self.reload_now();
    }
}
