//! Daemon lifecycle with the real binary: detach and ready, single instance, 0700 socket dir,
//! stop/SIGTERM/SIGINT end every child's process group, stale socket reclaimed, status when down.

mod common;

use common::{Env, example, procs, text, wait_until};
use serde_json::json;
use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

#[test]
fn detach_returns_when_ready_and_a_second_daemon_is_refused() {
    let env = Env::new();
    let out = env.ok(&["daemon", "--detach"]);
    assert!(out.contains("started (pid"), "{out}");
    let pid = env.daemon_pid().unwrap();
    assert!(
        env.socket().exists(),
        "the socket exists as soon as --detach returns"
    );
    let mode = std::fs::metadata(env.home.join("run"))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o700, "the socket directory is private");

    let second = env.run(&["daemon", "--detach"]);
    assert!(!second.status.success());
    let err = text(&second.stderr);
    assert!(
        err.contains(&format!("already running (pid {pid})")),
        "{err}"
    );
    let fg = env.run(&["daemon"]);
    assert!(!fg.status.success());
    assert!(
        text(&fg.stderr).contains("already running"),
        "{}",
        text(&fg.stderr)
    );

    let s = env.status();
    assert_eq!(s["daemon"]["pid"], pid);
    assert!(s["daemon"]["log"].as_str().unwrap().contains("mcpd.log"));
}

#[test]
fn status_says_not_running_without_starting_a_daemon() {
    let env = Env::new();
    let out = env.run(&["status"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(text(&out.stdout).contains("not running"));
    assert!(env.daemon_pid().is_none(), "status must not start a daemon");
}

#[test]
fn commands_autostart_the_daemon() {
    let env = Env::new();
    env.servers(json!({ "ex": example(&[]) }));
    assert_eq!(env.call_text("ex", "echo", json!({"text": "hi"})), "hi");
    assert!(env.daemon_pid().is_some());
}

fn stop_ends_all_process_groups(stop: impl FnOnce(&Env, u32)) {
    let env = Env::new();
    env.servers(json!({
        "a": example(&["--spawn-grandchild"]),
        "b": example(&["--ignore-sigterm", "--ignore-stdin-eof"]),
    }));
    let pid = env.start_daemon();
    let a: u32 = env.call_text("a", "pid", json!({})).parse().unwrap();
    let grandchild: u32 = env
        .call_text("a", "grandchild_pid", json!({}))
        .parse()
        .unwrap();
    let b: u32 = env.call_text("b", "pid", json!({})).parse().unwrap();
    assert!(procs::alive(grandchild));
    stop(&env, pid);
    assert!(
        wait_until(Duration::from_secs(20), || !procs::alive(pid)),
        "daemon exits"
    );
    for (what, p) in [
        ("child a", a),
        ("grandchild of a", grandchild),
        ("child b (ignores SIGTERM)", b),
    ] {
        assert!(
            wait_until(Duration::from_secs(5), || !procs::alive(p)),
            "{what} (pid {p}) survived"
        );
    }
    assert!(!procs::group_alive(a) && !procs::group_alive(b));
    assert!(!env.socket().exists(), "socket removed on shutdown");
}

#[test]
fn mcpd_stop_ends_every_process_group() {
    stop_ends_all_process_groups(|env, _| {
        let out = env.ok(&["stop"]);
        assert!(out.contains("stopped"), "{out}");
    });
}

#[test]
fn sigterm_ends_every_process_group() {
    stop_ends_all_process_groups(|_, pid| unsafe {
        libc::kill(pid as i32, libc::SIGTERM);
    });
}

#[test]
fn sigint_ends_every_process_group() {
    stop_ends_all_process_groups(|_, pid| unsafe {
        libc::kill(pid as i32, libc::SIGINT);
    });
}

#[test]
fn stale_socket_of_a_killed_daemon_is_reclaimed() {
    let env = Env::new();
    env.servers(json!({ "ex": example(&[]) }));
    let pid = env.start_daemon();
    let child: u32 = env.call_text("ex", "pid", json!({})).parse().unwrap();
    procs::kill_hard(pid);
    assert!(wait_until(Duration::from_secs(5), || !procs::alive(pid)));
    assert!(env.socket().exists(), "kill -9 leaves the socket behind");
    // The child sees its stdin close and exits by itself.
    assert!(
        wait_until(Duration::from_secs(5), || !procs::alive(child)),
        "child of a killed daemon exits"
    );
    let new_pid = env.start_daemon();
    assert_ne!(pid, new_pid);
    assert_eq!(env.call_text("ex", "echo", json!({"text": "back"})), "back");
}

#[test]
fn foreground_daemon_logs_to_stderr_and_file_and_stops_on_sigterm() {
    let env = Env::new();
    let child = env
        .cmd(&["daemon"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    assert!(
        wait_until(Duration::from_secs(10), || env.socket().exists()),
        "foreground daemon binds its socket"
    );
    env.ok(&["status"]);
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{:?}", out.status);
    let err = text(&out.stderr);
    assert!(
        err.contains("mcpd daemon ready") && err.contains("SIGTERM"),
        "{err}"
    );
    let log_dir = env.home.join("logs");
    let logged: String = std::fs::read_dir(&log_dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("mcpd.log"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    assert!(
        logged.contains("mcpd daemon ready"),
        "log file has the start: {logged}"
    );
}

#[test]
fn a_restarted_daemon_ends_groups_left_by_a_crashed_one() {
    let env = Env::new();
    env.servers(json!({ "stubborn": example(&["--ignore-stdin-eof", "--spawn-grandchild"]) }));
    let pid = env.start_daemon();
    let child: u32 = env.call_text("stubborn", "pid", json!({})).parse().unwrap();
    let grandchild: u32 = env
        .call_text("stubborn", "grandchild_pid", json!({}))
        .parse()
        .unwrap();
    procs::kill_hard(pid);
    assert!(wait_until(Duration::from_secs(5), || !procs::alive(pid)));
    assert!(
        procs::alive(child) && procs::alive(grandchild),
        "this child ignores stdin EOF, so it outlives the crash"
    );
    env.start_daemon();
    assert!(
        wait_until(Duration::from_secs(5), || !procs::alive(child)
            && !procs::alive(grandchild)),
        "the new daemon ended the orphaned group"
    );
}
