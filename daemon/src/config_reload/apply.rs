//! One config reload: every remembered lookup is looked up again in the files as they are now;
//! servers whose definition changed are replaced blue/green, those whose definition went away
//! are stopped, both after their calls in flight finish.

use crate::config::ConfigSet;
use crate::state::Daemon;
use crate::supervisor::{ServerHandle, ServerState};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

/// Applies config edits until the daemon shuts down.
pub async fn run(d: Arc<Daemon>) {
    loop {
        tokio::select! {
            _ = d.registry.files.changed() => apply(&d).await,
            _ = d.shutdown.cancelled() => return,
        }
    }
}

/// Looks every remembered lookup up again; starts the servers that replace running ones and,
/// once they are ready, retires the replaced and removed ones (drained, then stopped).
async fn apply(d: &Arc<Daemon>) {
    let reg = &d.registry;
    let before = reg.all();
    let mut sets: HashMap<PathBuf, ConfigSet> = HashMap::new();
    // Each lookup's handle before the change, and after it (none: the name is gone or invalid).
    let mut moves = Vec::new();
    for (b, old) in reg.bindings.all() {
        let set = sets
            .entry(b.cwd.clone())
            .or_insert_with(|| reg.config(&d.paths, &b.cwd));
        match reg.resolve_in(set, &d.paths, &d.options, &b.cwd, &b.env, &b.name) {
            Ok(new) => moves.push((old, Some(new))),
            Err(_) => {
                reg.bindings.forget(&b);
                moves.push((old, None));
            }
        }
    }
    let found = |h: &Arc<ServerHandle>| {
        moves
            .iter()
            .any(|(_, new)| new.as_ref().is_some_and(|n| Arc::ptr_eq(n, h)))
    };
    let stale: Vec<Arc<ServerHandle>> = before.into_iter().filter(|h| !found(h)).collect();
    let mut starts = tokio::task::JoinSet::new();
    let mut started: Vec<Arc<ServerHandle>> = Vec::new();
    for old in stale.iter().filter(|h| in_use(h)) {
        let successors = moves
            .iter()
            .filter(|(o, _)| Arc::ptr_eq(o, old))
            .filter_map(|(_, new)| new.clone());
        let mut replaced_by = Vec::new();
        for new in successors {
            replaced_by.push(new.name.clone());
            if !started.iter().any(|s| Arc::ptr_eq(s, &new)) {
                started.push(new.clone());
                starts.spawn(async move { (new.acquire().await, new) });
            }
        }
        let what = if replaced_by.is_empty() {
            "was removed from the config: stopping".to_string()
        } else {
            "changed in the config: starting the new definition, then stopping this one".to_string()
        };
        old.log
            .note(&format!("definition of '{}' {what}", old.name));
    }
    while let Some(Ok((result, new))) = starts.join_next().await {
        match result {
            Ok(inst) => tracing::info!(server = %new.name, pid = inst.pid, "new definition ready"),
            Err(e) => tracing::warn!(server = %new.name, "new definition failed to start: {e}"),
        }
    }
    reg.retire(&stale);
    for old in stale {
        let d = d.clone();
        tokio::spawn(async move {
            old.drain_then_stop(d.options.drain_grace).await;
            d.registry.forget_retired(&old);
        });
    }
}

/// Whether the server runs (or is on its way): then its replacement starts before it stops.
fn in_use(h: &ServerHandle) -> bool {
    h.running().is_some()
        || matches!(
            h.snapshot().state,
            ServerState::Starting | ServerState::Restarting
        )
}
