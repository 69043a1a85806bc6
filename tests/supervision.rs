//! Supervision and forwarding with the real binary: concurrent calls and id remapping, paginated
//! and refreshed tool lists, what the child is told and asked, progress relay, byte-exact results,
//! stderr capture, status fields, CLI output, unload and reload.

mod common;

use common::{Env, example, exe, procs, text, wait_until};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn call_params(server: &str, tool: &str, arguments: Value) -> Value {
    json!({ "server": server, "tool": tool, "arguments": arguments })
}

/// The text of the first content block of a `mcpd/call` response.
fn result_text(response: &Value) -> &str {
    response["result"]["content"][0]["text"]
        .as_str()
        .unwrap_or_else(|| panic!("no text result in {response}"))
}

/// Names of tools in a JSON array of Tool objects.
fn tool_names(tools: &Value) -> Vec<String> {
    tools
        .as_array()
        .unwrap_or_else(|| panic!("not a tool list: {tools}"))
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_string())
        .collect()
}

/// `mcpd tools NAME --json`: the server's raw tool list.
fn tools_json(env: &Env, name: &str) -> Value {
    let v: Value = serde_json::from_str(&env.ok(&["tools", "--json", name])).unwrap();
    v[name].clone()
}

#[test]
fn fifty_concurrent_calls_on_one_connection_get_their_own_answers() {
    let env = Env::new();
    env.servers(json!({ "ex": example(&[]) }));
    env.start_daemon();
    let mut c = env.connect();
    let mut expected = HashMap::new();
    for id in 1..=50u64 {
        let (tool, args, want) = if id % 2 == 0 {
            let ms = 20 + (id % 7) * 15;
            ("sleep", json!({ "ms": ms }), format!("slept {ms} ms"))
        } else {
            let t = format!("m-{id}");
            ("echo", json!({ "text": t }), t)
        };
        c.send(&json!({"jsonrpc": "2.0", "id": id, "method": "mcpd/call", "params": call_params("ex", tool, args)}));
        expected.insert(id, want);
    }
    let started = Instant::now();
    while !expected.is_empty() {
        let m = c.recv();
        if m.get("method").is_some() {
            continue;
        }
        let id = m["id"].as_u64().unwrap_or_else(|| panic!("bad id in {m}"));
        let want = expected
            .remove(&id)
            .unwrap_or_else(|| panic!("unexpected or repeated answer {m}"));
        assert_eq!(result_text(&m), want, "answer to id {id}");
    }
    // Served concurrently: 25 sleeps of up to 110 ms take far less than their sum (~1.6 s).
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(env.server_status("ex")["calls"], 50);
}

#[test]
fn two_connections_with_the_same_ids_never_cross() {
    let env = Env::new();
    env.servers(json!({ "ex": example(&[]) }));
    env.start_daemon();
    let mut a = env.connect();
    let mut b = env.connect();
    let pid_a =
        result_text(&a.request(1, "mcpd/call", call_params("ex", "pid", json!({})))).to_string();
    let pid_b =
        result_text(&b.request(1, "mcpd/call", call_params("ex", "pid", json!({})))).to_string();
    assert_eq!(pid_a, pid_b, "one shared child");

    // The same ids on both connections at once, with answers arriving out of order.
    let mut want: [HashMap<u64, String>; 2] = Default::default();
    for id in 1..=20u64 {
        for (side, conn) in [&mut a, &mut b].into_iter().enumerate() {
            let (tool, args, expect) = if id % 2 == 1 {
                let ms = if side == 0 { 5 * id } else { 5 * (21 - id) + 1 };
                ("sleep", json!({ "ms": ms }), format!("slept {ms} ms"))
            } else {
                let t = format!("{}-{id}", ["A", "B"][side]);
                ("echo", json!({ "text": t }), t)
            };
            conn.send(&json!({"jsonrpc": "2.0", "id": id, "method": "mcpd/call", "params": call_params("ex", tool, args)}));
            want[side].insert(id, expect);
        }
    }
    for (side, conn) in [&mut a, &mut b].into_iter().enumerate() {
        let want = &mut want[side];
        while !want.is_empty() {
            let m = conn.recv();
            let id = m["id"].as_u64().unwrap();
            let expect = want
                .remove(&id)
                .unwrap_or_else(|| panic!("side {side}: unexpected or repeated {m}"));
            assert_eq!(result_text(&m), expect, "side {side} id {id}");
        }
    }
}

