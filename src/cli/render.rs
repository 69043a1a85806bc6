//! Text output shared by several commands: tool lists, durations, call results.

use mcpd_shim::signature::{signature, summary};
use serde_json::Value;

/// One line per tool: the compact signature, then the first line of its description.
pub fn tool_lines(tools: &[Value]) -> String {
    let mut out = String::new();
    for t in tools {
        let sig = signature(t);
        let sum = summary(t);
        if sum.is_empty() {
            out.push_str(&format!("  {sig}\n"));
        } else {
            out.push_str(&format!("  {sig}\n      {sum}\n"));
        }
    }
    out
}

/// `3d 4h`, `5m 2s`, `42s`.
pub fn duration(secs: u64) -> String {
    let (d, h, m, s) = (
        secs / 86_400,
        secs % 86_400 / 3600,
        secs % 3600 / 60,
        secs % 60,
    );
    if d > 0 {
        format!("{d}d {h}h")
    } else if h > 0 {
        format!("{h}h {m}m")
    } else if m > 0 {
        format!("{m}m {s}s")
    } else {
        format!("{s}s")
    }
}

/// A CallToolResult as plain text: text blocks as they are, other blocks as a short bracketed note,
/// structuredContent as JSON when there is no content.
pub fn call_result(result: &Value) -> String {
    let mut parts: Vec<String> = Vec::new();
    for block in result
        .get("content")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        parts.push(content_block(block));
    }
    if parts.is_empty()
        && let Some(s) = result.get("structuredContent")
    {
        parts.push(serde_json::to_string_pretty(s).unwrap_or_default());
    }
    parts.join("\n")
}

fn content_block(block: &Value) -> String {
    let s = |k: &str| block.get(k).and_then(Value::as_str).unwrap_or("");
    match s("type") {
        "text" => s("text").to_string(),
        "image" | "audio" => format!(
            "[{} {}, {} bytes base64]",
            s("type"),
            s("mimeType"),
            s("data").len()
        ),
        "resource_link" => format!("[resource link {} {}]", s("uri"), s("name")),
        "resource" => {
            let r = block.get("resource").cloned().unwrap_or(Value::Null);
            match r.get("text").and_then(Value::as_str) {
                Some(t) => t.to_string(),
                None => format!(
                    "[resource {}]",
                    r.get("uri").and_then(Value::as_str).unwrap_or("")
                ),
            }
        }
        other => format!("[{other} block]"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn renders_blocks_plainly() {
        let r = json!({"content": [{"type": "text", "text": "hi"}, {"type": "image", "mimeType": "image/png", "data": "AAAA"}]});
        assert_eq!(call_result(&r), "hi\n[image image/png, 4 bytes base64]");
        assert_eq!(
            call_result(&json!({"content": [], "structuredContent": {"a": 1}})),
            "{\n  \"a\": 1\n}"
        );
    }

    #[test]
    fn durations() {
        assert_eq!(duration(42), "42s");
        assert_eq!(duration(302), "5m 2s");
        assert_eq!(duration(90_000), "1d 1h");
    }
}
