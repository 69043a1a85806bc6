//! `mcpd/call`: a tools/call forwarded to the child with a remapped id; the child's result comes
//! back byte for byte, progress is relayed with the client's token, and a request with neither an
//! answer nor progress for the server's timeout is cancelled at the child and fails.

use super::lifecycle::{acquire, unavailable};
use super::reload_news;
use super::{HandlerError, HandlerResult};
use crate::child::{CallOutcome, handshake, instance::Reply};
use crate::config::nearest;
use crate::session::SessionCtx;
use indexmap::IndexMap;
use mcpd_shim::jsonrpc::{self, code};
use mcpd_shim::wire::{CallParams, method};
use serde_json::value::RawValue;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio::time::Instant;

type RawMap = IndexMap<String, Box<RawValue>>;

/// How long a call naming a tool mcpd does not know waits for the child's fresh tools/list.
const REFRESH_ON_MISS: Duration = Duration::from_secs(5);

pub async fn call(p: CallParams, s: &SessionCtx) -> HandlerResult {
    let (mut h, inst) = acquire(&p.server, s, false).await?;
    let mut tools = inst.tools();
    if !tools.names.contains(&p.tool) {
        // The tool may be new, its list_changed refresh still on the way: ask the child once.
        let bound = REFRESH_ON_MISS.min(h.timeout);
        if handshake::refresh_tools(&inst, bound).await.is_ok() {
            tools = inst.tools();
        }
        if !tools.names.contains(&p.tool) {
            return Err(unknown_tool(&p.server, &p.tool, &tools.names));
        }
    }
    let arguments = match &p.arguments {
        Some(a) if !a.get().trim_start().starts_with('{') => {
            return Err(HandlerError::new(
                code::INVALID_PARAMS,
                "arguments must be a JSON object",
            ));
        }
        Some(a) => a.get(),
        None => "{}",
    };
    let meta: Option<RawMap> =
        match &p.meta {
            Some(m) => Some(serde_json::from_str(m.get()).map_err(|_| {
                HandlerError::new(code::INVALID_PARAMS, "_meta must be a JSON object")
            })?),
            None => None,
        };
    let mut meta = meta.unwrap_or_default();
    let client_token = meta.shift_remove("progressToken");
    let tool_json = serde_json::to_string(&p.tool).expect("a string serializes");
    let build = |id: u64| {
        let mut m = meta.clone();
        if client_token.is_some() {
            m.insert(
                "progressToken".into(),
                RawValue::from_string(id.to_string()).expect("a number"),
            );
        }
        let meta_part = if m.is_empty() {
            String::new()
        } else {
            format!(
                r#","_meta":{}"#,
                serde_json::to_string(&m).expect("raw map")
            )
        };
        Some(format!(
            r#"{{"name":{tool_json},"arguments":{arguments}{meta_part}}}"#
        ))
    };
    h.count_call();
    let wants_progress = client_token.is_some();
    let (inst, mut pending) = match inst.start_request("tools/call", build, wants_progress) {
        Ok(p) => (inst, p),
        // Retired by a reload (or a config change) between our acquire and our send: the
        // request never left; send it to the instance that replaced it.
        Err(e) => match acquire(&p.server, s, false).await {
            Ok((new_h, new)) if !Arc::ptr_eq(&new, &inst) => {
                let p = new
                    .start_request("tools/call", build, wants_progress)
                    .map_err(unavailable)?;
                h = new_h;
                (new, p)
            }
            _ => return Err(unavailable(e)),
        },
    };
    inst.calls.fetch_add(1, Ordering::Relaxed);
    let timeout = h.timeout;
    let mut deadline = Instant::now() + timeout;
    loop {
        match tokio::time::timeout_at(deadline, pending.next()).await {
            Ok(CallOutcome::Progress(params)) => {
                deadline = Instant::now() + timeout;
                if let Some(token) = &client_token {
                    s.out.send(progress_for_client(&params, token));
                }
            }
            Ok(CallOutcome::Done(Reply::Result(r))) => {
                let result = Box::<str>::from(r).into_string();
                return Ok(match s.reload_news(&h) {
                    Some(note) => reload_news::annotate(result, &note),
                    None => result,
                });
            }
            Ok(CallOutcome::Done(Reply::Error(e))) => return Err(HandlerError::Raw(e)),
            Ok(CallOutcome::Done(Reply::Failed(m))) => {
                return Err(HandlerError::new(code::REQUEST_FAILED, m));
            }
            Err(_) => {
                pending.cancel("timed out");
                let mut msg = format!(
                    "server '{}' neither answered nor reported progress on tool '{}' for {} ms (its timeout); mcpd cancelled the request",
                    p.server,
                    p.tool,
                    timeout.as_millis()
                );
                let tail = inst.log.tail(5);
                if !tail.is_empty() {
                    msg.push_str(&format!(
                        "; its last stderr lines:\n  {}",
                        tail.join("\n  ")
                    ));
                }
                return Err(HandlerError::new(code::REQUEST_FAILED, msg));
            }
        }
    }
}

/// The child's progress params with the client's own token put back.
fn progress_for_client(params: &RawValue, token: &RawValue) -> String {
    let mut m: RawMap = serde_json::from_str(params.get()).unwrap_or_default();
    m.insert("progressToken".into(), token.to_owned());
    jsonrpc::notification(
        method::PROGRESS,
        Some(&serde_json::to_string(&m).expect("raw map")),
    )
}

fn unknown_tool(server: &str, tool: &str, names: &[String]) -> HandlerError {
    let mut msg = format!("server '{server}' has no tool '{tool}'");
    if let Some(n) = nearest(tool, names.iter().map(String::as_str)) {
        msg.push_str(&format!("; did you mean '{n}'?"));
    }
    if names.is_empty() {
        msg.push_str("; it has no tools");
    } else {
        msg.push_str(&format!("; its tools: {}", names.join(", ")));
    }
    HandlerError::Coded {
        code: code::INVALID_PARAMS,
        message: msg,
        data: Some(serde_json::json!({ "tools": names })),
    }
}
