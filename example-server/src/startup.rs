//! Start-up behaviours chosen by flags: stderr line, crash, SIGTERM, grandchild, garbage, delay.

use std::process::{Command, Stdio};
use std::time::Duration;

use crate::flags::Flags;
use crate::output::Output;

/// Performs the start-up side effects; `Err(code)` means exit with `code` right away.
/// On success returns the pid of the grandchild, if one was spawned.
pub fn start(flags: &Flags, output: &Output) -> Result<Option<u32>, i32> {
    if let Some(text) = &flags.stderr_on_start {
        eprintln!("{text}");
    }
    if flags.crash_on_start {
        eprintln!("fatal: crash on start requested");
        return Err(1);
    }
    if flags.ignore_sigterm {
        ignore_sigterm();
    }
    let grandchild_pid = if flags.spawn_grandchild {
        spawn_grandchild()
    } else {
        None
    };
    if flags.garbage_on_start > 0 {
        output.send_raw_lines(
            (1..=flags.garbage_on_start).map(|i| format!("garbage on start, not json {i}")),
        );
    }
    if flags.startup_delay_ms > 0 {
        std::thread::sleep(Duration::from_millis(flags.startup_delay_ms));
    }
    Ok(grandchild_pid)
}

#[cfg(unix)]
fn ignore_sigterm() {
    // SAFETY: installing SIG_IGN for SIGTERM touches no Rust state and is async-signal-safe.
    let previous = unsafe { libc::signal(libc::SIGTERM, libc::SIG_IGN) };
    if previous == libc::SIG_ERR {
        eprintln!("example server: could not ignore SIGTERM");
    }
}

#[cfg(not(unix))]
fn ignore_sigterm() {
    eprintln!("example server: --ignore-sigterm only works on Unix");
}

/// Starts `sleep 3600` in our process group, detached from our stdio so it holds no pipe.
/// The child is deliberately never waited for: it must outlive us unless our group is killed.
fn spawn_grandchild() -> Option<u32> {
    match Command::new("sleep")
        .arg("3600")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    {
        Ok(child) => Some(child.id()),
        Err(err) => {
            eprintln!("example server: cannot spawn the grandchild: {err}");
            None
        }
    }
}
