//! Lookup order, upward search, shim skipping and lookup errors.

use super::{tempdir, write};
use crate::{LookupError, SourceKind, discover};

const SERVERS_A_B: &str = r#"{"mcpServers": {
    "a": {"command": "a-from-mcpd"},
    "b": {"command": "b-from-mcpd"}}}"#;
const SERVERS_B_C: &str = r#"{"mcpServers": {
    "b": {"command": "b-from-user"},
    "c": {"command": "c-from-user"}}}"#;
const SERVERS_C_D: &str = r#"{"mcpServers": {
    "mcpd": {"command": "mcpd", "args": ["shim"]},
    "c": {"command": "c-from-mcp-json"},
    "d": {"command": "d-from-mcp-json"}}}"#;

#[test]
fn first_match_wins_across_the_three_files() {
    let (_tmp, root) = tempdir();
    let mcpd = write(&root, "proj/.mcpd.json", SERVERS_A_B);
    let user = write(&root, "home/config.json", SERVERS_B_C);
    let mcp = write(&root, "proj/.mcp.json", SERVERS_C_D);
    let set = discover(&root.join("proj"), &user);

    assert!(set.errors.is_empty(), "{:?}", set.errors);
    assert_eq!(set.files, vec![mcpd.clone(), user.clone(), mcp.clone()]);
    assert_eq!(set.names(), vec!["a", "b", "c", "d"]);
    let command = |name: &str| set.get(name).unwrap().command.clone().unwrap();
    assert_eq!(command("a"), "a-from-mcpd");
    assert_eq!(command("b"), "b-from-mcpd");
    assert_eq!(command("c"), "c-from-user");
    assert_eq!(command("d"), "d-from-mcp-json");
    let source = |name: &str| set.get(name).unwrap().source.clone();
    assert_eq!(source("a").kind, SourceKind::ProjectMcpd);
    assert_eq!(source("a").path, mcpd);
    assert_eq!(source("c").kind, SourceKind::User);
    assert_eq!(source("c").path, user);
    assert_eq!(source("d").kind, SourceKind::ProjectMcpJson);
    assert_eq!(source("d").path, mcp);
}

#[test]
fn source_kinds_display() {
    assert_eq!(SourceKind::ProjectMcpd.to_string(), ".mcpd.json");
    assert_eq!(SourceKind::User.to_string(), "user config");
    assert_eq!(SourceKind::ProjectMcpJson.to_string(), ".mcp.json");
}

#[test]
fn files_are_found_from_cwd_upward_and_the_nearest_wins() {
    let (_tmp, root) = tempdir();
    write(
        &root,
        "proj/.mcpd.json",
        r#"{"mcpServers": {"far": {"command": "x"}}}"#,
    );
    let near = write(
        &root,
        "proj/sub/.mcpd.json",
        r#"{"mcpServers": {"near": {"command": "y"}}}"#,
    );
    let mcp = write(
        &root,
        "proj/.mcp.json",
        r#"{"mcpServers": {"m": {"command": "z"}}}"#,
    );
    std::fs::create_dir_all(root.join("proj/sub/deeper/still")).unwrap();

    let set = discover(
        &root.join("proj/sub/deeper/still"),
        &root.join("no-user.json"),
    );
    assert_eq!(set.files, vec![near, mcp]);
    assert_eq!(set.names(), vec!["near", "m"]);
    assert!(set.get("far").is_err());
}

#[test]
fn missing_files_are_not_errors() {
    let (_tmp, root) = tempdir();
    let set = discover(&root, &root.join("nope/config.json"));
    assert!(set.errors.is_empty());
    assert!(set.files.is_empty());
    assert!(set.servers.is_empty());
}

#[test]
fn a_folder_named_like_a_config_file_is_not_a_config_file() {
    let (_tmp, root) = tempdir();
    std::fs::create_dir_all(root.join("proj/.mcpd.json")).unwrap();
    write(
        &root,
        ".mcpd.json",
        r#"{"mcpServers": {"up": {"command": "x"}}}"#,
    );
    let set = discover(&root.join("proj"), &root.join("none.json"));
    assert_eq!(set.names(), vec!["up"]);
}

#[test]
fn an_unreadable_user_config_is_reported() {
    let (_tmp, root) = tempdir();
    std::fs::create_dir_all(root.join("config.json")).unwrap();
    let set = discover(&root, &root.join("config.json"));
    assert_eq!(set.errors.len(), 1);
    let message = set.errors[0].to_string();
    assert!(
        message.starts_with(&format!(
            "{}: cannot read user config: ",
            root.join("config.json").display()
        )),
        "{message}"
    );
}

