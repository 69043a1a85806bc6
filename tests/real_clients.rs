//! Real MCP clients drive `mcpd shim` as an editor would: the official Python SDK
//! (tests/clients/python_session.py, ClientSession over stdio) and the MCP Inspector CLI, both
//! installed by `scripts/install-test-deps`.

mod common;

use common::deps::{META_TOOLS, dep};
use common::{Env, exe, procs, run_bounded, text, wait_until};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

/// The longest one client run may take.
const RUN_LIMIT: Duration = Duration::from_secs(120);

/// A world with the example server configured as `ex`.
fn env_with_example() -> Env {
    let env = Env::new();
    env.servers(json!({ "ex": common::example(&[]) }));
    env
}

/// Runs a client command in the project with this world's MCPD_HOME; its stdout as JSON.
fn run_client(env: &Env, mut cmd: Command, what: &str) -> Value {
    cmd.env("MCPD_HOME", &env.home)
        .env_remove("MCPD_LOG")
        .current_dir(&env.project)
        .stdin(Stdio::null());
    let out = run_bounded(cmd, RUN_LIMIT);
    assert!(
        out.status.success(),
        "{what} failed: {}\nstdout: {}\nstderr: {}",
        out.status,
        text(&out.stdout),
        text(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{what} printed no JSON ({e}): {}\nstderr: {}",
            text(&out.stdout),
            text(&out.stderr)
        )
    })
}

/// Runs one scenario of tests/clients/python_session.py with the SDK's venv.
fn python(env: &Env, scenario: &str) -> Value {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/clients/python_session.py");
    let mut cmd = Command::new(dep("venv/bin/python"));
    cmd.arg(script).arg(scenario).env("MCPD_EXE", exe());
    run_client(env, cmd, &format!("python_session.py {scenario}"))
}

/// `mcp-inspector --cli <mcpd> shim ARGS`.
fn inspector(env: &Env, args: &[&str]) -> Value {
    let mut cmd = Command::new(dep("inspector/node_modules/.bin/mcp-inspector"));
    cmd.arg("--cli").arg(exe()).arg("shim").args(args);
    run_client(env, cmd, &format!("mcp-inspector --cli {args:?}"))
}

/// The first text block of a CallToolResult.
fn first_text(r: &Value) -> &str {
    r["content"]
        .as_array()
        .and_then(|c| c.iter().find(|b| b["type"] == "text"))
        .and_then(|b| b["text"].as_str())
        .unwrap_or_else(|| panic!("no text block in {r}"))
}

fn assert_ok(r: &Value) {
    assert_eq!(r["isError"], false, "{r}");
}

fn assert_error(r: &Value, needle: &str) {
    assert_eq!(r["isError"], true, "{r}");
    assert!(first_text(r).contains(needle), "{needle:?} not in {r}");
}

#[test]
fn python_sdk_uses_every_meta_tool() {
    let env = env_with_example();
    let out = python(&env, "meta_tools");
    assert_eq!(out["tools"], json!(META_TOOLS));
    assert_eq!(out["protocol_version"], "2025-11-25");
    assert_ok(&out["servers_before"]);
    assert!(
        first_text(&out["servers_before"]).contains("ex [stopped]"),
        "{out}"
    );
    assert_ok(&out["load"]);
    let load = first_text(&out["load"]);
    assert!(
        load.contains("Server 'ex' is ready") && load.contains("add(a: number, b: number)"),
        "{load}"
    );

    assert_ok(&out["add"]);
    assert_eq!(out["add"]["structuredContent"], json!({"sum": 5}));
    assert_eq!(first_text(&out["add"]), "5");
    let image = &out["image"]["content"][0];
    assert_eq!(image["type"], "image", "{}", out["image"]);
    assert_eq!(image["mimeType"], "image/png");
    assert!(image["data"].as_str().unwrap().starts_with("iVBORw0KGgo"));
    assert_error(&out["fail"], "broken on purpose");
    assert_error(&out["unknown_server"], "unknown server 'nope'");
    assert!(
        first_text(&out["unknown_server"]).contains("ex"),
        "names the valid servers: {}",
        out["unknown_server"]
    );

    assert_ok(&out["search"]);
    let search = first_text(&out["search"]);
    assert!(
        search.contains("server: ex") && search.contains("\"name\":\"add\""),
        "search_tools finds add: {search}"
    );

    let (before, after) = (&out["pid_before_reload"], &out["pid_after_reload"]);
    assert_ok(&out["reload"]);
    assert!(first_text(&out["reload"]).contains("was reloaded"), "{out}");
    assert_ne!(before, after, "reload starts a new process");
    let old: u32 = before.as_str().unwrap().parse().unwrap();
    assert!(
        wait_until(Duration::from_secs(10), || !procs::alive(old)),
        "the old process is gone after reload"
    );

    assert_ok(&out["unload"]);
    assert!(
        first_text(&out["servers_after_unload"]).contains("ex [stopped"),
        "{}",
        out["servers_after_unload"]
    );
    let unloaded: u32 = after.as_str().unwrap().parse().unwrap();
    assert!(wait_until(Duration::from_secs(10), || !procs::alive(
        unloaded
    )));
    assert_error(&out["install"], "not available yet");
    assert!(
        out["unknown_meta_tool"]
            .as_str()
            .is_some_and(|e| e.contains("Unknown tool: no_such_meta_tool")),
        "{out}"
    );
}

