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
