//! Config reload with the real binary: an edited definition is served by a new process with no
//! failed call in between, a removed one stops, a new one is usable at once, a malformed edit
//! keeps the last good config (and `mcpd status` says so), the user config likewise, and servers
//! whose definition did not change keep their process.

mod common;

use common::conn::Conn;
use common::shim_client::Shim;
use common::{Env, example, procs, run_bounded, text, wait_until};
use serde_json::{Value, json};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// How long a config edit may take to apply (the daemon debounces for 100 ms).
const APPLIED: Duration = Duration::from_secs(15);

/// Starts a detached daemon with a short debounce.
fn start(env: &Env) {
    let mut c = env.cmd(&["daemon", "--detach"]);
    c.env("MCPD_RELOAD_DEBOUNCE_MS", "100");
    let out = run_bounded(c, Duration::from_secs(60));
    assert!(out.status.success(), "{}", text(&out.stderr));
}

/// Writes `servers` to `path` the way editors save: a temp file renamed over it.
fn save(path: &Path, servers: Value) {
    save_text(path, &json!({ "mcpServers": servers }).to_string());
}

fn save_text(path: &Path, content: &str) {
    let tmp = path.with_extension("tmp~");
    std::fs::write(&tmp, content).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

/// The example server with `WHO` set, so a test can tell which definition serves.
fn tagged(who: &str, flags: &[&str]) -> Value {
    let mut s = example(flags);
    s["env"] = json!({ "WHO": who });
    s
}

fn pid(env: &Env, server: &str) -> u32 {
    env.call_text(server, "pid", json!({})).parse().unwrap()
}

fn who(env: &Env, server: &str) -> String {
    env.call_text(server, "env", json!({"name": "WHO"}))
}

/// The text of a call made on a long-lived session, or the error.
fn conn_call(
    c: &mut Conn,
    id: u64,
    server: &str,
    tool: &str,
    args: Value,
) -> Result<String, Value> {
    let r = c.request(
        id,
        "mcpd/call",
        json!({"server": server, "tool": tool, "arguments": args}),
    );
    match r["result"]["content"][0]["text"].as_str() {
        Some(t) if r["result"]["isError"] != true => Ok(t.to_string()),
        _ => Err(r),
    }
}

fn gone(pid: u32) -> bool {
    wait_until(Duration::from_secs(10), || !procs::alive(pid))
}

#[test]
fn an_edited_definition_is_served_by_a_new_process_without_a_failed_call() {
    let env = Env::new();
    let file = env.project.join(".mcpd.json");
    let servers = |tools: &str| json!({ "a": example(&["--tools", tools]), "b": tagged("b", &[]) });
    save(&file, servers("1"));
    start(&env);
    let (old_a, old_b) = (pid(&env, "a"), pid(&env, "b"));
    let tools_before = env.server_status("a")["tools"].as_u64().unwrap();

    // Sessions call `a` without a pause while its definition changes.
    let stop = Arc::new(AtomicBool::new(false));
    let sessions: Vec<_> = (0..3)
        .map(|_| {
            let (stop, socket, project) = (stop.clone(), env.socket(), env.project.clone());
            std::thread::spawn(move || {
                let mut c = Conn::open(&socket, &project);
                let (mut pids, mut failures) = (Vec::new(), Vec::new());
                let mut id = 0;
                while !stop.load(Ordering::Relaxed) {
                    id += 1;
                    match conn_call(&mut c, id, "a", "pid", json!({})) {
                        Ok(p) => pids.push(p.parse::<u32>().unwrap()),
                        Err(e) => failures.push(e),
                    }
                }
                (pids, failures)
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    save(&file, servers("2"));
    let applied = wait_until(APPLIED, || {
        let s = env.server_status("a");
        s["state"] == "ready" && s["tools"].as_u64() == Some(tools_before + 1)
    });
    assert!(applied, "not applied: {}", env.server_status("a"));
    let new_a = pid(&env, "a");
    assert_ne!(new_a, old_a);
    std::thread::sleep(Duration::from_millis(300));
    stop.store(true, Ordering::Relaxed);
    for t in sessions {
        let (pids, failures) = t.join().unwrap();
        assert!(
            failures.is_empty(),
            "{} calls failed, e.g. {}",
            failures.len(),
            failures[0]
        );
        // Each session moved from the old process to the new one, once, and stayed there.
        let switch = pids
            .iter()
            .position(|p| *p != old_a)
            .expect("never served by the new one");
        assert!(pids[switch..].iter().all(|p| *p == new_a), "{pids:?}");
    }
    assert!(gone(old_a), "the old process {old_a} is still running");
    assert!(procs::alive(new_a));
    assert_eq!(pid(&env, "b"), old_b, "an unchanged server was restarted");
}

#[test]
fn a_removed_server_stops_and_an_added_one_is_usable_at_once() {
    let env = Env::new();
    let file = env.project.join(".mcpd.json");
    save(
        &file,
        json!({ "a": tagged("a", &[]), "b": tagged("b", &[]) }),
    );
    start(&env);
    let mut c = Conn::open(&env.socket(), &env.project);
    let old_a: u32 = conn_call(&mut c, 1, "a", "pid", json!({}))
        .unwrap()
        .parse()
        .unwrap();
    let old_b = pid(&env, "b");

    save(
        &file,
        json!({ "b": tagged("b", &[]), "c": tagged("c", &[]) }),
    );
    assert_eq!(who(&env, "c"), "c");
    assert!(gone(old_a), "the removed server {old_a} still runs");
    let err = conn_call(&mut c, 2, "a", "pid", json!({})).unwrap_err();
    assert!(err.to_string().contains("unknown server 'a'"), "{err}");
    let out = env.run(&["call", "a", "pid"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("unknown server 'a'"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        conn_call(&mut c, 3, "c", "env", json!({"name": "WHO"})).unwrap(),
        "c"
    );
    assert_eq!(pid(&env, "b"), old_b);
}

#[test]
fn a_malformed_edit_keeps_the_last_good_config_and_status_says_why() {
    let env = Env::new();
    let file = env.project.join(".mcpd.json");
    save(&file, json!({ "a": tagged("one", &[]) }));
    start(&env);
    let mut c = Conn::open(&env.socket(), &env.project);
    let first: u32 = conn_call(&mut c, 1, "a", "pid", json!({}))
        .unwrap()
        .parse()
        .unwrap();

    save_text(&file, r#"{"mcpServers": {"a": {"command": "#);
    let reported = wait_until(APPLIED, || {
        !env.status()["config_errors"].as_array().unwrap().is_empty()
    });
    assert!(reported, "{}", env.status());
    let errors = env.status()["config_errors"].to_string();
    assert!(
        errors.contains(".mcpd.json") && errors.contains("invalid JSON"),
        "{errors}"
    );
    assert!(
        errors.contains("keeps using the last valid version"),
        "{errors}"
    );
    let human = env.ok(&["status"]);
    assert!(
        human.contains("config error:") && human.contains("invalid JSON"),
        "{human}"
    );
    // The running server keeps serving, and new lookups still find it.
    assert_eq!(
        conn_call(&mut c, 2, "a", "pid", json!({})).unwrap(),
        first.to_string()
    );
    assert_eq!(pid(&env, "a"), first);
    assert_eq!(env.server_status("a")["state"], "ready");

    // An invalid entry keeps its last valid definition too.
    save_text(
        &file,
        r#"{"mcpServers": {"a": {"command": "x", "args": "not a list"}}}"#,
    );
    let entry = wait_until(APPLIED, || {
        env.status()["config_errors"]
            .to_string()
            .contains("mcpServers.a.args")
    });
    assert!(entry, "{}", env.status());
    assert_eq!(pid(&env, "a"), first);

    save(&file, json!({ "a": tagged("two", &[]) }));
    let moved = wait_until(APPLIED, || {
        conn_call(&mut c, 3, "a", "env", json!({"name": "WHO"})).as_deref() == Ok("two")
    });
    assert!(moved, "the session still uses the old definition");
    assert_eq!(who(&env, "a"), "two");
    assert!(env.status()["config_errors"].as_array().unwrap().is_empty());
    assert!(gone(first), "the replaced process {first} still runs");
}

#[test]
fn user_config_edits_apply_too() {
    let env = Env::new();
    start(&env);
    // The user config does not exist yet when the daemon first looks.
    let status = env.status();
    assert!(status["servers"].as_array().unwrap().is_empty(), "{status}");
    let user = env.home.join("config.json");
    save(
        &user,
        json!({ "u": tagged("one", &[]), "keep": tagged("keep", &[]) }),
    );
    let mut c = Conn::open(&env.socket(), &env.project);
    let first: u32 = conn_call(&mut c, 1, "u", "pid", json!({}))
        .unwrap()
        .parse()
        .unwrap();
    let keep = pid(&env, "keep");

    save(
        &user,
        json!({ "u": tagged("two", &[]), "keep": tagged("keep", &[]) }),
    );
    let moved = wait_until(APPLIED, || {
        conn_call(&mut c, 2, "u", "env", json!({"name": "WHO"})).as_deref() == Ok("two")
    });
    assert!(moved, "the session still uses the old definition");
    assert!(gone(first), "the replaced process {first} still runs");

    save_text(&user, "{ nope");
    let reported = wait_until(APPLIED, || {
        env.status()["config_errors"]
            .to_string()
            .contains("config.json")
    });
    assert!(reported, "{}", env.status());
    assert_eq!(who(&env, "u"), "two");

    save(&user, json!({ "keep": tagged("keep", &[]) }));
    let second = pid_in_status(&env, "u");
    let removed = wait_until(APPLIED, || {
        env.run(&["call", "u", "pid"]).status.code() != Some(0)
    });
    assert!(removed, "u is still configured");
    if let Some(second) = second {
        assert!(gone(second), "the removed server {second} still runs");
    }
    assert_eq!(pid(&env, "keep"), keep);
}

/// The pid `mcpd status` shows for `server`, if it runs.
fn pid_in_status(env: &Env, server: &str) -> Option<u32> {
    env.status()["servers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == server)
        .and_then(|s| s["pid"].as_u64())
        .map(|p| p as u32)
}

#[test]
fn a_passthrough_session_hears_list_changed_when_the_definition_changes() {
    let env = Env::new();
    let file = env.project.join(".mcpd.json");
    save(&file, json!({ "ex": example(&["--tools", "1"]) }));
    start(&env);
    let mut direct = Shim::spawn(env.cmd(&["shim", "--server", "ex"]));
    direct.initialize();
    direct.request("tools/list", json!({}));

    save(&file, json!({ "ex": example(&["--tools", "2"]) }));
    let is_changed = |m: &Value| m["method"] == "notifications/tools/list_changed";
    let mut seen = direct.take_backlog().iter().any(is_changed);
    let deadline = std::time::Instant::now() + APPLIED;
    while !seen && std::time::Instant::now() < deadline {
        seen = direct
            .recv(Duration::from_millis(100))
            .is_some_and(|m| is_changed(&m));
    }
    assert!(seen, "no tools/list_changed after the definition changed");
    let list = direct.request("tools/list", json!({}));
    let tools = list["result"]["tools"].as_array().unwrap();
    assert!(
        tools.iter().any(|t| t["name"] == "synthetic_0002"),
        "{list}"
    );
}

#[test]
fn a_config_edit_does_not_reload_servers_whose_source_tree_holds_the_file() {
    let env = Env::new();
    let script = env.project.join("server.sh");
    let exe = common::exe();
    std::fs::write(
        &script,
        format!("exec '{}' example-server\n", exe.display()),
    )
    .unwrap();
    let server =
        |who: &str| json!({ "command": "sh", "args": ["server.sh"], "env": { "WHO": who } });
    let file = env.project.join(".mcpd.json");
    save(&file, json!({ "a": server("a1"), "b": server("b") }));
    start(&env);
    let (old_a, old_b) = (pid(&env, "a"), pid(&env, "b"));
    let watching = env.server_status("b")["watching"].to_string();
    assert!(
        watching.contains(&*env.project.to_string_lossy()),
        "{watching}"
    );

    save(&file, json!({ "a": server("a2"), "b": server("b") }));
    assert!(wait_until(APPLIED, || who(&env, "a") == "a2"));
    assert!(gone(old_a));
    // Longer than the debounce: a source reload of `b` would have happened by now.
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(
        pid(&env, "b"),
        old_b,
        "a config edit reloaded an unchanged server"
    );
    assert_eq!(env.server_status("b")["restarts"], 0);
}
