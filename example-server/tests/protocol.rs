//! JSON-RPC and MCP protocol behaviour, driven in process through `Server::handle_line`.

mod common;

use common::Session;
use serde_json::{Value, json};

#[test]
fn initialize_negotiates_the_version_and_declares_capabilities() {
    let mut session = Session::uninitialized(&["--name", "demo"]);
    let response = session.request(
        "initialize",
        json!({"protocolVersion": "2025-03-26", "capabilities": {"roots": {}}, "clientInfo": {"name": "t", "version": "1"}}),
    );
    let result = &response["result"];
    assert_eq!(result["protocolVersion"], "2025-03-26");
    assert_eq!(
        result["capabilities"],
        json!({"tools": {"listChanged": true}, "logging": {}})
    );
    assert_eq!(result["serverInfo"]["name"], "demo");
    assert!(result["serverInfo"]["version"].is_string());
    assert!(result["instructions"].is_string());

    let unknown = session.request("initialize", json!({"protocolVersion": "2030-01-01"}));
    assert_eq!(unknown["result"]["protocolVersion"], "2025-11-25");
}

#[test]
fn hang_on_initialize_never_answers_but_serves_the_rest() {
    let mut session = Session::uninitialized(&["--hang-on-initialize"]);
    session.send_request("initialize", json!({"protocolVersion": "2025-06-18"}));
    assert!(session.take_lines().is_empty());
    let ping = session.request("ping", json!({}));
    assert_eq!(ping["result"], json!({}));
}

#[test]
fn notifications_get_no_answer() {
    let mut session = Session::new(&[]);
    session.send(json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
    session.send(json!({"jsonrpc": "2.0", "method": "notifications/whatever", "params": {}}));
    session.send(
        json!({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 99}}),
    );
    session.send_line("   ");
    assert!(session.lines().is_empty());
}

#[test]
fn errors_have_the_standard_codes() {
    let mut session = Session::new(&[]);
    let missing = session.request("resources/list", json!({}));
    assert_eq!(missing["error"]["code"], -32601);
    assert_eq!(
        missing["error"]["message"],
        "Method not found: resources/list"
    );

    let unknown_tool = session.request("tools/call", json!({"name": "nope", "arguments": {}}));
    assert_eq!(unknown_tool["error"]["code"], -32602);
    assert!(
        unknown_tool["error"]["message"]
            .as_str()
            .unwrap()
            .contains("nope")
    );

    session.take_lines();
    session.send_line("{this is not json");
    let lines = session.take_lines();
    assert_eq!(lines.len(), 1);
    let parse_error: Value = serde_json::from_str(&lines[0]).unwrap();
    assert_eq!(parse_error["id"], Value::Null);
    assert_eq!(parse_error["error"]["code"], -32700);

    session.send_line("[1, 2]");
    let invalid: Value = serde_json::from_str(&session.take_lines()[0]).unwrap();
    assert_eq!(invalid["error"]["code"], -32600);

    // The server carries on after all of that.
    assert_eq!(session.request("ping", json!({}))["result"], json!({}));
}

#[test]
fn string_ids_are_echoed() {
    let mut session = Session::new(&[]);
    session.send(json!({"jsonrpc": "2.0", "id": "abc", "method": "ping"}));
    assert_eq!(session.messages()[0]["id"], "abc");
}

#[test]
fn tools_list_is_whole_without_page_size() {
    let mut session = Session::new(&["--tools", "25"]);
    let result = session.request("tools/list", json!({}))["result"].clone();
    let tools = result["tools"].as_array().unwrap();
    assert_eq!(tools.len(), 17 + 25);
    assert!(result.get("nextCursor").is_none());
    assert_eq!(tools.last().unwrap()["name"], "synthetic_0025");
    for tool in tools {
        assert_eq!(tool["inputSchema"]["type"], "object", "{tool}");
        assert!(tool["description"].is_string());
    }
    let add = tools.iter().find(|t| t["name"] == "add").unwrap();
    assert_eq!(add["outputSchema"]["properties"]["sum"]["type"], "number");
}

#[test]
fn tools_list_paginates_with_opaque_cursors() {
    let mut session = Session::new(&["--tools", "30", "--page-size", "10"]);
    let mut names = Vec::new();
    let mut params = json!({});
    let mut pages = 0;
    loop {
        let result = session.request("tools/list", params)["result"].clone();
        pages += 1;
        let tools = result["tools"].as_array().unwrap();
        assert!(tools.len() <= 10);
        names.extend(
            tools
                .iter()
                .map(|t| t["name"].as_str().unwrap().to_string()),
        );
        match result.get("nextCursor") {
            Some(Value::String(cursor)) => params = json!({"cursor": cursor}),
            None => break,
            other => panic!("bad cursor {other:?}"),
        }
    }
    assert_eq!(pages, 5);
    assert_eq!(names.len(), 47);

    let bad = session.request("tools/list", json!({"cursor": "garbage"}));
    assert_eq!(bad["error"]["code"], -32602);
}

#[test]
fn client_capabilities_are_remembered() {
    let mut session = Session::uninitialized(&[]);
    let before = session.call("client_capabilities", json!({}));
    assert_eq!(common::text(&before), "null");
    session.request(
        "initialize",
        json!({"protocolVersion": "2025-06-18", "capabilities": {"sampling": {}, "roots": {"listChanged": true}}}),
    );
    let after = session.call("client_capabilities", json!({}));
    let declared: Value = serde_json::from_str(common::text(&after)).unwrap();
    assert_eq!(
        declared,
        json!({"sampling": {}, "roots": {"listChanged": true}})
    );
}
