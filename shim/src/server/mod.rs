//! `mcpd shim`: the stdio MCP server a client launches from `.mcp.json`, exposing meta-tools
//! backed by the daemon.

pub mod meta_tools;
