//! Real third-party MCP servers from the registries as children: server-everything (npm) and
//! mcp-server-time (PyPI), installed by `scripts/install-test-deps`.

mod common;

use common::deps::dep;
use common::{Env, procs, wait_until};
use serde_json::{Value, json};
use std::time::Duration;

fn everything() -> Value {
    json!({ "command": dep("npm/node_modules/.bin/mcp-server-everything"), "args": ["stdio"] })
}

fn time_server() -> Value {
    json!({ "command": dep("venv/bin/mcp-server-time"), "args": [] })
}

#[test]
fn server_everything_content_types_pass_through() {
    let env = Env::new();
    env.servers(json!({ "everything": everything() }));
    let tools: Value = serde_json::from_str(&env.ok(&["tools", "everything", "--json"])).unwrap();
    let names: Vec<&str> = tools["everything"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"echo") && names.contains(&"get-sum"),
        "{names:?}"
    );

    assert_eq!(
        env.call_text("everything", "echo", json!({"message": "hi"})),
        "Echo: hi"
    );
    let image = env.call("everything", "get-tiny-image", json!({}));
    let blocks = image["content"].as_array().unwrap();
    assert!(
        blocks.iter().any(|b| b["type"] == "image"
            && b["mimeType"] == "image/png"
            && b["data"].as_str().unwrap().len() > 50),
        "{image}"
    );
    let structured = env.call(
        "everything",
        "get-structured-content",
        json!({"location": "Chicago"}),
    );
    assert!(structured["structuredContent"].is_object(), "{structured}");
    let links = env.call("everything", "get-resource-links", json!({"count": 2}));
    assert!(
        links["content"]
            .as_array()
            .unwrap()
            .iter()
            .any(|b| b["type"] == "resource_link"),
        "{links}"
    );
    let plain = env.ok(&["call", "everything", "get-sum", r#"{"a": 2, "b": 3}"#]);
    assert!(plain.contains('5'), "{plain}");
}

#[test]
fn server_everything_progress_reaches_the_client_with_its_token() {
    let env = Env::new();
    env.servers(json!({ "everything": everything() }));
    env.ok(&["load", "everything"]);
    let mut c = env.connect();
    let params = json!({"server": "everything", "tool": "trigger-long-running-operation",
        "arguments": {"duration": 1, "steps": 3}, "_meta": {"progressToken": "tok-7"}});
    c.send(&json!({"jsonrpc": "2.0", "id": 5, "method": "mcpd/call", "params": params}));
    let mut progress = 0;
    loop {
        let m = c.recv();
        if m["method"] == "notifications/progress" {
            assert_eq!(m["params"]["progressToken"], "tok-7", "{m}");
            progress += 1;
        } else if m["id"] == 5 {
            assert!(m["result"]["content"].is_array(), "{m}");
            break;
        }
    }
    assert!(
        progress >= 2,
        "expected progress notifications, got {progress}"
    );
}

#[test]
fn python_time_server_answers_and_stops_cleanly() {
    let env = Env::new();
    env.servers(json!({ "time": time_server() }));
    let out = env.ok(&["tools", "time"]);
    assert!(out.contains("get_current_time(timezone: string)"), "{out}");
    let r = env.call("time", "get_current_time", json!({"timezone": "UTC"}));
    let text = r["content"][0]["text"].as_str().unwrap();
    assert!(text.contains("UTC") && text.contains("datetime"), "{text}");
    let pid = env.server_status("time")["pid"].as_u64().unwrap() as u32;
    env.ok(&["unload", "time"]);
    assert!(
        wait_until(Duration::from_secs(10), || !procs::group_alive(pid)),
        "python server's group is gone after unload"
    );
}
