//! `search_tools`: the daemon ranks the tools of every configured server (from its on-disk cache
//! where it can) and this returns the best matches with their full input schemas.

use super::Ctx;
use super::args::Args;
use super::outcome::{Outcome, describe};
use crate::wire::{SearchParams, SearchResult, method};

/// Default and largest number of matches.
const DEFAULT_LIMIT: usize = 5;
const MAX_LIMIT: usize = 50;

pub async fn run(args: &Args, ctx: &Ctx) -> Result<Outcome, String> {
    let query = args.string("query")?;
    let server = args.opt_string("server_name")?;
    let limit = args
        .opt_integer("limit")?
        .map(|l| (l as usize).clamp(1, MAX_LIMIT))
        .unwrap_or(DEFAULT_LIMIT);
    let params = serde_json::to_string(&SearchParams {
        query: query.clone(),
        server,
        limit: Some(limit),
    })
    .map_err(|e| e.to_string())?;
    let raw = match ctx.link.request(method::SEARCH, &params).await {
        Ok(r) => r,
        Err(e) => return Ok(Outcome::error(describe(e))),
    };
    let r: SearchResult = serde_json::from_str(raw.get())
        .map_err(|e| format!("unexpected answer from the daemon: {e}"))?;
    let mut text = if r.matches.is_empty() {
        format!(
            "No tool matches '{query}' in {} server(s).",
            r.searched.len()
        )
    } else {
        format!(
            "{} best match(es) for '{query}' (call with call_dynamic_server_tool using server_name and the tool's name):",
            r.matches.len()
        )
    };
    for m in &r.matches {
        text.push_str(&format!("\n\nserver: {}\n{}", m.server, m.tool.get()));
    }
    for e in &r.errors {
        text.push_str(&format!(
            "\n\n(server '{}' could not be searched: {})",
            e.server, e.error
        ));
    }
    Ok(Outcome::text(text))
}
