//! End-to-end tests of `run` over real stdin/stdout: this test binary re-runs itself as the
//! server (when `SERVER_ARGS_ENV` is set), so it has its own `main` instead of libtest.

mod server_process;

use std::thread;
use std::time::Duration;

use serde_json::{Value, json};
use server_process::{SERVER_ARGS_ENV, Server};

const TESTS: &[(&str, fn())] = &[
    (
        "conversation_then_exit_on_stdin_eof",
        conversation_then_exit_on_stdin_eof,
    ),
    ("bad_flag_exits_2_silently", bad_flag_exits_2_silently),
    ("crash_on_start_exits_1", crash_on_start_exits_1),
    (
        "crash_tool_exits_with_its_code",
        crash_tool_exits_with_its_code,
    ),
    (
        "garbage_on_start_precedes_messages",
        garbage_on_start_precedes_messages,
    ),
    ("cancelled_call_sends_nothing", cancelled_call_sends_nothing),
    (
        "concurrent_output_stays_line_whole",
        concurrent_output_stays_line_whole,
    ),
    (
        "ignore_stdin_eof_keeps_living",
        ignore_stdin_eof_keeps_living,
    ),
    (
        "sigterm_is_ignored_on_request",
        sigterm_is_ignored_on_request,
    ),
    (
        "grandchild_shares_the_process_group",
        grandchild_shares_the_process_group,
    ),
];

fn main() {
    if let Some(args) = std::env::var_os(SERVER_ARGS_ENV) {
        let args: Vec<String> = serde_json::from_str(&args.to_string_lossy()).expect("server args");
        std::process::exit(mcpd_example_server::run(args));
    }
    let cli: Vec<String> = std::env::args().skip(1).collect();
    if cli.iter().any(|a| a == "--list") {
        TESTS.iter().for_each(|(name, _)| println!("{name}: test"));
        return;
    }
    let exact = cli.iter().any(|a| a == "--exact");
    let filters: Vec<&String> = cli.iter().filter(|a| !a.starts_with('-')).collect();
    let selected = TESTS.iter().filter(|(name, _)| {
        filters.is_empty()
            || filters.iter().any(|f| {
                if exact {
                    *name == f.as_str()
                } else {
                    name.contains(f.as_str())
                }
            })
    });
    let mut failed = Vec::new();
    let mut passed = 0;
    for (name, test) in selected {
        let outcome = std::panic::catch_unwind(test);
        println!(
            "test {name} ... {}",
            if outcome.is_ok() { "ok" } else { "FAILED" }
        );
        if outcome.is_err() {
            failed.push(*name);
        } else {
            passed += 1;
        }
    }
    // The same closing line as libtest, so runners and CI count these tests.
    let verdict = if failed.is_empty() { "ok" } else { "FAILED" };
    println!(
        "\ntest result: {verdict}. {passed} passed; {} failed; 0 ignored; 0 measured; 0 filtered out",
        failed.len()
    );
    if !failed.is_empty() {
        eprintln!("failed: {failed:?}");
        std::process::exit(1);
    }
}

fn text(response: &Value) -> &str {
    response["result"]["content"][0]["text"].as_str().unwrap()
}

fn conversation_then_exit_on_stdin_eof() {
    let mut server = Server::start(&["--stderr-on-start", "hello stderr"]);
    server.initialize();
    server.request(1, "tools/list", json!({}));
    assert!(
        server.message()["result"]["tools"]
            .as_array()
            .unwrap()
            .len()
            >= 17
    );
    server.request(
        2,
        "tools/call",
        json!({"name": "echo", "arguments": {"text": "hi"}}),
    );
    assert_eq!(text(&server.message()), "hi");
    server.request(3, "tools/call", json!({"name": "pid", "arguments": {}}));
    assert_eq!(text(&server.message()), server.process.id().to_string());
    server.close_stdin();
    let (status, stderr) = server.wait();
    assert_eq!(status.code(), Some(0));
    assert!(stderr.contains("hello stderr"));
    assert!(
        server
            .lines
            .recv_timeout(Duration::from_millis(100))
            .is_err()
    );
}

