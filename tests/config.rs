//! Server definitions with the real binary: lookup order across the three config files, `${VAR}`
//! expansion against the asking CLI's environment, default and relative working directories,
//! malformed files reported by file, key and problem, and http servers refused clearly.

mod common;

use common::{Env, example, exe, procs, run_bounded, text};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

/// Runs `mcpd ARGS` from `dir` with extra environment variables.
fn run_in(env: &Env, dir: &Path, args: &[&str], vars: &[(&str, &str)]) -> Output {
    let mut c = env.cmd(args);
    c.current_dir(dir);
    for (k, v) in vars {
        c.env(k, v);
    }
    run_bounded(c, Duration::from_secs(30))
}

/// The text of a successful `mcpd call --json` made from `dir` with extra variables.
fn call_text_in(
    env: &Env,
    dir: &Path,
    server: &str,
    tool: &str,
    args: Value,
    vars: &[(&str, &str)],
) -> String {
    let a = args.to_string();
    let out = run_in(env, dir, &["call", "--json", server, tool, &a], vars);
    assert!(
        out.status.success(),
        "call {server} {tool} from {} failed: {}\nstdout: {}\nstderr: {}",
        dir.display(),
        out.status,
        text(&out.stdout),
        text(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["content"][0]["text"].as_str().unwrap().to_string()
}

/// An example server whose environment says which file defined it.
fn tagged(who: &str) -> Value {
    let mut s = example(&[]);
    s["env"] = json!({ "WHO": who });
    s
}

fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|e| panic!("canonicalize {}: {e}", p.display()))
}

