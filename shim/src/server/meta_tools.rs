//! The meta-tools the shim exposes instead of every server's own tools: their names, input schemas
//! and descriptions that teach the workflow (discover → load → call; reload after editing).

use serde_json::{Value, json};

pub const GET_LOADED_SERVERS: &str = "get_loaded_servers";
pub const LOAD: &str = "load_mcp_server_dynamically";
pub const CALL: &str = "call_dynamic_server_tool";
pub const RELOAD: &str = "reload_mcp_server";
pub const UNLOAD: &str = "unload_mcp_server";
pub const INSTALL: &str = "install_and_load_mcp_server";
pub const SEARCH: &str = "search_tools";

/// Every meta-tool name, in `tools/list` order.
pub const NAMES: &[&str] = &[
    GET_LOADED_SERVERS,
    LOAD,
    CALL,
    SEARCH,
    RELOAD,
    UNLOAD,
    INSTALL,
];

fn server_name() -> Value {
    json!({"type": "string", "description": "Server name, as listed by get_loaded_servers"})
}

fn tool(name: &str, description: &str, properties: Value, required: &[&str]) -> Value {
    json!({
        "name": name,
        "description": description,
        "inputSchema": {"type": "object", "properties": properties, "required": required},
        // Claude Code defers rarely used tools behind its tool search; these few are the way in.
        "_meta": {"anthropic/alwaysLoad": true}
    })
}

/// The `tools/list` entries.
pub fn definitions() -> Vec<Value> {
    vec![
        tool(
            GET_LOADED_SERVERS,
            "List the MCP servers available through mcpd (running and configured) with state, tool count and last error. Start here.",
            json!({}),
            &[],
        ),
        tool(
            LOAD,
            "Start a server (or reuse the running one) and list its tools as compact signatures. Then use call_dynamic_server_tool.",
            json!({"server_name": server_name()}),
            &["server_name"],
        ),
        tool(
            CALL,
            "Call a tool of a server; starts the server on first use. Returns the tool's own result.",
            json!({
                "server_name": server_name(),
                "tool_name": {"type": "string", "description": "Tool name, as listed by load_mcp_server_dynamically"},
                "parameters": {"type": "object", "description": "The tool's arguments", "additionalProperties": true}
            }),
            &["server_name", "tool_name", "parameters"],
        ),
        tool(
            SEARCH,
            "Find tools across all servers by keywords; returns the best matches with full input schemas.",
            json!({
                "query": {"type": "string", "description": "Keywords, e.g. 'create issue'"},
                "server_name": {"type": "string", "description": "Only search this server"},
                "limit": {"type": "integer", "minimum": 1, "maximum": 50, "description": "Most results (default 5)"}
            }),
            &["query"],
        ),
        tool(
            RELOAD,
            "Restart a server so the next call runs its current code, e.g. after you edited it.",
            json!({"server_name": server_name()}),
            &["server_name"],
        ),
        tool(
            UNLOAD,
            "Stop a server.",
            json!({"server_name": server_name()}),
            &["server_name"],
        ),
        tool(
            INSTALL,
            "Install a server from a git URL or an npm/PyPI package and load it.",
            json!({
                "source": {"type": "string", "description": "git URL, npm:PACKAGE or pypi:PACKAGE"},
                "server_name": {"type": "string", "description": "Name to give it (default: derived from source)"}
            }),
            &["source"],
        ),
    ]
}

/// The whole `tools/list` result, serialized once.
pub fn tools_list_result() -> String {
    json!({ "tools": definitions() }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tools_list_is_small_and_complete() {
        let text = tools_list_result();
        assert!(text.len() <= 3 * 1024, "tools/list is {} bytes", text.len());
        let v: Value = serde_json::from_str(&text).unwrap();
        let names: Vec<&str> = v["tools"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, NAMES);
        for t in v["tools"].as_array().unwrap() {
            assert_eq!(t["inputSchema"]["type"], "object");
            assert!(
                t.get("outputSchema").is_none(),
                "no outputSchema on meta-tools"
            );
        }
    }
}
