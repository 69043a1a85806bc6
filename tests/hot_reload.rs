//! Hot reload on file changes, with real servers edited on disk: a FastMCP (PyPI) server saved
//! atomically while calls flow, a JavaScript server whose gitignored `dist/` is rewritten, the
//! bundled example server with explicit `watch` globs, debouncing, and bad input.

mod common;

use common::conn::Conn;
use common::deps::dep;
use common::{Env, example, run_bounded, text, wait_until};
use serde_json::{Value, json};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

/// Starts a detached daemon whose watchers wait `debounce_ms` of quiet before reloading.
fn start_daemon(env: &Env, debounce_ms: u64) {
    let mut cmd = env.cmd(&["daemon", "--detach"]);
    cmd.env("MCPD_RELOAD_DEBOUNCE_MS", debounce_ms.to_string());
    let out = run_bounded(cmd, Duration::from_secs(20));
    assert!(out.status.success(), "daemon: {}", text(&out.stderr));
}

/// Saves `contents` to `path` as editors do: write a temp file beside it, then rename it over.
fn save(path: &Path, contents: &str) {
    let name = path.file_name().unwrap().to_string_lossy();
    let tmp = path.with_file_name(format!(".{name}.tmp"));
    std::fs::write(&tmp, contents).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

/// Writes `contents` to `path`, creating its folders.
fn put(path: &Path, contents: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, contents).unwrap();
}

fn restarts(env: &Env, server: &str) -> u64 {
    env.server_status(server)["restarts"].as_u64().unwrap()
}

fn pid(env: &Env, server: &str) -> u64 {
    env.server_status(server)["pid"].as_u64().unwrap()
}

/// A string field of a server's status ("" when absent).
fn field(env: &Env, server: &str, key: &str) -> String {
    env.server_status(server)[key]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// Waits for `server` to answer `tool` with `want`; panics with the status after `limit`.
fn wait_for_answer(env: &Env, server: &str, tool: &str, want: &str, limit: Duration) {
    let mut last = String::new();
    let ok = wait_until(limit, || {
        last = env.call(server, tool, json!({}))["content"][0]["text"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        last == want
    });
    assert!(
        ok,
        "{server} answered {last:?}, not {want:?}, within {limit:?}: {}",
        env.server_status(server)
    );
}

/// Checks for `limit` that `server` is not restarted (its `restarts` stays `count`).
fn stays_at(env: &Env, server: &str, count: u64, limit: Duration) {
    let changed = wait_until(limit, || restarts(env, server) != count);
    assert!(
        !changed,
        "{server} was reloaded: {}\nlog:\n{}",
        env.server_status(server),
        env.ok(&["logs", server])
    );
}

/// Calls `tool` of `server` over and over from its own session until stopped; returns every
/// call that failed (not one of `answers`).
struct Caller {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<(usize, Vec<Value>)>,
}

impl Caller {
    fn start(env: &Env, server: &str, tool: &str, answers: &[&str]) -> Caller {
        let stop = Arc::new(AtomicBool::new(false));
        let (socket, project) = (env.socket(), env.project.clone());
        let (server, tool) = (server.to_string(), tool.to_string());
        let answers: Vec<String> = answers.iter().map(|a| a.to_string()).collect();
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut c = Conn::open(&socket, &project);
            let (mut ok, mut failures) = (0, Vec::new());
            let mut id = 0;
            while !flag.load(Ordering::Relaxed) {
                id += 1;
                let r = c.request(
                    id,
                    "mcpd/call",
                    json!({"server": server, "tool": tool, "arguments": {}}),
                );
                let answer = r["result"]["content"][0]["text"].as_str().unwrap_or("");
                if r["result"]["isError"] != true && answers.iter().any(|a| a == answer) {
                    ok += 1;
                } else {
                    failures.push(r);
                }
            }
            (ok, failures)
        });
        Caller { stop, thread }
    }

    /// Stops calling; the number of calls that succeeded, and the failed ones.
    fn finish(self) -> (usize, Vec<Value>) {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().unwrap()
    }
}

/// A FastMCP server whose one tool `version` answers `answer`.
fn fastmcp_server(answer: &str) -> String {
    format!(
        "from fastmcp import FastMCP\n\nmcp = FastMCP(\"hot\")\n\n\n@mcp.tool\ndef version() -> str:\n    return \"{answer}\"\n\n\nif __name__ == \"__main__\":\n    mcp.run(show_banner=False)\n"
    )
}

