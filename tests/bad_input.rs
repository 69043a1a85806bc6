//! Bad input with the real binary: malformed or oversized messages, unknown methods, a request
//! before hello, a client that leaves mid-call, a peer of another uid, children that hang, crash,
//! flood stdout or cannot start, unknown names. Each case checks that the peer gets a clear error
//! and that the daemon (same pid) and other clients carry on.

mod common;

use common::conn::Conn;
use common::procs::tool_call_threads;
use common::{Env, example, procs, run_bounded, text, wait_until};
use serde_json::{Value, json};
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

/// The frame limit the oversized-message test runs its daemon with.
const LIMIT: usize = 65536;

/// The hello params a client working in `cwd` sends.
fn hello_params(cwd: &Path) -> Value {
    let env: serde_json::Map<String, Value> = std::env::vars()
        .map(|(k, v)| (k, Value::String(v)))
        .collect();
    json!({"protocol": 1, "version": "test", "kind": "cli", "pid": std::process::id(), "cwd": cwd, "env": env})
}

/// The example server with a per-call `timeout` (ms).
fn example_with_timeout(flags: &[&str], timeout_ms: u64) -> Value {
    let mut s = example(flags);
    s["timeout"] = json!(timeout_ms);
    s
}

/// Runs `mcpd ARGS` with a tight deadline (the run fails the test if it takes longer).
fn run_within(env: &Env, args: &[&str], limit: Duration) -> Output {
    run_bounded(env.cmd(args), limit)
}

/// Runs `mcpd ARGS`, expects the "daemon or server reported an error" exit code 2, returns stderr.
fn fails(env: &Env, args: &[&str], limit: Duration) -> String {
    let out = run_within(env, args, limit);
    assert_eq!(
        out.status.code(),
        Some(2),
        "mcpd {args:?} should fail with exit code 2\nstdout: {}\nstderr: {}",
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stderr)
}

/// The error object of a response, asserting that it is one.
fn error_of(m: &Value) -> &Value {
    m.get("error")
        .unwrap_or_else(|| panic!("expected an error response, got {m}"))
}

/// The daemon is the same process and still serves: status answers with `pid`, and a call on the
/// healthy server `ok` (configured in every test) works from a fresh connection.
fn daemon_carries_on(env: &Env, pid: u32) {
    assert!(procs::alive(pid), "daemon (pid {pid}) died");
    assert_eq!(env.daemon_pid(), Some(pid), "the daemon was replaced");
    assert_eq!(env.status()["daemon"]["pid"], pid);
    assert_eq!(
        env.call_text("ok", "echo", json!({"text": "still here"})),
        "still here"
    );
}

