//! CPU time of one process: utime + stime from `/proc/PID/stat` (every thread, live or exited,
//! in clock ticks), and the run time of each live thread from `/proc/PID/task/*/schedstat`
//! (nanoseconds), for a figure finer than a tick. Also the CLOCK_MONOTONIC reading that Python's
//! `time.monotonic()` shares, to place a child's own timestamps on the bench's time line.

use anyhow::{Context, Result, anyhow};
use std::collections::HashMap;

/// Clock ticks per second (`USER_HZ`), the unit of `/proc/PID/stat`'s utime and stime.
pub fn ticks_per_sec() -> u64 {
    // SAFETY: sysconf has no preconditions.
    let n = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if n > 0 { n as u64 } else { 100 }
}

/// utime + stime of `pid` in clock ticks.
pub fn ticks(pid: u32) -> Result<u64> {
    let fields = stat_fields(pid)?;
    // utime (field 14) and stime (15).
    let field = |i: usize| -> Result<u64> {
        fields
            .get(i)
            .and_then(|f| f.parse().ok())
            .ok_or_else(|| anyhow!("/proc/{pid}/stat: no field {}", i + 3))
    };
    Ok(field(11)? + field(12)?)
}

/// The fields of `/proc/PID/stat` from field 3 (state) on: the command name (field 2) may hold
/// spaces, so they are counted from its closing parenthesis.
fn stat_fields(pid: u32) -> Result<Vec<String>> {
    let path = format!("/proc/{pid}/stat");
    let stat = std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
    let rest = &stat[stat.rfind(')').ok_or_else(|| anyhow!("{path}: no `)`"))? + 1..];
    Ok(rest.split_whitespace().map(String::from).collect())
}

/// Run time in ns of each live thread of `pid`; empty when schedstat is not available.
pub fn thread_ns(pid: u32) -> HashMap<u32, u64> {
    let mut out = HashMap::new();
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return out;
    };
    for task in tasks.flatten() {
        let Some(tid) = task.file_name().to_str().and_then(|t| t.parse().ok()) else {
            continue;
        };
        let ns = std::fs::read_to_string(task.path().join("schedstat"))
            .ok()
            .and_then(|s| s.split_whitespace().next()?.parse().ok());
        if let Some(ns) = ns {
            out.insert(tid, ns);
        }
    }
    out
}

/// Run time between two [`thread_ns`] readings, of the threads alive at the second one.
pub fn thread_ns_between(before: &HashMap<u32, u64>, after: &HashMap<u32, u64>) -> u64 {
    after
        .iter()
        .map(|(tid, ns)| ns.saturating_sub(before.get(tid).copied().unwrap_or(0)))
        .sum()
}

/// CLOCK_MONOTONIC in seconds: the clock of Python's `time.monotonic()` on Linux.
pub fn monotonic_secs() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec we own.
    unsafe {
        libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts);
    }
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

/// CLOCK_BOOTTIME in seconds: the clock of a process's start time in `/proc/PID/stat`.
pub fn boottime_secs() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec we own.
    unsafe {
        libc::clock_gettime(libc::CLOCK_BOOTTIME, &mut ts);
    }
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

/// When `pid` was forked, on CLOCK_BOOTTIME, to a clock tick (field 22 of `/proc/PID/stat`).
pub fn started_secs(pid: u32) -> Result<f64> {
    let fields = stat_fields(pid)?;
    let ticks: u64 = fields
        .get(19)
        .and_then(|f| f.parse().ok())
        .ok_or_else(|| anyhow!("/proc/{pid}/stat: no start time"))?;
    Ok(ticks as f64 / ticks_per_sec() as f64)
}
