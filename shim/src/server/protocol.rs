//! The MCP server side of the handshake: version negotiation, the `initialize` result, and the
//! `instructions` naming the configured servers (clients put it in the system prompt).

use serde_json::{Value, json};
use std::path::Path;

/// Versions the shim speaks, oldest first.
pub const VERSIONS: &[&str] = &["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"];
/// Claude Code cuts `instructions` at 2 KB.
const MAX_INSTRUCTIONS: usize = 2000;

/// The client's version when the shim speaks it, else the newest the shim speaks.
pub fn negotiate(requested: Option<&str>) -> &'static str {
    requested
        .and_then(|r| VERSIONS.iter().find(|v| **v == r))
        .copied()
        .unwrap_or(VERSIONS[VERSIONS.len() - 1])
}

/// The `initialize` result.
pub fn initialize_result(params: &Value, instructions: &str) -> String {
    let version = negotiate(params.get("protocolVersion").and_then(Value::as_str));
    json!({
        "protocolVersion": version,
        "capabilities": { "tools": { "listChanged": true } },
        "serverInfo": { "name": "mcpd", "version": crate::VERSION },
        "instructions": instructions,
    })
    .to_string()
}

/// Names the servers configured for `cwd` (with their descriptions), within the 2 KB budget.
pub fn instructions(cwd: &Path, user_config: &Path) -> String {
    let set = mcpd_config::discover(cwd, user_config);
    let mut text = String::from(
        "mcpd runs MCP servers for you behind a few meta-tools. Workflow: get_loaded_servers (what exists) -> \
         load_mcp_server_dynamically (a server's tools) or search_tools (by keywords) -> call_dynamic_server_tool. \
         After editing a server's code, reload_mcp_server.",
    );
    let servers: Vec<(String, Option<String>)> = set
        .valid()
        .map(|d| (d.name.clone(), d.description.clone()))
        .collect();
    if servers.is_empty() {
        text.push_str(" No servers are configured for this project yet (.mcpd.json, ~/.mcpd/config.json or .mcp.json).");
        return text;
    }
    text.push_str("\nServers:");
    for (i, (name, description)) in servers.iter().enumerate() {
        let line = match description {
            Some(d) => format!("\n- {name}: {}", first_words(d, 12)),
            None => format!("\n- {name}"),
        };
        if text.len() + line.len() > MAX_INSTRUCTIONS - 40 {
            text.push_str(&format!(
                "\n... and {} more (get_loaded_servers lists all)",
                servers.len() - i
            ));
            break;
        }
        text.push_str(&line);
    }
    text
}

fn first_words(text: &str, n: usize) -> String {
    let line = text.lines().next().unwrap_or("");
    let words: Vec<&str> = line.split_whitespace().collect();
    if words.len() <= n {
        words.join(" ")
    } else {
        format!("{}...", words[..n].join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiates_known_versions_and_falls_back_to_the_newest() {
        assert_eq!(negotiate(Some("2024-11-05")), "2024-11-05");
        assert_eq!(negotiate(Some("2025-06-18")), "2025-06-18");
        assert_eq!(negotiate(Some("2026-07-28")), "2025-11-25");
        assert_eq!(negotiate(None), "2025-11-25");
    }

    #[test]
    fn instructions_stay_under_two_kilobytes() {
        let dir = tempfile::tempdir().unwrap();
        let servers: serde_json::Map<String, Value> = (0..200)
            .map(|i| (format!("server{i:03}"), json!({"command": "x", "description": "A server with a long description that goes on"})))
            .collect();
        std::fs::write(
            dir.path().join(".mcpd.json"),
            json!({ "mcpServers": servers }).to_string(),
        )
        .unwrap();
        let text = instructions(dir.path(), &dir.path().join("none.json"));
        assert!(text.len() <= MAX_INSTRUCTIONS, "{}", text.len());
        assert!(text.contains("- server000: A server with a long"));
        assert!(text.contains("more (get_loaded_servers lists all)"));
    }
}