fn bad_flag_exits_2_silently() {
    let mut server = Server::start(&["--no-such-flag"]);
    let (status, stderr) = server.wait();
    assert_eq!(status.code(), Some(2));
    assert!(stderr.contains("--no-such-flag"));
    assert!(
        server
            .lines
            .recv_timeout(Duration::from_millis(100))
            .is_err()
    );
}

fn crash_on_start_exits_1() {
    let mut server = Server::start(&["--crash-on-start"]);
    let (status, stderr) = server.wait();
    assert_eq!(status.code(), Some(1));
    assert!(stderr.contains("fatal: crash on start requested"));
}

fn crash_tool_exits_with_its_code() {
    let mut server = Server::start(&[]);
    server.initialize();
    server.request(
        1,
        "tools/call",
        json!({"name": "crash", "arguments": {"code": 7}}),
    );
    let (status, stderr) = server.wait();
    assert_eq!(status.code(), Some(7));
    assert!(stderr.contains("example server crashing on purpose"));
    assert!(
        server
            .lines
            .recv_timeout(Duration::from_millis(100))
            .is_err()
    );
}

fn garbage_on_start_precedes_messages() {
    let mut server = Server::start(&["--garbage-on-start", "2", "--startup-delay-ms", "50"]);
    for _ in 0..2 {
        assert!(serde_json::from_str::<Value>(&server.line()).is_err());
    }
    server.initialize();
}

fn cancelled_call_sends_nothing() {
    let mut server = Server::start(&[]);
    server.initialize();
    server.request(
        1,
        "tools/call",
        json!({"name": "sleep", "arguments": {"ms": 60_000}}),
    );
    server.send(
        json!({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 1}}),
    );
    thread::sleep(Duration::from_millis(100));
    server.request(2, "ping", json!({}));
    assert_eq!(server.message()["id"], 2);
    assert!(
        server
            .lines
            .recv_timeout(Duration::from_millis(200))
            .is_err()
    );
}

fn concurrent_output_stays_line_whole() {
    let mut server = Server::start(&[]);
    server.initialize();
    for id in 1..=20 {
        server.request(
            id,
            "tools/call",
            json!({"name": "blob", "arguments": {"bytes": 100_000 + id}}),
        );
    }
    let mut seen = Vec::new();
    for _ in 1..=20 {
        let response = server.message();
        let id = response["id"].as_u64().unwrap();
        assert_eq!(text(&response).len() as u64, 100_000 + id);
        seen.push(id);
    }
    seen.sort();
    assert_eq!(seen, (1..=20).collect::<Vec<_>>());
}

fn ignore_stdin_eof_keeps_living() {
    let mut server = Server::start(&["--ignore-stdin-eof"]);
    server.initialize();
    server.close_stdin();
    assert!(server.is_running_after(Duration::from_millis(300)));
}

fn sigterm_is_ignored_on_request() {
    let mut stubborn = Server::start(&["--ignore-sigterm"]);
    stubborn.initialize();
    // SAFETY: kill(2) on our own child process.
    assert_eq!(unsafe { libc::kill(stubborn.pid(), libc::SIGTERM) }, 0);
    assert!(stubborn.is_running_after(Duration::from_millis(300)));

    let mut normal = Server::start(&[]);
    normal.initialize();
    // SAFETY: as above.
    assert_eq!(unsafe { libc::kill(normal.pid(), libc::SIGTERM) }, 0);
    assert!(!normal.is_running_after(Duration::from_millis(300)));
}

fn grandchild_shares_the_process_group() {
    let mut server = Server::start(&["--spawn-grandchild"]);
    server.initialize();
    server.request(
        1,
        "tools/call",
        json!({"name": "grandchild_pid", "arguments": {}}),
    );
    let grandchild: i32 = text(&server.message()).parse().unwrap();
    // SAFETY: plain syscalls on process ids; the grandchild is killed at the end.
    unsafe {
        assert_eq!(libc::kill(grandchild, 0), 0, "the grandchild runs");
        assert_eq!(libc::getpgid(grandchild), libc::getpgid(server.pid()));
        libc::kill(grandchild, libc::SIGKILL);
    }
}
