//! An isolated mcpd world for the benchmark: a temp dir holding MCPD_HOME and a project with its
//! `.mcpd.json` (more projects on demand), a detached daemon, shims started in it, and a guard
//! that stops the daemon (by pid if need be).

use super::daemon_client::DaemonClient;
use super::shim::Shim;
use anyhow::{Context, Result, bail};
use mcpd_shim::paths::Paths;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Mutex;
use std::sync::mpsc;
use std::time::Duration;

pub struct World {
    exe: PathBuf,
    pub paths: Paths,
    pub project: PathBuf,
    /// Pids of children seen loaded; their groups are ended if the daemon cannot be stopped.
    children: Mutex<Vec<u32>>,
    // Dropped last: removes the directory.
    dir: tempfile::TempDir,
}

impl World {
    /// Writes `{"mcpServers": servers}` to the project's `.mcpd.json` and starts a daemon.
    pub fn start(exe: &Path, servers: serde_json::Value) -> Result<World> {
        let dir = tempfile::Builder::new()
            .prefix("mcpd-bench")
            .tempdir()
            .context("creating a temp dir")?;
        let project = dir.path().join("p");
        write_project(&project, servers)?;
        let world = World {
            exe: exe.to_path_buf(),
            paths: Paths::at(dir.path().join("h")),
            project,
            children: Mutex::default(),
            dir,
        };
        let out = world.mcpd(&["daemon", "--detach"], Duration::from_secs(30))?;
        if !out.status.success() {
            bail!(
                "`mcpd daemon --detach` failed ({}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        world.daemon_pid().context("the daemon wrote no pid file")?;
        Ok(world)
    }

    /// The daemon's pid, from its pid file.
    pub fn daemon_pid(&self) -> Option<u32> {
        std::fs::read_to_string(self.paths.pid_file())
            .ok()?
            .trim()
            .parse()
            .ok()
    }

    /// A connection that has said hello from the project directory.
    pub fn connect(&self) -> Result<DaemonClient> {
        DaemonClient::connect(&self.paths.socket(), &self.project)
    }

    /// Another project directory beside the main one, with its own `.mcpd.json`.
    pub fn add_project(&self, name: &str, servers: serde_json::Value) -> Result<PathBuf> {
        let project = self.dir.path().join(name);
        write_project(&project, servers)?;
        Ok(project)
    }

    /// Spawns `mcpd shim` in `project` (not yet initialized).
    pub fn spawn_shim(&self, project: &Path) -> Result<Shim> {
        Shim::spawn(&self.exe, &self.paths.home, project)
    }

    /// `mcpd shim` in `project`, initialized and past its first tools/list.
    pub fn shim(&self, project: &Path) -> Result<Shim> {
        Shim::ready(&self.exe, &self.paths.home, project)
    }

    /// Remembers a child pid, to end its group should `mcpd stop` fail.
    pub fn note_child(&self, pid: u32) {
        self.children.lock().unwrap().push(pid);
    }

    /// Runs `mcpd ARGS` in this world, killed (by pid) after `limit`.
    fn mcpd(&self, args: &[&str], limit: Duration) -> Result<Output> {
        let mut cmd = Command::new(&self.exe);
        cmd.args(args)
            .env("MCPD_HOME", &self.paths.home)
            .env_remove("MCPD_LOG")
            .env_remove("MCPD_MAX_MESSAGE_BYTES")
            .current_dir(&self.project)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let child = cmd
            .spawn()
            .with_context(|| format!("running mcpd {args:?}"))?;
        let pid = child.id();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(child.wait_with_output());
        });
        match rx.recv_timeout(limit) {
            Ok(out) => Ok(out?),
            Err(_) => {
                kill(pid);
                bail!("`mcpd {}` took more than {limit:?}", args.join(" "))
            }
        }
    }
}

impl Drop for World {
    fn drop(&mut self) {
        let pid = self.daemon_pid();
        let stopped = match self.mcpd(&["stop"], Duration::from_secs(40)) {
            Ok(out) if out.status.success() => true,
            Ok(out) => {
                eprintln!(
                    "mcpd_bench: `mcpd stop` failed: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                );
                false
            }
            Err(e) => {
                eprintln!("mcpd_bench: {e:#}");
                false
            }
        };
        if !stopped {
            if let Some(pid) = pid {
                kill(pid);
            }
            for &child in self.children.lock().unwrap().iter() {
                // SAFETY: each child leads its own process group (pgid = its pid).
                unsafe {
                    libc::killpg(child as libc::pid_t, libc::SIGKILL);
                }
            }
        }
    }
}

/// Creates `project` holding `.mcpd.json` = `{"mcpServers": servers}`.
fn write_project(project: &Path, servers: serde_json::Value) -> Result<()> {
    std::fs::create_dir_all(project)?;
    let config = serde_json::json!({ "mcpServers": servers });
    std::fs::write(
        project.join(".mcpd.json"),
        serde_json::to_string_pretty(&config)?,
    )?;
    Ok(())
}

fn kill(pid: u32) {
    // SAFETY: kill(2) with SIGKILL on one pid we started.
    unsafe {
        libc::kill(pid as libc::pid_t, libc::SIGKILL);
    }
}
