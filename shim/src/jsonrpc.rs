//! JSON-RPC 2.0 envelopes read without touching their payload: only `id`, `method` and the
//! presence of `result`/`error` are inspected; params, results and errors stay raw bytes.

use serde::Deserialize;
use serde_json::value::RawValue;

/// Standard and mcpd-specific error codes.
pub mod code {
    pub const PARSE_ERROR: i64 = -32700;
    pub const INVALID_REQUEST: i64 = -32600;
    pub const METHOD_NOT_FOUND: i64 = -32601;
    pub const INVALID_PARAMS: i64 = -32602;
    pub const INTERNAL_ERROR: i64 = -32603;
    /// A request the server (or mcpd) gave up on: timeout, crash, cancellation.
    pub const REQUEST_FAILED: i64 = -32000;
    /// A message over the frame limit.
    pub const TOO_LARGE: i64 = -32001;
    /// The peer's hello was missing or its protocol does not match.
    pub const HANDSHAKE: i64 = -32002;
    /// The named server is unknown or its definition is invalid.
    pub const UNKNOWN_SERVER: i64 = -32003;
    /// The server could not be started or is not running.
    pub const SERVER_UNAVAILABLE: i64 = -32004;
}

/// The parts of a JSON-RPC message that routing needs, borrowed from the line.
#[derive(Deserialize, Debug)]
pub struct Envelope<'a> {
    #[serde(borrow, default)]
    pub id: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub method: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow, default)]
    pub params: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub result: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub error: Option<&'a RawValue>,
}

/// What a message is, by the JSON-RPC rules.
#[derive(Debug, PartialEq, Eq)]
pub enum Kind {
    Request,
    Notification,
    Response,
    Invalid,
}

