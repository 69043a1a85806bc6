//! The watcher's thread: turns notify events into debounced [`ChangeBatch`]es, watches
//! directories created later, forgets removed ones, and switches to polling when the OS watch
//! limit is reached.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use notify::event::{CreateKind, ModifyKind, RemoveKind, RenameMode};
use notify::{Event, EventKind};

use super::backend::{AddError, Backend, Msg, Options, Scope, limit_hint};
use super::debounce::{ChangeBatch, Debounce, Debouncer};
use super::ignore_rules::Verdict;
use super::tree::Tree;

/// What the [`Watcher`](super::Watcher) reads while the worker runs.
#[derive(Default)]
pub(super) struct Shared {
    /// Directories watched.
    pub dirs: AtomicUsize,
    /// Set once fallen back to polling: the fix for the limit that was hit.
    pub polling: Mutex<Option<&'static str>>,
}

/// The state of the watcher's thread.
pub(super) struct Worker<F> {
    tree: Tree,
    backend: Backend,
    debouncer: Debouncer,
    shared: Arc<Shared>,
    on_change: F,
    tx: Sender<Msg>,
    options: Options,
    reason: String,
}

impl<F: Fn(ChangeBatch)> Worker<F> {
    /// A worker whose notify watcher sends to `tx`; polling from the start when the OS refuses
    /// a native watcher because of its limits.
    pub(super) fn new(
        tree: Tree,
        tx: Sender<Msg>,
        options: Options,
        debounce: Debounce,
        on_change: F,
        reason: String,
    ) -> Result<Self, String> {
        let shared = Arc::new(Shared::default());
        let backend = match Backend::native(tx.clone(), options) {
            Ok(backend) => backend,
            Err(AddError::Limit(hint)) => {
                tracing::warn!("watching {reason}: {hint}; polling instead");
                *shared.polling.lock().unwrap_or_else(|e| e.into_inner()) = Some(hint);
                Backend::polling(tx.clone(), options)?
            }
            Err(AddError::Other(err)) => return Err(format!("cannot watch files: {err}")),
        };
        Ok(Worker {
            tree,
            backend,
            debouncer: Debouncer::new(debounce),
            shared,
            on_change,
            tx,
            options,
            reason,
        })
    }

    pub(super) fn shared(&self) -> Arc<Shared> {
        Arc::clone(&self.shared)
    }

    /// Walks the roots and watches every directory kept, plus the roots' parents.
    pub(super) fn setup(&mut self) {
        self.scan(None, None);
    }

    /// Handles messages until [`Msg::Stop`], calling `on_change` for each debounced burst.
    pub(super) fn run(mut self, rx: Receiver<Msg>) {
        loop {
            let received = match self.debouncer.deadline() {
                None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
                Some(deadline) => {
                    rx.recv_timeout(deadline.saturating_duration_since(Instant::now()))
                }
            };
            match received {
                Ok(Msg::Fs(Ok(event))) => self.on_event(event),
                Ok(Msg::Fs(Err(err))) => self.on_error(err),
                Ok(Msg::Stop) | Err(RecvTimeoutError::Disconnected) => return,
                Err(RecvTimeoutError::Timeout) => {}
            }
            if let Some(batch) = self.debouncer.take_due(Instant::now()) {
                (self.on_change)(batch);
            }
        }
    }

    fn on_error(&mut self, err: notify::Error) {
        match limit_hint(&err) {
            Some(hint) if !self.backend.is_polling() => self.fall_back(hint),
            _ => tracing::debug!("watching {}: {err}", self.reason),
        }
    }

    fn on_event(&mut self, event: Event) {
        let now = Instant::now();
        if event.need_rescan() {
            // The OS dropped events: watch what appeared meanwhile and reload to be safe.
            self.scan(None, None);
            for root in self.tree.roots().to_vec() {
                self.debouncer.record(root, now);
            }
            return;
        }
        if event.paths.is_empty() {
            return;
        }
        let (gone, hint) = match event.kind {
            EventKind::Access(_) => return,
            EventKind::Create(CreateKind::Folder) => (false, Some(true)),
            EventKind::Create(CreateKind::File) => (false, Some(false)),
            EventKind::Remove(RemoveKind::Folder) => (true, Some(true)),
            EventKind::Remove(RemoveKind::File) => (true, Some(false)),
            EventKind::Remove(_) => (true, None),
            EventKind::Modify(ModifyKind::Name(RenameMode::From)) => (true, None),
            _ => (false, None),
        };
        let both = matches!(
            event.kind,
            EventKind::Modify(ModifyKind::Name(RenameMode::Both))
        );
        for (i, path) in event.paths.iter().enumerate() {
            // In a rename's "both" event the first path is where it came from.
            self.on_path(path, gone || (both && i == 0), hint, now);
        }
    }

