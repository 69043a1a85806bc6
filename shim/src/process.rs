//! Whether a process is running: it exists and is not a zombie (a dead child its parent has not
//! reaped yet, or a killed daemon whose last threads are still exiting).

/// True while `pid` exists and is not a zombie.
pub fn running(pid: u32) -> bool {
    // SAFETY: signal 0 only checks that the process exists.
    let exists = unsafe { libc::kill(pid as libc::pid_t, 0) == 0 };
    exists && !zombie(pid)
}

fn zombie(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            s.rsplit_once(')')
                .map(|(_, rest)| rest.trim_start().starts_with('Z'))
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    #[test]
    fn this_process_runs_and_a_reaped_one_does_not() {
        assert!(super::running(std::process::id()));
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        assert!(!super::running(pid));
    }
}
