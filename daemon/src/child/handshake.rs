//! The MCP handshake mcpd performs as a client: initialize, notifications/initialized, tools/list.

use super::instance::{Instance, ToolList};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::sync::Arc;
use std::time::Duration;

/// The protocol version mcpd asks for.
pub const PROTOCOL_VERSION: &str = "2025-11-25";
/// The oldest version mcpd accepts from a child.
pub const OLDEST_VERSION: &str = "2024-11-05";
/// Most pages of tools/list followed before giving up on a server that never stops paginating.
const MAX_PAGES: usize = 1000;

#[derive(Deserialize)]
struct InitResult {
    #[serde(rename = "protocolVersion")]
    protocol_version: String,
}

/// Initializes the child and loads its tools. mcpd declares no client capabilities: it routes
/// neither roots, sampling nor elicitation yet, and a child's tool list may depend on what it is told.
pub async fn run(instance: &Arc<Instance>, timeout: Duration) -> Result<(), String> {
    let params = serde_json::json!({
        "protocolVersion": PROTOCOL_VERSION,
        "capabilities": {},
        "clientInfo": { "name": "mcpd", "version": mcpd_shim::VERSION },
    })
    .to_string();
    let result = instance
        .request("initialize", Some(params), timeout)
        .await?;
    let init: InitResult = serde_json::from_str(result.get()).map_err(|e| {
        format!(
            "server '{}' answered initialize with no usable protocolVersion: {e}",
            instance.server
        )
    })?;
    if !is_date_version(&init.protocol_version) || init.protocol_version.as_str() < OLDEST_VERSION {
        return Err(format!(
            "server '{}' speaks MCP protocol '{}'; mcpd needs {OLDEST_VERSION} or newer",
            instance.server, init.protocol_version
        ));
    }
    *instance.init_result.lock().unwrap() = Some(result);
    instance.notify("notifications/initialized", None);
    refresh_tools(instance, timeout).await
}

fn is_date_version(v: &str) -> bool {
    v.len() == 10
        && v.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
}

#[derive(Deserialize)]
struct Page {
    #[serde(default)]
    tools: Vec<Box<RawValue>>,
    #[serde(rename = "nextCursor", default)]
    next_cursor: Option<String>,
}

#[derive(Deserialize)]
struct NameOnly {
    name: String,
}

/// Fetches every page of tools/list (following nextCursor) and stores the result on the instance.
pub async fn refresh_tools(instance: &Arc<Instance>, timeout: Duration) -> Result<(), String> {
    let mut all: Vec<Box<RawValue>> = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let params = cursor
            .as_ref()
            .map(|c| serde_json::json!({ "cursor": c }).to_string());
        let page: Page = match instance.request("tools/list", params, timeout).await {
            Ok(raw) => serde_json::from_str(raw.get())
                .map_err(|e| format!("server '{}' sent a bad tools/list: {e}", instance.server))?,
            Err(e) if e.contains("-32601") => Page {
                tools: Vec::new(),
                next_cursor: None,
            },
            Err(e) => return Err(e),
        };
        all.extend(page.tools);
        match page.next_cursor {
            Some(next) if !next.is_empty() && Some(&next) != cursor.as_ref() => cursor = Some(next),
            _ => break,
        }
    }
    let names = all
        .iter()
        .filter_map(|t| {
            serde_json::from_str::<NameOnly>(t.get())
                .ok()
                .map(|n| n.name)
        })
        .collect();
    let joined = format!(
        "[{}]",
        all.iter().map(|t| t.get()).collect::<Vec<_>>().join(",")
    );
    let raw = RawValue::from_string(joined).map_err(|e| e.to_string())?;
    instance.set_tools(ToolList { raw, names });
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn date_versions_only() {
        assert!(super::is_date_version("2025-11-25"));
        assert!(!super::is_date_version("1.0"));
        assert!(!super::is_date_version("2025-1-25x"));
    }
}
