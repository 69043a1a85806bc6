//! JSON-RPC 2.0 message shapes, error codes and MCP protocol-version negotiation.

use serde_json::{Map, Value, json};

pub const PARSE_ERROR: i64 = -32700;
pub const INVALID_REQUEST: i64 = -32600;
pub const METHOD_NOT_FOUND: i64 = -32601;
pub const INVALID_PARAMS: i64 = -32602;
pub const INTERNAL_ERROR: i64 = -32603;

/// MCP protocol versions this server speaks, oldest first.
pub const SUPPORTED_VERSIONS: [&str; 4] = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"];
/// The version offered when the client asks for one we do not know.
pub const LATEST_VERSION: &str = "2025-11-25";

/// The version to answer `initialize` with: the requested one if supported, else the latest.
pub fn negotiate_version(requested: Option<&str>) -> &'static str {
    SUPPORTED_VERSIONS
        .iter()
        .find(|v| Some(**v) == requested)
        .copied()
        .unwrap_or(LATEST_VERSION)
}

/// A JSON-RPC error object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RpcError {
    pub code: i64,
    pub message: String,
}

impl RpcError {
    pub fn new(code: i64, message: impl Into<String>) -> Self {
        RpcError {
            code,
            message: message.into(),
        }
    }

    pub fn invalid_params(message: impl Into<String>) -> Self {
        RpcError::new(INVALID_PARAMS, message)
    }

    pub fn method_not_found(method: &str) -> Self {
        RpcError::new(METHOD_NOT_FOUND, format!("Method not found: {method}"))
    }
}

/// A successful response to the request `id`.
pub fn response(id: &Value, result: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "result": result})
}

/// An error response to the request `id` (`null` when the id is unknown).
pub fn error_response(id: &Value, error: &RpcError) -> Value {
    json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": {"code": error.code, "message": error.message},
    })
}

/// A notification (no id, no answer expected).
pub fn notification(method: &str, params: Value) -> Value {
    json!({"jsonrpc": "2.0", "method": method, "params": params})
}

/// A request from this server to the client.
pub fn request(id: &str, method: &str, params: Option<Value>) -> Value {
    let mut message = Map::new();
    message.insert("jsonrpc".into(), json!("2.0"));
    message.insert("id".into(), json!(id));
    message.insert("method".into(), json!(method));
    if let Some(params) = params {
        message.insert("params".into(), params);
    }
    Value::Object(message)
}

/// What kind of JSON-RPC message a parsed line is.
#[derive(Debug, Clone, PartialEq)]
pub enum Incoming {
    Request {
        id: Value,
        method: String,
        params: Value,
    },
    Notification {
        method: String,
        params: Value,
    },
    /// A response from the client to one of our requests; `message` is the whole object.
    Response {
        id: Value,
        message: Value,
    },
    /// Not a JSON-RPC message; `id` is its id if it had a usable one, else `null`.
    Invalid {
        id: Value,
    },
}

/// Sorts a parsed JSON value into request, notification, response or garbage.
pub fn classify(value: Value) -> Incoming {
    let Value::Object(mut object) = value else {
        return Incoming::Invalid { id: Value::Null };
    };
    let id = object.remove("id");
    let usable_id = id
        .as_ref()
        .filter(|id| id.is_string() || id.is_number())
        .cloned();
    match object.get("method") {
        Some(Value::String(method)) => {
            let method = method.clone();
            let params = object.remove("params").unwrap_or(Value::Null);
            match (id, usable_id) {
                (None, _) => Incoming::Notification { method, params },
                (Some(_), Some(id)) => Incoming::Request { id, method, params },
                (Some(_), None) => Incoming::Invalid { id: Value::Null },
            }
        }
        Some(_) => Incoming::Invalid {
            id: usable_id.unwrap_or(Value::Null),
        },
        None if object.contains_key("result") || object.contains_key("error") => {
            let id = id.unwrap_or(Value::Null);
            object.insert("id".into(), id.clone());
            Incoming::Response {
                id,
                message: Value::Object(object),
            }
        }
        None => Incoming::Invalid {
            id: usable_id.unwrap_or(Value::Null),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_versions_are_echoed_and_others_get_the_latest() {
        for v in SUPPORTED_VERSIONS {
            assert_eq!(negotiate_version(Some(v)), v);
        }
        assert_eq!(negotiate_version(Some("1999-01-01")), LATEST_VERSION);
        assert_eq!(negotiate_version(None), LATEST_VERSION);
    }

    #[test]
    fn messages_are_classified() {
        assert_eq!(
            classify(json!({"jsonrpc": "2.0", "id": 1, "method": "ping"})),
            Incoming::Request {
                id: json!(1),
                method: "ping".into(),
                params: Value::Null
            }
        );
        assert_eq!(
            classify(json!({"jsonrpc": "2.0", "method": "x", "params": {"a": 1}})),
            Incoming::Notification {
                method: "x".into(),
                params: json!({"a": 1})
            }
        );
        let Incoming::Response { id, message } =
            classify(json!({"jsonrpc": "2.0", "id": "srv-1", "result": {}}))
        else {
            panic!("expected a response");
        };
        assert_eq!(id, json!("srv-1"));
        assert_eq!(message["result"], json!({}));
        assert_eq!(
            classify(json!([1, 2])),
            Incoming::Invalid { id: Value::Null }
        );
        assert_eq!(
            classify(json!({"id": 4, "method": 7})),
            Incoming::Invalid { id: json!(4) }
        );
        assert_eq!(
            classify(json!({"id": {"x": 1}, "method": "ping"})),
            Incoming::Invalid { id: Value::Null }
        );
    }

    #[test]
    fn request_omits_absent_params() {
        assert_eq!(
            request("srv-1", "roots/list", None),
            json!({"jsonrpc": "2.0", "id": "srv-1", "method": "roots/list"})
        );
    }
}
