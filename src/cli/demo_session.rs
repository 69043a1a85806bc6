//! The demo's MCP client: runs `mcpd shim` as a child and exchanges JSON-RPC lines on its stdio.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

pub struct Session {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: mpsc::Receiver<String>,
    next_id: u64,
}

impl Session {
    pub fn start(exe: &Path, home: &Path, cwd: &Path) -> Result<Session, String> {
        let mut child = Command::new(exe)
            .arg("shim")
            .env("MCPD_HOME", home)
            .current_dir(cwd)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start mcpd shim: {e}"))?;
        let stdout = child.stdout.take().expect("piped");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take();
        Ok(Session {
            child,
            stdin,
            lines,
            next_id: 0,
        })
    }

    /// Sends a request and waits (at most 30 s) for its result.
    pub fn request(&mut self, method: &str, params: Value) -> Result<Value, String> {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))?;
        loop {
            let line = self
                .lines
                .recv_timeout(Duration::from_secs(30))
                .map_err(|_| format!("no answer to {method}"))?;
            let msg: Value = serde_json::from_str(&line)
                .map_err(|e| format!("the shim wrote non-JSON ({e}): {line}"))?;
            if msg["id"] == id {
                return match msg.get("result") {
                    Some(r) => Ok(r.clone()),
                    None => Err(format!("{method} failed: {}", msg["error"])),
                };
            }
        }
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        let _ = self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn send(&mut self, msg: &Value) -> Result<(), String> {
        let stdin = self.stdin.as_mut().ok_or("the session is closed")?;
        writeln!(stdin, "{msg}").map_err(|e| format!("cannot write to the shim: {e}"))
    }

    /// Closes stdin (the end of the session) and waits for the shim to exit.
    pub fn close(&mut self) {
        self.stdin = None;
        let _ = self.child.wait();
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if self.stdin.take().is_some() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
