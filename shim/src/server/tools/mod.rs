//! The meta-tool handlers, one file each; `dispatch` routes a `tools/call` to its handler.

mod args;
mod call;
mod install;
mod lifecycle;
mod load;
mod outcome;
mod search;
mod servers;

pub use outcome::{Outcome, describe};

use super::meta_tools as names;
use crate::link::Link;
use serde_json::value::RawValue;

/// What every handler may use.
pub struct Ctx {
    pub link: Link,
    /// `mcpd shim --server NAME`: the server whose own tools this session exposes.
    pub passthrough: Option<String>,
}

/// Runs meta-tool `name`. `None` when no such meta-tool exists (a JSON-RPC error for the caller).
pub async fn dispatch(
    name: &str,
    arguments: Option<&RawValue>,
    meta: Option<Box<RawValue>>,
    ctx: &Ctx,
) -> Option<Outcome> {
    let args = match args::Args::parse(arguments) {
        Ok(a) => a,
        Err(e) => return Some(Outcome::error(e)),
    };
    let outcome = match name {
        names::GET_LOADED_SERVERS => servers::run(ctx).await,
        names::LOAD => load::run(&args, ctx).await,
        names::CALL => call::run(&args, meta, ctx).await,
        names::SEARCH => search::run(&args, ctx).await,
        names::RELOAD => lifecycle::reload(&args, ctx).await,
        names::UNLOAD => lifecycle::unload(&args, ctx).await,
        names::INSTALL => install::run(&args),
        _ => return None,
    };
    Some(outcome.unwrap_or_else(Outcome::error))
}