#[test]
fn malformed_json_gets_a_parse_error_and_the_connection_stays_usable() {
    let env = Env::new();
    env.servers(json!({ "ok": example(&[]) }));
    let pid = env.start_daemon();
    let mut other = env.connect();

    let mut c = Conn::raw(&env.socket());
    // Before hello.
    c.send_line("this is not json");
    let m = c.recv();
    assert_eq!(error_of(&m)["code"], -32700, "{m}");
    assert_eq!(m["id"], Value::Null, "{m}");
    assert!(
        error_of(&m)["message"]
            .as_str()
            .unwrap()
            .contains("parse error"),
        "{m}"
    );
    c.send_line(r#"{"jsonrpc":"2.0","id":1,"method":"#);
    assert_eq!(error_of(&c.recv())["code"], -32700);
    let r = c.request(1, "mcpd/hello", hello_params(&env.project));
    assert_eq!(r["result"]["pid"], pid, "hello works after bad input: {r}");

    // After hello: broken JSON, and bytes that are not UTF-8.
    c.send_line(r#"{"jsonrpc":"2.0","id":2,"method":"mcpd/status",}"#);
    assert_eq!(error_of(&c.recv())["code"], -32700);
    c.stream.write_all(b"\xff\xfe{\x00\n").unwrap();
    assert_eq!(error_of(&c.recv())["code"], -32700);
    // Valid JSON that is not one object: an array is not read positionally as a request, and a
    // batch is refused as a whole (its id is not the object it contains).
    for line in [
        r#"[9,"mcpd/status"]"#,
        r#"[{"jsonrpc":"2.0","id":9,"method":"mcpd/status"}]"#,
    ] {
        c.send_line(line);
        let m = c.recv();
        assert_eq!(m["id"], Value::Null, "{m}");
        assert!(
            error_of(&m)["message"]
                .as_str()
                .unwrap()
                .contains("batches are not supported"),
            "{m}"
        );
    }
    let r = c.request(
        3,
        "mcpd/call",
        json!({"server": "ok", "tool": "echo", "arguments": {"text": "usable"}}),
    );
    assert_eq!(r["result"]["content"][0]["text"], "usable", "{r}");

    let r = other.request(
        7,
        "mcpd/call",
        json!({"server": "ok", "tool": "add", "arguments": {"a": 2, "b": 3}}),
    );
    assert_eq!(r["result"]["structuredContent"]["sum"], 5, "{r}");
    daemon_carries_on(&env, pid);
}

#[test]
fn unknown_method_lists_the_methods_and_a_request_before_hello_is_refused() {
    let env = Env::new();
    env.servers(json!({ "ok": example(&[]) }));
    let pid = env.start_daemon();

    let mut c = Conn::raw(&env.socket());
    let r = c.request(1, "mcpd/status", json!({}));
    let e = error_of(&r);
    assert_eq!(e["code"], -32002, "{r}");
    let msg = e["message"].as_str().unwrap();
    assert!(
        msg.contains("mcpd/hello") && msg.contains("mcpd/status"),
        "the handshake error says what to send first: {msg}"
    );
    let r = c.request(2, "mcpd/hello", hello_params(&env.project));
    assert_eq!(
        r["result"]["pid"], pid,
        "hello works after the refusal: {r}"
    );

    let r = c.request(3, "tools/list", json!({}));
    let e = error_of(&r);
    assert_eq!(e["code"], -32601, "{r}");
    let msg = e["message"].as_str().unwrap();
    assert!(msg.contains("tools/list"), "names the method: {msg}");
    for m in [
        "mcpd/status",
        "mcpd/load",
        "mcpd/unload",
        "mcpd/reload",
        "mcpd/tools",
        "mcpd/call",
        "mcpd/logs",
        "mcpd/stop",
    ] {
        assert!(msg.contains(m), "lists {m}: {msg}");
    }
    let r = c.request(4, "mcpd/status", json!({}));
    assert_eq!(r["result"]["daemon"]["pid"], pid, "{r}");
    daemon_carries_on(&env, pid);
}

#[test]
fn oversized_messages_fail_clearly_in_both_directions() {
    let env = Env::new();
    env.servers(json!({ "ok": example(&[]) }));
    let out = run_bounded(
        {
            let mut c = env.cmd(&["daemon", "--detach"]);
            c.env("MCPD_MAX_MESSAGE_BYTES", LIMIT.to_string());
            c
        },
        Duration::from_secs(20),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let pid = env.daemon_pid().unwrap();

    // Client → daemon: a 200 KB request.
    let mut c = env.connect();
    let big = "x".repeat(200 * 1024);
    let started = Instant::now();
    let r = c.request(
        5,
        "mcpd/call",
        json!({"server": "ok", "tool": "echo", "arguments": {"text": big}}),
    );
    let e = error_of(&r);
    assert_eq!(e["code"], -32001, "{r}");
    let msg = e["message"].as_str().unwrap();
    assert!(
        msg.contains(&LIMIT.to_string()) && msg.contains("MCPD_MAX_MESSAGE_BYTES"),
        "names the limit: {msg}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    let r = c.request(
        6,
        "mcpd/call",
        json!({"server": "ok", "tool": "echo", "arguments": {"text": "small"}}),
    );
    assert_eq!(
        r["result"]["content"][0]["text"], "small",
        "the connection continues: {r}"
    );

    // Child → daemon: a result over the limit fails that call, at once.
    let child: u32 = env.call_text("ok", "pid", json!({})).parse().unwrap();
    let started = Instant::now();
    let err = fails(
        &env,
        &[
            "call",
            "ok",
            "blob",
            &json!({"bytes": 3 * LIMIT}).to_string(),
        ],
        Duration::from_secs(10),
    );
    assert!(started.elapsed() < Duration::from_secs(5), "no hang");
    assert!(
        err.contains(&format!("limit of {LIMIT} bytes")) && err.contains("MCPD_MAX_MESSAGE_BYTES"),
        "{err}"
    );
    // A result under the limit still passes, from the same child.
    let small = env.call_text("ok", "blob", json!({"bytes": 1000}));
    assert_eq!(small.len(), 1000);
    assert_eq!(
        env.call_text("ok", "pid", json!({})),
        child.to_string(),
        "the child keeps serving"
    );
    daemon_carries_on(&env, pid);
}

#[test]
fn a_client_that_leaves_mid_call_has_its_request_cancelled() {
    let env = Env::new();
    env.servers(json!({ "ok": example(&[]) }));
    let pid = env.start_daemon();
    let child: u32 = env.call_text("ok", "pid", json!({})).parse().unwrap();
    assert!(wait_until(Duration::from_secs(2), || tool_call_threads(
        child
    ) == 0));

    let mut c = env.connect();
    c.send(&json!({"jsonrpc": "2.0", "id": 1, "method": "mcpd/call",
        "params": {"server": "ok", "tool": "sleep", "arguments": {"ms": 3000}}}));
    assert!(
        wait_until(Duration::from_secs(5), || tool_call_threads(child) == 1),
        "the sleep runs in the child"
    );
    let left = Instant::now();
    drop(c);
    // The example server ends a cancelled sleep within milliseconds; without the cancel it would
    // run for 3 s.
    assert!(
        wait_until(Duration::from_secs(2), || tool_call_threads(child) == 0),
        "the child's in-flight sleep was not cancelled"
    );
    assert!(left.elapsed() < Duration::from_secs(2));

    let started = Instant::now();
    assert_eq!(
        env.call_text("ok", "pid", json!({})),
        child.to_string(),
        "same child"
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "the next call is served promptly"
    );
    daemon_carries_on(&env, pid);
}

/// Restores a path's mode when dropped (also when the test fails).
struct ModeGuard(Vec<(PathBuf, u32)>);

impl ModeGuard {
    fn set(&mut self, path: &Path, mode: u32) {
        let old = std::fs::metadata(path).unwrap().permissions().mode() & 0o7777;
        self.0.push((path.to_path_buf(), old));
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
}

impl Drop for ModeGuard {
    fn drop(&mut self) {
        for (path, mode) in self.0.drain(..).rev() {
            let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode));
        }
    }
}

#[test]
fn a_peer_of_another_uid_is_refused_with_a_message_naming_its_uid() {
    // SAFETY: geteuid has no preconditions.
    let euid = unsafe { libc::geteuid() };
    assert_eq!(
        euid, 0,
        "this test needs root (to connect as uid 65534); it runs as uid {euid}"
    );
    let env = Env::new();
    env.servers(json!({ "ok": example(&[]) }));
    let pid = env.start_daemon();
    {
        let mut modes = ModeGuard(Vec::new());
        // The other user must reach the socket: every directory on the way, then the socket.
        modes.set(env.dir.path(), 0o755);
        modes.set(&env.home, 0o755);
        modes.set(&env.home.join("run"), 0o755);
        modes.set(&env.socket(), 0o777);
        let mut cmd = env.cmd(&["status"]);
        cmd.uid(65534).gid(65534).current_dir("/");
        let out = run_bounded(cmd, Duration::from_secs(10));
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "status as uid 65534: {err}");
        assert!(
            err.contains("refused") && err.contains("uid 65534"),
            "the refusal names the uid: {err}"
        );
        assert!(
            !text(&out.stdout).contains("running"),
            "{}",
            text(&out.stdout)
        );
    }
    let mode = std::fs::metadata(env.socket())
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600, "socket mode restored");
    daemon_carries_on(&env, pid);
}

