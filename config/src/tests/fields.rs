//! Parsing: what valid entries give — defaults, every key, leniency, independence of entries.

use super::{parse, source};
use crate::{ParsedFile, ReloadMode, Transport};

#[test]
fn empty_files_and_files_without_servers_define_nothing() {
    for text in ["", "  \n", r#"{}"#, r#"{"other": 1}"#, "\u{feff}{}"] {
        let parsed = parse(text);
        assert_eq!(parsed, ParsedFile::default(), "{text:?}");
    }
}

#[test]
fn a_bad_entry_leaves_the_others_valid() {
    let parsed = parse(
        r#"{"mcpServers": {"good": {"command": "x"}, "bad": {"args": []}, "also": {"url": "http://h"}}}"#,
    );
    let names: Vec<_> = parsed
        .servers
        .iter()
        .map(|(n, r)| (n.as_str(), r.is_ok()))
        .collect();
    assert_eq!(names, vec![("good", true), ("bad", false), ("also", true)]);
}

#[test]
fn transport_defaults() {
    let def = |entry: &str| {
        let parsed = parse(&format!(r#"{{"mcpServers": {{"s": {entry}}}}}"#));
        parsed.servers.into_iter().next().unwrap().1.unwrap()
    };
    assert_eq!(def(r#"{"command": "x"}"#).transport, Transport::Stdio);
    assert_eq!(def(r#"{"url": "http://h"}"#).transport, Transport::Http);
    assert_eq!(
        def(r#"{"command": "x", "url": "http://h"}"#).transport,
        Transport::Stdio
    );
    assert_eq!(
        def(r#"{"type": "sse", "url": "http://h"}"#).transport,
        Transport::Sse
    );
    assert_eq!(
        def(r#"{"type": "streamable-http", "url": "http://h"}"#).transport,
        Transport::Http
    );
}

#[test]
fn every_key_is_read_and_unknown_keys_are_ignored() {
    let parsed = parse(
        r#"{"mcpServers": {"s": {
            "command": "node", "args": ["${X}", "b"], "env": {"Z": "1", "A": "2"}, "cwd": "sub",
            "headers": {"H": "v"}, "watch": ["src/**"], "ignore": ["*.tmp"], "reload": "manual",
            "timeout": 5000, "description": "demo", "disabled": true, "x-vendor": {"a": 1}
        }}, "other": "kept nowhere"}"#,
    );
    let def = parsed.servers.into_iter().next().unwrap().1.unwrap();
    assert_eq!(def.name, "s");
    assert_eq!(def.source, source());
    assert_eq!(def.command.as_deref(), Some("node"));
    assert_eq!(def.args, ["${X}", "b"]);
    assert_eq!(def.env.keys().collect::<Vec<_>>(), ["Z", "A"]);
    assert_eq!(def.cwd.as_deref(), Some("sub"));
    assert_eq!(def.headers["H"], "v");
    assert_eq!(def.watch, ["src/**"]);
    assert_eq!(def.ignore, ["*.tmp"]);
    assert_eq!(def.reload, ReloadMode::Manual);
    assert_eq!(def.timeout_ms, Some(5000));
    assert_eq!(def.description.as_deref(), Some("demo"));
}

#[test]
fn null_counts_as_absent_and_defaults_apply() {
    let parsed = parse(
        r#"{"mcpServers": {"s": {"command": "x", "args": null, "env": null, "timeout": null}}}"#,
    );
    let def = parsed.servers.into_iter().next().unwrap().1.unwrap();
    assert!(def.args.is_empty() && def.env.is_empty() && def.watch.is_empty());
    assert_eq!(def.reload, ReloadMode::Auto);
    assert_eq!(def.timeout_ms, None);
    assert_eq!(def.cwd, None);
}
