//! `mcpd shim`: the stdio MCP server a client launches from `.mcp.json`, exposing meta-tools
//! backed by the daemon. It answers the handshake at once whatever the daemon's state, runs each
//! tools/call in its own task, forwards progress and cancellation, and never exits because the
//! daemon went away: it reconnects (starting a daemon) on the next call.

mod log;
pub mod meta_tools;
mod passthrough;
pub mod protocol;
mod stdin;
mod stdout;
mod tools;

use crate::framing::{DEFAULT_MAX_FRAME, Frame};
use crate::jsonrpc::{self, Envelope, Kind, code};
use crate::link::Link;
use crate::paths::Paths;
use crate::wire::Hello;
use serde::Deserialize;
use serde_json::value::RawValue;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tokio::task::AbortHandle;

type InFlight = Arc<Mutex<HashMap<String, AbortHandle>>>;

/// Serves MCP on stdin/stdout until stdin closes. Returns the process exit code.
/// With `server`, passthrough mode: that server's own tools instead of the meta-tools.
pub async fn run(paths: Paths, hello: Hello, exe: PathBuf, server: Option<String>) -> i32 {
    log::init(&paths.log_dir());
    log::log(&format!("shim started in {}", hello.cwd.display()));
    let instructions = match &server {
        Some(name) => passthrough::instructions(name),
        None => protocol::instructions(&hello.cwd, &paths.user_config()),
    };
    let (out, writer) = stdout::start();
    let (notes, from_daemon) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(relay_notifications(
        from_daemon,
        out.clone(),
        server.clone(),
    ));
    let link = Link::new(paths, hello, exe, notes);
    let warm = link.clone();
    tokio::spawn(async move {
        if let Err(e) = warm.warm().await {
            log::log(&format!("daemon not reachable at start: {e:?}"));
        }
    });
    let ctx = Arc::new(tools::Ctx {
        link,
        passthrough: server,
    });
    let in_flight: InFlight = Arc::default();
    let mut lines = stdin::start(DEFAULT_MAX_FRAME);
    loop {
        let line = match lines.recv().await {
            Some(Frame::Line(l)) => l,
            Some(Frame::TooLong { len, head, tail }) => {
                let id = jsonrpc::id_from_edges(&head, &tail).unwrap_or_else(|| "null".into());
                let msg = format!(
                    "message of {len} bytes is over mcpd's limit of {DEFAULT_MAX_FRAME} bytes"
                );
                let _ = out.send(jsonrpc::error(&id, code::TOO_LARGE, &msg, None));
                continue;
            }
            None => break,
        };
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        handle_line(&line, &out, &ctx, &in_flight, &instructions);
    }
    log::log("stdin closed; shim exits (servers keep running in the daemon)");
    for (_, task) in in_flight.lock().unwrap().drain() {
        task.abort();
    }
    writer.finish(std::time::Duration::from_secs(2)).await;
    0
}

fn handle_line(
    line: &[u8],
    out: &tokio::sync::mpsc::UnboundedSender<String>,
    ctx: &Arc<tools::Ctx>,
    in_flight: &InFlight,
    instructions: &str,
) {
    let env = match Envelope::parse(line) {
        Ok(e) => e,
        Err(e) => {
            let _ = out.send(jsonrpc::error(
                "null",
                code::PARSE_ERROR,
                &format!("parse error: {e}"),
                None,
            ));
            return;
        }
    };
    let id = env.id.map(|i| i.get().to_string());
    match env.kind() {
        Kind::Request => {}
        Kind::Notification => {
            if env.method() == "notifications/cancelled" {
                cancel(in_flight, env.params);
            }
            return;
        }
        Kind::Response => return,
        Kind::Invalid => {
            let msg = "invalid request: a JSON-RPC request needs \"method\" and \"id\"";
            let _ = out.send(jsonrpc::error(
                id.as_deref().unwrap_or("null"),
                code::INVALID_REQUEST,
                msg,
                None,
            ));
            return;
        }
    }
    let id = id.expect("requests have ids");
    let reply = match env.method() {
        "initialize" => {
            let params: serde_json::Value = env
                .params
                .and_then(|p| serde_json::from_str(p.get()).ok())
                .unwrap_or_default();
            jsonrpc::response(&id, &protocol::initialize_result(&params, instructions))
        }
        "ping" => jsonrpc::response(&id, "{}"),
        "tools/list" if ctx.passthrough.is_some() => {
            spawn_request(
                id.clone(),
                out.clone(),
                in_flight.clone(),
                passthrough_list(id, ctx.clone()),
            );
            return;
        }
        "tools/list" => jsonrpc::response(&id, &meta_tools::tools_list_result()),
        "tools/call" => {
            let work = tools_call(id.clone(), env.params.map(|p| p.to_owned()), ctx.clone());
            spawn_request(id, out.clone(), in_flight.clone(), work);
            return;
        }
        other => jsonrpc::error(
            &id,
            code::METHOD_NOT_FOUND,
            &format!("Method not found: {other}"),
            None,
        ),
    };
    let _ = out.send(reply);
}

