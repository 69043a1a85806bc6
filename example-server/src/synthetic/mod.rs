//! Synthetic tools (`--tools N`) with realistic, deterministically varied schemas and descriptions.

mod domains;

use serde_json::{Map, Value, json};

use domains::{ACTIONS, DOMAINS};

/// The name of the synthetic tool number `index` (1-based): `synthetic_0001`, ...
pub fn name(index: usize) -> String {
    format!("synthetic_{index:04}")
}

/// The full `tools/list` entry of synthetic tool number `index` (1-based).
pub fn definition(index: usize) -> Value {
    let n = index.saturating_sub(1);
    let domain = &DOMAINS[n % DOMAINS.len()];
    let action = ACTIONS[(n / DOMAINS.len()) % ACTIONS.len()];
    let max_limit = 100 * (1 + n % 5);
    let summary = action
        .replace("{r}", domain.resource)
        .replace("{s}", domain.system);
    let description = format!(
        "{summary}\n\n{} Use `limit` (at most {max_limit}) to bound the response and `{}` to \
         narrow it; set `options.dry_run` to preview the effect.",
        domain.note, domain.list.0
    );

    let mut properties = Map::new();
    let mut required = vec![json!(domain.key.0)];
    properties.insert(
        domain.key.0.into(),
        json!({"type": "string", "description": domain.key.1, "minLength": 1}),
    );
    let (choice, choice_description, choices) = domain.choice;
    properties.insert(
        choice.into(),
        json!({"type": "string", "description": choice_description, "enum": choices, "default": choices[0]}),
    );
    properties.insert(
        "limit".into(),
        json!({
            "type": "integer",
            "description": "Maximum number of items to return.",
            "minimum": 1,
            "maximum": max_limit,
            "default": 20,
        }),
    );
    properties.insert(
        domain.list.0.into(),
        json!({"type": "array", "description": domain.list.1, "items": {"type": "string"}, "uniqueItems": true}),
    );
    properties.insert("options".into(), options_schema());
    let extras = n % 4;
    if extras >= 1 {
        properties.insert(
            domain.text.0.into(),
            json!({"type": "string", "description": domain.text.1}),
        );
        if n.is_multiple_of(3) {
            required.push(json!(domain.text.0));
        }
    }
    if extras >= 2 {
        properties.insert(
            "include_archived".into(),
            json!({"type": "boolean", "description": "Also return archived items.", "default": false}),
        );
    }
    if extras >= 3 {
        properties.insert(
            "since".into(),
            json!({
                "type": "string",
                "format": "date-time",
                "description": "Only items changed at or after this RFC 3339 timestamp.",
            }),
        );
    }
    if n % 2 == 1 {
        required.push(json!(choice));
    }

    json!({
        "name": name(index),
        "description": description,
        "inputSchema": {
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": false,
        },
    })
}

fn options_schema() -> Value {
    json!({
        "type": "object",
        "description": "Execution options.",
        "properties": {
            "dry_run": {"type": "boolean", "description": "Report what would happen without doing it.", "default": false},
            "timeout_seconds": {"type": "integer", "description": "Give up after this many seconds.", "minimum": 1, "maximum": 600},
            "request_id": {"type": "string", "description": "Idempotency key; repeated requests with the same key are ignored."},
        },
        "required": ["dry_run"],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_zero_padded() {
        assert_eq!(name(1), "synthetic_0001");
        assert_eq!(name(42), "synthetic_0042");
        assert_eq!(name(12345), "synthetic_12345");
    }

    #[test]
    fn schemas_are_valid_object_schemas_with_realistic_shapes() {
        let mut descriptions = std::collections::HashSet::new();
        for index in 1..=200 {
            let tool = definition(index);
            assert_eq!(tool["name"], json!(name(index)));
            let description = tool["description"].as_str().unwrap();
            assert!(
                (150..=300).contains(&description.len()),
                "{index}: {} chars: {description}",
                description.len()
            );
            assert!(!description.lines().next().unwrap().is_empty());
            descriptions.insert(description.to_string());

            let schema = tool["inputSchema"].as_object().unwrap();
            assert_eq!(schema["type"], "object");
            let properties = schema["properties"].as_object().unwrap();
            assert!((4..=8).contains(&properties.len()), "{index}");
            for (key, property) in properties {
                assert!(property["type"].is_string(), "{index}.{key}");
                assert!(property["description"].is_string(), "{index}.{key}");
            }
            let types: Vec<&str> = properties
                .values()
                .map(|p| p["type"].as_str().unwrap())
                .collect();
            for wanted in ["string", "integer", "array", "object"] {
                assert!(types.contains(&wanted), "{index} lacks {wanted}");
            }
            assert!(properties.values().any(|p| p["enum"].is_array()));
            for required in schema["required"].as_array().unwrap() {
                assert!(properties.contains_key(required.as_str().unwrap()));
            }
        }
        assert!(descriptions.len() >= 80);
    }
}
