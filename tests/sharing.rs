//! One process per resolved definition, with the real binary: the same definition seen from two
//! projects shares a child, a different env or working directory does not, and a user-config
//! server is shared by every project.

mod common;

use common::{Env, example, procs, run_bounded, text};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A project directory (with its `.mcpd.json`) next to the Env's own project.
fn project(env: &Env, name: &str, servers: Value) -> PathBuf {
    let dir = env.dir.path().join(name);
    std::fs::create_dir_all(&dir).unwrap();
    env.write(&dir.join(".mcpd.json"), &json!({ "mcpServers": servers }));
    dir
}

/// The pid the server answers with, asked by a CLI working in `dir`.
fn pid_from(env: &Env, dir: &Path, server: &str) -> u32 {
    let mut c = env.cmd(&["call", "--json", server, "pid", "{}"]);
    c.current_dir(dir);
    let out = run_bounded(c, Duration::from_secs(30));
    assert!(
        out.status.success(),
        "pid of {server} from {}: {}",
        dir.display(),
        text(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["content"][0]["text"].as_str().unwrap().parse().unwrap()
}

/// An example server with an explicit working directory and env.
fn server_in(cwd: &Path, env_vars: Value) -> Value {
    let mut s = example(&[]);
    s["cwd"] = json!(cwd);
    s["env"] = env_vars;
    s
}

#[test]
fn the_same_definition_in_two_projects_shares_one_process() {
    let env = Env::new();
    let shared = env.dir.path().join("shared");
    std::fs::create_dir_all(&shared).unwrap();
    // Different names, same command, args, env and cwd.
    let one = project(
        &env,
        "one",
        json!({ "tool-a": server_in(&shared, json!({"MODE": "x"})) }),
    );
    let two = project(
        &env,
        "two",
        json!({ "tool-b": server_in(&shared, json!({"MODE": "x"})) }),
    );
    let three = project(
        &env,
        "three",
        json!({ "tool-a": server_in(&shared, json!({"MODE": "y"})) }),
    );

    let a = pid_from(&env, &one, "tool-a");
    let b = pid_from(&env, &two, "tool-b");
    assert_eq!(a, b, "one process for one resolved definition");
    let c = pid_from(&env, &three, "tool-a");
    assert_ne!(a, c, "another env is another process");
    assert!(procs::alive(a) && procs::alive(c));

    // The status seen from `one` shows its server once and the other process as well.
    let mut cmd = env.cmd(&["status", "--json"]);
    cmd.current_dir(&one);
    let out = run_bounded(cmd, Duration::from_secs(30));
    let status: Value = serde_json::from_slice(&out.stdout).unwrap();
    let pids: Vec<u64> = status["servers"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["pid"].as_u64())
        .collect();
    assert_eq!(pids.len(), 2, "{status}");
    assert!(pids.contains(&u64::from(a)) && pids.contains(&u64::from(c)));
}

#[test]
fn the_same_entry_without_a_cwd_runs_once_per_project() {
    let env = Env::new();
    let one = project(&env, "one", json!({ "ex": example(&[]) }));
    let two = project(&env, "two", json!({ "ex": example(&[]) }));
    // The working directory defaults to each file's folder, so these definitions differ.
    let a = pid_from(&env, &one, "ex");
    let b = pid_from(&env, &two, "ex");
    assert_ne!(a, b);
    assert_eq!(
        pid_from(&env, &one, "ex"),
        a,
        "each is reused by its own project"
    );
}

#[test]
fn a_user_config_server_is_shared_by_every_project() {
    let env = Env::new();
    std::fs::create_dir_all(&env.home).unwrap();
    env.write(
        &env.home.join("config.json"),
        &json!({ "mcpServers": { "everywhere": example(&[]) } }),
    );
    let one = project(&env, "one", json!({}));
    let two = project(&env, "two", json!({ "local": example(&[]) }));
    let a = pid_from(&env, &one, "everywhere");
    let b = pid_from(&env, &two, "everywhere");
    assert_eq!(a, b);
    assert_eq!(pid_from(&env, &env.project, "everywhere"), a);
    assert_ne!(pid_from(&env, &two, "local"), a);
}
