//! `mcpd/tools`: the tools of one server, or of every server configured for the caller.

use super::lifecycle::acquire;
use super::{HandlerResult, to_json};
use crate::session::SessionCtx;
use mcpd_shim::wire::{ServerTools, ToolsParams, ToolsResult};
use tokio::task::JoinSet;

pub async fn tools(p: ToolsParams, s: &SessionCtx) -> HandlerResult {
    let servers = match p.server {
        Some(name) => {
            let (_, inst) = acquire(&name, s, true).await?;
            vec![ServerTools {
                server: name,
                tools: Some(inst.tools().raw.clone()),
                error: None,
            }]
        }
        None => all_configured(s).await,
    };
    to_json(&ToolsResult { servers })
}

/// Starts what is not running, all at once; a server that fails is listed with its error.
async fn all_configured(s: &SessionCtx) -> Vec<ServerTools> {
    let config = s.config();
    let names: Vec<String> = config.names().into_iter().map(String::from).collect();
    let mut set = JoinSet::new();
    for (i, name) in names.iter().enumerate() {
        let found = s.lookup_in(&config, name);
        let name = name.clone();
        set.spawn(async move {
            let entry = match found {
                Err(e) => ServerTools {
                    server: name,
                    tools: None,
                    error: Some(e.message),
                },
                Ok(h) => match h.acquire().await {
                    Ok(inst) => ServerTools {
                        server: name,
                        tools: Some(inst.tools().raw.clone()),
                        error: None,
                    },
                    Err(e) => ServerTools {
                        server: name,
                        tools: None,
                        error: Some(e),
                    },
                },
            };
            (i, entry)
        });
    }
    let mut out: Vec<(usize, ServerTools)> = set.join_all().await;
    out.sort_by_key(|(i, _)| *i);
    out.into_iter().map(|(_, t)| t).collect()
}