#[test]
fn python_sdk_runs_twenty_calls_at_once() {
    let env = env_with_example();
    let out = python(&env, "parallel");
    let texts: Vec<&str> = out["texts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    let expected: Vec<String> = (0..20).map(|i| format!("slept {} ms", 300 + i)).collect();
    assert_eq!(texts, expected, "each call gets its own answer");
    let elapsed = out["elapsed_secs"].as_f64().unwrap();
    assert!(
        elapsed < 3.0,
        "20 calls of 300 ms took {elapsed:.2} s: they did not run concurrently"
    );
}

#[test]
fn python_sdk_progress_callback_sees_every_step() {
    let env = env_with_example();
    let out = python(&env, "progress");
    assert_ok(&out["result"]);
    assert_eq!(first_text(&out["result"]), "done 5 steps");
    let events = out["events"].as_array().unwrap();
    let steps: Vec<f64> = events
        .iter()
        .map(|e| e["progress"].as_f64().unwrap())
        .collect();
    assert_eq!(steps, [1.0, 2.0, 3.0, 4.0, 5.0], "{events:?}");
    assert_eq!(events[0]["total"], 5.0);
    assert_eq!(events[0]["message"], "step 1");
}

#[test]
fn python_sdk_calls_server_everything_through_the_shim() {
    let env = Env::new();
    let everything = dep("npm/node_modules/.bin/mcp-server-everything");
    env.servers(json!({ "everything": { "command": everything, "args": ["stdio"] } }));
    let out = python(&env, "everything");
    assert_ok(&out["load"]);
    assert!(
        first_text(&out["load"]).contains("echo(message: string)"),
        "{}",
        out["load"]
    );
    assert_eq!(first_text(&out["echo"]), "Echo: hi from python");
    assert!(first_text(&out["sum"]).contains('5'), "{}", out["sum"]);
    assert!(
        out["image"]["content"]
            .as_array()
            .unwrap()
            .iter()
            .any(|b| b["type"] == "image" && b["mimeType"] == "image/png"),
        "{}",
        out["image"]
    );
    assert_ok(&out["long"]);
    assert!(
        out["events"].as_array().unwrap().len() >= 2,
        "progress from server-everything: {}",
        out["events"]
    );
}

#[test]
fn python_sdk_session_survives_kill_9_of_the_daemon() {
    let env = env_with_example();
    let out = python(&env, "daemon_kill");
    assert_error(&out["in_flight"], "daemon went away");
    assert_eq!(first_text(&out["after_in_flight"]), "back", "{out}");
    let next = &out["next_after_idle_kill"];
    if next["isError"] == true {
        assert!(first_text(next).contains("daemon went away"), "{next}");
    } else {
        assert_eq!(first_text(next), "next", "{next}");
    }
    assert_eq!(first_text(&out["then"]), "then", "{out}");
    let daemons = [
        &out["daemon_first"],
        &out["daemon_second"],
        &out["daemon_third"],
    ];
    assert!(
        daemons[0] != daemons[1] && daemons[1] != daemons[2],
        "{daemons:?}"
    );
    assert_eq!(
        env.daemon_pid().map(|p| json!(p)).as_ref(),
        Some(daemons[2]),
        "the last daemon started by the shim still runs"
    );
    let old: u32 = out["pid_before"].as_str().unwrap().parse().unwrap();
    assert!(
        wait_until(Duration::from_secs(10), || !procs::group_alive(old)),
        "the killed daemon's child is cleaned up"
    );
    let now: u32 = out["pid_after"].as_str().unwrap().parse().unwrap();
    assert_eq!(env.server_status("ex")["pid"], now, "{out}");
}

#[test]
fn python_sdk_sessions_share_one_server_that_outlives_them() {
    let env = env_with_example();
    let out = python(&env, "sharing");
    assert_eq!(out["pid_a"], out["pid_b"], "two sessions, one child: {out}");
    assert_eq!(
        out["pid_c"], out["pid_a"],
        "a later session finds the same child: {out}"
    );
    assert_eq!(
        out["b_protocol_version"], "2025-11-25",
        "the SDK's default Client falls back from server/discover to initialize"
    );
    let pid: u32 = out["pid_a"].as_str().unwrap().parse().unwrap();
    let status = env.server_status("ex");
    assert_eq!(
        status["pid"], pid,
        "still running after every session ended: {status}"
    );
    assert!(procs::alive(pid));
}

#[test]
fn inspector_cli_lists_and_calls_meta_tools() {
    let env = env_with_example();
    let list = inspector(&env, &["--method", "tools/list"]);
    let names: Vec<&str> = list["tools"]
        .as_array()
        .unwrap_or_else(|| panic!("{list}"))
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 7, "{names:?}");
    assert!(names.contains(&"call_dynamic_server_tool"), "{names:?}");

    let call = |tool: &str, parameters: &str| {
        inspector(
            &env,
            &[
                "--method",
                "tools/call",
                "--tool-name",
                "call_dynamic_server_tool",
                "--tool-arg",
                "server_name=ex",
                "--tool-arg",
                &format!("tool_name={tool}"),
                "--tool-arg",
                &format!("parameters={parameters}"),
            ],
        )
    };
    let echo = call("echo", r#"{"text":"hi"}"#);
    assert_eq!(echo["content"], json!([{"type": "text", "text": "hi"}]));
    let add = call("add", r#"{"a":2,"b":40}"#);
    assert_eq!(add["structuredContent"], json!({"sum": 42}), "{add}");
    assert_eq!(call("fail", "{}")["isError"], true);

    // Each Inspector run was its own shim; the server outlived them all.
    let pid = env.server_status("ex")["pid"].clone();
    let again = call("pid", "{}");
    assert_eq!(json!(first_text(&again).parse::<u32>().unwrap()), pid);

    let servers = inspector(
        &env,
        &[
            "--method",
            "tools/call",
            "--tool-name",
            "get_loaded_servers",
        ],
    );
    assert!(first_text(&servers).contains("ex [ready"), "{servers}");
}
