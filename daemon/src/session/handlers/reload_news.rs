//! Telling the agent, once, what a reload changed: clients do not reliably act on
//! `notifications/tools/list_changed`, so the next call result for that server carries a note.

use indexmap::IndexMap;
use serde_json::value::RawValue;

/// Appends a text block `[mcpd] NOTE` to a CallToolResult; the child's own blocks keep their
/// bytes. A result that is not an object is returned unchanged.
pub fn annotate(result: String, note: &str) -> String {
    let Ok(mut map) = serde_json::from_str::<IndexMap<String, Box<RawValue>>>(&result) else {
        return result;
    };
    let mut content: Vec<Box<RawValue>> = map
        .get("content")
        .and_then(|c| serde_json::from_str(c.get()).ok())
        .unwrap_or_default();
    let block = serde_json::json!({ "type": "text", "text": format!("[mcpd] {note}") }).to_string();
    content.push(RawValue::from_string(block).expect("valid JSON"));
    let content = serde_json::to_string(&content).expect("raw values serialize");
    map.insert(
        "content".into(),
        RawValue::from_string(content).expect("valid JSON"),
    );
    serde_json::to_string(&map).unwrap_or(result)
}

#[cfg(test)]
mod tests {
    use super::annotate;

    #[test]
    fn appends_a_block_and_keeps_the_childs_bytes() {
        let r = r#"{"content":[{"type":"text","text":"42","x":1.50}],"structuredContent":{"sum":4.20}}"#;
        let out = annotate(r.to_string(), "server 'a' reloaded: tools added: b");
        assert_eq!(
            out,
            r#"{"content":[{"type":"text","text":"42","x":1.50},{"type":"text","text":"[mcpd] server 'a' reloaded: tools added: b"}],"structuredContent":{"sum":4.20}}"#
        );
        assert_eq!(annotate("[]".into(), "x"), "[]");
    }
}
