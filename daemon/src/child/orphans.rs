//! A ledger of live children's process groups (`run/children/PGID`, holding the leader's start
//! time), so a daemon starting after a crash can end the groups the crashed one left behind.

use super::process_group::{SIGKILL, SIGTERM, group_alive, signal_group};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Records that group `pgid` is ours. Returns the record's path, to remove once the group is gone.
pub fn record(dir: &Path, pgid: u32) -> Option<PathBuf> {
    let path = dir.join(pgid.to_string());
    let started = start_time(pgid).map(|t| t.to_string()).unwrap_or_default();
    std::fs::write(&path, started).ok()?;
    Some(path)
}

/// Ends every recorded group that is still ours and clears the ledger. Returns how many were ended.
pub fn reap(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut ended = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let pgid = entry.file_name().to_string_lossy().parse::<u32>().ok();
        let recorded = std::fs::read_to_string(&path)
            .ok()
            .and_then(|s| s.trim().parse::<u64>().ok());
        let _ = std::fs::remove_file(&path);
        let Some(pgid) = pgid.filter(|p| *p > 1) else {
            continue;
        };
        let ours = match (start_time(pgid), recorded) {
            // The leader still runs and is the very process we started.
            (Some(now), Some(then)) => now == then,
            // The leader is gone but its group lives on (grandchildren of a wrapper).
            (None, _) => group_alive(pgid),
            // The pid was reused by a process we cannot tell apart: leave it alone.
            (Some(_), None) => false,
        };
        if ours && signal_group(pgid, SIGTERM) {
            ended.push(pgid);
        }
    }
    let deadline = Instant::now() + Duration::from_secs(2);
    while ended.iter().any(|g| group_alive(*g)) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    for g in &ended {
        signal_group(*g, SIGKILL);
    }
    ended.len()
}

/// The process's start time in clock ticks since boot (Linux); None when it does not exist.
#[cfg(target_os = "linux")]
fn start_time(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (_, rest) = stat.rsplit_once(')')?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    if fields.first() == Some(&"Z") {
        return None;
    }
    fields.get(19)?.parse().ok()
}

/// Without /proc, a pid that exists is assumed to be the one recorded.
#[cfg(not(target_os = "linux"))]
fn start_time(pid: u32) -> Option<u64> {
    // SAFETY: signal 0 only checks existence.
    (unsafe { libc::kill(pid as libc::pid_t, 0) } == 0).then_some(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::process::CommandExt;

    #[test]
    fn reaps_a_recorded_group_and_leaves_unknown_pids() {
        let dir = tempfile::tempdir().unwrap();
        let mut child = std::process::Command::new("sleep")
            .arg("30")
            .process_group(0)
            .spawn()
            .unwrap();
        let pid = child.id();
        record(dir.path(), pid).unwrap();
        // A record whose pid now belongs to another process (start time differs): left alone.
        std::fs::write(dir.path().join(std::process::id().to_string()), "1").unwrap();
        assert_eq!(reap(dir.path()), 1);
        let status = child.wait().unwrap();
        assert!(!status.success());
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "ledger cleared"
        );
    }
}
