//! Which tools a reload added, removed or changed (same name, different definition), told briefly.

use serde_json::value::RawValue;
use std::collections::BTreeMap;

#[derive(Default, Debug, PartialEq, Eq)]
pub struct ToolDiff {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<String>,
}

#[derive(serde::Deserialize)]
struct Named {
    name: String,
}

/// Tool name → its definition's bytes.
fn by_name(raw: &RawValue) -> BTreeMap<String, String> {
    let items: Vec<Box<RawValue>> = serde_json::from_str(raw.get()).unwrap_or_default();
    items
        .into_iter()
        .filter_map(|t| {
            serde_json::from_str::<Named>(t.get())
                .ok()
                .map(|n| (n.name, t.get().to_string()))
        })
        .collect()
}

/// Compares two `tools/list` arrays.
pub fn diff(old: &RawValue, new: &RawValue) -> ToolDiff {
    let (old, new) = (by_name(old), by_name(new));
    let mut d = ToolDiff::default();
    for (name, def) in &new {
        match old.get(name) {
            None => d.added.push(name.clone()),
            Some(o) if o != def => d.changed.push(name.clone()),
            Some(_) => {}
        }
    }
    d.removed = old
        .keys()
        .filter(|n| !new.contains_key(*n))
        .cloned()
        .collect();
    d
}

impl ToolDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }

    /// "tools added: a, b; removed: c; changed: d" or "same tools".
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        for (label, names) in [
            ("added", &self.added),
            ("removed", &self.removed),
            ("changed", &self.changed),
        ] {
            if !names.is_empty() {
                parts.push(format!("{label}: {}", short_list(names)));
            }
        }
        if parts.is_empty() {
            "same tools".into()
        } else {
            format!("tools {}", parts.join("; "))
        }
    }
}

fn short_list(names: &[String]) -> String {
    if names.len() <= 8 {
        names.join(", ")
    } else {
        format!("{}, ... ({} in all)", names[..8].join(", "), names.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(s: &str) -> Box<RawValue> {
        RawValue::from_string(s.into()).unwrap()
    }

    #[test]
    fn tells_added_removed_and_changed() {
        let old =
            raw(r#"[{"name":"a","inputSchema":{}},{"name":"b"},{"name":"c","description":"x"}]"#);
        let new =
            raw(r#"[{"name":"a","inputSchema":{}},{"name":"c","description":"y"},{"name":"d"}]"#);
        let d = diff(&old, &new);
        assert_eq!(
            d,
            ToolDiff {
                added: vec!["d".into()],
                removed: vec!["b".into()],
                changed: vec!["c".into()]
            }
        );
        assert_eq!(d.summary(), "tools added: d; removed: b; changed: c");
        assert!(diff(&old, &old).is_empty());
        assert_eq!(diff(&old, &old).summary(), "same tools");
    }
}