#[test]
fn project_mcpd_json_then_user_config_then_mcp_json() {
    let env = Env::new();
    std::fs::create_dir_all(&env.home).unwrap();
    env.servers(json!({ "a": tagged("mcpd") }));
    env.write(
        &env.home.join("config.json"),
        &json!({ "mcpServers": { "a": tagged("user"), "b": tagged("user") } }),
    );
    env.write(
        &env.project.join(".mcp.json"),
        &json!({ "mcpServers": {
            "mcpd": { "command": "mcpd", "args": ["shim"] },
            "a": tagged("mcpjson"),
            "b": tagged("mcpjson"),
            "c": tagged("mcpjson"),
        }}),
    );
    // Asked from two levels below the project: both project files are found upward.
    let deep = env.project.join("src").join("deep");
    std::fs::create_dir_all(&deep).unwrap();
    let who = |name: &str| call_text_in(&env, &deep, name, "env", json!({"name": "WHO"}), &[]);
    assert_eq!(who("a"), "mcpd", "project .mcpd.json wins");
    assert_eq!(who("b"), "user", "user config beats .mcp.json");
    assert_eq!(who("c"), "mcpjson", ".mcp.json is read last");

    // The client entry that runs `mcpd shim` is not a server.
    let out = run_in(&env, &deep, &["status", "--json"], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let status: Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = status["servers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["a", "b", "c"], "{status}");
    let out = run_in(
        &env,
        &deep,
        &["call", "mcpd", "echo", r#"{"text":"x"}"#],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("unknown server 'mcpd'"), "{err}");
}

#[test]
fn variables_expand_against_the_asking_cli_environment() {
    let env = Env::new();
    let mut s = example(&[
        "--tools",
        "${MCPD_T_TOOLS:-2}",
        "--stderr-on-start",
        "started-with ${MCPD_T_ARG}",
    ]);
    s["env"] = json!({
        "GREETING": "hello ${MCPD_T_WHO}",
        "WITH_DEFAULT": "${MCPD_T_UNSET_1:-fallback}",
        "LITERAL": "${MCPD_T_UNSET_2}",
    });
    env.servers(json!({ "ex": s }));
    // The daemon starts without any of the variables: only the CLI that asks has them.
    env.start_daemon();
    let vars = [("MCPD_T_WHO", "ann"), ("MCPD_T_ARG", "from-cli")];
    let get = |name: &str, vars: &[(&str, &str)]| {
        call_text_in(&env, &env.project, "ex", "env", json!({"name": name}), vars)
    };
    assert_eq!(get("GREETING", &vars), "hello ann");
    assert_eq!(get("WITH_DEFAULT", &vars), "fallback");
    assert_eq!(
        get("LITERAL", &vars),
        "${MCPD_T_UNSET_2}",
        "unset stays literal"
    );

    // Args: the default applied (17 built-ins + 2 synthetic tools) and the value came through.
    let out = run_in(&env, &env.project, &["tools", "--json", "ex"], &vars);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let tools: Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = tools["ex"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"synthetic_0002"), "{names:?}");
    assert!(!names.contains(&"synthetic_0003"), "{names:?}");
    assert!(
        common::wait_until(Duration::from_secs(5), || {
            let out = run_in(&env, &env.project, &["logs", "ex", "-n", "20"], &vars);
            text(&out.stdout).contains("started-with from-cli")
        }),
        "the expanded argument reached the child"
    );

    // Another environment is another definition: a second process with its own values.
    let pid_a = call_text_in(&env, &env.project, "ex", "pid", json!({}), &vars);
    let other = [("MCPD_T_WHO", "bob"), ("MCPD_T_ARG", "from-cli")];
    assert_eq!(get("GREETING", &other), "hello bob");
    let pid_b = call_text_in(&env, &env.project, "ex", "pid", json!({}), &other);
    assert_ne!(pid_a, pid_b);
    // A value set in the CLI overrides the default.
    let more = [
        ("MCPD_T_WHO", "ann"),
        ("MCPD_T_ARG", "from-cli"),
        ("MCPD_T_UNSET_1", "given"),
    ];
    assert_eq!(get("WITH_DEFAULT", &more), "given");
}

#[test]
fn working_directory_defaults_to_the_defining_files_folder() {
    let env = Env::new();
    std::fs::create_dir_all(env.project.join("tools").join("bin")).unwrap();
    std::fs::create_dir_all(&env.home).unwrap();
    let mut rel = example(&[]);
    rel["cwd"] = json!("tools/bin");
    let mut dotted = example(&["--name", "dotted"]);
    dotted["cwd"] = json!("./tools/../tools");
    env.servers(json!({ "plain": example(&[]), "rel": rel, "dotted": dotted }));
    env.write(
        &env.home.join("config.json"),
        &json!({ "mcpServers": { "user": example(&["--name", "user"]) } }),
    );
    let sub = env.project.join("tools");
    let cwd = |name: &str| PathBuf::from(call_text_in(&env, &sub, name, "cwd", json!({}), &[]));
    // Not the asking CLI's directory: the folder of the file that defines the server.
    assert_eq!(cwd("plain"), canonical(&env.project));
    assert_eq!(cwd("rel"), canonical(&env.project.join("tools/bin")));
    assert_eq!(cwd("dotted"), canonical(&env.project.join("tools")));
    assert_eq!(cwd("user"), canonical(&env.home));
}

#[test]
fn bad_json_is_reported_by_file_and_position_and_other_files_still_work() {
    let env = Env::new();
    std::fs::create_dir_all(&env.home).unwrap();
    let bad = env.project.join(".mcpd.json");
    std::fs::write(&bad, "{\n  \"mcpServers\": {\n    \"broken\": {,\n  }\n}\n").unwrap();
    env.write(
        &env.home.join("config.json"),
        &json!({ "mcpServers": { "good": example(&[]) } }),
    );
    let daemon = env.start_daemon();

    let out = env.run(&["call", "broken", "echo", r#"{"text":"x"}"#]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains(&bad.display().to_string()), "{err}");
    assert!(err.contains("invalid JSON at line 3"), "{err}");

    let status = env.status();
    let errors = status["config_errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{status}");
    let e = errors[0].as_str().unwrap();
    assert!(
        e.contains(&bad.display().to_string()) && e.contains("invalid JSON"),
        "{e}"
    );
    let human = env.ok(&["status"]);
    assert!(human.contains("config error:"), "{human}");

    assert_eq!(env.call_text("good", "echo", json!({"text": "ok"})), "ok");
    assert_eq!(env.daemon_pid(), Some(daemon));
    assert!(procs::alive(daemon), "the daemon keeps running");
}

#[test]
fn a_bad_entry_names_file_key_and_problem_and_spares_the_others() {
    let env = Env::new();
    std::fs::create_dir_all(&env.home).unwrap();
    env.servers(json!({
        "bad": { "command": exe(), "args": "example-server" },
        "good": example(&[]),
    }));
    env.write(
        &env.home.join("config.json"),
        &json!({ "mcpServers": { "elsewhere": example(&["--name", "elsewhere"]) } }),
    );
    let daemon = env.start_daemon();
    let file = env.project.join(".mcpd.json").display().to_string();

    let out = env.run(&["call", "bad", "echo", r#"{"text":"x"}"#]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains(&format!(
            "{file}: mcpServers.bad.args: expected an array of strings, found a string"
        )),
        "{err}"
    );
    let out = env.run(&["load", "bad"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("mcpServers.bad.args"));

    let bad = env.server_status("bad");
    assert_eq!(bad["state"], "invalid");
    assert!(
        bad["lastError"]
            .as_str()
            .unwrap()
            .contains("mcpServers.bad.args"),
        "{bad}"
    );
    assert_eq!(env.call_text("good", "echo", json!({"text": "a"})), "a");
    assert_eq!(
        env.call_text("elsewhere", "echo", json!({"text": "b"})),
        "b"
    );
    assert!(procs::alive(daemon), "the daemon keeps running");
}

#[test]
fn http_servers_are_refused_clearly() {
    let env = Env::new();
    env.servers(json!({
        "remote": { "type": "http", "url": "http://127.0.0.1:9/mcp" },
        "local": example(&[]),
    }));
    for args in [
        &["call", "remote", "echo", "{}"][..],
        &["load", "remote"][..],
        &["tools", "remote"][..],
    ] {
        let out = env.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = text(&out.stderr);
        assert!(
            err.contains("'remote'") && err.contains("http transport") && err.contains("not"),
            "{args:?}: {err}"
        );
        assert!(err.contains("yet"), "{err}");
    }
    assert_eq!(
        env.call_text("local", "echo", json!({"text": "fine"})),
        "fine"
    );
}
