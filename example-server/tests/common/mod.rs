//! An in-process client for the example server: feeds lines to `Server::handle_line`
//! and reads back what it wrote.

#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use mcpd_example_server::{Flags, Invocation, Server, SharedWriter};
use serde_json::{Value, json};

pub struct Session {
    pub server: Arc<Server>,
    written: Arc<Mutex<Vec<u8>>>,
    calls: Vec<JoinHandle<()>>,
    next_id: u64,
}

impl Session {
    /// A server started with `args`, already past `initialize`.
    pub fn new(args: &[&str]) -> Session {
        let mut session = Session::uninitialized(args);
        session.request(
            "initialize",
            json!({"protocolVersion": "2025-06-18", "capabilities": {}}),
        );
        session.take_lines();
        session
    }

    /// A server started with `args`, nothing sent yet.
    pub fn uninitialized(args: &[&str]) -> Session {
        let Ok(Invocation::Serve(flags)) = Flags::parse(args) else {
            panic!("bad flags {args:?}");
        };
        let written = Arc::new(Mutex::new(Vec::new()));
        let server = Server::new(flags, written.clone() as SharedWriter);
        Session {
            server,
            written,
            calls: Vec::new(),
            next_id: 0,
        }
    }

    /// Feeds one raw line to the server.
    pub fn send_line(&mut self, line: &str) {
        if let Some(call) = self.server.handle_line(line) {
            self.calls.push(call);
        }
    }

    pub fn send(&mut self, message: Value) {
        self.send_line(&message.to_string());
    }

    /// Sends a request with a fresh numeric id and returns that id.
    pub fn send_request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = json!(self.next_id);
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// Sends a request, waits for running calls, and returns the response to it.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.wait_calls();
        self.messages()
            .into_iter()
            .find(|m| m["id"] == id && m.get("method").is_none())
            .unwrap_or_else(|| panic!("no response to {method} #{id}: {:?}", self.lines()))
    }

    /// Calls a tool and returns the `result` of its response (panics on a JSON-RPC error).
    pub fn call(&mut self, name: &str, arguments: Value) -> Value {
        let response = self.request("tools/call", json!({"name": name, "arguments": arguments}));
        assert!(response.get("error").is_none(), "{response}");
        response["result"].clone()
    }

    /// Joins every `tools/call` thread started so far.
    pub fn wait_calls(&mut self) {
        for call in self.calls.drain(..) {
            call.join().unwrap();
        }
    }

    /// Every line written so far.
    pub fn lines(&self) -> Vec<String> {
        let written = self.written.lock().unwrap();
        String::from_utf8(written.clone())
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect()
    }

    /// Every JSON message written so far (garbage lines skipped).
    pub fn messages(&self) -> Vec<Value> {
        self.lines()
            .iter()
            .filter_map(|line| serde_json::from_str(line).ok())
            .collect()
    }

    /// Every line written so far, forgetting them.
    pub fn take_lines(&mut self) -> Vec<String> {
        let lines = self.lines();
        self.written.lock().unwrap().clear();
        lines
    }
}

/// The text of a result's only (or first) text block.
pub fn text(result: &Value) -> &str {
    result["content"]
        .as_array()
        .and_then(|blocks| blocks.iter().find(|b| b["type"] == "text"))
        .and_then(|block| block["text"].as_str())
        .unwrap_or_else(|| panic!("no text block in {result}"))
}
