//! Onboarding with the real binary: `mcpd init` adds the shim entry to `.mcp.json` (created or
//! edited in place, idempotent, malformed files refused), `mcpd import` moves stdio servers to
//! `.mcpd.json` and reports the context it saves, measured by loading them through the daemon.

mod common;

use common::{Env, example, text};
use serde_json::{Value, json};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

const CLAUDE_ADD: &str = "claude mcp add --scope project mcpd -- mcpd shim";

fn shim() -> Value {
    json!({"command": "mcpd", "args": ["shim"]})
}

fn http() -> Value {
    json!({"type": "http", "url": "https://example.com/mcp", "headers": {"X-Key": "${KEY}"}})
}

fn read(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn keys(v: &Value) -> Vec<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// The file names in `dir`, sorted (to see that no temporary file is left behind).
fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Every number in a line, commas removed: "saves 1,234 bytes (~310 tokens)" → [1234, 310].
fn numbers(line: &str) -> Vec<usize> {
    line.split(|c: char| !c.is_ascii_digit() && c != ',')
        .map(|s| s.replace(',', ""))
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect()
}

#[test]
fn init_creates_the_file_and_a_second_run_changes_nothing() {
    let env = Env::new();
    let path = env.project.join(".mcp.json");
    let out = env.ok(&["init"]);
    assert!(out.contains("created"), "{out}");
    assert!(out.contains(CLAUDE_ADD), "{out}");
    assert_eq!(read(&path), json!({"mcpServers": {"mcpd": shim()}}));
    let before = std::fs::read(&path).unwrap();
    assert!(text(&before).starts_with("{\n  \"mcpServers\""), "2 spaces");

    let again = env.ok(&["init"]);
    assert!(again.contains("already runs mcpd shim"), "{again}");
    assert!(again.contains("nothing changed"), "{again}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(files(&env.project), [".mcp.json"]);
    assert!(env.daemon_pid().is_none(), "init does not need the daemon");
}

#[test]
fn init_edits_the_nearest_file_in_place() {
    let env = Env::new();
    let path = env.project.join(".mcp.json");
    let original = "{\n    \"zeta\": {\"b\": 1, \"a\": 2},\n    \"mcpServers\": {\n        \
                    \"web\": {\"type\": \"http\", \"url\": \"https://x\", \"vendor\": true},\n        \
                    \"b\": {\"command\": \"b-server\", \"args\": [\"--x\"]},\n        \
                    \"a\": {\"command\": \"a-server\"}\n    },\n    \"alpha\": [1, 2.5]\n}\n";
    std::fs::write(&path, original).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    let deep = env.project.join("src/deep");
    std::fs::create_dir_all(&deep).unwrap();

    let mut cmd = env.cmd(&["init"]);
    cmd.current_dir(&deep);
    let out = common::run_bounded(cmd, std::time::Duration::from_secs(30));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("added the mcpd shim entry"), "{stdout}");
    assert!(stdout.contains(CLAUDE_ADD), "{stdout}");
    assert!(stdout.contains("mcpd import"), "{stdout}");
    assert!(
        !deep.join(".mcp.json").exists(),
        "the nearest file upward is edited"
    );

    let v = read(&path);
    assert_eq!(keys(&v), ["zeta", "mcpServers", "alpha"]);
    assert_eq!(keys(&v["zeta"]), ["b", "a"]);
    assert_eq!(keys(&v["mcpServers"]), ["web", "b", "a", "mcpd"]);
    assert_eq!(v["mcpServers"]["web"]["vendor"], true);
    assert_eq!(v["mcpServers"]["b"]["args"], json!(["--x"]));
    assert_eq!(v["mcpServers"]["mcpd"], shim());
    assert_eq!(v["alpha"], json!([1, 2.5]));
    let edited = std::fs::read_to_string(&path).unwrap();
    assert!(
        edited.contains("\n    \"zeta\": {\n        \"b\": 1"),
        "{edited}"
    );
    assert_eq!(mode(&path), 0o640, "the file keeps its mode");

    let again = env.ok(&["init"]);
    assert!(again.contains("already runs mcpd shim"), "{again}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), edited);
    assert_eq!(files(&env.project), [".mcp.json", "src"]);
}

#[test]
fn init_refuses_a_malformed_file() {
    let env = Env::new();
    let path = env.project.join(".mcp.json");
    let bad = "{\n  \"mcpServers\": {,}\n}\n";
    std::fs::write(&path, bad).unwrap();
    let out = env.run(&["init"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains(&path.display().to_string()), "{err}");
    assert!(err.contains("invalid JSON at line 2"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), bad);
    assert_eq!(files(&env.project), [".mcp.json"]);
}

#[test]
fn import_moves_stdio_servers_keeps_http_and_reports_the_saving() {
    let env = Env::new();
    let client = env.project.join(".mcp.json");
    let own = env.project.join(".mcpd.json");
    let one = example(&["--tools", "20"]);
    let two = example(&["--tools", "20"]);
    env.write(
        &client,
        &json!({"mcpServers": {"one": one, "web": http(), "two": two}, "x-extra": {"k": 1}}),
    );
    std::fs::set_permissions(&client, std::fs::Permissions::from_mode(0o600)).unwrap();

    let out = env.ok(&["import"]);
    assert!(out.contains("moved 2 servers"), "{out}");
    assert!(out.contains("one, two"), "{out}");
    assert!(
        out.contains("left in") && out.contains("web (http)"),
        "{out}"
    );
    assert!(out.contains("added the mcpd shim entry"), "{out}");

    let c = read(&client);
    assert_eq!(keys(&c), ["mcpServers", "x-extra"]);
    assert_eq!(keys(&c["mcpServers"]), ["web", "mcpd"]);
    assert_eq!(c["mcpServers"]["web"], http());
    assert_eq!(c["mcpServers"]["mcpd"], shim());
    assert_eq!(read(&own), json!({"mcpServers": {"one": one, "two": two}}));
    assert_eq!(mode(&own), 0o600, "the new file is as private as .mcp.json");
    assert_eq!(files(&env.project), [".mcp.json", ".mcpd.json"]);

    // The saving: each server's tools/list bytes, their sum, and the shim's own list.
    let per_server: Vec<usize> = out
        .lines()
        .filter(|l| l.starts_with("  one: ") || l.starts_with("  two: "))
        .map(|l| {
            let n = numbers(l);
            assert!(
                n.len() == 2 && n[0] >= 20,
                "20 synthetic tools and the built-in ones: {l}"
            );
            n[1]
        })
        .collect();
    assert_eq!(per_server.len(), 2, "{out}");
    let line = out
        .lines()
        .find(|l| l.starts_with("saves "))
        .unwrap_or_else(|| panic!("no saving line in {out}"));
    assert!(line.contains("of context per session"), "{line}");
    let n = numbers(line);
    assert_eq!(n.len(), 7, "{line}");
    let (saved, saved_tokens, servers, total, shim_bytes) = (n[0], n[1], n[2], n[3], n[5]);
    assert_eq!(servers, 2, "{line}");
    assert_eq!(total, per_server.iter().sum::<usize>(), "{out}");
    assert_eq!(
        shim_bytes,
        mcpd_shim::server::meta_tools::tools_list_result().len(),
        "{line}"
    );
    assert!(total > shim_bytes, "{line}");
    assert!(saved > 0 && saved == total - shim_bytes, "{line}");
    let tokens = saved / 4;
    assert!(saved_tokens.abs_diff(tokens) * 100 <= tokens, "{line}");

    // The moved servers now come from .mcpd.json, through the daemon.
    assert_eq!(env.call_text("one", "echo", json!({"text": "hi"})), "hi");
    assert_eq!(env.call_text("two", "add", json!({"a": 2, "b": 3})), "5");
}

#[test]
fn import_merges_into_an_existing_mcpd_json_without_overwriting() {
    let env = Env::new();
    let client = env.project.join(".mcp.json");
    let own = env.project.join(".mcpd.json");
    let three = example(&["--tools", "20"]);
    let ours = example(&["--tools", "1"]);
    env.write(
        &client,
        &json!({"mcpServers": {
            "tools": {"command": "mcpd", "args": ["shim"]},
            "dup": example(&["--tools", "20"]),
            "three": three,
        }}),
    );
    env.write(
        &own,
        &json!({"mcpServers": {"own": example(&[]), "dup": ours}, "note": "mine"}),
    );

    let out = env.ok(&["import"]);
    assert!(out.contains("moved 1 server "), "{out}");
    assert!(
        out.contains("not moved: \"dup\" is already defined differently"),
        "{out}"
    );
    assert!(
        out.contains("already runs mcpd shim (entry \"tools\")"),
        "{out}"
    );
    assert!(out.contains("1 server's tool list"), "{out}");

    let c = read(&client);
    assert_eq!(
        keys(&c["mcpServers"]),
        ["tools", "dup"],
        "no second shim entry"
    );
    let o = read(&own);
    assert_eq!(keys(&o), ["mcpServers", "note"]);
    assert_eq!(keys(&o["mcpServers"]), ["own", "dup", "three"]);
    assert_eq!(o["mcpServers"]["dup"], ours, "not overwritten");
    assert_eq!(o["mcpServers"]["three"], three);

    // Running it again: nothing left to move, the conflict is reported again.
    let again = env.ok(&["import"]);
    assert!(again.contains("nothing to import"), "{again}");
    assert!(again.contains("not moved: \"dup\""), "{again}");
    assert_eq!(read(&client), c);
}

#[test]
fn import_dry_run_writes_and_loads_nothing() {
    let env = Env::new();
    let client = env.project.join(".mcp.json");
    env.write(
        &client,
        &json!({"mcpServers": {"one": example(&["--tools", "20"]), "web": http()}}),
    );
    let before = std::fs::read(&client).unwrap();
    let out = env.ok(&["import", "--dry-run"]);
    assert!(out.contains("would move 1 server "), "{out}");
    assert!(out.contains("would add the mcpd shim entry"), "{out}");
    assert!(out.contains("dry run: nothing written"), "{out}");
    assert_eq!(std::fs::read(&client).unwrap(), before);
    assert_eq!(files(&env.project), [".mcp.json"]);
    assert!(env.daemon_pid().is_none(), "a dry run loads nothing");
}

#[test]
fn import_with_nothing_to_move_or_a_malformed_file_writes_nothing() {
    let env = Env::new();
    let out = env.ok(&["import"]);
    assert!(out.contains("nothing to import"), "{out}");
    assert_eq!(files(&env.project), Vec::<String>::new());

    let client = env.project.join(".mcp.json");
    env.write(
        &client,
        &json!({"mcpServers": {"mcpd": shim(), "web": http()}}),
    );
    let before = std::fs::read(&client).unwrap();
    let out = env.ok(&["import"]);
    assert!(out.contains("nothing to import"), "{out}");
    assert_eq!(std::fs::read(&client).unwrap(), before);

    env.write(&client, &json!({"mcpServers": {"one": example(&[])}}));
    let before = std::fs::read(&client).unwrap();
    let own = env.project.join(".mcpd.json");
    std::fs::write(&own, "{\"mcpServers\": [}").unwrap();
    let out = env.run(&["import"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains(&own.display().to_string()), "{err}");
    assert!(err.contains("invalid JSON"), "{err}");
    assert_eq!(std::fs::read(&client).unwrap(), before);
    assert_eq!(
        std::fs::read_to_string(&own).unwrap(),
        "{\"mcpServers\": [}"
    );
    assert!(env.daemon_pid().is_none());
}
