//! Blue/green reloads, failed reloads that keep the old version serving, telling the agent what
//! changed, and crash recovery with back-off — with the real binary.

mod common;

use common::conn::Conn;
use common::{Env, exe, procs, text, wait_until};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// A server run through `sh`, so a test can make its next start fail (file `broken` in the
/// project) or change its tools (file `ntools`), as an edit of a server's code would.
fn scripted() -> Value {
    let script = format!(
        "if [ -f broken ]; then echo 'SyntaxError: invalid syntax (server.py, line 3)' >&2; exit 1; fi; exec '{}' example-server --tools \"$(cat ntools 2>/dev/null || echo 1)\"",
        exe().display()
    );
    json!({ "command": "sh", "args": ["-c", script] })
}

fn pid_of(env: &Env, server: &str) -> u32 {
    env.call_text(server, "pid", json!({})).parse().unwrap()
}

#[test]
fn calls_keep_flowing_from_several_sessions_through_twenty_reloads() {
    let env = Env::new();
    env.servers(json!({ "ex": common::example(&[]) }));
    env.start_daemon();
    let first = pid_of(&env, "ex");
    let stop = Arc::new(AtomicBool::new(false));
    let ok = Arc::new(AtomicUsize::new(0));
    let mut sessions = Vec::new();
    for s in 0..3 {
        let (stop, ok, socket, project) =
            (stop.clone(), ok.clone(), env.socket(), env.project.clone());
        sessions.push(std::thread::spawn(move || {
            let mut c = Conn::open(&socket, &project);
            let mut failures = Vec::new();
            let mut i = 0u64;
            while !stop.load(Ordering::Relaxed) {
                i += 1;
                let want = format!("s{s}-{i}");
                let r = c.request(
                    i,
                    "mcpd/call",
                    json!({"server": "ex", "tool": "echo", "arguments": {"text": want}}),
                );
                match r["result"]["content"][0]["text"].as_str() {
                    Some(t) if t == want => {
                        ok.fetch_add(1, Ordering::Relaxed);
                    }
                    _ => failures.push(r),
                }
            }
            failures
        }));
    }
    let mut pids = vec![first];
    for _ in 0..20 {
        let out = env.ok(&["reload", "ex"]);
        assert!(out.contains("reloaded ex"), "{out}");
        pids.push(env.server_status("ex")["pid"].as_u64().unwrap() as u32);
        std::thread::sleep(Duration::from_millis(30));
    }
    stop.store(true, Ordering::Relaxed);
    let failures: Vec<Value> = sessions
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    assert!(
        failures.is_empty(),
        "{} calls failed or crossed, e.g. {}",
        failures.len(),
        failures[0]
    );
    assert!(
        ok.load(Ordering::Relaxed) > 100,
        "calls kept flowing ({})",
        ok.load(Ordering::Relaxed)
    );
    pids.dedup();
    assert_eq!(
        pids.len(),
        21,
        "every reload started a new process: {pids:?}"
    );
    let last = *pids.last().unwrap();
    for old in &pids[..20] {
        assert!(
            wait_until(Duration::from_secs(10), || !procs::group_alive(*old)),
            "replaced instance {old} was stopped"
        );
    }
    assert!(procs::alive(last));
    assert_eq!(env.server_status("ex")["restarts"], 20);
}

