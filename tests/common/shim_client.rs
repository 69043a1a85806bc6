//! A stdio MCP client for `mcpd shim`, as Claude Code & co. drive it: newline-delimited JSON-RPC on
//! the shim's stdin/stdout, every stdout line checked to be a JSON-RPC message, reads with deadlines,
//! and on drop stdin closed and the shim killed by pid if it has not exited.

use super::{Env, procs};
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a reply may take before the test fails (calls that start a daemon and a server included).
pub const WAIT: Duration = Duration::from_secs(20);

/// One message from the shim and the length of its line in bytes.
struct Message {
    value: Value,
    len: usize,
}

/// A running `mcpd shim` and the messages it has sent that nobody has taken yet.
pub struct Shim {
    child: Child,
    pub pid: u32,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    /// Messages read while waiting for something else, in arrival order.
    backlog: VecDeque<Message>,
    stderr: Arc<Mutex<String>>,
    next_id: u64,
}

impl Shim {
    /// `mcpd shim` in `env` (its MCPD_HOME, working directory = the project).
    pub fn start(env: &Env) -> Shim {
        Shim::spawn(env.cmd(&["shim"]))
    }

    /// Runs `cmd` (a `mcpd shim` command, maybe with a changed environment) as the shim.
    pub fn spawn(mut cmd: Command) -> Shim {
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("spawn mcpd shim");
        let pid = child.id();
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut line = Vec::new();
                match reader.read_until(b'\n', &mut line) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {
                        if tx
                            .send(String::from_utf8_lossy(&line).into_owned())
                            .is_err()
                        {
                            break;
                        }
                    }
                }
            }
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut err_pipe = child.stderr.take().expect("piped stderr");
        let sink = stderr.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err_pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        Shim {
            stdin: child.stdin.take(),
            child,
            pid,
            lines,
            backlog: VecDeque::new(),
            stderr,
            next_id: 0,
        }
    }

    /// What the shim wrote to stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Writes one line (a newline is added) to the shim's stdin.
    pub fn send_line(&mut self, line: &str) {
        let mut bytes = Vec::with_capacity(line.len() + 1);
        bytes.extend_from_slice(line.as_bytes());
        bytes.push(b'\n');
        let stdin = self.stdin.as_mut().expect("stdin is open");
        stdin.write_all(&bytes).expect("write to the shim's stdin");
        stdin.flush().unwrap();
    }

    pub fn send(&mut self, message: &Value) {
        self.send_line(&message.to_string());
    }

    /// A fresh request id.
    pub fn id(&mut self) -> Value {
        self.next_id += 1;
        json!(self.next_id)
    }

    /// Sends a request and returns its id (the response is read later with `response`).
    pub fn send_request(&mut self, method: &str, params: Value) -> Value {
        let id = self.id();
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The next message off the wire (not the backlog), or None at EOF or after `limit`. Panics on
    /// a line that is not a JSON-RPC message: nothing else may appear on the shim's stdout.
    fn read(&mut self, limit: Duration) -> Option<Message> {
        let line = match self.lines.recv_timeout(limit) {
            Ok(l) => l,
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return None,
        };
        let value: Value = serde_json::from_str(line.trim_end()).unwrap_or_else(|e| {
            panic!(
                "the shim wrote a non-JSON line to stdout ({e}): {:?}",
                preview(&line)
            )
        });
        assert_eq!(
            value["jsonrpc"],
            "2.0",
            "not a JSON-RPC message: {}",
            preview(&line)
        );
        assert!(
            value.get("method").is_some()
                || value.get("result").is_some()
                || value.get("error").is_some(),
            "not a request, notification or response: {}",
            preview(&line)
        );
        Some(Message {
            value,
            len: line.trim_end().len(),
        })
    }

    /// The next message (backlog first), or None at EOF or after `limit`.
    pub fn recv(&mut self, limit: Duration) -> Option<Value> {
        if let Some(m) = self.backlog.pop_front() {
            return Some(m.value);
        }
        self.read(limit).map(|m| m.value)
    }

    /// The response to request `id` and its line's length; other messages stay in the backlog.
    /// Panics when it does not come within `limit`.
    pub fn response_with_len(&mut self, id: &Value, limit: Duration) -> (Value, usize) {
        let is_it = |v: &Value| v.get("method").is_none() && v.get("id") == Some(id);
        if let Some(i) = self.backlog.iter().position(|m| is_it(&m.value)) {
            let m = self.backlog.remove(i).unwrap();
            return (m.value, m.len);
        }
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let Some(m) = self.read(left) else {
                panic!(
                    "no response to request {id} within {limit:?} (shim alive: {}); backlog: {:?}; stderr: {}",
                    procs::alive(self.pid),
                    self.backlog.iter().map(|m| &m.value).collect::<Vec<_>>(),
                    self.stderr()
                );
            };
            if is_it(&m.value) {
                return (m.value, m.len);
            }
            self.backlog.push_back(m);
        }
    }

    pub fn response(&mut self, id: &Value, limit: Duration) -> Value {
        self.response_with_len(id, limit).0
    }

    /// Sends a request and waits (up to `WAIT`) for its response.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.response(&id, WAIT)
    }

    /// Messages read so far that were not taken (notifications, other responses), in order.
    pub fn take_backlog(&mut self) -> Vec<Value> {
        self.backlog.drain(..).map(|m| m.value).collect()
    }

    /// `initialize` (with `version`) then `notifications/initialized`; returns the result.
    pub fn initialize_with(&mut self, version: &str) -> Value {
        let r = self.request(
            "initialize",
            json!({"protocolVersion": version, "capabilities": {},
                   "clientInfo": {"name": "mcpd-tests", "version": "0"}}),
        );
        let result = r
            .get("result")
            .unwrap_or_else(|| panic!("initialize failed: {r}"))
            .clone();
        self.notify("notifications/initialized", json!({}));
        result
    }

    pub fn initialize(&mut self) -> Value {
        self.initialize_with("2025-06-18")
    }

    /// Sends a `tools/call` of meta-tool `name` (with optional `_meta`) and returns its id.
    pub fn send_call(&mut self, name: &str, args: Value, meta: Option<Value>) -> Value {
        let mut params = json!({"name": name, "arguments": args});
        if let Some(m) = meta {
            params["_meta"] = m;
        }
        self.send_request("tools/call", params)
    }

    /// `tools/call` of meta-tool `name`; returns the CallToolResult (panics on a JSON-RPC error).
    pub fn call_tool(&mut self, name: &str, args: Value) -> Value {
        let id = self.send_call(name, args, None);
        let r = self.response(&id, WAIT);
        r.get("result")
            .unwrap_or_else(|| panic!("tools/call {name} answered with an error: {r}"))
            .clone()
    }

    /// `call_dynamic_server_tool` of `tool` on `server`.
    pub fn call_server(&mut self, server: &str, tool: &str, parameters: Value) -> Value {
        self.call_tool(
            "call_dynamic_server_tool",
            json!({"server_name": server, "tool_name": tool, "parameters": parameters}),
        )
    }

    /// Closes the shim's stdin (the client went away).
    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// Waits up to `limit` for the shim to exit.
    pub fn wait_exit(&mut self, limit: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + limit;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// True while the shim process has not exited.
    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Reads everything left on stdout until EOF (checking each line); the shim must have exited or
    /// be about to.
    pub fn drain_to_eof(&mut self, limit: Duration) -> Vec<Value> {
        let mut out = self.take_backlog();
        let deadline = Instant::now() + limit;
        while let Some(m) = self.read(deadline.saturating_duration_since(Instant::now())) {
            out.push(m.value);
        }
        out
    }
}

impl Drop for Shim {
    fn drop(&mut self) {
        self.close_stdin();
        if self.wait_exit(Duration::from_secs(3)).is_none() {
            procs::kill_hard(self.pid);
            let _ = self.child.wait();
        }
    }
}

/// The first content block's text of a CallToolResult.
pub fn text_of(result: &Value) -> &str {
    result["content"][0]["text"]
        .as_str()
        .unwrap_or_else(|| panic!("no text block in {result}"))
}

/// True when a CallToolResult has `isError: true`.
pub fn is_error(result: &Value) -> bool {
    result["isError"] == true
}

fn preview(line: &str) -> String {
    if line.len() > 300 {
        let head: String = line.chars().take(300).collect();
        format!("{head}... ({} bytes)", line.len())
    } else {
        line.to_string()
    }
}
