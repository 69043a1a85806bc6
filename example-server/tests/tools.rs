//! Each tool's behaviour, driven in process through `Server::handle_line`.

mod common;

use std::time::{Duration, Instant};

use common::{Session, text};
use serde_json::{Value, json};

#[test]
fn echo_add_and_fail() {
    let mut session = Session::new(&[]);
    assert_eq!(
        text(&session.call("echo", json!({"text": "héllo"}))),
        "héllo"
    );

    let sum = session.call("add", json!({"a": 2, "b": 3}));
    assert_eq!(text(&sum), "5");
    assert_eq!(sum["structuredContent"], json!({"sum": 5}));
    let fractional = session.call("add", json!({"a": 0.5, "b": 2}));
    assert_eq!(fractional["structuredContent"]["sum"], 2.5);

    let failed = session.call("fail", json!({}));
    assert_eq!(failed["isError"], true);
    assert_eq!(text(&failed), "this tool always fails");
    let custom = session.call("fail", json!({"message": "boom"}));
    assert_eq!(text(&custom), "boom");
}

#[test]
fn bad_arguments_give_error_results() {
    let mut session = Session::new(&[]);
    let missing = session.call("echo", json!({}));
    assert_eq!(missing["isError"], true);
    let wrong = session.call("sleep", json!({"ms": "soon"}));
    assert_eq!(wrong["isError"], true);
    let response = session.request("tools/call", json!({"name": "echo", "arguments": 5}));
    assert_eq!(response["error"]["code"], -32602);
}

#[test]
fn image_blob_pid_env_cwd_log() {
    let mut session = Session::new(&[]);
    let image = session.call("image", json!({}));
    assert_eq!(image["content"][0]["type"], "image");
    assert_eq!(image["content"][0]["mimeType"], "image/png");
    assert!(
        image["content"][0]["data"]
            .as_str()
            .unwrap()
            .starts_with("iVBORw0KGgo")
    );
    assert_eq!(image["content"][1]["type"], "text");

    let blob = session.call("blob", json!({"bytes": 1 << 20}));
    let blob_text = text(&blob);
    assert_eq!(blob_text.len(), 1 << 20);
    assert!(blob_text.is_ascii());

    let pid = session.call("pid", json!({}));
    assert_eq!(text(&pid), std::process::id().to_string());

    let path = session.call("env", json!({"name": "PATH"}));
    assert_eq!(text(&path), std::env::var("PATH").unwrap());
    let unset = session.call("env", json!({"name": "MCPD_EXAMPLE_SURELY_UNSET_VARIABLE"}));
    assert_eq!(unset["isError"], true);

    let cwd = session.call("cwd", json!({}));
    assert_eq!(
        text(&cwd),
        std::env::current_dir().unwrap().display().to_string()
    );

    assert_eq!(
        text(&session.call("log", json!({"text": "to stderr"}))),
        "logged"
    );
    let grandchild = session.call("grandchild_pid", json!({}));
    assert_eq!(grandchild["isError"], true);
}

#[test]
fn garbage_lines_precede_the_answer() {
    let mut session = Session::new(&[]);
    let result = session.call("garbage", json!({"lines": 3}));
    assert_eq!(text(&result), "printed 3 lines");
    let lines = session.lines();
    let garbage: Vec<_> = lines
        .iter()
        .filter(|l| serde_json::from_str::<Value>(l).is_err())
        .collect();
    assert_eq!(
        garbage,
        [
            "this is not json 1",
            "this is not json 2",
            "this is not json 3"
        ]
    );
}

#[test]
fn progress_is_reported_when_a_token_is_given() {
    let mut session = Session::new(&[]);
    let response = session.request(
        "tools/call",
        json!({"name": "progress", "arguments": {"steps": 3, "interval_ms": 1}, "_meta": {"progressToken": "tok"}}),
    );
    assert_eq!(text(&response["result"]), "done 3 steps");
    let progress: Vec<Value> = session
        .messages()
        .into_iter()
        .filter(|m| m["method"] == "notifications/progress")
        .map(|m| m["params"].clone())
        .collect();
    assert_eq!(progress.len(), 3);
    assert_eq!(
        progress[2],
        json!({"progressToken": "tok", "progress": 3, "total": 3, "message": "step 3"})
    );

    session.take_lines();
    session.call("progress", json!({"steps": 2, "interval_ms": 1}));
    assert_eq!(session.messages().len(), 1, "no token, no progress");
}