#[test]
fn a_fastmcp_server_saved_on_disk_reloads_without_a_failed_call() {
    let env = Env::new();
    let python = dep("fastmcp-venv/bin/python");
    let source = env.project.join("server.py");
    std::fs::write(&source, fastmcp_server("v1")).unwrap();
    env.servers(json!({ "py": { "command": python, "args": ["server.py"] } }));
    start_daemon(&env, 150);
    assert_eq!(env.call_text("py", "version", json!({})), "v1");
    let status = env.server_status("py");
    let watching = status["watching"].as_str().unwrap_or_default();
    assert!(
        watching.contains("source tree of python server.py")
            && watching.contains(&env.project.display().to_string()),
        "{status}"
    );
    assert_eq!(status["restarts"], 0);

    // Saved while another session keeps calling: every call succeeds, then v2 answers.
    let caller = Caller::start(&env, "py", "version", &["v1", "v2"]);
    std::thread::sleep(Duration::from_millis(200));
    save(&source, &fastmcp_server("v2"));
    wait_for_answer(&env, "py", "version", "v2", Duration::from_secs(10));
    std::thread::sleep(Duration::from_millis(200));
    let (ok, failures) = caller.finish();
    assert!(
        failures.is_empty(),
        "{} calls failed during the reload, e.g. {}",
        failures.len(),
        failures[0]
    );
    assert!(ok > 10, "calls kept flowing ({ok})");
    assert_eq!(restarts(&env, "py"), 1, "{}", env.server_status("py"));

    // A broken save keeps v2 serving and says why, with Python's own error.
    let serving = pid(&env, "py");
    save(
        &source,
        &fastmcp_server("v3").replace("def version()", "def version("),
    );
    assert!(
        wait_until(Duration::from_secs(10), || field(&env, "py", "lastReload")
            .contains("SyntaxError")),
        "{}",
        env.server_status("py")
    );
    assert!(
        field(&env, "py", "lastReload").contains("previous version keeps serving"),
        "{}",
        env.server_status("py")
    );
    assert_eq!(env.call_text("py", "version", json!({})), "v2");
    assert_eq!(pid(&env, "py"), serving, "the old instance still serves");
    assert_eq!(field(&env, "py", "state"), "ready");

    // Fixing the file reloads again.
    save(&source, &fastmcp_server("v3"));
    wait_for_answer(&env, "py", "version", "v3", Duration::from_secs(10));
    assert_ne!(pid(&env, "py"), serving);
    assert!(
        field(&env, "py", "lastReload").starts_with("reloaded"),
        "{}",
        env.server_status("py")
    );
}

/// A JavaScript MCP server built on the TypeScript SDK whose tool `version` answers `answer`.
fn js_server(answer: &str) -> String {
    format!(
        r#"const {{ McpServer }} = require("@modelcontextprotocol/sdk/server/mcp.js");
const {{ StdioServerTransport }} = require("@modelcontextprotocol/sdk/server/stdio.js");
const server = new McpServer({{ name: "hot-js", version: "1.0.0" }});
server.registerTool("version", {{ description: "which build runs" }}, async () => ({{
  content: [{{ type: "text", text: "{answer}" }}],
}}));
server.connect(new StdioServerTransport());
"#
    )
}

#[test]
fn a_rewritten_gitignored_dist_reloads_but_ignored_folders_do_not() {
    let env = Env::new();
    let p = &env.project;
    put(
        &p.join("package.json"),
        r#"{"name": "hot-js", "private": true}"#,
    );
    put(
        &p.join(".gitignore"),
        "dist/\nnode_modules/\nbuild-cache/\n",
    );
    put(
        &p.join("src/index.ts"),
        "// the source tsc compiles to dist/\n",
    );
    put(&p.join("dist/index.js"), &js_server("js1"));
    put(
        &p.join("node_modules/left-pad/index.js"),
        "module.exports = 1;\n",
    );
    put(&p.join(".git/HEAD"), "ref: refs/heads/main\n");
    put(&p.join("build-cache/state.json"), "{}\n");
    let sdk = dep("inspector/node_modules/@modelcontextprotocol/sdk");
    let node_path = sdk.parent().unwrap().parent().unwrap();
    env.servers(json!({ "js": {
        "command": "node",
        "args": ["dist/index.js"],
        "env": { "NODE_PATH": node_path },
    } }));
    start_daemon(&env, 150);
    assert_eq!(env.call_text("js", "version", json!({})), "js1");
    let watching = field(&env, "js", "watching");
    assert!(
        watching.contains("node dist/index.js") && watching.contains(&p.display().to_string()),
        "{watching}"
    );

    // A build rewrites dist/ (plainly, as tsc does): reloaded although dist/ is gitignored.
    std::fs::write(p.join("dist/index.js"), js_server("js2")).unwrap();
    wait_for_answer(&env, "js", "version", "js2", Duration::from_secs(10));
    assert_eq!(restarts(&env, "js"), 1);
    let serving = pid(&env, "js");

    // Changes in node_modules, .git and another gitignored folder: no reload.
    put(
        &p.join("node_modules/left-pad/index.js"),
        "module.exports = 2;\n",
    );
    put(
        &p.join("node_modules/new-dep/lib/a.js"),
        "module.exports = 3;\n",
    );
    put(&p.join(".git/index"), "binary index\n");
    save(&p.join(".git/HEAD"), "ref: refs/heads/other\n");
    put(&p.join("build-cache/state.json"), "{\"n\": 1}\n");
    put(&p.join("build-cache/deep/x.bin"), "x\n");
    stays_at(&env, "js", 1, Duration::from_millis(1500));
    assert_eq!(pid(&env, "js"), serving);
    assert_eq!(env.call_text("js", "version", json!({})), "js2");

    // The watcher was listening all along: a change to the source does reload.
    save(&p.join("src/index.ts"), "// edited\n");
    assert!(
        wait_until(Duration::from_secs(10), || restarts(&env, "js") == 2),
        "{}",
        env.server_status("js")
    );
}

