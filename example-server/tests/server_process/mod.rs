//! The example server run as a child process (this test binary re-executed), and a
//! line-oriented client for its stdio.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// When set (to the JSON array of flags), the test binary runs the server instead of tests.
pub const SERVER_ARGS_ENV: &str = "MCPD_EXAMPLE_SERVER_TEST_ARGS";
/// How long to wait for any line or exit before failing.
const TIMEOUT: Duration = Duration::from_secs(10);

/// The server running as a child process, with its stdout read line by line.
pub struct Server {
    pub process: Child,
    stdin: Option<ChildStdin>,
    pub lines: Receiver<String>,
    stderr: Option<JoinHandle<String>>,
}

impl Server {
    pub fn start(args: &[&str]) -> Server {
        let mut process = Command::new(std::env::current_exe().unwrap())
            .env(SERVER_ARGS_ENV, json!(args).to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn the server");
        let stdout = BufReader::new(process.stdout.take().unwrap());
        let (sender, lines) = mpsc::channel();
        thread::spawn(move || {
            for line in stdout.lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    return;
                }
            }
        });
        let mut stderr = process.stderr.take().unwrap();
        let stderr = thread::spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            text
        });
        Server {
            stdin: process.stdin.take(),
            process,
            lines,
            stderr: Some(stderr),
        }
    }

    pub fn send(&mut self, message: Value) {
        let stdin = self.stdin.as_mut().expect("stdin is open");
        writeln!(stdin, "{message}").unwrap();
        stdin.flush().unwrap();
    }

    pub fn request(&mut self, id: u64, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
    }

    pub fn line(&self) -> String {
        self.lines
            .recv_timeout(TIMEOUT)
            .expect("a line from the server")
    }

    pub fn message(&self) -> Value {
        let line = self.line();
        serde_json::from_str(&line).unwrap_or_else(|_| panic!("not JSON: {line:?}"))
    }

    pub fn initialize(&mut self) {
        self.request(
            0,
            "initialize",
            json!({"protocolVersion": "2025-06-18", "capabilities": {}}),
        );
        assert_eq!(self.message()["id"], 0);
        self.send(json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
    }

    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    pub fn wait(&mut self) -> (ExitStatus, String) {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.process.try_wait().unwrap() {
                return (status, self.stderr.take().unwrap().join().unwrap());
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn is_running_after(&mut self, pause: Duration) -> bool {
        thread::sleep(pause);
        self.process.try_wait().unwrap().is_none()
    }

    pub fn pid(&self) -> i32 {
        self.process.id() as i32
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}
