//! Resident memory of one process (its own pages only, never its children's), from
//! `/proc/PID/status`.

use anyhow::{Context, Result, anyhow};

/// A `Vm*` field of `/proc/PID/status` in KiB, e.g. `VmRSS` (now) or `VmHWM` (peak).
pub fn kib(pid: u32, field: &str) -> Result<u64> {
    let path = format!("/proc/{pid}/status");
    let status = std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().strip_suffix("kB")?.trim().parse().ok())
        .ok_or_else(|| anyhow!("no {field} in {path}"))
}
