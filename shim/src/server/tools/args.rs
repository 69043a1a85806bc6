//! A meta-tool's arguments, kept raw (so `parameters` reaches the child byte for byte), with
//! accessors that explain what is missing or of the wrong type.

use indexmap::IndexMap;
use serde_json::value::RawValue;

pub struct Args {
    map: IndexMap<String, Box<RawValue>>,
}

impl Args {
    pub fn parse(arguments: Option<&RawValue>) -> Result<Args, String> {
        match arguments {
            None => Ok(Args {
                map: IndexMap::new(),
            }),
            Some(raw) => serde_json::from_str(raw.get())
                .map(|map| Args { map })
                .map_err(|_| {
                    format!(
                        "arguments must be a JSON object, got: {}",
                        preview(raw.get())
                    )
                }),
        }
    }

    /// A required string argument.
    pub fn string(&self, key: &str) -> Result<String, String> {
        self.opt_string(key)?
            .ok_or_else(|| format!("missing required argument '{key}' (a string)"))
    }

    pub fn opt_string(&self, key: &str) -> Result<Option<String>, String> {
        match self.map.get(key) {
            None => Ok(None),
            Some(raw) if raw.get() == "null" => Ok(None),
            Some(raw) => serde_json::from_str::<String>(raw.get())
                .map(Some)
                .map_err(|_| {
                    format!(
                        "argument '{key}' must be a string, got: {}",
                        preview(raw.get())
                    )
                }),
        }
    }

    pub fn opt_integer(&self, key: &str) -> Result<Option<u64>, String> {
        match self.map.get(key) {
            None => Ok(None),
            Some(raw) if raw.get() == "null" => Ok(None),
            Some(raw) => serde_json::from_str::<u64>(raw.get())
                .map(Some)
                .map_err(|_| {
                    format!(
                        "argument '{key}' must be a positive integer, got: {}",
                        preview(raw.get())
                    )
                }),
        }
    }

    /// The raw value of `key`, if given.
    pub fn raw(&self, key: &str) -> Option<&RawValue> {
        self.map.get(key).map(|b| b.as_ref())
    }
}

/// The start of a JSON text, for error messages.
pub fn preview(text: &str) -> String {
    let t = text.trim();
    if t.chars().count() > 60 {
        format!("{}...", t.chars().take(57).collect::<String>())
    } else {
        t.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(json: &str) -> Args {
        Args::parse(Some(&RawValue::from_string(json.into()).unwrap())).unwrap()
    }

    #[test]
    fn explains_missing_and_mistyped_arguments() {
        let a = args(r#"{"server_name": 3, "limit": "x", "p": {"n": 1.50}}"#);
        assert_eq!(
            a.string("server_name").unwrap_err(),
            "argument 'server_name' must be a string, got: 3"
        );
        assert_eq!(
            a.string("tool_name").unwrap_err(),
            "missing required argument 'tool_name' (a string)"
        );
        assert!(
            a.opt_integer("limit")
                .unwrap_err()
                .contains("positive integer")
        );
        assert_eq!(a.raw("p").unwrap().get(), r#"{"n": 1.50}"#);
        assert!(Args::parse(Some(&RawValue::from_string("[1]".into()).unwrap())).is_err());
    }
}
