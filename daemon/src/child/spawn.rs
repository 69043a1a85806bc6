//! Starting a child process in its own process group, wiring its stdio to the reader, writer and
//! stderr tasks, and watching for its exit.

use super::exit::{ExitInfo, describe};
use super::instance::{Instance, Links};
use super::stderr::{ServerLog, pump};
use super::{reader, writer};
use crate::supervisor::handle::SupervisorSettings;
use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, watch};
use tokio_util::sync::CancellationToken;

/// Everything needed to start one child.
#[derive(Clone, Debug)]
pub struct LaunchSpec {
    pub server: String,
    pub command: String,
    pub args: Vec<String>,
    /// The configured env, applied over `base_env`.
    pub env: Vec<(String, String)>,
    /// The environment of the client that asked for the server (PATH and the rest come from there,
    /// not from the daemon, which may run under a minimal service environment).
    pub base_env: HashMap<String, String>,
    pub cwd: PathBuf,
}

/// How many stderr lines an exit message carries.
const EXIT_TAIL: usize = 12;

/// Spawns the child and its tasks. The handshake is not done here.
pub fn spawn(
    spec: &LaunchSpec,
    generation: u64,
    log: Arc<ServerLog>,
    settings: &SupervisorSettings,
    on_tools_changed: impl Fn(Arc<Instance>) + Send + 'static,
) -> Result<Arc<Instance>, String> {
    let mut cmd = tokio::process::Command::new(&spec.command);
    cmd.args(&spec.args)
        .env_clear()
        .envs(&spec.base_env)
        .envs(spec.env.iter().map(|(k, v)| (k, v)))
        .current_dir(&spec.cwd)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .kill_on_drop(false);
    let mut child = cmd.spawn().map_err(|e| spawn_error(spec, &e))?;
    let pid = child.id().unwrap_or(0);
    let ledger = super::orphans::record(&settings.children_dir, pid);
    let max_frame = settings.max_frame;
    let stdin = child.stdin.take().expect("piped");
    let stdout = child.stdout.take().expect("piped");
    let stderr = child.stderr.take().expect("piped");
    log.clear_ring();
    log.note(&format!(
        "started pid {pid}: {} {}",
        spec.command,
        spec.args.join(" ")
    ));

    let (out_tx, out_rx) = mpsc::unbounded_channel();
    let close = CancellationToken::new();
    let (exit_tx, exit_rx) = watch::channel(None);
    let instance = Arc::new(Instance::new(
        spec.server.clone(),
        generation,
        pid,
        log.clone(),
        Links {
            out: out_tx,
            close_stdin: close.clone(),
            exit: exit_rx,
            ledger,
        },
    ));

    tokio::spawn(writer::run(stdin, out_rx, close));
    let stderr_task = tokio::spawn(pump(stderr, log.clone()));
    let inst = instance.clone();
    tokio::spawn(async move { reader::run(stdout, inst, max_frame, on_tools_changed).await });
    let inst = instance.clone();
    tokio::spawn(async move {
        let status = child.wait().await;
        // Let the last stderr lines land before describing the exit.
        let _ = tokio::time::timeout(Duration::from_millis(300), stderr_task).await;
        let status = match status {
            Ok(s) => describe(&s),
            Err(e) => format!("could not be waited for: {e}"),
        };
        let info = ExitInfo {
            status,
            stderr_tail: inst.log.tail(EXIT_TAIL),
        };
        inst.log.note(&format!("pid {} {}", inst.pid, info.status));
        inst.fail_all(info.message(&inst.server));
        let _ = exit_tx.send(Some(info));
    });
    Ok(instance)
}

fn spawn_error(spec: &LaunchSpec, e: &std::io::Error) -> String {
    let mut msg = format!(
        "could not start server '{}' (`{}`): {e}",
        spec.server, spec.command
    );
    if e.kind() == std::io::ErrorKind::NotFound {
        if !spec.cwd.is_dir() {
            msg.push_str(&format!(
                "; its working directory {} does not exist",
                spec.cwd.display()
            ));
        } else {
            let path = spec
                .env
                .iter()
                .find(|(k, _)| k == "PATH")
                .map(|(_, v)| v.as_str())
                .or(spec.base_env.get("PATH").map(String::as_str));
            msg.push_str(&format!(
                "; is it installed and on the PATH of the client that asked? (PATH={})",
                path.unwrap_or("<unset>")
            ));
        }
    }
    msg
}