#[test]
fn the_shim_entry_of_mcp_json_is_skipped() {
    let (_tmp, root) = tempdir();
    write(
        &root,
        ".mcp.json",
        r#"{"mcpServers": {
            "mcpd": {"command": "mcpd", "args": ["shim"]},
            "abs": {"command": "tools/bin/mcpd", "args": ["shim", "--server", "x"]},
            "win": {"command": "C:\\tools\\mcpd.exe", "args": ["shim"]},
            "daemon": {"command": "mcpd", "args": ["daemon"]},
            "other": {"command": "notmcpd", "args": ["shim"]},
            "later": {"command": "mcpd", "args": ["--verbose", "shim"]}}}"#,
    );
    let set = discover(&root, &root.join("none.json"));
    assert_eq!(set.names(), vec!["daemon", "other", "later"]);
}

#[test]
fn a_file_with_bad_json_hides_nothing_else() {
    let (_tmp, root) = tempdir();
    let bad = write(&root, "proj/.mcpd.json", "{\"mcpServers\": {\"a\": ");
    let user = write(
        &root,
        "config.json",
        r#"{"mcpServers": {"github": {"command": "gh-mcp"}, "time": {"command": "t"}}}"#,
    );
    let set = discover(&root.join("proj"), &user);

    assert_eq!(set.files, vec![bad.clone(), user]);
    assert_eq!(set.names(), vec!["github", "time"]);
    assert_eq!(set.errors.len(), 1);
    assert_eq!(set.errors[0].file, bad);
    assert!(set.get("github").is_ok());

    let err = set.get("gihub").unwrap_err();
    let LookupError::Unknown {
        nearest,
        known,
        file_errors,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(nearest.as_deref(), Some("github"));
    assert_eq!(known, &["github", "time"]);
    assert_eq!(file_errors.len(), 1);
    let expected = format!(
        "unknown server 'gihub'; did you mean 'github'? configured: github, time\n{}: invalid JSON at line 1, column 21: EOF while parsing a value",
        bad.display()
    );
    assert_eq!(err.to_string(), expected);
}

#[test]
fn unknown_server_without_a_near_name() {
    let (_tmp, root) = tempdir();
    let user = write(
        &root,
        "config.json",
        r#"{"mcpServers": {"time": {"command": "t"}, "github": {"command": "g"}}}"#,
    );
    let set = discover(&root, &user);
    let err = set.get("postgres").unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown server 'postgres'; configured: github, time"
    );
}

#[test]
fn unknown_server_when_nothing_is_configured() {
    let (_tmp, root) = tempdir();
    let set = discover(&root, &root.join("none.json"));
    let err = set.get("x").unwrap_err().to_string();
    assert!(
        err.starts_with("unknown server 'x'; no servers are configured"),
        "{err}"
    );
}

#[test]
fn an_invalid_first_definition_shadows_later_valid_ones() {
    let (_tmp, root) = tempdir();
    let mcpd = write(
        &root,
        ".mcpd.json",
        r#"{"mcpServers": {"a": {"command": "x", "args": "oops"}, "ok": {"command": "y"}}}"#,
    );
    let user = write(
        &root,
        "home/config.json",
        r#"{"mcpServers": {"a": {"command": "fine"}}}"#,
    );
    let set = discover(&root, &user);
    assert!(set.errors.is_empty());
    assert_eq!(set.names(), vec!["a", "ok"]);
    assert!(set.get("ok").is_ok());
    let err = set.get("a").unwrap_err();
    assert!(matches!(err, LookupError::Invalid(_)));
    assert_eq!(
        err.to_string(),
        format!(
            "{}: mcpServers.a.args: expected an array of strings, found a string",
            mcpd.display()
        )
    );
    assert_eq!(set.valid().count(), 1);
    assert_eq!(set.all_errors().count(), 1);
}

#[test]
fn the_same_file_is_read_once() {
    let (_tmp, root) = tempdir();
    let file = write(
        &root,
        ".mcpd.json",
        r#"{"mcpServers": {"a": {"command": "x"}}}"#,
    );
    let set = discover(&root, &file);
    assert_eq!(set.files, vec![file]);
    assert_eq!(set.get("a").unwrap().source.kind, SourceKind::ProjectMcpd);
}
