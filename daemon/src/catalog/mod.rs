//! The tool catalog behind `mcpd/search`: every server's tools, live or from the on-disk cache
//! (`cache`), ranked against a query (`rank`).

pub mod cache;
pub mod rank;

use crate::child::Instance;
use std::path::PathBuf;
use std::sync::Arc;

/// Writes the instance's current tools to its server's cache file (`None`: no cache). Failures
/// are logged, never fatal; an instance that is already gone writes nothing.
pub async fn remember(path: Option<PathBuf>, inst: &Arc<Instance>) {
    let Some(path) = path else { return };
    if inst.is_gone() {
        return;
    }
    let inst = inst.clone();
    let written = tokio::task::spawn_blocking(move || {
        let result = cache::write(&path, &inst.server, || inst.tools().raw.clone());
        (result, path, inst)
    })
    .await;
    if let Ok((Err(e), path, inst)) = written {
        tracing::warn!(server = %inst.server, "could not cache its tools in {}: {e}", path.display());
    }
}
