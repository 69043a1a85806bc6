//! `mcpd daemon [--detach]`: takes the single-instance lock, binds the socket, serves until
//! SIGTERM, SIGINT or `mcpd stop`. With --detach it forks first (before any runtime or logging
//! thread exists) and the parent returns only when the child reports "ready" or why it failed.

use mcpd_daemon::CancellationToken;
use mcpd_daemon::{Options, lock, logging, socket};
use mcpd_shim::paths::Paths;
use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::process::ExitCode;

pub fn run(detach: bool) -> ExitCode {
    let setup = Paths::from_env()
        .map_err(|e| e.to_string())
        .and_then(|p| Options::from_env().map(|o| (p, o)));
    let (paths, options) = match setup {
        Ok(v) => v,
        Err(e) => return super::fail(e),
    };
    if let Err(e) = socket::prepare_dirs(&paths) {
        return super::fail(format!(
            "cannot create mcpd's directories under {}: {e}",
            paths.home.display()
        ));
    }
    if !detach {
        return serve(paths, options, None, true);
    }
    let (read_end, write_end) = match ready_pipe() {
        Ok(p) => p,
        Err(e) => return super::fail(format!("cannot create a pipe: {e}")),
    };
    match daemonix::Daemonize::new()
        .working_directory("/")
        .umask(0o077)
        .execute()
    {
        daemonix::Outcome::Parent(Ok(_)) => {
            drop(write_end);
            wait_ready(read_end, &paths)
        }
        daemonix::Outcome::Parent(Err(e)) => super::fail(format!("cannot fork the daemon: {e}")),
        daemonix::Outcome::Child(Ok(_)) => {
            drop(read_end);
            serve(paths, options, Some(File::from(write_end)), false)
        }
        daemonix::Outcome::Child(Err(e)) => {
            let mut w = File::from(write_end);
            let _ = writeln!(w, "error: cannot detach: {e}");
            ExitCode::from(super::EXIT_ERROR)
        }
    }
}

/// Runs the daemon in this process. `ready` receives "ready PID" or "error: WHY" once known.
fn serve(paths: Paths, options: Options, mut ready: Option<File>, foreground: bool) -> ExitCode {
    let mut report = |line: String| {
        if let Some(mut f) = ready.take() {
            let _ = writeln!(f, "{line}");
        } else if foreground {
            eprintln!("{line}");
        }
    };
    let lock = match lock::acquire(&paths) {
        Ok(l) => l,
        Err(e) => {
            report(format!("error: {e}"));
            return ExitCode::from(super::EXIT_ERROR);
        }
    };
    let _guard = match logging::init(&paths, foreground) {
        Ok(g) => g,
        Err(e) => {
            report(format!(
                "error: cannot open the log in {}: {e}",
                paths.log_dir().display()
            ));
            return ExitCode::from(super::EXIT_ERROR);
        }
    };
    mcpd_daemon::memory::tune();
    let reaped = mcpd_daemon::child::orphans::reap(&paths.children_dir());
    if reaped > 0 {
        tracing::warn!(
            "ended {reaped} process group(s) left behind by a daemon that did not stop cleanly"
        );
    }
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            report(format!("error: cannot start the runtime: {e}"));
            return ExitCode::from(super::EXIT_ERROR);
        }
    };
    let code = rt.block_on(async {
        let listener = match socket::bind(&paths) {
            Ok(l) => l,
            Err(e) => {
                tracing::error!("cannot listen on {}: {e}", paths.socket().display());
                report(format!("error: cannot listen on {}: {e}", paths.socket().display()));
                return ExitCode::from(super::EXIT_ERROR);
            }
        };
        tracing::info!(pid = std::process::id(), version = mcpd_shim::VERSION, socket = %paths.socket().display(), "mcpd daemon ready");
        report(format!("ready {}", std::process::id()));
        let shutdown = CancellationToken::new();
        tokio::spawn(on_signals(shutdown.clone()));
        mcpd_daemon::run(listener, paths.clone(), options, shutdown).await;
        let _ = std::fs::remove_file(paths.socket());
        tracing::info!("mcpd daemon stopped");
        ExitCode::SUCCESS
    });
    drop(lock);
    code
}

/// SIGTERM and SIGINT start a clean shutdown.
async fn on_signals(shutdown: CancellationToken) {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut term), Ok(mut int)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) else {
        tracing::error!("cannot install signal handlers");
        return;
    };
    tokio::select! {
        _ = term.recv() => tracing::info!("SIGTERM received"),
        _ = int.recv() => tracing::info!("SIGINT received"),
    }
    shutdown.cancel();
}

/// The parent's side of --detach: prints what the child reported.
fn wait_ready(read_end: OwnedFd, paths: &Paths) -> ExitCode {
    let mut text = String::new();
    let _ = File::from(read_end).read_to_string(&mut text);
    let line = text.lines().next().unwrap_or("").trim();
    if let Some(pid) = line.strip_prefix("ready ") {
        println!(
            "mcpd daemon started (pid {pid}, socket {})",
            paths.socket().display()
        );
        return ExitCode::SUCCESS;
    }
    if let Some(why) = line.strip_prefix("error: ") {
        return super::fail(why);
    }
    super::fail(format!(
        "the daemon exited during start-up without saying why; see {}",
        paths.daemon_log().display()
    ))
}

/// A close-on-exec pipe, so children the daemon spawns never hold the ready pipe open.
fn ready_pipe() -> std::io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0; 2];
    // SAFETY: pipe writes two fds into the array; fcntl on fds we own.
    unsafe {
        if libc::pipe(fds.as_mut_ptr()) != 0 {
            return Err(std::io::Error::last_os_error());
        }
        for fd in fds {
            libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC);
        }
        Ok((OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])))
    }
}
