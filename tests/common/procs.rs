//! Process checks for tests: is a pid or a process group alive, and kill by pid.

/// True while `pid` exists and is not a zombie.
pub fn alive(pid: u32) -> bool {
    mcpd_shim::process::running(pid)
}

/// True while any process of group `pgid` exists (zombies excluded).
pub fn group_alive(pgid: u32) -> bool {
    members(pgid).into_iter().any(alive)
}

/// Pids in process group `pgid`, from /proc.
pub fn members(pgid: u32) -> Vec<u32> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        if let Some(stat) = stat_fields(pid)
            && stat.get(2).and_then(|g| g.parse::<u32>().ok()) == Some(pgid)
        {
            out.push(pid);
        }
    }
    out
}

/// Fields after the command name in /proc/PID/stat (state is [0], ppid [1], pgrp [2]).
fn stat_fields(pid: u32) -> Option<Vec<String>> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (_, rest) = s.rsplit_once(')')?;
    Some(rest.split_whitespace().map(String::from).collect())
}

/// SIGKILL to one pid (never by name).
pub fn kill_hard(pid: u32) {
    unsafe {
        libc::kill(pid as libc::pid_t, libc::SIGKILL);
    }
}

/// SIGKILL to a whole process group.
pub fn kill_group(pgid: u32) {
    unsafe {
        libc::killpg(pgid as libc::pid_t, libc::SIGKILL);
    }
}

/// Threads of `pid` named like the example server's tool-call threads (one per call in flight).
pub fn tool_call_threads(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/task"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|t| {
            std::fs::read_to_string(t.path().join("comm")).is_ok_and(|c| c.trim() == "tool call")
        })
        .count()
}

/// Live processes whose environment holds `key=value` (read from /proc; no names involved).
pub fn with_env(key: &str, value: &str) -> Vec<u32> {
    let want = format!("{key}={value}");
    let mut out = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(environ) = std::fs::read(entry.path().join("environ")) else {
            continue;
        };
        if environ.split(|b| *b == 0).any(|kv| kv == want.as_bytes()) && alive(pid) {
            out.push(pid);
        }
    }
    out
}