#[test]
fn paginated_tool_lists_are_followed_to_the_end() {
    let env = Env::new();
    env.servers(json!({
        "paged": example(&["--page-size", "3", "--tools", "10"]),
        "whole": example(&["--tools", "10"]),
    }));
    let paged = tool_names(&tools_json(&env, "paged"));
    let whole = tool_names(&tools_json(&env, "whole"));
    assert_eq!(paged, whole, "every page, in order");
    assert!(paged.contains(&"echo".to_string()));
    assert!(paged.contains(&"synthetic_0010".to_string()));
    assert_eq!(paged.iter().collect::<HashSet<_>>().len(), paged.len());
    assert_eq!(env.server_status("paged")["tools"], paged.len());
    assert_eq!(
        env.call_text("paged", "synthetic_0010", json!({"q": 1})),
        r#"{"q":1}"#,
        "a tool from the last page is callable"
    );
}

#[test]
fn list_changed_refreshes_the_tool_cache() {
    let env = Env::new();
    env.servers(json!({ "ex": example(&[]) }));
    env.start_daemon();
    let mut c = env.connect();
    for (i, name) in ["fresh_a", "fresh_b", "fresh_c"].into_iter().enumerate() {
        let id = 10 * i as u64;
        let r = c.request(
            id + 1,
            "mcpd/call",
            call_params("ex", "add_tool", json!({ "name": name })),
        );
        assert_eq!(result_text(&r), "added");
        // Straight away, on the same connection: no reload, no waiting.
        let r = c.request(
            id + 2,
            "mcpd/call",
            call_params("ex", name, json!({ "text": format!("via {name}") })),
        );
        assert_eq!(result_text(&r), format!("via {name}"), "{r}");
    }
    assert_eq!(
        env.call_text("ex", "fresh_b", json!({"text": "cli"})),
        "cli"
    );
    let names = tool_names(&tools_json(&env, "ex"));
    assert!(names.ends_with(&["fresh_a".into(), "fresh_b".into(), "fresh_c".into()]));
    assert_eq!(env.server_status("ex")["tools"], names.len());
}

#[test]
fn the_child_is_told_no_client_capabilities_and_its_requests_are_answered() {
    let env = Env::new();
    env.servers(json!({ "ex": example(&[]) }));
    assert_eq!(env.call_text("ex", "client_capabilities", json!({})), "{}");
    for method in ["roots/list", "sampling/createMessage", "elicitation/create"] {
        let started = Instant::now();
        let answer = env.call_text("ex", "ask_client", json!({ "method": method }));
        let err: Value = serde_json::from_str(&answer)
            .unwrap_or_else(|e| panic!("{method}: not an error object ({e}): {answer}"));
        assert_eq!(err["code"], -32601, "{method}: {answer}");
        assert!(
            err["message"].as_str().unwrap().contains(method),
            "{answer}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{method} answered at once, not after the child's 5 s timeout"
        );
    }
    assert_eq!(
        env.call_text("ex", "ask_client", json!({ "method": "ping" })),
        "{}"
    );
}