#[test]
fn calls_run_concurrently() {
    let mut session = Session::new(&[]);
    let started = Instant::now();
    for _ in 0..10 {
        session.send_request(
            "tools/call",
            json!({"name": "sleep", "arguments": {"ms": 300}}),
        );
    }
    session.wait_calls();
    assert!(started.elapsed() < Duration::from_millis(2000));
    let answers = session.messages();
    assert_eq!(answers.len(), 10);
    assert!(answers.iter().all(|a| text(&a["result"]) == "slept 300 ms"));
}

#[test]
fn cancelled_calls_stop_silently() {
    let mut session = Session::new(&[]);
    let started = Instant::now();
    let id = session.send_request(
        "tools/call",
        json!({"name": "sleep", "arguments": {"ms": 10_000}}),
    );
    session.send(
        json!({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": id}}),
    );
    session.wait_calls();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(session.lines().is_empty());
}

#[test]
fn ignore_cancel_still_answers() {
    let mut session = Session::new(&["--ignore-cancel"]);
    let id = session.send_request(
        "tools/call",
        json!({"name": "progress", "arguments": {"steps": 3, "interval_ms": 20}, "_meta": {"progressToken": 1}}),
    );
    session.send(
        json!({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": id}}),
    );
    session.wait_calls();
    let messages = session.messages();
    assert_eq!(messages.len(), 4);
    assert_eq!(text(&messages[3]["result"]), "done 3 steps");
}

#[test]
fn ask_client_relays_the_clients_answer() {
    let mut session = Session::new(&[]);
    let id = session.send_request(
        "tools/call",
        json!({"name": "ask_client", "arguments": {"method": "sampling/createMessage", "params": {"x": 1}}}),
    );
    let deadline = Instant::now() + Duration::from_secs(2);
    let request = loop {
        if let Some(request) = session.messages().into_iter().find(|m| m["id"] == "srv-1") {
            break request;
        }
        assert!(Instant::now() < deadline, "no request to the client");
        std::thread::sleep(Duration::from_millis(5));
    };
    assert_eq!(request["method"], "sampling/createMessage");
    assert_eq!(request["params"], json!({"x": 1}));
    session.send(json!({"jsonrpc": "2.0", "id": "srv-1", "error": {"code": -32601, "message": "Method not found"}}));
    session.wait_calls();
    let response = session
        .messages()
        .into_iter()
        .find(|m| m["id"] == id)
        .unwrap();
    let relayed: Value = serde_json::from_str(text(&response["result"])).unwrap();
    assert_eq!(relayed["code"], -32601);
}

#[test]
fn add_tool_announces_and_serves_the_new_tool() {
    let mut session = Session::new(&[]);
    assert_eq!(
        text(&session.call("add_tool", json!({"name": "fresh"}))),
        "added"
    );
    assert!(
        session
            .messages()
            .iter()
            .any(|m| m["method"] == "notifications/tools/list_changed")
    );
    assert_eq!(text(&session.call("fresh", json!({"text": "hi"}))), "hi");
    let again = session.call("add_tool", json!({"name": "fresh"}));
    assert_eq!(again["isError"], true);
    let list = session.request("tools/list", json!({}));
    assert!(
        list["result"]["tools"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["name"] == "fresh")
    );
}

#[test]
fn synthetic_tools_return_their_arguments() {
    let mut session = Session::new(&["--tools", "3"]);
    let args = json!({"project_key": "PLAT", "limit": 5, "labels": ["a"]});
    let result = session.call("synthetic_0001", args.clone());
    assert_eq!(serde_json::from_str::<Value>(text(&result)).unwrap(), args);
}