    /// One changed path: forget it if it went away, watch it if it is a new directory, and
    /// record it if it counts.
    fn on_path(&mut self, path: &Path, gone: bool, hint: Option<bool>, now: Instant) {
        let meta = std::fs::symlink_metadata(path).ok();
        if gone || meta.is_none() {
            for dir in self.tree.forget(path) {
                self.backend.remove(&dir);
            }
        }
        let is_dir = meta.as_ref().map(|m| m.is_dir()).or(hint);
        let Some(verdict) = self.tree.verdict(path, is_dir) else {
            return;
        };
        if verdict == Verdict::Ignored {
            return;
        }
        if meta.as_ref().is_some_and(|m| m.is_dir()) && !self.tree.is_watched(path) {
            let mut files = Vec::new();
            self.scan(Some((path, verdict)), Some(&mut files));
            for file in files.into_iter().filter(|f| self.tree.counts(f)) {
                self.debouncer.record(file, now);
            }
        }
        if path.file_name().is_some_and(|n| n == ".gitignore")
            && let Some(dir) = path.parent()
        {
            self.tree.gitignore_changed(dir);
        }
        if verdict == Verdict::Watched && self.tree.counts(path) {
            self.debouncer.record(path.to_path_buf(), now);
        }
    }

    /// Walks `top` (a new directory and its verdict), or every root when `None`, watching each
    /// directory found before reading it; then the roots' parents. Falls back to polling at the
    /// OS limit.
    fn scan(&mut self, top: Option<(&Path, Verdict)>, files: Option<&mut Vec<PathBuf>>) {
        let backend = &mut self.backend;
        let mut limit = None;
        let mut watch = |dir: &Path| {
            if limit.is_some() {
                return;
            }
            match backend.add(dir, Scope::Tree) {
                Ok(()) => {}
                Err(AddError::Limit(hint)) => limit = Some(hint),
                Err(AddError::Other(err)) => {
                    tracing::debug!("not watching {}: {err}", dir.display())
                }
            }
        };
        match top {
            Some((dir, verdict)) => self.tree.scan(dir, verdict, files, &mut watch),
            None => self.tree.scan_roots(&mut watch),
        }
        match limit {
            Some(hint) => self.fall_back(hint),
            None if top.is_none() => {
                let anchors = self.tree.anchors();
                self.watch(&anchors, Scope::Folder);
            }
            None => self
                .shared
                .dirs
                .store(self.tree.dir_count(), Ordering::Relaxed),
        }
    }

    /// Watches the tree's directories `dirs` and the roots' parents.
    fn watch_all(&mut self, dirs: &[PathBuf]) {
        if self.watch(dirs, Scope::Tree) {
            let anchors = self.tree.anchors();
            self.watch(&anchors, Scope::Folder);
        }
    }

    /// Watches `dirs`, falling back to polling at the OS limit (then false: the fallback
    /// watched everything).
    fn watch(&mut self, dirs: &[PathBuf], scope: Scope) -> bool {
        let mut done = true;
        for dir in dirs {
            match self.backend.add(dir, scope) {
                Ok(()) => {}
                Err(AddError::Limit(hint)) => {
                    self.fall_back(hint);
                    done = false;
                    break;
                }
                Err(AddError::Other(err)) => {
                    tracing::debug!("not watching {}: {err}", dir.display())
                }
            }
        }
        self.shared
            .dirs
            .store(self.tree.dir_count(), Ordering::Relaxed);
        done
    }

    /// Replaces the native watcher by polling, watching every directory again.
    fn fall_back(&mut self, hint: &'static str) {
        tracing::warn!(
            "watching {}: {hint}; polling every {:?} instead",
            self.reason,
            self.options.poll_interval
        );
        match Backend::polling(self.tx.clone(), self.options) {
            Ok(backend) => self.backend = backend,
            Err(err) => {
                tracing::warn!("watching {}: cannot poll either: {err}", self.reason);
                return;
            }
        }
        *self
            .shared
            .polling
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = Some(hint);
        let dirs: Vec<PathBuf> = self.tree.dirs().cloned().collect();
        self.watch_all(&dirs);
    }
}
