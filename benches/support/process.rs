//! A child process the bench speaks to over its stdin/stdout: a watchdog kills it (by pid) when it
//! outlives its allotted time, so a hung peer turns into a read error instead of a hung bench, and
//! dropping it ends it (stdin EOF, then SIGKILL of that pid after 3 s).

use super::rpc::Conn;
use anyhow::{Context, Result};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub struct Piped {
    child: Child,
    conn: Option<Conn<ChildStdin, ChildStdout>>,
    watchdog: Option<Watchdog>,
    /// Taken just before the spawn.
    pub spawned_at: Instant,
}

impl Piped {
    /// Spawns `cmd` with piped stdin/stdout (stderr inherited); `what` names it in messages.
    pub fn spawn(mut cmd: Command, what: &str, lifetime: Duration) -> Result<Piped> {
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        let spawned_at = Instant::now();
        let mut child = cmd.spawn().with_context(|| format!("spawning {what}"))?;
        let stdin = child.stdin.take().expect("piped");
        let stdout = child.stdout.take().expect("piped");
        let label = format!("{what} (pid {})", child.id());
        let watchdog = Watchdog::start(label.clone(), child.id(), lifetime);
        Ok(Piped {
            child,
            conn: Some(Conn::new(label, stdin, stdout)),
            watchdog: Some(watchdog),
            spawned_at,
        })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn conn(&mut self) -> &mut Conn<ChildStdin, ChildStdout> {
        self.conn.as_mut().expect("open until drop")
    }
}

impl Drop for Piped {
    fn drop(&mut self) {
        // Stop the watchdog first: once the child is reaped its pid may be reused.
        drop(self.watchdog.take());
        drop(self.conn.take()); // stdin EOF: the peer exits by itself
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
    fn start(label: String, pid: u32, limit: Duration) -> Watchdog {
        let (cancel, wait) = mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            if let Err(mpsc::RecvTimeoutError::Timeout) = wait.recv_timeout(limit) {
                eprintln!("mcpd_bench: {label} is still busy after {limit:?}; killing it");
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
