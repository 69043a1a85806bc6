//! Test harness: each test gets its own MCPD_HOME and project directory, runs the real `mcpd`
//! binary with a time bound, and on drop stops its daemon and kills (by pid) whatever is left.

#![allow(dead_code)]

pub mod conn;
pub mod deps;
pub mod procs;
pub mod shim_client;

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The `mcpd` binary under test.
pub fn exe() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_mcpd"))
}

/// A server entry running the bundled example server with extra flags.
pub fn example(flags: &[&str]) -> Value {
    let mut args = vec!["example-server".to_string()];
    args.extend(flags.iter().map(|s| s.to_string()));
    json!({ "command": exe(), "args": args })
}

/// An isolated mcpd world: MCPD_HOME and a project directory in one temp dir.
pub struct Env {
    pub dir: tempfile::TempDir,
    pub home: PathBuf,
    pub project: PathBuf,
}

impl Env {
    pub fn new() -> Env {
        let dir = tempfile::Builder::new()
            .prefix("mcpd-t")
            .tempdir()
            .expect("tempdir");
        let home = dir.path().join("h");
        let project = dir.path().join("p");
        std::fs::create_dir_all(&project).unwrap();
        Env { dir, home, project }
    }

    /// Writes the project's `.mcpd.json` with these servers.
    pub fn servers(&self, servers: Value) -> &Env {
        self.write(
            &self.project.join(".mcpd.json"),
            &json!({ "mcpServers": servers }),
        );
        self
    }

    pub fn write(&self, path: &Path, value: &Value) {
        std::fs::write(path, serde_json::to_string_pretty(value).unwrap()).unwrap();
    }

    /// A `mcpd` command set up for this world (MCPD_HOME, working directory = the project).
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(exe());
        c.args(args)
            .env("MCPD_HOME", &self.home)
            .current_dir(&self.project)
            .stdin(Stdio::null());
        c.env_remove("MCPD_LOG");
        c
    }

    /// Runs `mcpd ARGS` to completion (at most 60 s).
    pub fn run(&self, args: &[&str]) -> Output {
        run_bounded(self.cmd(args), Duration::from_secs(60))
    }

    /// Runs `mcpd ARGS`, asserts success, returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "mcpd {args:?} failed: {}\nstdout: {}\nstderr: {}",
            out.status,
            text(&out.stdout),
            text(&out.stderr)
        );
        text(&out.stdout)
    }

    /// `mcpd call --json` and the parsed CallToolResult.
    pub fn call(&self, server: &str, tool: &str, args: Value) -> Value {
        let a = args.to_string();
        let out = self.run(&["call", "--json", server, tool, &a]);
        assert!(
            out.status.code() == Some(0) || out.status.code() == Some(1),
            "call {server} {tool} failed: {}\n{}",
            out.status,
            text(&out.stderr)
        );
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("call output is not JSON ({e}): {}", text(&out.stdout)))
    }

    /// The text of the first content block of a call.
    pub fn call_text(&self, server: &str, tool: &str, args: Value) -> String {
        let r = self.call(server, tool, args);
        r["content"][0]["text"]
            .as_str()
            .unwrap_or_else(|| panic!("no text in {r}"))
            .to_string()
    }

    /// `mcpd status --json`.
    pub fn status(&self) -> Value {
        serde_json::from_str(&self.ok(&["status", "--json"])).unwrap()
    }

    /// The status entry of one server.
    pub fn server_status(&self, name: &str) -> Value {
        let s = self.status();
        s["servers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("{name} not in {s}"))
    }

    pub fn daemon_pid(&self) -> Option<u32> {
        std::fs::read_to_string(self.home.join("run/mcpd.pid"))
            .ok()?
            .trim()
            .parse()
            .ok()
    }

    pub fn socket(&self) -> PathBuf {
        self.home.join("run/mcpd.sock")
    }

    /// Starts a detached daemon and returns its pid.
    pub fn start_daemon(&self) -> u32 {
        self.ok(&["daemon", "--detach"]);
        self.daemon_pid().expect("pid file after start")
    }

    /// A raw protocol connection that has said hello.
    pub fn connect(&self) -> conn::Conn {
        conn::Conn::open(&self.socket(), &self.project)
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        let pid = self.daemon_pid();
        let _ = run_bounded(self.cmd(&["stop"]), Duration::from_secs(40));
        if let Some(pid) = pid {
            procs::kill_hard(pid);
        }
        // Whatever still runs with this MCPD_HOME (a daemon a shim was still starting, a shim, a
        // child of a killed daemon) is ended by pid.
        for pid in procs::with_env("MCPD_HOME", &self.home.display().to_string()) {
            procs::kill_hard(pid);
        }
    }
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Runs a command with a deadline; kills it (by pid) when the deadline passes.
pub fn run_bounded(mut cmd: Command, limit: Duration) -> Output {
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let child = cmd.spawn().expect("spawn mcpd");
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(limit) {
        Ok(out) => out.expect("wait"),
        Err(_) => {
            procs::kill_hard(pid);
            panic!("command {cmd:?} took more than {limit:?}");
        }
    }
}

/// Polls `f` until it is true or `limit` passes.
pub fn wait_until(limit: Duration, mut f: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    f()
}
