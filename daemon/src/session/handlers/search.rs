//! `mcpd/search`: ranks the tools of the caller's servers against a query. A running server's
//! tools are read live, a stopped one's from the on-disk cache (no process), and a server never
//! seen is started (all of them at once, each bounded by the handshake timeout); a server that
//! fails is listed in `errors` and the others are still searched.

use super::lifecycle::lookup;
use super::{HandlerError, HandlerResult, to_json};
use crate::catalog::{cache, rank};
use crate::session::SessionCtx;
use crate::supervisor::ServerHandle;
use mcpd_shim::jsonrpc::code;
use mcpd_shim::wire::{SearchMatch, SearchParams, SearchResult, ServerError};
use serde_json::value::RawValue;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinSet;

pub const DEFAULT_LIMIT: usize = 5;
pub const MAX_LIMIT: usize = 50;
/// Extra time over the handshake timeout, so the supervisor's own (more telling) failure wins.
const START_MARGIN: Duration = Duration::from_secs(1);

pub async fn search(p: SearchParams, s: &SessionCtx) -> HandlerResult {
    if p.query.trim().is_empty() {
        return Err(HandlerError::new(
            code::INVALID_PARAMS,
            "query is empty: give words from the task, e.g. \"create a github issue\"",
        ));
    }
    let limit = p.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    let targets: Vec<(String, Result<Arc<ServerHandle>, String>)> = match p.server {
        Some(name) => {
            let h = lookup(&name, s)?;
            vec![(name, Ok(h))]
        }
        None => {
            let config = s.config();
            config
                .names()
                .into_iter()
                .map(|name| {
                    let found = s.lookup_in(&config, name).map_err(|e| e.message);
                    (name.to_string(), found)
                })
                .collect()
        }
    };

    let mut result = SearchResult::default();
    let mut lists: Vec<(String, Vec<Box<RawValue>>)> = Vec::new();
    for (name, tools) in gather(targets, s).await {
        let parsed = tools.and_then(|raw| {
            serde_json::from_str::<Vec<Box<RawValue>>>(raw.get())
                .map_err(|e| format!("its tool list is not a JSON array of tools: {e}"))
        });
        match parsed {
            Ok(tools) => {
                result.searched.push(name.clone());
                lists.push((name, tools));
            }
            Err(error) => result.errors.push(ServerError {
                server: name,
                error,
            }),
        }
    }
    let candidates: Vec<rank::Candidate> = lists
        .iter()
        .flat_map(|(server, tools)| {
            tools.iter().map(move |tool| rank::Candidate {
                server,
                tool: tool.as_ref(),
            })
        })
        .collect();
    result.matches = rank::rank(&p.query, &candidates, limit)
        .into_iter()
        .map(|r| SearchMatch {
            server: candidates[r.index].server.to_string(),
            score: r.score,
            tool: candidates[r.index].tool.to_owned(),
        })
        .collect();
    to_json(&result)
}

/// Every target's tools array (raw), in the targets' order; the servers that must be started are
/// started concurrently.
async fn gather(
    targets: Vec<(String, Result<Arc<ServerHandle>, String>)>,
    s: &SessionCtx,
) -> Vec<(String, Result<Box<RawValue>, String>)> {
    let dir = cache::dir(&s.daemon.paths);
    let wait = s.daemon.options.handshake_timeout + START_MARGIN;
    let mut set = JoinSet::new();
    for (i, (name, found)) in targets.into_iter().enumerate() {
        let dir = dir.clone();
        set.spawn(async move {
            let tools = match found {
                Ok(h) => tools_of(&h, dir, wait).await,
                Err(e) => Err(e),
            };
            (i, name, tools)
        });
    }
    let mut out = set.join_all().await;
    out.sort_by_key(|(i, _, _)| *i);
    out.into_iter().map(|(_, n, t)| (n, t)).collect()
}

/// The live tools of a running server, else its cached ones, else those of a fresh start.
async fn tools_of(
    h: &Arc<ServerHandle>,
    dir: PathBuf,
    wait: Duration,
) -> Result<Box<RawValue>, String> {
    if let Some(inst) = h.running() {
        return Ok(inst.tools().raw.clone());
    }
    let path = cache::file(&dir, &h.key);
    if let Ok(Some(entry)) = tokio::task::spawn_blocking(move || cache::read(&path)).await {
        return Ok(entry.tools);
    }
    match tokio::time::timeout(wait, h.acquire()).await {
        Ok(Ok(inst)) => Ok(inst.tools().raw.clone()),
        Ok(Err(e)) => Err(e),
        Err(_) => Err(format!(
            "server '{}' did not start within {} ms; it keeps starting in the background, so search again shortly",
            h.name,
            wait.as_millis()
        )),
    }
}
