//! One client connection: a hello first, then JSON-RPC requests, each handled in its own task so a
//! slow call never blocks the others; `notifications/cancelled` and disconnects cancel requests.

mod context;
mod handlers;
mod outbox;

pub use context::SessionCtx;

use crate::state::Daemon;
use handlers::HandlerError;
use mcpd_shim::framing::{Frame, LineReader};
use mcpd_shim::jsonrpc::{self, Envelope, Kind, code};
use mcpd_shim::wire::{Hello, HelloReply, PROTOCOL, method};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::io::BufReader;
use tokio::net::UnixStream;
use tokio::task::AbortHandle;

/// Serves one connection until the peer closes it or the daemon shuts down.
pub async fn serve(stream: UnixStream, daemon: Arc<Daemon>) {
    let (r, w) = stream.into_split();
    let out = outbox::start(w);
    let mut lines = LineReader::new(
        BufReader::with_capacity(64 * 1024, r),
        daemon.options.max_frame,
    );
    let in_flight: Arc<Mutex<HashMap<String, AbortHandle>>> = Arc::default();
    let mut ctx: Option<Arc<SessionCtx>> = None;
    loop {
        let frame = tokio::select! {
            f = lines.next() => f,
            _ = daemon.shutdown.cancelled() => break,
        };
        let line = match frame {
            Ok(Some(Frame::Line(l))) => l,
            Ok(Some(Frame::TooLong { len, head, tail })) => {
                // The line cannot be parsed whole; its id is looked for at its edges.
                let id = jsonrpc::id_from_edges(&head, &tail);
                let msg = format!(
                    "message of {len} bytes is over the daemon's limit of {} bytes (MCPD_MAX_MESSAGE_BYTES); it was dropped",
                    daemon.options.max_frame
                );
                out.send(jsonrpc::error(
                    id.as_deref().unwrap_or("null"),
                    code::TOO_LARGE,
                    &msg,
                    None,
                ));
                continue;
            }
            Ok(None) | Err(_) => break,
        };
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let env = match Envelope::parse(&line) {
            Ok(e) => e,
            Err(e) => {
                out.send(jsonrpc::error(
                    "null",
                    code::PARSE_ERROR,
                    &format!("parse error: {e}"),
                    None,
                ));
                continue;
            }
        };
        let id = env.id.map(|i| i.get().to_string());
        match env.kind() {
            Kind::Request => {}
            Kind::Notification => {
                if env.method() == method::CANCELLED {
                    cancel(&in_flight, env.params);
                }
                continue;
            }
            Kind::Response => continue,
            Kind::Invalid => {
                let msg = "invalid request: a JSON-RPC request needs \"method\" and \"id\"";
                out.send(jsonrpc::error(
                    id.as_deref().unwrap_or("null"),
                    code::INVALID_REQUEST,
                    msg,
                    None,
                ));
                continue;
            }
        }
        let id = id.expect("requests have ids");
        let Some(session) = ctx.clone() else {
            match hello(&env) {
                Ok((reply, hello)) => {
                    out.send(jsonrpc::response(&id, &reply));
                    tracing::debug!(kind = ?hello.kind, pid = hello.pid, "session started");
                    ctx = Some(Arc::new(SessionCtx::new(
                        hello,
                        daemon.clone(),
                        out.clone(),
                    )));
                }
                Err(e) => out.send(e.to_response(&id)),
            }
            continue;
        };
        if env.method() == method::STOP {
            out.send(jsonrpc::response(&id, "{}"));
            tracing::info!("stop requested by pid {}", session.hello.pid);
            daemon.shutdown.cancel();
            continue;
        }
        let method_name = env.method().to_string();
        let params = env.params.map(|p| p.to_owned());
        let out2 = out.clone();
        let table = in_flight.clone();
        let key = id.clone();
        // The task waits for `go` so that it is in the table before it can remove itself.
        let (go, wait) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = wait.await;
            let result = handlers::dispatch(&method_name, params, &session).await;
            table.lock().unwrap().remove(&key);
            match result {
                Ok(raw) => out2.respond(key, raw),
                Err(e) => out2.send(e.to_response(&key)),
            }
        });
        in_flight.lock().unwrap().insert(id, task.abort_handle());
        let _ = go.send(());
    }
    // The peer is gone (or the daemon stops): cancel what it still waits for.
    for (_, task) in in_flight.lock().unwrap().drain() {
        task.abort();
    }
}

fn hello(env: &Envelope) -> Result<(String, Hello), HandlerError> {
    if env.method() != method::HELLO {
        return Err(HandlerError::new(
            code::HANDSHAKE,
            format!("send {} first (got '{}')", method::HELLO, env.method()),
        ));
    }
    let hello: Hello = serde_json::from_str(env.params.map(|p| p.get()).unwrap_or("null"))
        .map_err(|e| {
            HandlerError::new(
                code::HANDSHAKE,
                format!("bad {} params: {e}", method::HELLO),
            )
        })?;
    if hello.protocol != PROTOCOL {
        return Err(HandlerError::new(
            code::HANDSHAKE,
            format!(
                "protocol mismatch: this daemon ({}) speaks {PROTOCOL}, the client ({}) speaks {}; run `mcpd stop` so the newer mcpd starts its own daemon",
                mcpd_shim::VERSION,
                hello.version,
                hello.protocol
            ),
        ));
    }
    let reply = HelloReply {
        protocol: PROTOCOL,
        version: mcpd_shim::VERSION.to_string(),
        pid: std::process::id(),
    };
    Ok((serde_json::to_string(&reply).expect("serializable"), hello))
}

#[derive(serde::Deserialize)]
struct CancelParams {
    #[serde(rename = "requestId")]
    request_id: Box<serde_json::value::RawValue>,
}

fn cancel(
    in_flight: &Mutex<HashMap<String, AbortHandle>>,
    params: Option<&serde_json::value::RawValue>,
) {
    let Some(p) = params.and_then(|p| serde_json::from_str::<CancelParams>(p.get()).ok()) else {
        return;
    };
    if let Some(task) = in_flight.lock().unwrap().remove(p.request_id.get()) {
        task.abort();
    }
}
