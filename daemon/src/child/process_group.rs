//! Signals to a child's whole process group (the child is its group's leader).

/// Sends `signal` to every process in group `pgid`. Returns false when no process is left in it.
pub fn signal_group(pgid: u32, signal: i32) -> bool {
    if pgid == 0 {
        return false;
    }
    // SAFETY: killpg takes plain integers; a negative result only reports an error.
    unsafe { libc::killpg(pgid as libc::pid_t, signal) == 0 }
}

/// True while any process of the group is alive (zombies included until reaped).
pub fn group_alive(pgid: u32) -> bool {
    signal_group(pgid, 0)
}

pub const SIGTERM: i32 = libc::SIGTERM;
pub const SIGKILL: i32 = libc::SIGKILL;