#[test]
fn a_hanging_child_times_out_and_mcpd_cancels_it() {
    let env = Env::new();
    env.servers(json!({
        "ok": example(&[]),
        "slow": example_with_timeout(&[], 800),
        "hang": example_with_timeout(&["--hang-on-initialize"], 800),
    }));
    let pid = env.start_daemon();

    // Over the socket: a JSON-RPC error (not an isError result) within about the timeout.
    let child: u32 = env.call_text("slow", "pid", json!({})).parse().unwrap();
    let mut c = env.connect();
    let started = Instant::now();
    let r = c.request(
        1,
        "mcpd/call",
        json!({"server": "slow", "tool": "sleep", "arguments": {"ms": 5000}}),
    );
    let took = started.elapsed();
    assert!(r.get("result").is_none(), "no result: {r}");
    let e = error_of(&r);
    assert_eq!(e["code"], -32000, "{r}");
    let msg = e["message"].as_str().unwrap();
    assert!(
        msg.contains("800 ms") && msg.contains("timeout") && msg.contains("mcpd cancelled"),
        "{msg}"
    );
    assert!(
        took >= Duration::from_millis(700) && took < Duration::from_secs(4),
        "{took:?}"
    );
    assert!(
        wait_until(Duration::from_secs(2), || tool_call_threads(child) == 0),
        "the child's sleep was cancelled"
    );
    // The CLI says the same, with exit code 2.
    let err = fails(
        &env,
        &["call", "slow", "sleep", r#"{"ms": 5000}"#],
        Duration::from_secs(10),
    );
    assert!(
        err.contains("timeout") && err.contains("cancelled"),
        "{err}"
    );
    assert_eq!(
        env.call_text("slow", "pid", json!({})),
        child.to_string(),
        "the slow child is still the same and serves"
    );

    // A child that never answers initialize: the load fails clearly within seconds.
    let started = Instant::now();
    let err = fails(&env, &["load", "hang"], Duration::from_secs(15));
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );
    assert!(
        err.contains("hang") && err.contains("initialize") && err.contains("800 ms"),
        "{err}"
    );
    assert_eq!(env.server_status("hang")["state"], "failed");
    daemon_carries_on(&env, pid);
}

