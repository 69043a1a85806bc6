//! The server's shared state and the routing of each incoming line to its handler.

use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};

use serde_json::{Map, Value, json};

use crate::client_requests::ClientRequests;
use crate::flags::Flags;
use crate::in_flight::{CallContext, InFlight};
use crate::output::{Output, SharedWriter};
use crate::protocol::{self, Incoming, RpcError};
use crate::tools::{self, ToolRegistry};

const INSTRUCTIONS: &str = "Example MCP server bundled with mcpd, for tests, benchmarks and \
                            demos. Try `echo`, `add` or `sleep`; `tools/list` shows the rest.";

/// One MCP server session: everything the reader loop and the tool threads share.
pub struct Server {
    flags: Flags,
    output: Output,
    tools: ToolRegistry,
    in_flight: InFlight,
    client_requests: ClientRequests,
    client_capabilities: Mutex<Option<Value>>,
    grandchild_pid: Option<u32>,
}

impl Server {
    /// A server configured by `flags` that writes its messages to `writer`.
    pub fn new(flags: Flags, writer: SharedWriter) -> Arc<Server> {
        Server::build(flags, Output::new(writer), None)
    }

    pub(crate) fn build(flags: Flags, output: Output, grandchild_pid: Option<u32>) -> Arc<Server> {
        Arc::new(Server {
            tools: ToolRegistry::new(flags.tools),
            flags,
            output,
            in_flight: InFlight::default(),
            client_requests: ClientRequests::default(),
            client_capabilities: Mutex::new(None),
            grandchild_pid,
        })
    }

    /// Handles one line read from the client. Each `tools/call` runs on its own thread,
    /// whose handle is returned (the server itself never joins it; tests may).
    pub fn handle_line(self: &Arc<Self>, line: &str) -> Option<JoinHandle<()>> {
        let line = line.trim();
        if line.is_empty() {
            return None;
        }
        let message = match serde_json::from_str::<Value>(line) {
            Ok(message) => message,
            Err(err) => {
                let error = RpcError::new(protocol::PARSE_ERROR, format!("Parse error: {err}"));
                self.output
                    .send(&protocol::error_response(&Value::Null, &error));
                return None;
            }
        };
        match protocol::classify(message) {
            Incoming::Request { id, method, params } => self.handle_request(id, &method, params),
            Incoming::Notification { method, params } => {
                self.handle_notification(&method, &params);
                None
            }
            Incoming::Response { id, message } => {
                if !self.client_requests.deliver(&id, message) {
                    eprintln!("example server: ignoring a response to unknown request {id}");
                }
                None
            }
            Incoming::Invalid { id } => {
                let error = RpcError::new(protocol::INVALID_REQUEST, "Invalid Request");
                self.output.send(&protocol::error_response(&id, &error));
                None
            }
        }
    }

    fn handle_request(
        self: &Arc<Self>,
        id: Value,
        method: &str,
        params: Value,
    ) -> Option<JoinHandle<()>> {
        let answer = match method {
            "initialize" => match self.initialize(&params) {
                Some(result) => Ok(result),
                None => return None,
            },
            "ping" | "logging/setLevel" => Ok(json!({})),
            "tools/list" => self.list_tools(&params),
            "tools/call" => match self.start_call(id.clone(), &params) {
                Ok(handle) => return Some(handle),
                Err(error) => Err(error),
            },
            _ => Err(RpcError::method_not_found(method)),
        };
        let message = match answer {
            Ok(result) => protocol::response(&id, result),
            Err(error) => protocol::error_response(&id, &error),
        };
        self.output.send(&message);
        None
    }

    fn handle_notification(&self, method: &str, params: &Value) {
        if method == "notifications/cancelled"
            && let Some(id) = params.get("requestId")
        {
            self.in_flight.cancel(id);
        }
    }

    /// The `initialize` result, or `None` under `--hang-on-initialize`.
    fn initialize(&self, params: &Value) -> Option<Value> {
        let capabilities = params
            .get("capabilities")
            .cloned()
            .unwrap_or_else(|| json!({}));
        *self.lock_capabilities() = Some(capabilities);
        if self.flags.hang_on_initialize {
            return None;
        }
        let requested = params.get("protocolVersion").and_then(Value::as_str);
        Some(json!({
            "protocolVersion": protocol::negotiate_version(requested),
            "capabilities": {"tools": {"listChanged": true}, "logging": {}},
            "serverInfo": {"name": self.flags.name, "version": env!("CARGO_PKG_VERSION")},
            "instructions": INSTRUCTIONS,
        }))
    }

    fn list_tools(&self, params: &Value) -> Result<Value, RpcError> {
        let cursor = match params.get("cursor") {
            None | Some(Value::Null) => None,
            Some(Value::String(cursor)) => Some(cursor.as_str()),
            Some(_) => return Err(RpcError::invalid_params("`cursor` must be a string")),
        };
        let (tools, next_cursor) = self.tools.list(cursor, self.flags.page_size)?;
        let mut result = json!({ "tools": tools });
        if let Some(next_cursor) = next_cursor {
            result["nextCursor"] = json!(next_cursor);
        }
        Ok(result)
    }

    /// Validates a `tools/call` and runs it on a new thread that sends the response.
    fn start_call(self: &Arc<Self>, id: Value, params: &Value) -> Result<JoinHandle<()>, RpcError> {
        let name = params
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| RpcError::invalid_params("tools/call needs a string `name`"))?;
        let kind = self
            .tools
            .kind_of(name)
            .ok_or_else(|| RpcError::invalid_params(format!("Unknown tool: {name}")))?;
        let args = match params.get("arguments") {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(args)) => args.clone(),
            Some(_) => return Err(RpcError::invalid_params("`arguments` must be an object")),
        };
        let progress_token = params
            .pointer("/_meta/progressToken")
            .filter(|token| token.is_string() || token.is_number())
            .cloned();
        let cancelled = self.in_flight.start(&id);
        let call = CallContext::new(
            id.clone(),
            progress_token,
            cancelled,
            !self.flags.ignore_cancel,
        );
        let server = Arc::clone(self);
        thread::Builder::new()
            .name("tool call".to_string())
            .spawn(move || {
                let result = tools::call(&server, &call, kind, &args);
                server.in_flight.finish(&call.id);
                if !call.is_cancelled() {
                    server.output.send(&protocol::response(&call.id, result));
                }
            })
            .map_err(|err| {
                self.in_flight.finish(&id);
                RpcError::new(
                    protocol::INTERNAL_ERROR,
                    format!("cannot start the call: {err}"),
                )
            })
    }

    pub(crate) fn output(&self) -> &Output {
        &self.output
    }

    pub(crate) fn tools(&self) -> &ToolRegistry {
        &self.tools
    }

    pub(crate) fn client_requests(&self) -> &ClientRequests {
        &self.client_requests
    }

    /// The capabilities the client declared in `initialize`; `null` before that.
    pub(crate) fn client_capabilities(&self) -> Value {
        self.lock_capabilities().clone().unwrap_or(Value::Null)
    }

    pub(crate) fn grandchild_pid(&self) -> Option<u32> {
        self.grandchild_pid
    }

    fn lock_capabilities(&self) -> std::sync::MutexGuard<'_, Option<Value>> {
        self.client_capabilities
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }
}
