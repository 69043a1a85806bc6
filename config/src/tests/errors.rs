//! Parsing: every error message names the file, the key path and the problem.

use super::parse;

/// The file-level error message, which must exist.
fn file_error(text: &str) -> String {
    let parsed = parse(text);
    assert!(parsed.servers.is_empty());
    parsed.error.expect("a file error").to_string()
}

/// The error of the single entry "s" defined by `entry`.
fn entry_error(entry: &str) -> String {
    let parsed = parse(&format!(r#"{{"mcpServers": {{"s": {entry}}}}}"#));
    assert!(parsed.error.is_none(), "{:?}", parsed.error);
    let (name, result) = parsed.servers.into_iter().next().expect("one entry");
    assert_eq!(name, "s");
    result.expect_err("an invalid entry").to_string()
}

#[test]
fn invalid_json_gives_line_and_column() {
    assert_eq!(
        file_error("{\n  \"mcpServers\": {,}\n}"),
        "cfg/config.json: invalid JSON at line 2, column 18: key must be a string"
    );
    assert_eq!(
        file_error("{\"mcpServers\": {}} trailing"),
        "cfg/config.json: invalid JSON at line 1, column 20: trailing characters"
    );
}

#[test]
fn the_top_level_must_be_an_object() {
    assert_eq!(
        file_error("[1, 2]"),
        "cfg/config.json: expected an object at the top level, found an array"
    );
}

#[test]
fn mcp_servers_must_be_an_object() {
    assert_eq!(
        file_error(r#"{"mcpServers": ["a"]}"#),
        "cfg/config.json: mcpServers: expected an object, found an array"
    );
    assert_eq!(
        file_error(r#"{"mcpServers": "a"}"#),
        "cfg/config.json: mcpServers: expected an object, found a string"
    );
}

#[test]
fn an_entry_must_be_an_object() {
    assert_eq!(
        entry_error("3"),
        "cfg/config.json: mcpServers.s: expected an object, found a number"
    );
}

#[test]
fn wrong_types_name_the_key_path() {
    let cases = [
        (
            r#"{"command": 1}"#,
            "mcpServers.s.command: expected a string, found a number",
        ),
        (
            r#"{"command": "x", "args": ["a", "b", 3]}"#,
            "mcpServers.s.args[2]: expected a string, found a number",
        ),
        (
            r#"{"command": "x", "args": {"a": 1}}"#,
            "mcpServers.s.args: expected an array of strings, found an object",
        ),
        (
            r#"{"command": "x", "env": {"TOKEN": true}}"#,
            "mcpServers.s.env.TOKEN: expected a string, found a boolean",
        ),
        (
            r#"{"command": "x", "env": ["A=1"]}"#,
            "mcpServers.s.env: expected an object of strings, found an array",
        ),
        (
            r#"{"command": "x", "cwd": ["a"]}"#,
            "mcpServers.s.cwd: expected a string, found an array",
        ),
        (
            r#"{"url": "http://h", "headers": {"Authorization": {}}}"#,
            "mcpServers.s.headers.Authorization: expected a string, found an object",
        ),
        (
            r#"{"url": 5}"#,
            "mcpServers.s.url: expected a string, found a number",
        ),
        (
            r#"{"command": "x", "watch": "src"}"#,
            "mcpServers.s.watch: expected an array of strings, found a string",
        ),
        (
            r#"{"command": "x", "ignore": [null]}"#,
            "mcpServers.s.ignore[0]: expected a string, found null",
        ),
        (
            r#"{"command": "x", "description": false}"#,
            "mcpServers.s.description: expected a string, found a boolean",
        ),
    ];
    for (entry, expected) in cases {
        assert_eq!(
            entry_error(entry),
            format!("cfg/config.json: {expected}"),
            "{entry}"
        );
    }
}

#[test]
fn enumerated_values_are_checked() {
    let cases = [
        (
            r#"{"command": "x", "type": "websocket"}"#,
            r#"mcpServers.s.type: expected "stdio", "http" or "sse", found "websocket""#,
        ),
        (
            r#"{"command": "x", "type": 1}"#,
            r#"mcpServers.s.type: expected "stdio", "http" or "sse", found a number"#,
        ),
        (
            r#"{"command": "x", "reload": "sometimes"}"#,
            r#"mcpServers.s.reload: expected "auto" or "manual", found "sometimes""#,
        ),
        (
            r#"{"command": "x", "reload": true}"#,
            r#"mcpServers.s.reload: expected "auto" or "manual", found a boolean"#,
        ),
    ];
    for (entry, expected) in cases {
        assert_eq!(
            entry_error(entry),
            format!("cfg/config.json: {expected}"),
            "{entry}"
        );
    }
}

#[test]
fn timeout_must_be_a_positive_integer() {
    let prefix =
        "cfg/config.json: mcpServers.s.timeout: expected a positive integer (milliseconds), found";
    for (value, found) in [
        ("0", "0"),
        ("-5", "-5"),
        ("1.5", "1.5"),
        (r#""1000""#, "a string"),
    ] {
        let entry = format!(r#"{{"command": "x", "timeout": {value}}}"#);
        assert_eq!(entry_error(&entry), format!("{prefix} {found}"));
    }
}

#[test]
fn required_keys_per_transport() {
    let cases = [
        (
            r#"{}"#,
            r#"mcpServers.s: needs "command" (stdio) or "url" (http, sse)"#,
        ),
        (
            r#"{"type": "stdio", "url": "http://h"}"#,
            r#"mcpServers.s: a stdio server needs "command""#,
        ),
        (
            r#"{"type": "http", "command": "x"}"#,
            r#"mcpServers.s: an http server needs "url""#,
        ),
        (
            r#"{"type": "sse"}"#,
            r#"mcpServers.s: an sse server needs "url""#,
        ),
        (
            r#"{"command": "  "}"#,
            "mcpServers.s.command: must not be empty",
        ),
    ];
    for (entry, expected) in cases {
        assert_eq!(
            entry_error(entry),
            format!("cfg/config.json: {expected}"),
            "{entry}"
        );
    }
}
