//! The OS side of a watcher: notify's native watcher (inotify on Linux), one non-recursive
//! watch per directory, or notify's `PollWatcher` once the OS watch limit is reached.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::{Config, ErrorKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};

/// The fix for a full inotify watch table.
pub(super) const WATCHES_HINT: &str =
    "inotify limit reached: fix with sudo sysctl fs.inotify.max_user_watches=524288";
/// The fix for too many inotify instances.
pub(super) const INSTANCES_HINT: &str =
    "inotify limit reached: fix with sudo sysctl fs.inotify.max_user_instances=1024";

/// What the worker thread receives.
pub(super) enum Msg {
    /// From notify.
    Fs(notify::Result<notify::Event>),
    /// The [`Watcher`](super::Watcher) was dropped.
    Stop,
}

/// Tuning, mostly for tests.
#[derive(Clone, Copy, Debug)]
pub(super) struct Options {
    /// How often the polling fallback looks at each directory.
    pub poll_interval: Duration,
    /// Pretend the OS refuses native watches beyond this many (tests of the fallback).
    pub watch_limit: Option<usize>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            poll_interval: Duration::from_secs(1),
            watch_limit: None,
        }
    }
}

/// Why a watch could not be added.
pub(super) enum AddError {
    /// The OS limit is reached; the fix to tell the user.
    Limit(&'static str),
    /// Anything else (the directory vanished, no permission): skip it.
    Other(notify::Error),
}

/// What a watched directory stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Scope {
    /// A directory of the watched tree (its subdirectories are added one by one).
    Tree,
    /// Only this directory (a root's parent).
    Folder,
}

/// A native or polling watcher and the directories it watches.
pub(super) struct Backend {
    watcher: Box<dyn Watcher + Send>,
    polling: bool,
    watched: HashSet<PathBuf>,
    /// macOS's FSEvents watches whole trees at no cost but restarts its stream on every added
    /// path: there a tree's top directory is watched recursively and the ones below are not
    /// added (events from ignored folders are dropped by the tree, which does not know them).
    whole_trees: bool,
    trees: Vec<PathBuf>,
    limit: Option<usize>,
}

impl Backend {
    /// The native watcher, sending to `tx`.
    pub(super) fn native(tx: Sender<Msg>, options: Options) -> Result<Backend, AddError> {
        let watcher = RecommendedWatcher::new(handler(tx), Config::default()).map_err(classify)?;
        Ok(Backend {
            watcher: Box::new(watcher),
            polling: false,
            watched: HashSet::new(),
            whole_trees: cfg!(target_os = "macos"),
            trees: Vec::new(),
            limit: options.watch_limit,
        })
    }

    /// The polling watcher, sending to `tx`.
    pub(super) fn polling(tx: Sender<Msg>, options: Options) -> Result<Backend, String> {
        let config = Config::default().with_poll_interval(options.poll_interval);
        let watcher = PollWatcher::new(handler(tx), config).map_err(|e| e.to_string())?;
        Ok(Backend {
            watcher: Box::new(watcher),
            polling: true,
            watched: HashSet::new(),
            whole_trees: false,
            trees: Vec::new(),
            limit: None,
        })
    }

    /// Whether this is the polling fallback.
    pub(super) fn is_polling(&self) -> bool {
        self.polling
    }

    /// Watches the directory `dir` (not its subdirectories); a no-op when already watched.
    pub(super) fn add(&mut self, dir: &Path, scope: Scope) -> Result<(), AddError> {
        let whole_tree = self.whole_trees && scope == Scope::Tree;
        if self.watched.contains(dir)
            || (whole_tree && self.trees.iter().any(|tree| dir.starts_with(tree)))
        {
            return Ok(());
        }
        if self.limit.is_some_and(|limit| self.watched.len() >= limit) {
            return Err(AddError::Limit(WATCHES_HINT));
        }
        let mode = if whole_tree {
            RecursiveMode::Recursive
        } else {
            RecursiveMode::NonRecursive
        };
        self.watcher.watch(dir, mode).map_err(classify)?;
        self.watched.insert(dir.to_path_buf());
        if whole_tree {
            self.trees.push(dir.to_path_buf());
        }
        Ok(())
    }

    /// Stops watching `dir` (it is gone; the OS may have dropped the watch already).
    pub(super) fn remove(&mut self, dir: &Path) {
        if self.watched.remove(dir) {
            self.trees.retain(|tree| tree != dir);
            let _ = self.watcher.unwatch(dir);
        }
    }
}

/// notify's callback: forward everything to the worker.
fn handler(tx: Sender<Msg>) -> impl Fn(notify::Result<notify::Event>) + Send + 'static {
    move |event| {
        let _ = tx.send(Msg::Fs(event));
    }
}

/// The user-facing fix when `err` is an OS watch limit.
pub(super) fn limit_hint(err: &notify::Error) -> Option<&'static str> {
    match &err.kind {
        ErrorKind::MaxFilesWatch => Some(WATCHES_HINT),
        ErrorKind::Io(io) if io.raw_os_error() == Some(libc::ENOSPC) => Some(WATCHES_HINT),
        ErrorKind::Io(io) if io.raw_os_error() == Some(libc::EMFILE) => Some(INSTANCES_HINT),
        _ => None,
    }
}

fn classify(err: notify::Error) -> AddError {
    match limit_hint(&err) {
        Some(hint) => AddError::Limit(hint),
        None => AddError::Other(err),
    }
}