/// `server` with a `watch` key (the example server's own code does not change).
fn with_watch(mut server: Value, watch: &[&str]) -> Value {
    server["watch"] = json!(watch);
    server
}

#[test]
fn an_explicit_watch_glob_reloads_on_matching_files_only_and_manual_watches_nothing() {
    let env = Env::new();
    let config = env.project.join("config");
    put(&config.join("app.yaml"), "level: 1\n");
    // Another name, so it is another process: identical definitions share one supervisor.
    let mut manual = with_watch(example(&["--name", "man"]), &["config/*.yaml"]);
    manual["reload"] = json!("manual");
    env.servers(json!({
        "ex": with_watch(example(&[]), &["config/*.yaml"]),
        "man": manual,
    }));
    start_daemon(&env, 150);
    env.ok(&["load", "ex"]);
    env.ok(&["load", "man"]);
    let (ex, man) = (pid(&env, "ex"), pid(&env, "man"));
    let watching = field(&env, "ex", "watching");
    assert!(
        watching.contains("explicit watch: config/*.yaml"),
        "{watching}"
    );
    let watching = field(&env, "man", "watching");
    assert!(
        watching.starts_with("nothing") && watching.contains("manual"),
        "{watching}"
    );

    // Not matching the glob: no reload.
    put(&config.join("notes.txt"), "todo\n");
    put(&config.join("app.yaml.bak"), "level: 0\n");
    put(&env.project.join("other.yaml"), "x: 1\n");
    stays_at(&env, "ex", 0, Duration::from_millis(1200));
    assert_eq!(pid(&env, "ex"), ex);

    // Matching: reloaded (a new process), also for a file created after the start.
    save(&config.join("app.yaml"), "level: 2\n");
    assert!(
        wait_until(Duration::from_secs(10), || pid(&env, "ex") != ex),
        "{}",
        env.server_status("ex")
    );
    assert_eq!(restarts(&env, "ex"), 1);
    let second = pid(&env, "ex");
    put(&config.join("extra.yaml"), "more: true\n");
    assert!(
        wait_until(Duration::from_secs(10), || pid(&env, "ex") != second),
        "{}",
        env.server_status("ex")
    );
    assert_eq!(restarts(&env, "ex"), 2);

    // `reload: "manual"`: none of these saves reloaded it.
    assert_eq!(pid(&env, "man"), man);
    assert_eq!(restarts(&env, "man"), 0);
}

#[test]
fn a_burst_of_fifty_files_gives_exactly_one_reload() {
    let env = Env::new();
    put(&env.project.join("src/main.py"), "print('hi')\n");
    env.servers(json!({ "ex": with_watch(example(&[]), &["src"]) }));
    start_daemon(&env, 300);
    env.ok(&["load", "ex"]);
    let before = pid(&env, "ex");
    // Like a `git checkout`: 50 files, some in folders that did not exist.
    for i in 0..50 {
        put(
            &env.project.join(format!("src/pkg{}/mod_{i}.py", i % 5)),
            &format!("X = {i}\n"),
        );
    }
    assert!(
        wait_until(Duration::from_secs(10), || pid(&env, "ex") != before),
        "{}",
        env.server_status("ex")
    );
    stays_at(&env, "ex", 1, Duration::from_millis(1500));
    let logs = env.ok(&["logs", "ex"]);
    assert_eq!(logs.matches("file(s) changed").count(), 1, "{logs}");
}

