//! Tests of the watch module: `plan` for each command shape, and `start` on real temp dirs.

mod explicit;
mod plan;
mod start;
mod start_ignored;
mod start_limits;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use mcpd_config::{ResolvedServer, ServerDef, Source, SourceKind};

use super::backend::Options;
use super::debounce::{ChangeBatch, Debounce};
use super::plan::{WatchPlan, plan};
use super::watcher::{Watcher, start_with};

/// A temp folder (canonical, so event paths compare equal) and its path.
fn tempdir() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().canonicalize().expect("canonical");
    (tmp, path)
}

/// A temp folder in memory where the OS has one (`/dev/shm`): creating 100,000 files there takes
/// a second instead of a minute on a slow disk.
fn memory_tempdir() -> (tempfile::TempDir, PathBuf) {
    let shm = Path::new("/dev/shm");
    if !shm.is_dir() {
        return tempdir();
    }
    let tmp = tempfile::tempdir_in(shm).expect("tempdir");
    let path = tmp.path().canonicalize().expect("canonical");
    (tmp, path)
}

/// Writes `text` to `root/rel`, creating folders.
fn write(root: &Path, rel: &str, text: &str) -> PathBuf {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(&path, text).expect("write");
    path
}

/// A server defined in `dir/.mcpd.json` as `command args`, resolved as the daemon would.
fn server(dir: &Path, command: &str, args: &[&str]) -> ResolvedServer {
    def(dir, command, args).resolve(&HashMap::new())
}

/// The definition behind [`server`], to tweak before resolving.
fn def(dir: &Path, command: &str, args: &[&str]) -> ServerDef {
    ServerDef {
        name: "srv".to_string(),
        source: Source {
            kind: SourceKind::ProjectMcpd,
            path: dir.join(".mcpd.json"),
        },
        command: Some(command.to_string()),
        args: args.iter().map(|a| a.to_string()).collect(),
        env: Default::default(),
        cwd: None,
        transport: Default::default(),
        url: None,
        headers: Default::default(),
        watch: Vec::new(),
        ignore: Vec::new(),
        reload: Default::default(),
        timeout_ms: None,
        description: None,
    }
}

/// The debounce the tests use: short, so they run fast.
const FAST: Debounce = Debounce {
    quiet: Duration::from_millis(100),
    max_wait: Duration::from_millis(1000),
};

/// How long a test waits for a batch it expects.
const PATIENCE: Duration = Duration::from_secs(5);

/// Starts watching `plan`; batches arrive on the receiver.
fn watch(plan: WatchPlan) -> (Watcher, Receiver<ChangeBatch>) {
    watch_with(plan, Options::default())
}

fn watch_with(plan: WatchPlan, options: Options) -> (Watcher, Receiver<ChangeBatch>) {
    watch_debounced(plan, FAST, options)
}

fn watch_debounced(
    plan: WatchPlan,
    debounce: Debounce,
    options: Options,
) -> (Watcher, Receiver<ChangeBatch>) {
    let (tx, rx) = mpsc::channel();
    let watcher = start_with(plan, debounce, options, move |batch| {
        let _ = tx.send(batch);
    })
    .expect("start");
    (watcher, rx)
}

/// Watching the default plan of `command args` run in `dir`.
fn watch_server(dir: &Path, command: &str, args: &[&str]) -> (Watcher, Receiver<ChangeBatch>) {
    watch(plan(&server(dir, command, args)))
}

/// Waits for a batch naming `path`; panics after [`PATIENCE`].
fn expect_change(rx: &Receiver<ChangeBatch>, path: &Path) -> ChangeBatch {
    let deadline = Instant::now() + PATIENCE;
    let mut seen = Vec::new();
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match rx.recv_timeout(left) {
            Ok(batch) if batch.paths.iter().any(|p| p == path) => return batch,
            Ok(batch) => seen.push(batch),
            Err(_) => break,
        }
    }
    panic!(
        "no change to {} within {PATIENCE:?}; got {seen:?}",
        path.display()
    );
}

/// The batches that arrive within `wait`.
fn batches_within(rx: &Receiver<ChangeBatch>, wait: Duration) -> Vec<ChangeBatch> {
    let deadline = Instant::now() + wait;
    let mut batches = Vec::new();
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match rx.recv_timeout(left) {
            Ok(batch) => batches.push(batch),
            Err(_) => break,
        }
    }
    batches
}

/// Lets the watcher's setup settle (nothing pending) before a test changes files.
fn settle() {
    std::thread::sleep(Duration::from_millis(50));
}
