//! `mcpd shim` driven over stdin/stdout as an MCP client drives it: the handshake answered at once
//! with or without a daemon, the seven meta-tools, results passed through unchanged, mistakes as
//! `isError` results, parallel calls, progress, cancellation, huge arguments, one daemon for many
//! shims started together, a daemon that cannot start, a daemon killed or stopped mid-session, and
//! servers that outlive the sessions that used them.

mod common;

use common::deps::META_TOOLS;
use common::procs::tool_call_threads;
use common::shim_client::{Shim, WAIT, is_error, text_of};
use common::{Env, example, procs, wait_until};
use serde_json::{Value, json};
use std::path::Path;
use std::time::{Duration, Instant};

/// How fast the handshake must be answered, whatever the daemon is doing.
const HANDSHAKE_BUDGET: Duration = Duration::from_millis(50);

/// Live `mcpd daemon` processes whose MCPD_HOME is `home`, from /proc (no `ps`).
fn daemons_of(home: &Path) -> Vec<u32> {
    procs::with_env("MCPD_HOME", &home.display().to_string())
        .into_iter()
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .is_ok_and(|c| c.split(|b| *b == 0).nth(1) == Some(&b"daemon"[..]))
        })
        .collect()
}

/// The pid the example server `server` reports, through the shim.
fn server_pid(shim: &mut Shim, server: &str) -> u32 {
    let r = shim.call_server(server, "pid", json!({}));
    assert!(!is_error(&r), "{r}");
    text_of(&r).parse().unwrap()
}