#[test]
fn saves_during_a_slow_reload_give_exactly_one_more_reload() {
    let env = Env::new();
    put(&env.project.join("src/a.txt"), "0\n");
    env.servers(json!({
        "slow": with_watch(example(&["--startup-delay-ms", "1500"]), &["src"]),
    }));
    start_daemon(&env, 100);
    env.ok(&["load", "slow"]);
    put(&env.project.join("src/a.txt"), "1\n");
    // The reload has begun (its start is counted at once) and takes 1.5 s.
    assert!(
        wait_until(Duration::from_secs(5), || restarts(&env, "slow") == 1),
        "{}",
        env.server_status("slow")
    );
    // Three saves, each its own debounced burst, all while that reload is in progress.
    let old = pid(&env, "slow");
    for i in 0..3 {
        put(&env.project.join(format!("src/b{i}.txt")), "2\n");
        std::thread::sleep(Duration::from_millis(150));
    }
    assert_eq!(
        pid(&env, "slow"),
        old,
        "the saves came while the reload ran"
    );
    assert!(
        wait_until(Duration::from_secs(10), || restarts(&env, "slow") == 2),
        "{}",
        env.server_status("slow")
    );
    assert!(
        wait_until(Duration::from_secs(5), || field(&env, "slow", "lastReload")
            .starts_with("reloaded")
            && env.server_status("slow")["restarts"] == 2
            && field(&env, "slow", "state") == "ready"),
        "{}",
        env.server_status("slow")
    );
    // Let the second reload finish and more: no third.
    stays_at(&env, "slow", 2, Duration::from_millis(2500));
    assert_eq!(env.call_text("slow", "echo", json!({"text": "ok"})), "ok");
}

#[test]
fn a_watch_entry_that_matches_nothing_is_warned_about_and_the_server_runs() {
    let env = Env::new();
    put(&env.project.join("config/app.yaml"), "a: 1\n");
    env.servers(json!({
        "ex": with_watch(example(&[]), &["config/*.toml", "missing/dir"]),
    }));
    start_daemon(&env, 150);
    env.ok(&["load", "ex"]);
    assert_eq!(env.call_text("ex", "echo", json!({"text": "up"})), "up");
    assert_eq!(field(&env, "ex", "state"), "ready");
    let logs = env.ok(&["logs", "ex"]);
    assert!(
        logs.contains("watch glob `config/*.toml` matches nothing")
            && logs.contains("watch path `missing/dir` does not exist"),
        "{logs}"
    );
    // A file that matches once it exists is seen.
    let before = pid(&env, "ex");
    put(&env.project.join("config/app.toml"), "a = 1\n");
    assert!(
        wait_until(Duration::from_secs(10), || pid(&env, "ex") != before),
        "{}",
        env.server_status("ex")
    );
}

#[test]
fn a_server_that_fails_at_every_start_is_retried_when_its_file_is_fixed() {
    let env = Env::new();
    let script = env.project.join("server.sh");
    std::fs::write(&script, "echo 'boom: bad build' >&2\nexit 1\n").unwrap();
    env.servers(json!({ "bad": { "command": "sh", "args": ["server.sh"] } }));
    start_daemon(&env, 150);
    let out = env.run(&["load", "bad"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("boom: bad build"));
    assert_eq!(field(&env, "bad", "state"), "failed");
    assert!(
        field(&env, "bad", "watching").contains("source tree of sh server.sh"),
        "{}",
        env.server_status("bad")
    );
    stays_at(&env, "bad", 0, Duration::from_millis(1000));
    assert_eq!(field(&env, "bad", "state"), "failed", "no retry loop");

    save(
        &script,
        &format!("exec '{}' example-server\n", common::exe().display()),
    );
    assert!(
        wait_until(Duration::from_secs(10), || field(&env, "bad", "state")
            == "ready"),
        "{}",
        env.server_status("bad")
    );
    assert_eq!(
        env.call_text("bad", "echo", json!({"text": "fixed"})),
        "fixed"
    );
}

#[test]
fn a_server_that_writes_into_its_own_folder_at_start_does_not_reload_forever() {
    let env = Env::new();
    let script = env.project.join("server.sh");
    let body = format!(
        "date +%s%N > state.json\nexec '{}' example-server\n",
        common::exe().display()
    );
    std::fs::write(&script, &body).unwrap();
    env.servers(json!({ "selfish": { "command": "sh", "args": ["server.sh"] } }));
    start_daemon(&env, 100);
    env.ok(&["load", "selfish"]);
    save(&script, &format!("# edited\n{body}"));
    // Each start rewrites state.json; after a few rounds mcpd stops taking that for an edit.
    std::thread::sleep(Duration::from_secs(6));
    let settled = restarts(&env, "selfish");
    assert!(settled <= 6, "reloaded {settled} times");
    stays_at(&env, "selfish", settled, Duration::from_secs(2));
    let watching = field(&env, "selfish", "watching");
    assert!(
        watching.contains("state.json") && watching.contains("ignore"),
        "{watching}"
    );
    assert_eq!(
        env.call_text("selfish", "echo", json!({"text": "still serving"})),
        "still serving"
    );
    // A real edit still reloads it.
    save(&script, &format!("# edited again\n{body}"));
    assert!(
        wait_until(Duration::from_secs(5), || restarts(&env, "selfish")
            > settled),
        "{}",
        env.server_status("selfish")
    );
}
