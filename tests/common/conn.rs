//! A raw connection to the daemon's socket for protocol-level tests: send lines, read messages.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::Duration;

pub struct Conn {
    pub stream: UnixStream,
    reader: BufReader<UnixStream>,
}

impl Conn {
    /// Connects without saying hello.
    pub fn raw(socket: &Path) -> Conn {
        let stream = UnixStream::connect(socket)
            .unwrap_or_else(|e| panic!("connect {}: {e}", socket.display()));
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let reader = BufReader::new(stream.try_clone().unwrap());
        Conn { stream, reader }
    }

    /// Connects and says hello as a client working in `cwd`.
    pub fn open(socket: &Path, cwd: &Path) -> Conn {
        let mut c = Conn::raw(socket);
        let env: serde_json::Map<String, Value> = std::env::vars()
            .map(|(k, v)| (k, Value::String(v)))
            .collect();
        let hello = json!({"protocol": 1, "version": "test", "kind": "cli", "pid": std::process::id(), "cwd": cwd, "env": env});
        let r = c.request(0, "mcpd/hello", hello);
        assert!(r.get("result").is_some(), "hello failed: {r}");
        c
    }

    pub fn send_line(&mut self, line: &str) {
        self.stream.write_all(line.as_bytes()).unwrap();
        self.stream.write_all(b"\n").unwrap();
    }

    pub fn send(&mut self, v: &Value) {
        self.send_line(&v.to_string());
    }

    /// The next message (panics after the read timeout).
    pub fn recv(&mut self) -> Value {
        let mut line = String::new();
        let n = self
            .reader
            .read_line(&mut line)
            .unwrap_or_else(|e| panic!("no message from the daemon: {e}"));
        assert!(n > 0, "the daemon closed the connection");
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("daemon sent non-JSON ({e}): {line}"))
    }

    /// The next message, or None at EOF.
    pub fn recv_or_eof(&mut self) -> Option<Value> {
        let mut line = String::new();
        match self.reader.read_line(&mut line) {
            Ok(0) | Err(_) => None,
            Ok(_) => serde_json::from_str(&line).ok(),
        }
    }

    /// Sends a request and returns the response with that id (skipping notifications).
    pub fn request(&mut self, id: u64, method: &str, params: Value) -> Value {
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.response(id)
    }

    /// Reads until the response with `id` (notifications and other responses are skipped).
    pub fn response(&mut self, id: u64) -> Value {
        loop {
            let m = self.recv();
            if m["id"] == id && m.get("method").is_none() {
                return m;
            }
        }
    }
}
