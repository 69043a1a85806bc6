//! Starting one instance in a task: spawn, handshake, tools cached for search; the result goes
//! back to the actor as `Started`. A failed start is described with its exit status and stderr.

use super::actor::{Actor, Control};
use crate::catalog;
use crate::child::spawn::spawn;
use crate::child::{Instance, handshake};
use std::sync::Arc;
use std::time::Duration;

/// Spawns the process of `generation` and runs its handshake in a task.
pub(super) fn begin(actor: &Actor, generation: u64) {
    let refresh_timeout = actor.settings.handshake_timeout;
    let cache = actor.settings.tools_cache.clone();
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
        &actor.spec,
        generation,
        actor.log.clone(),
        &actor.settings,
        on_tools_changed,
    );
    let Some(tx) = actor.tx.upgrade() else { return };
    let settings = actor.settings.clone();
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

/// Describes a failed start (with the exit status and stderr if the child died) and ends the child.
async fn failed_start(inst: &Arc<Instance>, error: String, grace: Duration) -> String {
    let exit = tokio::time::timeout(Duration::from_millis(500), inst.exited())
        .await
        .ok();
    let msg = match exit {
        Some(info) => {
            let mut m = format!("server '{}' {} during start-up", inst.server, info.status);
            if info.stderr_tail.is_empty() {
                m.push_str(" (it wrote nothing to stderr)");
            } else {
                m.push_str(&format!(
                    "; its last stderr lines:\n  {}",
                    info.stderr_tail.join("\n  ")
                ));
            }
            m
        }
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
