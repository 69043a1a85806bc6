//! Compact tool signatures for people and agents: `add(a: number, b: number) -> {sum: number}`
//! plus the first line of the description, instead of the full JSON Schema.

use serde_json::Value;

/// `name(param: type, opt?: type) -> output`.
pub fn signature(tool: &Value) -> String {
    let name = tool.get("name").and_then(Value::as_str).unwrap_or("?");
    let params = tool.get("inputSchema").map(params_of).unwrap_or_default();
    let mut s = format!("{name}({})", params.join(", "));
    if let Some(out) = tool.get("outputSchema") {
        s.push_str(" -> ");
        s.push_str(&type_of(out, 0));
    }
    s
}

/// The first non-empty line of the tool's description (or its title).
pub fn summary(tool: &Value) -> String {
    let text = tool
        .get("description")
        .and_then(Value::as_str)
        .or_else(|| tool.get("title").and_then(Value::as_str))
        .unwrap_or("");
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
        .to_string()
}

fn params_of(schema: &Value) -> Vec<String> {
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let Some(props) = schema.get("properties").and_then(Value::as_object) else {
        return Vec::new();
    };
    let (mut req, mut opt): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
    for (k, v) in props {
        if required.contains(&k.as_str()) {
            req.push(format!("{k}: {}", type_of(v, 1)));
        } else {
            opt.push(format!("{k}?: {}", type_of(v, 1)));
        }
    }
    req.extend(opt);
    req
}

/// A short type: `string`, `integer`, `string[]`, `"a"|"b"`, `{x: number}` (one level deep).
pub fn type_of(schema: &Value, depth: usize) -> String {
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        let shown: Vec<String> = values.iter().take(6).map(|v| v.to_string()).collect();
        return shown.join("|") + if values.len() > 6 { "|..." } else { "" };
    }
    if let Some(c) = schema.get("const") {
        return c.to_string();
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(alts) = schema.get(key).and_then(Value::as_array) {
            return alts
                .iter()
                .map(|a| type_of(a, depth))
                .collect::<Vec<_>>()
                .join("|");
        }
    }
    match schema.get("type") {
        Some(Value::String(t)) => named(t, schema, depth),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .map(|t| named(t, schema, depth))
            .collect::<Vec<_>>()
            .join("|"),
        _ if schema.get("properties").is_some() => named("object", schema, depth),
        _ => "any".into(),
    }
}

fn named(t: &str, schema: &Value, depth: usize) -> String {
    match t {
        "array" => match schema.get("items") {
            Some(items) => {
                let inner = type_of(items, depth);
                if inner.contains('|') {
                    format!("({inner})[]")
                } else {
                    format!("{inner}[]")
                }
            }
            None => "any[]".into(),
        },
        "object" if depth <= 1 => match schema.get("properties").and_then(Value::as_object) {
            Some(props) if !props.is_empty() && props.len() <= 6 => {
                let fields: Vec<String> = props
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", type_of(v, depth + 1)))
                    .collect();
                format!("{{{}}}", fields.join(", "))
            }
            _ => "object".into(),
        },
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn compact_signature_with_optional_and_output() {
        let tool = json!({
            "name": "add",
            "description": "Adds two numbers.\nMore text.",
            "inputSchema": {"type": "object", "properties": {
                "b": {"type": "number"}, "a": {"type": "number"}, "note": {"type": "string"}},
                "required": ["a", "b"]},
            "outputSchema": {"type": "object", "properties": {"sum": {"type": "number"}}}
        });
        assert_eq!(
            signature(&tool),
            "add(b: number, a: number, note?: string) -> {sum: number}"
        );
        assert_eq!(summary(&tool), "Adds two numbers.");
    }

    #[test]
    fn enums_arrays_and_unions() {
        assert_eq!(type_of(&json!({"enum": ["a", "b"]}), 1), r#""a"|"b""#);
        assert_eq!(
            type_of(&json!({"type": "array", "items": {"type": "string"}}), 1),
            "string[]"
        );
        assert_eq!(
            type_of(&json!({"type": ["string", "null"]}), 1),
            "string|null"
        );
        assert_eq!(type_of(&json!({}), 1), "any");
        assert_eq!(signature(&json!({"name": "x"})), "x()");
    }
}