impl<'a> Envelope<'a> {
    /// Parses one message. An array is refused: the derived parser would read it positionally
    /// (`[1,"mcpd/status"]` as a request), and batches are not part of MCP.
    pub fn parse(line: &'a [u8]) -> serde_json::Result<Envelope<'a>> {
        if line.trim_ascii_start().starts_with(b"[") {
            return Err(serde::de::Error::custom(
                "a message must be one JSON object, not an array (JSON-RPC batches are not supported)",
            ));
        }
        serde_json::from_slice(line)
    }

    pub fn kind(&self) -> Kind {
        match (&self.method, &self.id) {
            (Some(_), Some(_)) => Kind::Request,
            (Some(_), None) => Kind::Notification,
            (None, Some(_)) if self.result.is_some() || self.error.is_some() => Kind::Response,
            _ => Kind::Invalid,
        }
    }

    pub fn method(&self) -> &str {
        self.method.as_deref().unwrap_or("")
    }
}

/// `{"jsonrpc":"2.0","id":ID,"result":RESULT}` built from raw parts.
pub fn response(id: &str, result: &str) -> String {
    let mut s = String::with_capacity(result.len() + id.len() + 36);
    s.push_str(r#"{"jsonrpc":"2.0","id":"#);
    s.push_str(id);
    s.push_str(r#","result":"#);
    s.push_str(result);
    s.push('}');
    s
}

/// `{"jsonrpc":"2.0","id":ID,"error":ERROR}` with ERROR already serialized.
pub fn error_raw(id: &str, error: &str) -> String {
    format!(r#"{{"jsonrpc":"2.0","id":{id},"error":{error}}}"#)
}

/// An error response with a code and a message (and optional data).
pub fn error(id: &str, code: i64, message: &str, data: Option<&serde_json::Value>) -> String {
    let mut e = serde_json::json!({ "code": code, "message": message });
    if let Some(d) = data {
        e["data"] = d.clone();
    }
    error_raw(id, &e.to_string())
}

/// A request with raw params.
pub fn request(id: &str, method: &str, params: Option<&str>) -> String {
    let method = serde_json::to_string(method).expect("a string serializes");
    match params {
        Some(p) => format!(r#"{{"jsonrpc":"2.0","id":{id},"method":{method},"params":{p}}}"#),
        None => format!(r#"{{"jsonrpc":"2.0","id":{id},"method":{method}}}"#),
    }
}

/// A notification with raw params.
pub fn notification(method: &str, params: Option<&str>) -> String {
    let method = serde_json::to_string(method).expect("a string serializes");
    match params {
        Some(p) => format!(r#"{{"jsonrpc":"2.0","method":{method},"params":{p}}}"#),
        None => format!(r#"{{"jsonrpc":"2.0","method":{method}}}"#),
    }
}

/// The raw top-level `id` of a message too long to parse whole, from its first and last bytes
/// (as [`crate::framing::Frame::TooLong`] keeps them): found when it lies wholly in `head`, or is
/// the last member in `tail`. `None` when neither edge shows it.
pub fn id_from_edges(head: &[u8], tail: &[u8]) -> Option<String> {
    id_in_head(head)
        .or_else(|| id_in_tail(tail))
        .filter(|id| id.starts_with(|c: char| c == '"' || c == '-' || c.is_ascii_digit()))
}

/// One complete JSON value at the start of `bytes` (after whitespace) and the bytes after it;
/// `None` when the value is cut off by the end of `bytes`.
fn value_at(bytes: &[u8]) -> Option<(String, &[u8])> {
    let mut values = serde_json::Deserializer::from_slice(bytes).into_iter::<Box<RawValue>>();
    let value = values.next()?.ok()?;
    let rest = &bytes[values.byte_offset()..];
    // A number that runs up to the end may have been cut.
    (!rest.is_empty()).then(|| (value.get().to_string(), rest))
}

fn skip_ws(bytes: &[u8]) -> &[u8] {
    let n = bytes.iter().take_while(|b| b.is_ascii_whitespace()).count();
    &bytes[n..]
}

/// The value of an `"id"` key at the top level of the object that `head` starts.
fn id_in_head(head: &[u8]) -> Option<String> {
    let mut depth = 0usize;
    let mut i = 0;
    while i < head.len() {
        match head[i] {
            b'"' => {
                let mut end = i + 1;
                while end < head.len() && head[end] != b'"' {
                    end += if head[end] == b'\\' { 2 } else { 1 };
                }
                if end >= head.len() {
                    return None;
                }
                let after = skip_ws(&head[end + 1..]);
                if depth == 1 && &head[i..=end] == b"\"id\"" && after.first() == Some(&b':') {
                    return value_at(&after[1..]).map(|(v, _)| v);
                }
                i = end + 1;
            }
            b'{' | b'[' => {
                depth += 1;
                i += 1;
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            _ => i += 1,
        }
    }
    None
}

/// The value of an `"id"` member that ends the object `tail` ends with.
fn id_in_tail(tail: &[u8]) -> Option<String> {
    let key = b"\"id\"";
    let at = tail.windows(key.len()).rposition(|w| w == key)?;
    let before = tail[..at].trim_ascii_end();
    if !matches!(before.last(), Some(b',' | b'{')) {
        return None;
    }
    let after = skip_ws(&tail[at + key.len()..]);
    let (value, rest) = value_at(after.strip_prefix(b":")?)?;
    (rest.trim_ascii() == b"}").then_some(value)
}

/// A JSON-RPC error as received, for callers that need its parts.
#[derive(Deserialize, Debug, Clone)]
pub struct RpcError {
    pub code: i64,
    pub message: String,
    #[serde(default)]
    pub data: Option<serde_json::Value>,
}

impl std::fmt::Display for RpcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RpcError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_messages_and_keeps_payload_bytes() {
        let line = br#"{"jsonrpc":"2.0","id":"a-1","result":{"x":1.50,"vendor":{"k":[1e3]}}}"#;
        let env = Envelope::parse(line).unwrap();
        assert_eq!(env.kind(), Kind::Response);
        assert_eq!(env.id.unwrap().get(), r#""a-1""#);
        assert_eq!(
            env.result.unwrap().get(),
            r#"{"x":1.50,"vendor":{"k":[1e3]}}"#
        );
        let rebuilt = response("9", env.result.unwrap().get());
        assert_eq!(
            rebuilt,
            r#"{"jsonrpc":"2.0","id":9,"result":{"x":1.50,"vendor":{"k":[1e3]}}}"#
        );

        let n =
            Envelope::parse(br#"{"jsonrpc":"2.0","method":"notifications/progress","params":{}}"#)
                .unwrap();
        assert_eq!(n.kind(), Kind::Notification);
        let r = Envelope::parse(br#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#).unwrap();
        assert_eq!(r.kind(), Kind::Request);
        assert_eq!(
            Envelope::parse(br#"{"id":1}"#).unwrap().kind(),
            Kind::Invalid
        );
    }

    #[test]
    fn arrays_are_not_messages() {
        for line in [&br#"[1,"mcpd/status"]"#[..], br#" [{"id":1,"method":"x"}]"#] {
            let e = Envelope::parse(line).unwrap_err().to_string();
            assert!(e.contains("batches are not supported"), "{e}");
        }
    }

    #[test]
    fn escaped_method_names_parse() {
        let r = Envelope::parse(br#"{"id":1,"method":"a\/b"}"#).unwrap();
        assert_eq!(r.method(), "a/b");
    }

    #[test]
    fn ids_are_found_at_the_edges_of_a_cut_message() {
        let head = br#"{"jsonrpc":"2.0","id":"a\"b","method":"mcpd/call","params":{"text":"xxxx"#;
        assert_eq!(id_from_edges(head, b"").as_deref(), Some(r#""a\"b""#));
        let head = br#"{"params":{"id":9,"text":"xx"#;
        assert_eq!(
            id_from_edges(head, b"").as_deref(),
            None,
            "nested ids are not the id"
        );
        let head = br#"{"method":"id","id": 42 ,"params":{"#;
        assert_eq!(id_from_edges(head, b"").as_deref(), Some("42"));
        assert_eq!(
            id_from_edges(br#"{"id":12"#, b"").as_deref(),
            None,
            "maybe cut"
        );
        let tail = br#"xxxx"}},"jsonrpc":"2.0","id":7}"#;
        assert_eq!(id_from_edges(b"{\"params\":", tail).as_deref(), Some("7"));
        let tail = br#"xxxx","id":7}}"#;
        assert_eq!(
            id_from_edges(b"", tail).as_deref(),
            None,
            "not the last member"
        );
    }

    #[test]
    fn error_builder_is_valid_json() {
        let e = error("3", code::METHOD_NOT_FOUND, "no \"x\"", None);
        let v: serde_json::Value = serde_json::from_str(&e).unwrap();
        assert_eq!(v["error"]["code"], -32601);
        assert_eq!(v["id"], 3);
    }
}