#[test]
fn progress_is_relayed_with_the_clients_token_before_the_result() {
    let env = Env::new();
    env.servers(json!({ "ex": example(&[]) }));
    env.start_daemon();
    let mut c = env.connect();
    let mut params = call_params("ex", "progress", json!({ "steps": 3, "interval_ms": 20 }));
    params["_meta"] = json!({ "progressToken": "tok-1" });
    c.send(&json!({"jsonrpc": "2.0", "id": 7, "method": "mcpd/call", "params": params}));
    let mut seen = Vec::new();
    let result = loop {
        let m = c.recv();
        if m.get("method").is_some() {
            assert_eq!(m["method"], "notifications/progress", "{m}");
            assert_eq!(m["params"]["progressToken"], "tok-1", "{m}");
            assert_eq!(m["params"]["total"], 3);
            seen.push(m["params"]["progress"].as_u64().unwrap());
        } else {
            break m;
        }
    };
    assert_eq!(result["id"], 7);
    assert_eq!(result_text(&result), "done 3 steps");
    assert_eq!(seen, [1, 2, 3]);

    // Without a token, no progress is sent.
    c.send(&json!({"jsonrpc": "2.0", "id": 8, "method": "mcpd/call",
        "params": call_params("ex", "progress", json!({ "steps": 2, "interval_ms": 5 }))}));
    let m = c.recv();
    assert_eq!(m["id"], 8, "no notification before the result: {m}");
}

/// A raw socket connection that returns response lines as the bytes the daemon sent.
struct RawLines {
    stream: std::os::unix::net::UnixStream,
    reader: BufReader<std::os::unix::net::UnixStream>,
}

impl RawLines {
    fn open(env: &Env) -> RawLines {
        // Say hello through the harness, then take over the socket.
        let c = env.connect();
        let stream = c.stream.try_clone().unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        let reader = BufReader::new(stream.try_clone().unwrap());
        drop(c);
        RawLines { stream, reader }
    }

    fn request_line(&mut self, id: u64, method: &str, params: Value) -> String {
        let msg = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        writeln!(self.stream, "{msg}").unwrap();
        loop {
            let mut line = String::new();
            assert!(self.reader.read_line(&mut line).unwrap() > 0, "closed");
            let v: Value = serde_json::from_str(&line).unwrap();
            if v["id"] == id && v.get("method").is_none() {
                return line.trim_end().to_string();
            }
        }
    }
}

/// The raw text of `"result":...` in a response line.
fn raw_result(line: &str) -> &str {
    let at = line
        .find(r#""result":"#)
        .unwrap_or_else(|| panic!("no result in {line}"));
    line[at + 9..]
        .strip_suffix('}')
        .unwrap_or_else(|| panic!("result is not last in {line}"))
}

/// Runs `mcpd example-server` over stdio and returns its response line to a `tools/call`.
fn direct_call_line(tool: &str, arguments: Value) -> String {
    let mut child = Command::new(exe())
        .arg("example-server")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let init = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}}});
    let initialized = json!({"jsonrpc": "2.0", "method": "notifications/initialized"});
    let call = json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
        "params": {"name": tool, "arguments": arguments}});
    writeln!(stdin, "{init}\n{initialized}\n{call}").unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    let found = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let Ok(line) = rx.recv_timeout(left) else {
            break None;
        };
        let v: Value = serde_json::from_str(&line).unwrap();
        if v["id"] == 2 {
            break Some(line);
        }
    };
    drop(stdin);
    if !wait_until(Duration::from_secs(5), || {
        matches!(child.try_wait(), Ok(Some(_)))
    }) {
        procs::kill_hard(pid);
    }
    let _ = child.wait();
    found.expect("the example server answered the call")
}

#[test]
fn the_childs_result_passes_through_byte_exact() {
    let env = Env::new();
    env.servers(json!({ "ex": example(&[]) }));
    env.start_daemon();
    let mut c = RawLines::open(&env);
    for args in [
        json!({"a": 0.1, "b": 0.2}),
        json!({"a": 1e300, "b": 1e300}),
        json!({"a": -7, "b": 2}),
    ] {
        let reference = direct_call_line("add", args.clone());
        assert!(reference.contains("structuredContent"), "{reference}");
        let line = c.request_line(
            5,
            "mcpd/call",
            json!({"server": "ex", "tool": "add", "arguments": args}),
        );
        assert_eq!(raw_result(&line), raw_result(&reference), "for {args}");
        assert_eq!(
            json!(serde_json::from_str::<Value>(&line).unwrap()["id"]),
            5
        );
    }
}

