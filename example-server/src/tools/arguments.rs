//! Typed access to a tool call's `arguments`, with messages fit for an `isError` result.

use serde_json::{Map, Number, Value};

/// A tool call's arguments object.
pub type Args = Map<String, Value>;

/// A required string argument.
pub fn string<'a>(args: &'a Args, key: &str) -> Result<&'a str, String> {
    optional_string(args, key)?.ok_or_else(|| missing(key, "string"))
}

/// An optional string argument.
pub fn optional_string<'a>(args: &'a Args, key: &str) -> Result<Option<&'a str>, String> {
    match args.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text)),
        Some(_) => Err(format!("argument `{key}` must be a string")),
    }
}

/// A required number argument.
pub fn number<'a>(args: &'a Args, key: &str) -> Result<&'a Number, String> {
    match args.get(key) {
        None | Some(Value::Null) => Err(missing(key, "number")),
        Some(Value::Number(number)) => Ok(number),
        Some(_) => Err(format!("argument `{key}` must be a number")),
    }
}

/// A required non-negative integer argument.
pub fn integer(args: &Args, key: &str) -> Result<u64, String> {
    optional_integer(args, key)?.ok_or_else(|| missing(key, "integer"))
}

/// An optional non-negative integer argument.
pub fn optional_integer(args: &Args, key: &str) -> Result<Option<u64>, String> {
    match args.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => value
            .as_u64()
            .map(Some)
            .ok_or_else(|| format!("argument `{key}` must be a non-negative integer")),
    }
}

/// An optional object argument.
pub fn optional_object<'a>(args: &'a Args, key: &str) -> Result<Option<&'a Value>, String> {
    match args.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(value @ Value::Object(_)) => Ok(Some(value)),
        Some(_) => Err(format!("argument `{key}` must be an object")),
    }
}

fn missing(key: &str, kind: &str) -> String {
    format!("missing required {kind} argument `{key}`")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn args(value: Value) -> Args {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn present_values_are_read_and_wrong_ones_explained() {
        let a = args(json!({"s": "x", "n": 1.5, "i": 7, "neg": -1, "o": {}, "nul": null}));
        assert_eq!(string(&a, "s"), Ok("x"));
        assert_eq!(number(&a, "n").unwrap().as_f64(), Some(1.5));
        assert_eq!(integer(&a, "i"), Ok(7));
        assert_eq!(optional_integer(&a, "nul"), Ok(None));
        assert!(optional_object(&a, "o").unwrap().is_some());
        assert_eq!(
            integer(&a, "neg"),
            Err("argument `neg` must be a non-negative integer".into())
        );
        assert_eq!(
            string(&a, "absent"),
            Err("missing required string argument `absent`".into())
        );
        assert!(string(&a, "i").is_err());
        assert!(optional_object(&a, "s").is_err());
    }
}