#[derive(Deserialize)]
struct CallToolParams {
    name: String,
    #[serde(default)]
    arguments: Option<Box<RawValue>>,
    #[serde(default, rename = "_meta")]
    meta: Option<Box<RawValue>>,
}

/// Runs a request in its own task, registered so that `notifications/cancelled` can abort it
/// (which drops its daemon request and so cancels it down to the child).
fn spawn_request(
    id: String,
    out: tokio::sync::mpsc::UnboundedSender<String>,
    in_flight: InFlight,
    work: impl std::future::Future<Output = String> + Send + 'static,
) {
    let (go, wait) = tokio::sync::oneshot::channel::<()>();
    let table = in_flight.clone();
    let key = id.clone();
    let task = tokio::spawn(async move {
        let _ = wait.await;
        let reply = work.await;
        table.lock().unwrap().remove(&key);
        let _ = out.send(reply);
    });
    in_flight.lock().unwrap().insert(id, task.abort_handle());
    let _ = go.send(());
}

/// The response to a tools/call: a meta-tool, or (passthrough mode) the server's own tool.
async fn tools_call(id: String, params: Option<Box<RawValue>>, ctx: Arc<tools::Ctx>) -> String {
    let p = match params
        .as_deref()
        .map(|p| serde_json::from_str::<CallToolParams>(p.get()))
    {
        Some(Ok(p)) => p,
        Some(Err(e)) => {
            return jsonrpc::error(
                &id,
                code::INVALID_PARAMS,
                &format!("invalid tools/call params: {e}"),
                None,
            );
        }
        None => {
            return jsonrpc::error(
                &id,
                code::INVALID_PARAMS,
                "tools/call needs params with a tool name",
                None,
            );
        }
    };
    if let Some(server) = &ctx.passthrough {
        return jsonrpc::response(
            &id,
            &passthrough::call(&ctx, server, p.name, p.arguments, p.meta).await,
        );
    }
    match tools::dispatch(&p.name, p.arguments.as_deref(), p.meta, &ctx).await {
        Some(outcome) => jsonrpc::response(&id, &outcome.into_result()),
        None => jsonrpc::error(
            &id,
            code::INVALID_PARAMS,
            &format!(
                "Unknown tool: {}. mcpd's tools are: {}",
                p.name,
                meta_tools::NAMES.join(", ")
            ),
            None,
        ),
    }
}

/// The response to tools/list in passthrough mode: the server's own tools.
async fn passthrough_list(id: String, ctx: Arc<tools::Ctx>) -> String {
    let server = ctx.passthrough.clone().unwrap_or_default();
    match passthrough::list(&ctx, &server).await {
        Ok(result) => jsonrpc::response(&id, &result),
        Err((code, message)) => jsonrpc::error(&id, code, &message, None),
    }
}

#[derive(Deserialize)]
struct CancelParams {
    #[serde(rename = "requestId")]
    request_id: Box<RawValue>,
}

fn cancel(in_flight: &InFlight, params: Option<&RawValue>) {
    let Some(p) = params.and_then(|p| serde_json::from_str::<CancelParams>(p.get()).ok()) else {
        return;
    };
    if let Some(task) = in_flight.lock().unwrap().remove(p.request_id.get()) {
        task.abort();
    }
}

#[derive(Deserialize)]
struct ServerNamed {
    #[serde(default)]
    server: Option<String>,
}

/// Passes the daemon's notifications (progress) to the client; `tools/list_changed` only in
/// passthrough mode and only for its own server (the meta-tools never change).
async fn relay_notifications(
    mut from_daemon: tokio::sync::mpsc::UnboundedReceiver<String>,
    out: tokio::sync::mpsc::UnboundedSender<String>,
    server: Option<String>,
) {
    while let Some(line) = from_daemon.recv().await {
        let Ok(env) = Envelope::parse(line.as_bytes()) else {
            continue;
        };
        if env.method() != "notifications/tools/list_changed" {
            let _ = out.send(line);
            continue;
        }
        let named = env
            .params
            .and_then(|p| serde_json::from_str::<ServerNamed>(p.get()).ok())
            .and_then(|n| n.server);
        if server.is_some() && named == server {
            let _ = out.send(jsonrpc::notification(
                "notifications/tools/list_changed",
                None,
            ));
        }
    }
}
