//! `mcpd shim --server NAME`: one daemon-owned server's own tools, directly, shared with the
//! meta-tool sessions.

mod common;

use common::shim_client::Shim;
use common::{Env, example};
use serde_json::json;

fn passthrough(env: &Env, server: &str) -> Shim {
    Shim::spawn(env.cmd(&["shim", "--server", server]))
}

#[test]
fn exposes_the_servers_own_tools_and_shares_its_process() {
    let env = Env::new();
    env.servers(json!({ "ex": example(&["--tools", "2"]) }));
    env.start_daemon();
    let mut s = passthrough(&env, "ex");
    let init = s.initialize();
    assert!(
        init["instructions"].as_str().unwrap().contains("'ex'"),
        "{init}"
    );
    let list = s.request("tools/list", json!({}));
    let names: Vec<&str> = list["result"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"add") && names.contains(&"synthetic_0002"),
        "{names:?}"
    );
    assert!(!names.contains(&"call_dynamic_server_tool"));

    let r = s.request(
        "tools/call",
        json!({"name": "add", "arguments": {"a": 1, "b": 2}}),
    );
    assert_eq!(r["result"]["structuredContent"]["sum"], 3, "{r}");
    let pid = s.request("tools/call", json!({"name": "pid", "arguments": {}}));
    let via_cli = env.call_text("ex", "pid", json!({}));
    assert_eq!(
        pid["result"]["content"][0]["text"], via_cli,
        "one shared process"
    );

    let missing = s.request("tools/call", json!({"name": "nope", "arguments": {}}));
    assert_eq!(missing["result"]["isError"], true, "{missing}");
    assert!(
        missing["result"]["content"][0]["text"]
            .as_str()
            .unwrap()
            .contains("no tool 'nope'"),
        "{missing}"
    );
}

#[test]
fn an_unknown_server_fails_tools_list_clearly() {
    let env = Env::new();
    env.servers(json!({ "ex": example(&[]) }));
    env.start_daemon();
    let mut s = passthrough(&env, "exx");
    s.initialize();
    let list = s.request("tools/list", json!({}));
    let msg = list["error"]["message"].as_str().unwrap_or_default();
    assert!(
        msg.contains("unknown server 'exx'") && msg.contains("'ex'"),
        "{list}"
    );
    assert_eq!(s.request("ping", json!({}))["result"], json!({}));
}

#[test]
fn a_reload_that_changes_the_tools_sends_list_changed_to_passthrough_sessions_only() {
    let env = Env::new();
    let script = format!(
        "exec '{}' example-server --tools \"$(cat ntools 2>/dev/null || echo 1)\"",
        common::exe().display()
    );
    env.servers(json!({ "ex": { "command": "sh", "args": ["-c", script] } }));
    env.start_daemon();
    let mut direct = passthrough(&env, "ex");
    direct.initialize();
    direct.request("tools/list", json!({}));
    let mut meta = Shim::start(&env);
    meta.initialize();
    meta.call_server("ex", "echo", json!({"text": "x"}));

    env.ok(&["reload", "ex"]);
    std::fs::write(env.project.join("ntools"), "3").unwrap();
    env.ok(&["reload", "ex"]);
    let is_changed = |m: &serde_json::Value| m["method"] == "notifications/tools/list_changed";
    let mut seen = direct
        .take_backlog()
        .iter()
        .filter(|m| is_changed(m))
        .count();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while seen == 0 && std::time::Instant::now() < deadline {
        if let Some(m) = direct.recv(std::time::Duration::from_millis(100)) {
            seen += usize::from(is_changed(&m));
        }
    }
    assert_eq!(seen, 1, "one notice, for the reload that changed the tools");
    // A round trip through the daemon after the notice went out: the meta shim dropped it.
    meta.call_server("ex", "echo", json!({"text": "y"}));
    assert!(
        !meta.take_backlog().iter().any(is_changed),
        "the meta-tools never change"
    );
    direct.request("ping", json!({}));
    assert!(
        !direct.take_backlog().iter().any(is_changed),
        "only one notice"
    );
    let list = direct.request("tools/list", json!({}));
    assert!(
        list["result"]["tools"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["name"] == "synthetic_0003"),
        "{list}"
    );
}