#[test]
fn a_child_crashing_mid_call_fails_the_calls_in_flight_at_once_and_restarts() {
    let env = Env::new();
    env.servers(json!({ "ok": example(&[]), "crashy": example(&[]) }));
    let pid = env.start_daemon();
    let child: u32 = env.call_text("crashy", "pid", json!({})).parse().unwrap();
    assert!(wait_until(Duration::from_secs(2), || tool_call_threads(
        child
    ) == 0));

    std::thread::scope(|s| {
        let sleeper = s.spawn(|| {
            let started = Instant::now();
            let out = run_within(
                &env,
                &["call", "crashy", "sleep", r#"{"ms": 5000}"#],
                Duration::from_secs(20),
            );
            (out, started.elapsed())
        });
        assert!(
            wait_until(Duration::from_secs(5), || tool_call_threads(child) == 1),
            "the sleep runs in the child"
        );
        let err = fails(
            &env,
            &["call", "crashy", "crash", r#"{"code": 3}"#],
            Duration::from_secs(10),
        );
        assert!(err.contains("exited with status 3"), "{err}");
        let (out, took) = sleeper.join().unwrap();
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            took < Duration::from_secs(3),
            "the call in flight fails at once, not after its 5 s sleep: {took:?}"
        );
        assert!(
            err.contains("exited with status 3")
                && err.contains("example server crashing on purpose"),
            "exit status and last stderr lines: {err}"
        );
    });
    assert!(wait_until(Duration::from_secs(5), || !procs::alive(child)));

    let new: u32 = env.call_text("crashy", "pid", json!({})).parse().unwrap();
    assert_ne!(new, child, "the next call restarts the child");
    let st = env.server_status("crashy");
    assert!(st["restarts"].as_u64().unwrap() >= 1, "{st}");
    assert_eq!(st["state"], "ready", "{st}");
    assert_eq!(st["pid"], new, "{st}");
    daemon_carries_on(&env, pid);
}

#[test]
fn a_child_flooding_stdout_with_garbage_keeps_serving() {
    let env = Env::new();
    env.servers(json!({ "ok": example(&[]), "noisy": example(&["--garbage-on-start", "100"]) }));
    let pid = env.start_daemon();
    let child: u32 = env.call_text("noisy", "pid", json!({})).parse().unwrap();
    let started = Instant::now();
    assert_eq!(
        env.call_text("noisy", "garbage", json!({"lines": 20000})),
        "printed 20000 lines"
    );
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
    let logs = env.ok(&["logs", "noisy", "-n", "25000"]);
    let skipped = logs
        .lines()
        .filter(|l| l.contains("not JSON-RPC, skipped by mcpd"))
        .count();
    assert!(skipped >= 20100, "{skipped} skipped lines logged");
    assert!(
        logs.contains("garbage on start, not json 100") && logs.contains("this is not json 20000"),
        "the skipped lines are in the log"
    );
    assert_eq!(
        env.call_text("noisy", "echo", json!({"text": "clean"})),
        "clean"
    );
    assert_eq!(env.call_text("noisy", "pid", json!({})), child.to_string());
    daemon_carries_on(&env, pid);
}

#[test]
fn servers_that_cannot_start_and_unknown_names_fail_clearly() {
    let env = Env::new();
    env.servers(json!({
        "ok": example(&[]),
        "boom": example(&["--crash-on-start"]),
        "missing": { "command": "mcpd-test-no-such-command" },
    }));
    let pid = env.start_daemon();

    let started = Instant::now();
    let err = fails(&env, &["load", "boom"], Duration::from_secs(15));
    assert!(started.elapsed() < Duration::from_secs(8));
    assert!(
        err.contains("fatal: crash on start requested") && err.contains("exited with status 1"),
        "{err}"
    );
    let err = fails(
        &env,
        &["call", "boom", "echo", r#"{"text": "x"}"#],
        Duration::from_secs(15),
    );
    assert!(err.contains("fatal: crash on start requested"), "{err}");
    let st = env.server_status("boom");
    assert_eq!(st["state"], "failed", "{st}");
    assert!(
        st["lastError"]
            .as_str()
            .unwrap()
            .contains("exited with status 1"),
        "{st}"
    );

    let err = fails(
        &env,
        &["call", "okk", "echo", "{}"],
        Duration::from_secs(10),
    );
    assert!(
        err.contains("unknown server 'okk'")
            && err.contains("did you mean 'ok'")
            && err.contains("boom")
            && err.contains("missing"),
        "{err}"
    );

    let err = fails(&env, &["load", "missing"], Duration::from_secs(10));
    assert!(
        err.contains("could not start server 'missing'")
            && err.contains("mcpd-test-no-such-command")
            && err.contains("PATH"),
        "{err}"
    );
    daemon_carries_on(&env, pid);
}