#[test]
fn stderr_is_captured_in_the_servers_log() {
    let env = Env::new();
    env.servers(json!({ "ex": example(&[]) }));
    assert_eq!(
        env.call_text("ex", "log", json!({"text": "stderr line 4711"})),
        "logged"
    );
    let mut last = String::new();
    let found = wait_until(Duration::from_secs(5), || {
        last = env.ok(&["logs", "ex", "-n", "5"]);
        last.lines().any(|l| l == "stderr line 4711")
    });
    assert!(found, "not in the last 5 log lines:\n{last}");
}

#[test]
fn status_json_shows_a_ready_server() {
    let env = Env::new();
    env.servers(json!({ "ex": example(&["--tools", "4"]) }));
    let pid: u64 = env.call_text("ex", "pid", json!({})).parse().unwrap();
    env.call_text("ex", "echo", json!({"text": "1"}));
    env.call_text("ex", "echo", json!({"text": "2"}));
    let tools = tool_names(&tools_json(&env, "ex")).len();
    let s = env.server_status("ex");
    assert_eq!(s["state"], "ready", "{s}");
    assert_eq!(s["pid"], pid, "{s}");
    assert_eq!(s["tools"], tools, "{s}");
    assert_eq!(s["calls"], 3, "{s}");
    assert_eq!(s["restarts"], 0, "{s}");
    assert!(s["uptimeSecs"].as_u64().is_some_and(|u| u < 60), "{s}");
    assert!(s["key"].as_str().is_some_and(|k| k.len() == 16), "{s}");
    assert!(s["log"].as_str().is_some(), "{s}");
    let human = env.ok(&["status"]);
    assert!(
        human.contains("ready") && human.contains(&pid.to_string()),
        "{human}"
    );
}

#[test]
fn cli_tools_and_call_output() {
    let env = Env::new();
    env.servers(json!({ "ex": example(&[]) }));
    let out = env.ok(&["tools", "ex"]);
    assert!(out.starts_with("ex ("), "{out}");
    assert!(out.contains("  add(a: number, b: number)"), "{out}");
    assert!(
        out.contains("  echo(text: string)\n      Echo the given text back."),
        "{out}"
    );
    assert!(out.contains("  fail(message?: string)"), "{out}");

    let out = env.run(&["call", "ex", "echo", r#"{"text": "plain words"}"#]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "plain words\n");

    let out = env.run(&["call", "ex", "fail", r#"{"message": "it broke"}"#]);
    assert_eq!(out.status.code(), Some(1), "isError gives exit code 1");
    assert!(
        text(&out.stderr).contains("it broke"),
        "{}",
        text(&out.stderr)
    );
    let out = env.run(&["call", "--json", "ex", "fail", "{}"]);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["isError"], true);
    assert_eq!(v["content"][0]["text"], "this tool always fails");

    let out = env.run(&["call", "--json", "ex", "add", r#"{"a": 2, "b": 3}"#]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stdout).trim_end(),
        r#"{"content":[{"type":"text","text":"5"}],"structuredContent":{"sum":5}}"#
    );

    let out = env.run(&["call", "ex", "no_such_tool", "{}"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("has no tool 'no_such_tool'"));
}

#[test]
fn unload_ends_the_process_and_reload_starts_a_new_one() {
    let env = Env::new();
    env.servers(json!({ "ex": example(&[]) }));
    let pid = |env: &Env| -> u32 { env.call_text("ex", "pid", json!({})).parse().unwrap() };
    let first = pid(&env);

    let out = env.ok(&["reload", "ex"]);
    assert!(out.starts_with("reloaded ex (pid "), "{out}");
    let second = pid(&env);
    assert_ne!(first, second);
    assert!(
        wait_until(Duration::from_secs(5), || !procs::alive(first)),
        "the old process is gone after reload"
    );
    assert_eq!(env.server_status("ex")["restarts"], 1);

    env.ok(&["unload", "ex"]);
    assert!(
        !procs::alive(second),
        "unload returns once the process is gone"
    );
    let s = env.server_status("ex");
    assert_eq!(s["state"], "stopped", "{s}");
    assert_eq!(s["pid"], Value::Null, "{s}");

    let third = pid(&env);
    assert!(third != first && third != second);
    assert!(procs::alive(third));
}