/// Sends `initialize` and returns the result and how long the reply took from the write.
fn timed_initialize(shim: &mut Shim) -> (Value, Duration) {
    let id = shim.id();
    let msg = json!({"jsonrpc": "2.0", "id": id, "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                   "clientInfo": {"name": "mcpd-tests", "version": "0"}}});
    let line = msg.to_string();
    let sent = Instant::now();
    shim.send_line(&line);
    let r = shim.response(&id, WAIT);
    (r, sent.elapsed())
}

// 1. Handshake and protocol.

/// The fastest of up to three handshakes, each with a fresh shim from `start`: a busy machine's
/// scheduling noise may slow one, a shim that waits for anything (the daemon) is slow every time.
fn fastest_initialize(mut start: impl FnMut() -> Shim) -> Duration {
    let mut best = Duration::MAX;
    for _ in 0..3 {
        let mut shim = start();
        let (r, took) = timed_initialize(&mut shim);
        assert_eq!(r["result"]["serverInfo"]["name"], "mcpd", "{r}");
        best = best.min(took);
        if best < HANDSHAKE_BUDGET {
            break;
        }
    }
    best
}

#[test]
fn initialize_is_answered_at_once_with_and_without_a_daemon() {
    let envs: Vec<Env> = (0..3).map(|_| Env::new()).collect();
    envs[0].ok(&["--version"]); // warm the binary: disk cache is not what is measured
    let mut used = 0;
    let took = fastest_initialize(|| {
        let env = &envs[used];
        used += 1;
        env.servers(json!({ "ex": example(&[]) }));
        assert!(env.daemon_pid().is_none());
        Shim::start(env)
    });
    assert!(
        took < HANDSHAKE_BUDGET,
        "initialize with no daemon running took {took:?}"
    );
    // Each shim started a daemon in the background meanwhile (let them finish, so that every
    // Env stops its daemon when dropped); the first call uses it.
    for env in &envs[..used] {
        assert!(wait_until(Duration::from_secs(10), || env
            .daemon_pid()
            .is_some()
            && env.socket().exists()));
    }
    let env = &envs[used - 1];
    let mut cold = Shim::start(env);
    cold.initialize();
    assert_eq!(
        text_of(&cold.call_server("ex", "echo", json!({"text": "up"}))),
        "up"
    );
    let daemon = env.daemon_pid().expect("the shim started a daemon");

    let took = fastest_initialize(|| Shim::start(env));
    assert!(
        took < HANDSHAKE_BUDGET,
        "initialize with a daemon running took {took:?}"
    );
    let mut warm = Shim::start(env);
    warm.initialize();
    assert_eq!(
        text_of(&warm.call_server("ex", "echo", json!({"text": "hi"}))),
        "hi"
    );
    assert_eq!(env.daemon_pid(), Some(daemon), "one daemon for all shims");
}

#[test]
fn a_daemon_that_never_answers_delays_neither_the_handshake_nor_the_call_forever() {
    let env = Env::new();
    env.servers(json!({ "ex": example(&[]) }));
    // Something listens on the socket but never answers (a hung daemon): connections are
    // accepted by the kernel and then nothing.
    std::fs::create_dir_all(env.home.join("run")).unwrap();
    let _listener = std::os::unix::net::UnixListener::bind(env.socket()).unwrap();
    let took = fastest_initialize(|| Shim::start(&env));
    assert!(
        took < HANDSHAKE_BUDGET,
        "initialize with a hung daemon took {took:?}"
    );

    let mut shim = Shim::start(&env);
    shim.initialize();
    let started = Instant::now();
    let r = shim.call_tool("get_loaded_servers", json!({}));
    assert!(is_error(&r), "{r}");
    let text = text_of(&r);
    assert!(
        text.contains("did not answer within 5 s")
            && text.contains(&env.socket().display().to_string())
            && text.contains("mcpd.log")
            && text.contains("mcpd.pid"),
        "says what is wrong: {text}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(7),
        "one wait for the hello, shared by the calls queued behind it: {:?}",
        started.elapsed()
    );
    // Calls queued behind one attempt share its failure; a later call tries again.
    let ids: Vec<Value> = (0..3)
        .map(|_| shim.send_call("get_loaded_servers", json!({}), None))
        .collect();
    let started = Instant::now();
    for id in &ids {
        let r = shim.response(id, WAIT);
        assert!(is_error(&r["result"]), "{r}");
    }
    assert!(
        started.elapsed() < Duration::from_secs(7),
        "three queued calls waited {:?}",
        started.elapsed()
    );
    assert_eq!(shim.request("ping", json!({}))["result"], json!({}));
}

#[test]
fn negotiates_the_version_and_answers_unknown_methods_and_garbage_at_once() {
    let env = Env::new();
    env.servers(json!({ "ex": example(&[]) }));
    for (asked, agreed) in [
        ("2024-11-05", "2024-11-05"),
        ("2025-06-18", "2025-06-18"),
        ("2025-11-25", "2025-11-25"),
        ("2099-01-01", "2025-11-25"),
    ] {
        let mut shim = Shim::start(&env);
        let r = shim.initialize_with(asked);
        assert_eq!(r["protocolVersion"], agreed, "asked for {asked}: {r}");
        assert_eq!(r["capabilities"]["tools"]["listChanged"], true, "{r}");
        assert!(r["instructions"].as_str().unwrap().contains("ex"), "{r}");
    }

    let mut shim = Shim::start(&env);
    // A 2026-era client probes with server/discover before any initialize: -32601 at once.
    let id = shim.id();
    let sent = Instant::now();
    shim.send(&json!({"jsonrpc": "2.0", "id": id, "method": "server/discover", "params": {}}));
    let r = shim.response(&id, WAIT);
    assert!(
        sent.elapsed() < Duration::from_secs(1),
        "{:?}",
        sent.elapsed()
    );
    assert_eq!(r["error"]["code"], -32601, "{r}");
    shim.initialize();
    let r = shim.request("ping", json!({}));
    assert_eq!(r["result"], json!({}), "{r}");
    let r = shim.request("resources/list", json!({}));
    assert_eq!(r["error"]["code"], -32601, "{r}");

    // Garbage: a parse error with id null, and the session goes on.
    shim.send_line("this is not json");
    let m = shim.recv(WAIT).expect("an answer to garbage");
    assert_eq!(m["error"]["code"], -32700, "{m}");
    assert_eq!(m["id"], Value::Null, "{m}");
    shim.send_line(r#"{"jsonrpc":"2.0","id":77,"method":"#);
    assert_eq!(shim.recv(WAIT).unwrap()["error"]["code"], -32700);
    shim.send_line(r#"{"jsonrpc":"2.0","id":78}"#);
    let m = shim.recv(WAIT).unwrap();
    assert_eq!(m["error"]["code"], -32600, "{m}");
    assert_eq!(m["id"], 78, "{m}");
    shim.send_line("");
    // A notification the shim does not know and a stray response are ignored silently.
    shim.notify("notifications/roots/list_changed", json!({}));
    shim.send(&json!({"jsonrpc": "2.0", "id": 5, "result": {}}));
    let r = shim.request("ping", json!({}));
    assert_eq!(r["result"], json!({}), "{r}");
    let r = shim.call_server("ex", "echo", json!({"text": "after garbage"}));
    assert_eq!(text_of(&r), "after garbage");

    // Nothing else ever appeared on stdout (each line read was checked), to the very end.
    shim.close_stdin();
    let rest = shim.drain_to_eof(Duration::from_secs(5));
    assert!(rest.is_empty(), "unexpected messages: {rest:?}");
}

#[test]
fn closing_stdin_ends_the_shim_and_its_servers_keep_running() {
    let env = Env::new();
    env.servers(json!({ "ex": example(&[]) }));
    let mut shim = Shim::start(&env);
    shim.initialize();
    let pid = server_pid(&mut shim, "ex");
    let daemon = env.daemon_pid().unwrap();

    let closed = Instant::now();
    shim.close_stdin();
    let status = shim
        .wait_exit(Duration::from_secs(2))
        .unwrap_or_else(|| panic!("the shim still runs 2 s after stdin closed"));
    assert!(status.success(), "{status:?}");
    assert!(closed.elapsed() < Duration::from_secs(2));

    let st = env.server_status("ex");
    assert_eq!(st["state"], "ready", "{st}");
    assert_eq!(st["pid"], pid, "the same server process: {st}");
    assert!(procs::alive(pid));
    assert_eq!(env.daemon_pid(), Some(daemon));
}

// 2. tools/list and instructions.

#[test]
fn tools_list_is_the_seven_meta_tools_in_under_three_kilobytes() {
    let env = Env::new();
    env.servers(json!({ "ex": example(&["--tools", "200"]) }));
    // A daemon up front: no test may end while its shim is still starting one.
    env.start_daemon();
    let mut shim = Shim::start(&env);
    shim.initialize();
    let id = shim.send_request("tools/list", json!({}));
    let (r, len) = shim.response_with_len(&id, WAIT);
    assert!(len <= 3072, "tools/list is {len} bytes");
    let tools = r["result"]["tools"].as_array().unwrap();
    let names: Vec<&str> = tools.iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, META_TOOLS);
    for t in tools {
        let schema = &t["inputSchema"];
        assert_eq!(schema["type"], "object", "{t}");
        assert!(schema["properties"].is_object(), "{t}");
        assert!(
            t["description"].as_str().is_some_and(|d| !d.is_empty()),
            "{t}"
        );
        assert_eq!(t["_meta"]["anthropic/alwaysLoad"], true, "{t}");
        assert!(t.get("outputSchema").is_none(), "{t}");
    }
    let call = &tools[2]["inputSchema"];
    assert_eq!(
        call["required"],
        json!(["server_name", "tool_name", "parameters"])
    );
    assert_eq!(call["properties"]["parameters"]["type"], "object");
    assert_eq!(tools[3]["inputSchema"]["required"], json!(["query"]));
}

#[test]
fn instructions_name_the_servers_and_stay_under_two_kilobytes() {
    let env = Env::new();
    env.servers(json!({
        "github": {"command": "gh-mcp", "description": "Issues and pull requests on GitHub"},
        "time": {"command": "time-mcp", "description": "Current time in any timezone"},
        "plain": {"command": "plain-mcp"},
    }));
    env.start_daemon();
    let mut shim = Shim::start(&env);
    let r = shim.initialize();
    let text = r["instructions"].as_str().unwrap();
    for part in [
        "github: Issues and pull requests on GitHub",
        "time: Current time in any timezone",
        "- plain",
        "get_loaded_servers",
        "call_dynamic_server_tool",
    ] {
        assert!(text.contains(part), "instructions lack {part:?}: {text}");
    }
    drop(shim);

    let many: serde_json::Map<String, Value> = (0..100)
        .map(|i| {
            (
                format!("server-{i:03}"),
                json!({"command": "x", "description": format!("Server number {i} does many useful things for the project")}),
            )
        })
        .collect();
    env.servers(Value::Object(many));
    let mut shim = Shim::start(&env);
    let r = shim.initialize();
    let text = r["instructions"].as_str().unwrap();
    assert!(text.len() <= 2048, "instructions are {} bytes", text.len());
    assert!(text.contains("server-000: Server number 0 does"), "{text}");
    assert!(text.contains("get_loaded_servers lists all"), "{text}");
}

// 3. Each meta-tool.

#[test]
fn get_loaded_servers_then_load_lists_states_and_signatures() {
    let env = Env::new();
    let mut alias = example(&[]);
    alias["description"] = json!("the same definition as ex");
    let mut other = example(&["--name", "other"]);
    other["description"] = json!("the second one");
    env.servers(json!({ "ex": example(&[]), "alias": alias, "other": other }));
    let mut shim = Shim::start(&env);
    shim.initialize();

    let r = shim.call_tool("get_loaded_servers", json!({}));
    assert!(!is_error(&r), "{r}");
    let text = text_of(&r);
    assert!(text.contains("3 server(s)"), "{text}");
    assert!(text.contains("- ex [stopped]\n"), "{text}");
    assert!(
        text.contains("- alias [stopped]: the same definition as ex"),
        "{text}"
    );
    assert!(
        text.contains("- other [stopped") && text.contains("the second one"),
        "{text}"
    );

    let r = shim.call_tool("load_mcp_server_dynamically", json!({"server_name": "ex"}));
    assert!(!is_error(&r), "{r}");
    let text = text_of(&r);
    assert!(text.contains("Server 'ex' is ready (pid "), "{text}");
    for sig in [
        "add(a: number, b: number)",
        "echo(text: string)",
        "sleep(ms: integer)",
        "progress(steps: integer, interval_ms?: integer)",
    ] {
        assert!(text.contains(sig), "no signature {sig:?} in: {text}");
    }
    assert!(text.contains("Echo the given text back."), "{text}");
    assert!(
        !text.contains("Returns one text block"),
        "only the first line of a description: {text}"
    );
    let pid = env.server_status("ex")["pid"].as_u64().unwrap();
    assert!(text.contains(&format!("pid {pid}")), "{text}");

    let r = shim.call_tool("get_loaded_servers", json!({}));
    let text = text_of(&r);
    let ex_line = text.lines().find(|l| l.starts_with("- ex ")).unwrap();
    assert!(
        ex_line.contains("ready")
            && ex_line.contains(&format!("pid {pid}"))
            && ex_line.contains(" tools"),
        "{text}"
    );
    assert!(text.contains("- other [stopped"), "{text}");
    // A name with the same definition shares the process, with its own name and description.
    let alias_line = text.lines().find(|l| l.starts_with("- alias ")).unwrap();
    assert!(
        alias_line.contains(&format!("pid {pid}"))
            && alias_line.ends_with(": the same definition as ex"),
        "{text}"
    );
    assert!(!ex_line.contains("the same definition"), "{text}");
}

#[test]
fn call_loads_on_first_use_and_passes_results_through_unchanged() {
    let env = Env::new();
    env.servers(json!({ "ex": example(&[]) }));
    let mut shim = Shim::start(&env);
    shim.initialize();
    let r = shim.call_tool("get_loaded_servers", json!({}));
    assert!(text_of(&r).contains("- ex [stopped]"), "{r}");

    let r = shim.call_server("ex", "add", json!({"a": 2, "b": 3}));
    assert_eq!(
        r,
        json!({"content": [{"type": "text", "text": "5"}], "structuredContent": {"sum": 5}})
    );
    assert_eq!(env.server_status("ex")["state"], "ready");

    // Byte for byte what the daemon returns to any client, image blocks included.
    let mut direct = env.connect();
    for (tool, args) in [
        ("add", json!({"a": 1.5, "b": 2})),
        ("image", json!({})),
        ("fail", json!({"message": "nope"})),
    ] {
        let via_shim = shim.call_server("ex", tool, args.clone());
        let d = direct.request(
            1,
            "mcpd/call",
            json!({"server": "ex", "tool": tool, "arguments": args}),
        );
        assert_eq!(via_shim, d["result"], "{tool}");
    }
    let r = shim.call_server("ex", "image", json!({}));
    let image = &r["content"][0];
    assert_eq!(image["type"], "image", "{r}");
    assert_eq!(image["mimeType"], "image/png", "{r}");
    assert!(image["data"].as_str().unwrap().starts_with("iVBOR"), "{r}");
    assert_eq!(r["content"][1]["type"], "text");

    let r = shim.call_server("ex", "fail", json!({}));
    assert_eq!(r["isError"], true, "{r}");
    assert_eq!(text_of(&r), "this tool always fails");

    // `parameters` may be omitted or null for a tool without arguments.
    let pid = env.server_status("ex")["pid"].clone();
    let r = shim.call_tool(
        "call_dynamic_server_tool",
        json!({"server_name": "ex", "tool_name": "pid"}),
    );
    assert_eq!(text_of(&r), pid.to_string(), "{r}");
    let r = shim.call_tool(
        "call_dynamic_server_tool",
        json!({"server_name": "ex", "tool_name": "pid", "parameters": null}),
    );
    assert_eq!(text_of(&r), pid.to_string(), "{r}");
}

#[test]
fn mistakes_are_is_error_results_that_say_what_to_do() {
    let env = Env::new();
    env.servers(json!({ "github": example(&[]), "time": example(&[]) }));
    let mut shim = Shim::start(&env);
    shim.initialize();

    let expect_error = |shim: &mut Shim, name: &str, args: Value, parts: &[&str]| {
        let r = shim.call_tool(name, args.clone());
        assert!(is_error(&r), "{name} {args} should fail: {r}");
        let text = text_of(&r);
        for p in parts {
            assert!(text.contains(p), "{name} {args}: {text:?} lacks {p:?}");
        }
    };

    expect_error(
        &mut shim,
        "call_dynamic_server_tool",
        json!({"server_name": "gihub", "tool_name": "echo", "parameters": {}}),
        &[
            "unknown server 'gihub'",
            "did you mean 'github'",
            "github, time",
        ],
    );
    for tool in [
        "load_mcp_server_dynamically",
        "reload_mcp_server",
        "unload_mcp_server",
    ] {
        expect_error(
            &mut shim,
            tool,
            json!({"server_name": "tme"}),
            &["unknown server 'tme'", "did you mean 'time'"],
        );
    }
    expect_error(
        &mut shim,
        "call_dynamic_server_tool",
        json!({"server_name": "github", "tool_name": "ad", "parameters": {"a": 1, "b": 2}}),
        &[
            "has no tool 'ad'",
            "did you mean 'add'",
            "echo",
            "sleep",
            "pid",
        ],
    );
    let r = shim.call_server("github", "ad", json!({}));
    assert!(
        text_of(&r).starts_with("server 'github' has no tool 'ad'")
            && text_of(&r).matches("grandchild_pid").count() == 1,
        "mcpd's own answer, said once (not as the child rejecting the call): {r}"
    );
    for bad in [json!([1, 2]), json!("a=1"), json!(3)] {
        expect_error(
            &mut shim,
            "call_dynamic_server_tool",
            json!({"server_name": "github", "tool_name": "echo", "parameters": bad}),
            &["'parameters' must be a JSON object"],
        );
    }
    expect_error(
        &mut shim,
        "call_dynamic_server_tool",
        json!({"tool_name": "echo", "parameters": {}}),
        &["missing required argument 'server_name'"],
    );
    expect_error(
        &mut shim,
        "call_dynamic_server_tool",
        json!({"server_name": "github", "tool_name": 7, "parameters": {}}),
        &["argument 'tool_name' must be a string, got: 7"],
    );
    expect_error(
        &mut shim,
        "load_mcp_server_dynamically",
        json!({}),
        &["missing required argument 'server_name'"],
    );
    expect_error(
        &mut shim,
        "search_tools",
        json!({"query": "x", "limit": "five"}),
        &["argument 'limit' must be a positive integer"],
    );
    expect_error(
        &mut shim,
        "search_tools",
        json!({}),
        &["missing required argument 'query'"],
    );
    expect_error(
        &mut shim,
        "get_loaded_servers",
        json!(["not", "an", "object"]),
        &["arguments must be a JSON object"],
    );
    expect_error(
        &mut shim,
        "install_and_load_mcp_server",
        json!({"source": "npm:@modelcontextprotocol/server-everything"}),
        &["not available yet", "server-everything", ".mcpd.json"],
    );
    // The child's own validation error (add with a missing argument) is an isError too.
    let r = shim.call_server("github", "add", json!({"a": 1}));
    assert!(is_error(&r), "{r}");

    // An unknown meta-tool or a tools/call without a name is a JSON-RPC error.
    let r = shim.request(
        "tools/call",
        json!({"name": "no_such_tool", "arguments": {}}),
    );
    assert_eq!(r["error"]["code"], -32602, "{r}");
    let msg = r["error"]["message"].as_str().unwrap();
    assert!(
        msg.contains("no_such_tool") && msg.contains("call_dynamic_server_tool"),
        "{msg}"
    );
    let r = shim.request("tools/call", json!({"arguments": {}}));
    assert_eq!(r["error"]["code"], -32602, "{r}");
    let id = shim.id();
    shim.send(&json!({"jsonrpc": "2.0", "id": id, "method": "tools/call"}));
    assert_eq!(shim.response(&id, WAIT)["error"]["code"], -32602);

    // After all that the session and the server still work.
    let r = shim.call_server("github", "echo", json!({"text": "fine"}));
    assert_eq!(text_of(&r), "fine");
}

#[test]
fn reload_starts_a_new_process_and_unload_stops_it() {
    let env = Env::new();
    env.servers(json!({ "ex": example(&[]) }));
    let mut shim = Shim::start(&env);
    shim.initialize();
    let first = server_pid(&mut shim, "ex");

    let r = shim.call_tool("reload_mcp_server", json!({"server_name": "ex"}));
    assert!(!is_error(&r), "{r}");
    let text = text_of(&r);
    assert!(text.contains("'ex' was reloaded and is ready"), "{text}");
    assert!(text.contains("add(a: number, b: number)"), "{text}");
    let second = server_pid(&mut shim, "ex");
    assert_ne!(first, second, "reload gives a new process");
    assert!(text.contains(&format!("pid {second}")), "{text}");
    assert!(
        wait_until(Duration::from_secs(5), || !procs::alive(first)),
        "the old process ended"
    );

    let r = shim.call_tool("unload_mcp_server", json!({"server_name": "ex"}));
    assert!(!is_error(&r), "{r}");
    assert!(text_of(&r).contains("'ex' is stopped"), "{r}");
    assert!(wait_until(Duration::from_secs(5), || !procs::alive(second)));
    assert_eq!(env.server_status("ex")["state"], "stopped");

    // It starts again on the next call.
    let third = server_pid(&mut shim, "ex");
    assert!(third != first && third != second);
}

#[test]
fn search_tools_returns_matching_tools_with_their_schemas() {
    let env = Env::new();
    env.servers(json!({ "ex": example(&[]), "more": example(&["--name", "more"]) }));
    let mut shim = Shim::start(&env);
    shim.initialize();

    let r = shim.call_tool(
        "search_tools",
        json!({"query": "add two numbers", "limit": 3}),
    );
    assert!(!is_error(&r), "{r}");
    let text = text_of(&r);
    assert!(
        text.contains("best match(es) for 'add two numbers'"),
        "{text}"
    );
    // Each match: "server: NAME" then the tool's full definition as JSON.
    let first = text
        .split("\n\nserver: ")
        .nth(1)
        .unwrap_or_else(|| panic!("no match in {text}"));
    let (server, tool) = first.split_once('\n').unwrap();
    assert!(server == "ex" || server == "more", "{text}");
    let tool: Value = serde_json::from_str(tool).unwrap_or_else(|e| panic!("{e}: {tool}"));
    assert_eq!(tool["name"], "add", "{text}");
    assert_eq!(
        tool["inputSchema"]["properties"]["a"]["type"], "number",
        "{tool}"
    );
    assert_eq!(tool["inputSchema"]["required"], json!(["a", "b"]), "{tool}");
    assert!(text.matches("\n\nserver: ").count() <= 3, "limit 3: {text}");

    let r = shim.call_tool(
        "search_tools",
        json!({"query": "sleep", "server_name": "more", "limit": 1}),
    );
    let text = text_of(&r);
    assert!(!is_error(&r), "{r}");
    assert_eq!(text.matches("\n\nserver: ").count(), 1, "{text}");
    assert!(text.contains("server: more\n"), "{text}");
    assert!(text.contains(r#""name":"sleep""#), "{text}");

    let r = shim.call_tool(
        "search_tools",
        json!({"query": "sleep", "server_name": "mor"}),
    );
    assert!(is_error(&r), "{r}");
    assert!(text_of(&r).contains("did you mean 'more'"), "{r}");

    // The tools found are callable as they are.
    assert_eq!(
        shim.call_server("more", "add", json!({"a": 40, "b": 2}))["structuredContent"]["sum"],
        42
    );
}

// 4. Parallel calls.

/// Sends 20 sleeps (300 + i ms, to server `servers[i % len]`) at once; checks every result.
fn twenty_parallel_sleeps(shim: &mut Shim, servers: &[&str]) -> Duration {
    let started = Instant::now();
    let ids: Vec<(Value, u64)> = (0..20u64)
        .map(|i| {
            let ms = 300 + i;
            let server = servers[i as usize % servers.len()];
            let id = shim.send_call(
                "call_dynamic_server_tool",
                json!({"server_name": server, "tool_name": "sleep", "parameters": {"ms": ms}}),
                None,
            );
            (id, ms)
        })
        .collect();
    for (id, ms) in ids.iter().rev() {
        let r = shim.response(id, WAIT);
        assert_eq!(
            text_of(&r["result"]),
            format!("slept {ms} ms"),
            "call {id}: {r}"
        );
    }
    started.elapsed()
}

#[test]
fn twenty_parallel_calls_to_one_and_to_several_servers() {
    let env = Env::new();
    env.servers(json!({
        "a": example(&[]), "b": example(&[]), "c": example(&[]), "d": example(&[]),
    }));
    let mut shim = Shim::start(&env);
    shim.initialize();
    for s in ["a", "b", "c", "d"] {
        server_pid(&mut shim, s);
    }
    let one = twenty_parallel_sleeps(&mut shim, &["a"]);
    assert!(
        one < Duration::from_secs(2),
        "20 × 300 ms on one server took {one:?}"
    );
    let several = twenty_parallel_sleeps(&mut shim, &["a", "b", "c", "d"]);
    assert!(
        several < Duration::from_secs(2),
        "20 × 300 ms on four servers took {several:?}"
    );
}

// 5. Progress, cancellation, huge arguments, a client that leaves mid-call.

#[test]
fn progress_reaches_the_client_before_the_result() {
    let env = Env::new();
    env.servers(json!({ "ex": example(&[]) }));
    let mut shim = Shim::start(&env);
    shim.initialize();
    let id = shim.send_call(
        "call_dynamic_server_tool",
        json!({"server_name": "ex", "tool_name": "progress", "parameters": {"steps": 3, "interval_ms": 30}}),
        Some(json!({"progressToken": "p-1"})),
    );
    let r = shim.response(&id, WAIT);
    assert_eq!(text_of(&r["result"]), "done 3 steps", "{r}");
    // Everything read before the response is in the backlog, in order.
    let before = shim.take_backlog();
    let progress: Vec<&Value> = before
        .iter()
        .filter(|m| m["method"] == "notifications/progress")
        .collect();
    assert_eq!(progress.len(), 3, "{before:?}");
    for (i, p) in progress.iter().enumerate() {
        assert_eq!(p["params"]["progressToken"], "p-1", "{p}");
        assert_eq!(p["params"]["progress"], i as u64 + 1, "{p}");
        assert_eq!(p["params"]["total"], 3, "{p}");
    }

    // Without a token, no progress is sent.
    let id = shim.send_call(
        "call_dynamic_server_tool",
        json!({"server_name": "ex", "tool_name": "progress", "parameters": {"steps": 2, "interval_ms": 1}}),
        None,
    );
    shim.response(&id, WAIT);
    assert!(shim.take_backlog().is_empty());
}

#[test]
fn a_cancelled_call_gets_no_response_and_stops_in_the_child() {
    let env = Env::new();
    env.servers(json!({ "ex": example(&[]) }));
    let mut shim = Shim::start(&env);
    shim.initialize();
    let child = server_pid(&mut shim, "ex");

    let id = shim.send_call(
        "call_dynamic_server_tool",
        json!({"server_name": "ex", "tool_name": "sleep", "parameters": {"ms": 5000}}),
        None,
    );
    assert!(
        wait_until(Duration::from_secs(5), || tool_call_threads(child) == 1),
        "the sleep runs in the child"
    );
    shim.notify(
        "notifications/cancelled",
        json!({"requestId": id, "reason": "user pressed Esc"}),
    );
    assert!(
        wait_until(Duration::from_secs(2), || tool_call_threads(child) == 0),
        "the child's sleep was not cancelled"
    );
    let started = Instant::now();
    assert_eq!(server_pid(&mut shim, "ex"), child, "same server");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    // No response to the cancelled request, now or later.
    if let Some(m) = shim.recv(Duration::from_millis(500)) {
        panic!("unexpected message after cancel: {m}");
    }
    assert!(shim.take_backlog().is_empty());
    // Cancelling an unknown or finished request is harmless.
    shim.notify("notifications/cancelled", json!({"requestId": 999}));
    shim.notify("notifications/cancelled", json!({"requestId": id}));
    assert_eq!(shim.request("ping", json!({}))["result"], json!({}));
}

#[test]
fn huge_parameters_are_passed_through() {
    let env = Env::new();
    env.servers(json!({ "ex": example(&[]) }));
    let mut shim = Shim::start(&env);
    shim.initialize();
    let big = "x".repeat(5 * 1024 * 1024);
    let r = shim.call_server("ex", "echo", json!({"text": big}));
    assert!(
        !is_error(&r),
        "{}",
        r.to_string().chars().take(300).collect::<String>()
    );
    assert_eq!(text_of(&r).len(), big.len());
    assert!(text_of(&r) == big);
    let r = shim.call_server("ex", "echo", json!({"text": "small again"}));
    assert_eq!(text_of(&r), "small again");
    assert_eq!(shim.request("ping", json!({}))["result"], json!({}));
}

#[test]
fn a_client_that_leaves_mid_call_has_the_childs_request_cancelled() {
    let env = Env::new();
    env.servers(json!({ "ex": example(&[]) }));
    let mut shim = Shim::start(&env);
    shim.initialize();
    let child = server_pid(&mut shim, "ex");
    shim.send_call(
        "call_dynamic_server_tool",
        json!({"server_name": "ex", "tool_name": "sleep", "parameters": {"ms": 5000}}),
        None,
    );
    assert!(wait_until(Duration::from_secs(5), || tool_call_threads(
        child
    ) == 1));
    let left = Instant::now();
    shim.close_stdin();
    assert!(
        shim.wait_exit(Duration::from_secs(2)).is_some(),
        "the shim exits within 2 s of stdin closing"
    );
    assert!(
        wait_until(Duration::from_secs(2), || tool_call_threads(child) == 0),
        "the child's sleep was not cancelled"
    );
    assert!(
        left.elapsed() < Duration::from_secs(3),
        "{:?}",
        left.elapsed()
    );
    let st = env.server_status("ex");
    assert_eq!(
        (st["state"].as_str(), st["pid"].as_u64()),
        (Some("ready"), Some(child as u64)),
        "{st}"
    );
    assert_eq!(env.call_text("ex", "pid", json!({})), child.to_string());
}

// 6. Autostart.

#[test]
fn ten_shims_started_together_share_one_daemon() {
    let env = Env::new();
    env.servers(json!({ "ex": example(&[]) }));
    assert!(env.daemon_pid().is_none());
    let shims: Vec<Shim> = (0..10).map(|_| Shim::start(&env)).collect();
    let pids: Vec<u32> = std::thread::scope(|scope| {
        let handles: Vec<_> = shims
            .into_iter()
            .map(|mut shim| {
                scope.spawn(move || {
                    shim.initialize();
                    server_pid(&mut shim, "ex")
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(
        pids.iter().all(|p| *p == pids[0]),
        "one server process: {pids:?}"
    );
    let daemon = env.daemon_pid().expect("a pid file");
    assert_eq!(env.status()["daemon"]["pid"], daemon);
    assert!(
        wait_until(Duration::from_secs(5), || daemons_of(&env.home)
            == vec![daemon]),
        "exactly one daemon process: {:?} (pid file says {daemon})",
        daemons_of(&env.home)
    );
    let run: Vec<String> = std::fs::read_dir(env.home.join("run"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".pid"))
        .collect();
    assert_eq!(run, ["mcpd.pid"]);
}

#[test]
fn a_daemon_that_cannot_start_is_explained_and_the_shim_stays_up() {
    let env = Env::new();
    env.servers(json!({ "ex": example(&[]) }));
    // MCPD_HOME under a regular file: no directory can be made there, whoever we are (root too).
    let blocker = env.dir.path().join("not-a-dir");
    std::fs::write(&blocker, "a file").unwrap();
    let home = blocker.join("home");
    let mut cmd = env.cmd(&["shim"]);
    cmd.env("MCPD_HOME", &home);
    let mut shim = Shim::spawn(cmd);
    let r = shim.initialize();
    assert_eq!(r["serverInfo"]["name"], "mcpd");

    let log = home.join("logs").join("mcpd.log");
    let log = log.display().to_string();
    for (tool, args) in [
        ("get_loaded_servers", json!({})),
        ("load_mcp_server_dynamically", json!({"server_name": "ex"})),
        (
            "call_dynamic_server_tool",
            json!({"server_name": "ex", "tool_name": "echo", "parameters": {"text": "x"}}),
        ),
        ("reload_mcp_server", json!({"server_name": "ex"})),
        ("unload_mcp_server", json!({"server_name": "ex"})),
        ("search_tools", json!({"query": "echo"})),
    ] {
        let started = Instant::now();
        let r = shim.call_tool(tool, args);
        assert!(is_error(&r), "{tool}: {r}");
        let text = text_of(&r);
        assert!(
            text.contains("daemon could not start") && text.contains("Not a directory"),
            "{tool} says why: {text}"
        );
        assert!(text.contains(&log), "{tool} names the log {log}: {text}");
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{tool}: {:?}",
            started.elapsed()
        );
        assert!(shim.running());
    }
    assert_eq!(shim.request("ping", json!({}))["result"], json!({}));
    let r = shim.request("tools/list", json!({}));
    assert_eq!(r["result"]["tools"].as_array().unwrap().len(), 7);
    assert!(shim.running(), "the shim stays up");
}

// 7. The daemon goes away mid-session.

#[test]
fn a_daemon_killed_mid_call_fails_that_call_and_the_next_call_starts_a_new_one() {
    let env = Env::new();
    env.servers(json!({ "ex": example(&[]) }));
    let mut shim = Shim::start(&env);
    shim.initialize();
    let child = server_pid(&mut shim, "ex");
    let daemon = env.daemon_pid().unwrap();

    let id = shim.send_call(
        "call_dynamic_server_tool",
        json!({"server_name": "ex", "tool_name": "sleep", "parameters": {"ms": 3000}}),
        None,
    );
    assert!(wait_until(Duration::from_secs(5), || tool_call_threads(
        child
    ) == 1));
    let killed = Instant::now();
    procs::kill_hard(daemon);
    let r = shim.response(&id, Duration::from_secs(5));
    assert!(
        killed.elapsed() < Duration::from_secs(2),
        "{:?}",
        killed.elapsed()
    );
    let result = &r["result"];
    assert!(is_error(result), "{r}");
    assert!(text_of(result).contains("daemon went away"), "{r}");
    assert!(text_of(result).contains("retry"), "{r}");
    assert!(shim.running());

    let again = server_pid(&mut shim, "ex");
    let new_daemon = env.daemon_pid().unwrap();
    assert_ne!(new_daemon, daemon, "a new daemon was started");
    assert!(procs::alive(new_daemon));
    assert_eq!(
        env.server_status("ex")["pid"],
        again,
        "the server is loaded again"
    );
    assert!(procs::alive(again));
    assert_eq!(
        text_of(&shim.call_server("ex", "echo", json!({"text": "ok"}))),
        "ok"
    );
    assert!(shim.running(), "the shim never exited");
}

#[test]
fn mcpd_stop_mid_session_and_the_next_call_works() {
    let env = Env::new();
    env.servers(json!({ "ex": example(&[]) }));
    let mut shim = Shim::start(&env);
    shim.initialize();
    let child = server_pid(&mut shim, "ex");
    let daemon = env.daemon_pid().unwrap();
    env.ok(&["stop"]);
    assert!(wait_until(Duration::from_secs(5), || !procs::alive(daemon)));
    assert!(!procs::alive(child));
    assert!(shim.running());

    let r = shim.call_server("ex", "echo", json!({"text": "after stop"}));
    assert_eq!(text_of(&r), "after stop", "{r}");
    let new_daemon = env.daemon_pid().unwrap();
    assert_ne!(new_daemon, daemon);
    assert_ne!(server_pid(&mut shim, "ex"), child);
    assert_eq!(shim.request("ping", json!({}))["result"], json!({}));
    assert!(shim.running(), "the shim never exited");
}

// 8. Servers outlive sessions.

#[test]
fn servers_outlive_sessions_and_concurrent_sessions_share_them() {
    let env = Env::new();
    env.servers(json!({ "ex": example(&["--startup-delay-ms", "300"]) }));
    let mut first = Shim::start(&env);
    first.initialize();
    let pid = server_pid(&mut first, "ex");
    first.close_stdin();
    assert!(first.wait_exit(Duration::from_secs(2)).is_some());
    drop(first);

    let mut second = Shim::start(&env);
    second.initialize();
    let started = Instant::now();
    assert_eq!(server_pid(&mut second, "ex"), pid, "warm: the same process");
    assert!(
        started.elapsed() < Duration::from_millis(300),
        "no start-up delay for a warm server: {:?}",
        started.elapsed()
    );

    let mut third = Shim::start(&env);
    third.initialize();
    assert_eq!(server_pid(&mut third, "ex"), pid);
    assert_eq!(server_pid(&mut second, "ex"), pid);
    // Both sessions at once on the one process.
    let a = second.send_call(
        "call_dynamic_server_tool",
        json!({"server_name": "ex", "tool_name": "sleep", "parameters": {"ms": 200}}),
        None,
    );
    let b = third.send_call(
        "call_dynamic_server_tool",
        json!({"server_name": "ex", "tool_name": "sleep", "parameters": {"ms": 201}}),
        None,
    );
    assert_eq!(
        text_of(&second.response(&a, WAIT)["result"]),
        "slept 200 ms"
    );
    assert_eq!(text_of(&third.response(&b, WAIT)["result"]), "slept 201 ms");
    let st = env.status();
    let servers = st["servers"].as_array().unwrap();
    assert_eq!(servers.len(), 1, "{st}");
    assert_eq!(servers[0]["pid"], pid);
}
