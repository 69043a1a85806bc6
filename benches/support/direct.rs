//! The baseline: `mcpd example-server` spawned by the bench itself and spoken to over its own
//! stdin/stdout, as an MCP client would without mcpd.

use super::rpc::Conn;
use anyhow::{Context, Result, bail};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The longest a direct child may live; past it the watchdog kills it, so a hung child turns
/// into a read error instead of a hung bench.
const LIFETIME: Duration = Duration::from_secs(90);

/// A child example server and the MCP connection to it. Dropping it ends the child.
pub struct Direct {
    child: Child,
    conn: Option<Conn<ChildStdin, ChildStdout>>,
    watchdog: Option<Watchdog>,
    /// Taken just before the spawn.
    pub spawned_at: Instant,
}

impl Direct {
    /// Spawns `EXE example-server FLAGS` with piped stdin/stdout.
    pub fn spawn(exe: &Path, flags: &[&str]) -> Result<Direct> {
        let mut cmd = Command::new(exe);
        cmd.arg("example-server")
            .args(flags)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        let spawned_at = Instant::now();
        let mut child = cmd
            .spawn()
            .with_context(|| format!("spawning {} example-server", exe.display()))?;
        let stdin = child.stdin.take().expect("piped");
        let stdout = child.stdout.take().expect("piped");
        let label = format!("the direct example server (pid {})", child.id());
        let watchdog = Watchdog::start(child.id(), LIFETIME);
        Ok(Direct {
            child,
            conn: Some(Conn::new(label, stdin, stdout)),
            watchdog: Some(watchdog),
            spawned_at,
        })
    }

    /// Spawns and completes the MCP handshake (see [`Direct::handshake`]).
    pub fn ready(exe: &Path, flags: &[&str]) -> Result<Direct> {
        let mut d = Direct::spawn(exe, flags)?;
        d.handshake()?;
        Ok(d)
    }

    pub fn conn(&mut self) -> &mut Conn<ChildStdin, ChildStdout> {
        self.conn.as_mut().expect("open until drop")
    }

    /// initialize, notifications/initialized, tools/list (what a client does before a call);
    /// checks that `echo` is listed.
    pub fn handshake(&mut self) -> Result<()> {
        let conn = self.conn();
        conn.request(
            "initialize",
            r#"{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"mcpd-bench","version":"0"}}"#,
        )?;
        conn.notify("notifications/initialized", None)?;
        let tools = conn.request("tools/list", "{}")?;
        if !tools.contains(r#""name":"echo""#) {
            bail!("the direct example server's tools/list has no echo: {tools}");
        }
        Ok(())
    }

    /// A `tools/call`; returns the raw CallToolResult.
    pub fn call(&mut self, tool: &str, arguments: &str) -> Result<String> {
        let params = format!(r#"{{"name":"{tool}","arguments":{arguments}}}"#);
        self.conn().request("tools/call", &params)
    }
}

impl Drop for Direct {
    fn drop(&mut self) {
        // Stop the watchdog first: once the child is reaped its pid may be reused.
        drop(self.watchdog.take());
        drop(self.conn.take()); // stdin EOF: the server exits by itself
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Kills a pid with SIGKILL when `limit` passes before the watchdog is dropped.
struct Watchdog {
    cancel: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Watchdog {
    fn start(pid: u32, limit: Duration) -> Watchdog {
        let (cancel, wait) = mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            if let Err(mpsc::RecvTimeoutError::Timeout) = wait.recv_timeout(limit) {
                eprintln!(
                    "mcpd_bench: the direct example server (pid {pid}) is still busy after {limit:?}; killing it"
                );
                // SAFETY: kill(2) on a child we spawned and have not reaped yet.
                unsafe {
                    libc::kill(pid as libc::pid_t, libc::SIGKILL);
                }
            }
        });
        Watchdog {
            cancel: Some(cancel),
            thread: Some(thread),
        }
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        drop(self.cancel.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
