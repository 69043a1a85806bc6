//! Watching a server's source tree for hot reload: what to watch ([`plan`]), and a running
//! [`Watcher`] ([`start`]) that calls back once per debounced burst of changes.
//!
//! The plan is pure: it reads the server's command line and looks at the file system, nothing
//! more. The watcher adds one non-recursive watch per directory that is not ignored (ignored
//! directories are pruned before any watch is added, so `node_modules` with 100,000 files costs
//! nothing), adds watches for directories created later, filters editor temp files, and falls
//! back to polling when the OS watch limit is reached.
//!
//! `start` walks the tree before it returns (milliseconds for a source tree); call it from
//! `spawn_blocking` when that matters. `on_change` runs on the watcher's own thread: keep it short
//! and never block on whoever drops the [`Watcher`] (dropping joins that thread). A changed
//! definition gets a new plan and a new watcher. The polling fallback sees modification times
//! to the second, as notify's `PollWatcher` compares them.

mod args;
mod backend;
mod command;
mod debounce;
mod default_plan;
mod editor;
mod explicit;
mod ignore_rules;
mod plan;
mod project;
mod runners;
mod tree;
mod walk;
mod watcher;
mod worker;

pub use debounce::{ChangeBatch, Debounce};
pub use ignore_rules::IgnoreRules;
pub use plan::{WatchPlan, plan};
pub use watcher::{Watcher, start};

#[cfg(test)]
mod tests;
