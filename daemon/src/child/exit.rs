//! How a child ended, described for people: exit status or signal, plus its last stderr lines.

use std::process::ExitStatus;

#[derive(Debug, Clone)]
pub struct ExitInfo {
    pub status: String,
    pub stderr_tail: Vec<String>,
}

/// "exited with status 3" / "killed by signal 9 (SIGKILL)".
pub fn describe(status: &ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    if let Some(code) = status.code() {
        return format!("exited with status {code}");
    }
    match status.signal() {
        Some(sig) => format!("killed by signal {sig}{}", signal_name(sig)),
        None => format!("ended ({status})"),
    }
}

fn signal_name(sig: i32) -> &'static str {
    match sig {
        libc::SIGKILL => " (SIGKILL)",
        libc::SIGTERM => " (SIGTERM)",
        libc::SIGSEGV => " (SIGSEGV)",
        libc::SIGABRT => " (SIGABRT)",
        libc::SIGINT => " (SIGINT)",
        libc::SIGPIPE => " (SIGPIPE)",
        _ => "",
    }
}

impl ExitInfo {
    /// One message: what happened and the child's last stderr lines.
    pub fn message(&self, server: &str) -> String {
        let mut m = format!("server '{server}' {}", self.status);
        if self.stderr_tail.is_empty() {
            m.push_str(" (it wrote nothing to stderr)");
        } else {
            m.push_str("; its last stderr lines:");
            for l in &self.stderr_tail {
                m.push_str("\n  ");
                m.push_str(l);
            }
        }
        m
    }
}
