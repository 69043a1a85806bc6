//! Resolution: expansion against the client's env, working directories, labels and keys.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{env, tempdir, write};
use crate::{DEFAULT_TIMEOUT, ResolvedServer, ServerDef, discover};

/// The definition `name` from a user config containing `servers` (the inside of mcpServers).
fn def_in(root: &Path, rel: &str, servers: &str, name: &str) -> ServerDef {
    let file = write(root, rel, &format!(r#"{{"mcpServers": {{{servers}}}}}"#));
    let set = discover(&root.join("elsewhere"), &file);
    set.get(name).unwrap().clone()
}

fn resolve(servers: &str, client: &[(&str, &str)]) -> (PathBuf, ResolvedServer) {
    let (tmp, root) = tempdir();
    let def = def_in(&root, "proj/config.json", servers, "s");
    let resolved = def.resolve(&env(client));
    drop(tmp);
    (root.join("proj"), resolved)
}

#[test]
fn cwd_defaults_to_the_folder_of_the_file() {
    let (folder, r) = resolve(r#""s": {"command": "x"}"#, &[]);
    assert_eq!(r.cwd, folder);
    assert!(r.cwd.is_absolute());
}

#[test]
fn relative_cwd_is_relative_to_that_folder() {
    let (folder, r) = resolve(r#""s": {"command": "x", "cwd": "./tools/srv"}"#, &[]);
    assert_eq!(r.cwd, folder.join("tools/srv"));
    let (folder, r) = resolve(r#""s": {"command": "x", "cwd": "../sibling"}"#, &[]);
    assert_eq!(r.cwd, folder.join("../sibling"));
}

#[test]
fn absolute_home_and_variable_cwd() {
    let srv = fake_home().join("srv");
    let (_, r) = resolve(
        &format!(r#""s": {{"command": "x", "cwd": {:?}}}"#, srv),
        &[],
    );
    assert_eq!(r.cwd, srv);
    let home = fake_home();
    let (_, r) = resolve(
        r#""s": {"command": "x", "cwd": "~/code"}"#,
        &[("HOME", home.to_str().unwrap())],
    );
    assert_eq!(r.cwd, home.join("code"));
    let (folder, r) = resolve(r#""s": {"command": "x", "cwd": "${SUB:-lib}"}"#, &[]);
    assert_eq!(r.cwd, folder.join("lib"));
}

#[test]
fn expansion_uses_the_client_environment_only() {
    let servers = r#""s": {
        "command": "${BIN_DIR}/server", "args": ["--port", "${PORT:-3000}", "${PATH}", "~/data"],
        "env": {"TOKEN": "${TOKEN}", "MODE": "${MODE:-dev}"}}"#;
    let home = fake_home();
    let bin = home.join("bin");
    let (_, r) = resolve(
        servers,
        &[
            ("BIN_DIR", bin.to_str().unwrap()),
            ("TOKEN", "t0k"),
            ("HOME", home.to_str().unwrap()),
        ],
    );
    assert_eq!(r.command, bin.join("server").display().to_string());
    // PATH is set for the daemon but not in this client's environment: it stays literal.
    assert_eq!(
        r.args,
        [
            "--port",
            "3000",
            "${PATH}",
            &home.join("data").display().to_string()
        ]
    );
    assert_eq!(r.env["TOKEN"], "t0k");
    assert_eq!(r.env["MODE"], "dev");
    assert_eq!(r.env.len(), 2);
}

#[test]
fn url_and_headers_are_expanded() {
    let servers = r#""s": {"type": "http", "url": "https://${HOST}/mcp",
        "headers": {"Authorization": "Bearer ${API_KEY}", "X-Unset": "${NOPE}"}}"#;
    let (_, r) = resolve(servers, &[("HOST", "api.example.com"), ("API_KEY", "k")]);
    assert_eq!(r.url.as_deref(), Some("https://api.example.com/mcp"));
    assert_eq!(r.headers["Authorization"], "Bearer k");
    assert_eq!(r.headers["X-Unset"], "${NOPE}");
    assert_eq!(r.command, "");
}

#[test]
fn command_paths() {
    let home = fake_home();
    let (_, r) = resolve(
        r#""s": {"command": "~/bin/srv"}"#,
        &[("HOME", home.to_str().unwrap())],
    );
    assert_eq!(r.command, home.join("bin/srv").display().to_string());
    let (_, r) = resolve(r#""s": {"command": "npx"}"#, &[]);
    assert_eq!(r.command, "npx");
    let (folder, r) = resolve(
        r#""s": {"command": "./target/debug/srv", "cwd": "sub"}"#,
        &[],
    );
    assert_eq!(
        PathBuf::from(&r.command),
        folder.join("sub/target/debug/srv")
    );
}

#[test]
fn timeout_and_passthrough_fields() {
    let (_, r) = resolve(r#""s": {"command": "x"}"#, &[]);
    assert_eq!(r.timeout, DEFAULT_TIMEOUT);
    assert_eq!(DEFAULT_TIMEOUT, Duration::from_secs(600));
    let (_, r) = resolve(
        r#""s": {"command": "x", "timeout": 2500, "watch": ["${NOT_EXPANDED}"], "description": "d"}"#,
        &[],
    );
    assert_eq!(r.timeout, Duration::from_millis(2500));
    assert_eq!(r.watch, ["${NOT_EXPANDED}"]);
    assert_eq!(r.description.as_deref(), Some("d"));
    assert_eq!(r.name, "s");
}

#[test]
fn project_labels() {
    let (_tmp, root) = tempdir();
    let home = root.join("home/ann");
    write(
        &home,
        "code/app/.mcpd.json",
        r#"{"mcpServers": {"p": {"command": "x"}}}"#,
    );
    write(
        &home,
        ".mcp.json",
        r#"{"mcpServers": {"h": {"command": "x"}}}"#,
    );
    let user = write(
        &root,
        "mcpd/config.json",
        r#"{"mcpServers": {"u": {"command": "x"}}}"#,
    );
    let set = discover(&home.join("code/app"), &user);
    let label = |name: &str, home: Option<&Path>| {
        set.get(name)
            .unwrap()
            .resolve(&env(&[]))
            .project_label_with_home(home)
    };
    let sep = std::path::MAIN_SEPARATOR;
    assert_eq!(label("p", Some(&home)), format!("~{sep}code{sep}app"));
    assert_eq!(label("h", Some(&home)), "~");
    assert_eq!(label("u", Some(&home)), "user");
    assert_eq!(
        label("p", None),
        home.join("code/app").display().to_string()
    );
    assert_eq!(
        label("p", Some(Path::new("/"))),
        home.join("code/app").display().to_string()
    );
}

#[test]
fn identical_definitions_share_a_key() {
    let (_tmp, root) = tempdir();
    // Two files in different folders, one absolute working directory.
    let srv = root.join("srv");
    let one = def_in(
        &root,
        "a/config.json",
        &format!(
            r#""s": {{"command": "x", "args": ["1"], "cwd": {srv:?}, "env": {{"A": "1", "B": "2"}}}}"#
        ),
        "s",
    );
    let two = def_in(
        &root,
        "b/config.json",
        &format!(
            r#""t": {{"command": "x", "args": ["1"], "cwd": {srv:?}, "env": {{"B": "2", "A": "1"}}, "reload": "manual", "description": "other"}}"#
        ),
        "t",
    );
    let client = env(&[]);
    let key = one.resolve(&client).key();
    assert_eq!(key, two.resolve(&client).key());
    assert_eq!(key.as_str().len(), 16);
    assert!(key.as_str().bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(key.to_string(), key.as_str());
    // Stable: the same input gives the same key every time.
    assert_eq!(key, one.resolve(&client).key());
}

#[test]
fn different_definitions_have_different_keys() {
    let (_tmp, root) = tempdir();
    let variants = [
        r#"{"command": "x", "args": ["a b"], "cwd": "srv", "env": {"A": "1"}}"#,
        r#"{"command": "y", "args": ["a b"], "cwd": "srv", "env": {"A": "1"}}"#,
        r#"{"command": "x", "args": ["a", "b"], "cwd": "srv", "env": {"A": "1"}}"#,
        r#"{"command": "x", "args": ["a b"], "cwd": "/other", "env": {"A": "1"}}"#,
        r#"{"command": "x", "args": ["a b"], "cwd": "srv", "env": {"A": "2"}}"#,
        r#"{"command": "x", "args": ["a b"], "cwd": "srv", "env": {"A": "1"}, "url": "http://h"}"#,
        r#"{"command": "x", "args": ["a b"], "cwd": "srv", "env": {"A": "1"}, "type": "sse", "url": "http://h"}"#,
        r#"{"url": "http://h", "cwd": "srv", "headers": {"H": "v"}}"#,
        r#"{"url": "http://h", "cwd": "srv", "headers": {"H": "w"}}"#,
    ];
    let mut keys: Vec<_> = variants
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            let servers = format!(r#""s": {entry}"#);
            let def = def_in(&root, &format!("{i}/config.json"), &servers, "s");
            def.resolve(&env(&[])).key()
        })
        .collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), variants.len());
}

#[test]
fn the_client_environment_can_change_the_key() {
    let (_tmp, root) = tempdir();
    let def = def_in(
        &root,
        "config.json",
        r#""s": {"command": "x", "env": {"T": "${TOKEN}"}}"#,
        "s",
    );
    let a = def.resolve(&env(&[("TOKEN", "a")])).key();
    let b = def.resolve(&env(&[("TOKEN", "b")])).key();
    let a_again = def
        .resolve(&env(&[("TOKEN", "a"), ("UNRELATED", "z")]))
        .key();
    assert_ne!(a, b);
    assert_eq!(a, a_again);
}

/// A home folder for a client that is not this machine's user (it need not exist).
fn fake_home() -> PathBuf {
    std::env::temp_dir().join("mcpd-test-client-home")
}