#[test]
fn a_failed_reload_keeps_the_old_version_serving_and_says_why() {
    let env = Env::new();
    env.servers(json!({ "ex": scripted() }));
    let before = pid_of(&env, "ex");
    std::fs::write(env.project.join("broken"), "").unwrap();
    let out = env.run(&["reload", "ex"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("previous version keeps serving") && err.contains("SyntaxError"),
        "{err}"
    );
    assert_eq!(pid_of(&env, "ex"), before, "the old instance still serves");
    let status = env.server_status("ex");
    assert_eq!(status["state"], "ready");
    assert!(
        status["lastReload"]
            .as_str()
            .unwrap()
            .contains("SyntaxError"),
        "{status}"
    );

    // A session that did not ask for the reload hears of the failure once, with its next call.
    let mut c = env.connect();
    let first = c.request(
        1,
        "mcpd/call",
        json!({"server": "ex", "tool": "echo", "arguments": {"text": "a"}}),
    );
    assert_eq!(
        first["result"]["content"].as_array().unwrap().len(),
        1,
        "no news before any reload this session saw: {first}"
    );
    env.run(&["reload", "ex"]);
    let second = c.request(
        2,
        "mcpd/call",
        json!({"server": "ex", "tool": "echo", "arguments": {"text": "b"}}),
    );
    let blocks = second["result"]["content"].as_array().unwrap();
    assert_eq!(blocks[0]["text"], "b");
    assert!(
        blocks[1]["text"]
            .as_str()
            .unwrap()
            .starts_with("[mcpd] server 'ex' reload failed"),
        "{second}"
    );
    let third = c.request(
        3,
        "mcpd/call",
        json!({"server": "ex", "tool": "echo", "arguments": {"text": "c"}}),
    );
    assert_eq!(
        third["result"]["content"].as_array().unwrap().len(),
        1,
        "told once: {third}"
    );

    std::fs::remove_file(env.project.join("broken")).unwrap();
    env.ok(&["reload", "ex"]);
    assert_ne!(pid_of(&env, "ex"), before, "the next reload works");
}

#[test]
fn the_next_call_tells_which_tools_a_reload_changed() {
    let env = Env::new();
    env.servers(json!({ "ex": scripted() }));
    env.start_daemon();
    let mut c = env.connect();
    c.request(1, "mcpd/load", json!({"server": "ex"}));
    std::fs::write(env.project.join("ntools"), "2").unwrap();
    env.ok(&["reload", "ex"]);
    let r = c.request(
        2,
        "mcpd/call",
        json!({"server": "ex", "tool": "synthetic_0002", "arguments": {}}),
    );
    let note = r["result"]["content"].as_array().unwrap().last().unwrap()["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        note.contains("reloaded") && note.contains("tools added: synthetic_0002"),
        "{note}"
    );
    let again = c.request(
        3,
        "mcpd/call",
        json!({"server": "ex", "tool": "echo", "arguments": {"text": "x"}}),
    );
    assert_eq!(
        again["result"]["content"].as_array().unwrap().len(),
        1,
        "{again}"
    );
}

#[test]
fn a_crashed_server_is_restarted_with_growing_back_off_and_calls_wait_for_it() {
    let env = Env::new();
    env.servers(json!({ "ex": common::example(&[]) }));
    let mut pid = pid_of(&env, "ex");
    let mut delays = Vec::new();
    for _ in 0..3 {
        let _ = env.run(&["call", "ex", "crash"]);
        // A call made while it restarts waits for the new instance instead of failing.
        let started = Instant::now();
        let new: u32 = env.call_text("ex", "pid", json!({})).parse().unwrap();
        assert_ne!(new, pid);
        assert!(started.elapsed() < Duration::from_secs(10));
        pid = new;
        // The crash stays the last error, with the back-off that was applied.
        let err = env.server_status("ex")["lastError"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(err.contains("exited with status 3"), "{err}");
        let ms: u64 = err
            .rsplit("restarts it in ")
            .next()
            .unwrap()
            .trim_end_matches(" ms)")
            .parse()
            .unwrap_or(0);
        delays.push(ms);
    }
    assert_eq!(delays, vec![250, 500, 1000], "back-off doubles");
    assert_eq!(env.server_status("ex")["restarts"], 3);
}

#[test]
fn a_server_restarts_by_itself_after_a_crash() {
    let env = Env::new();
    env.servers(json!({ "ex": common::example(&[]) }));
    let pid = pid_of(&env, "ex");
    let _ = env.run(&["call", "ex", "crash"]);
    assert!(
        wait_until(Duration::from_secs(5), || {
            let s = env.server_status("ex");
            s["state"] == "ready" && s["pid"].as_u64().is_some_and(|p| p as u32 != pid)
        }),
        "restarted without any call"
    );
}

#[test]
fn a_server_that_fails_at_every_start_does_not_spin() {
    let env = Env::new();
    env.servers(
        json!({ "bad": { "command": "sh", "args": ["-c", "echo 'boom at start' >&2; exit 1"] } }),
    );
    let out = env.run(&["load", "bad"]);
    assert!(
        text(&out.stderr).contains("boom at start"),
        "{}",
        text(&out.stderr)
    );
    std::thread::sleep(Duration::from_millis(1500));
    let s = env.server_status("bad");
    assert_eq!(s["state"], "failed");
    assert_eq!(
        s["restarts"], 0,
        "a failed start is not retried in a loop: {s}"
    );
}
