//! Builders for `tools/call` results and their content blocks.

use serde_json::{Value, json};

/// A text content block.
pub fn text_block(text: impl Into<String>) -> Value {
    json!({"type": "text", "text": text.into()})
}

/// A successful result holding one text block.
pub fn text_result(text: impl Into<String>) -> Value {
    json!({"content": [text_block(text)]})
}

/// A failed result (`isError: true`) holding one text block.
pub fn error_result(text: impl Into<String>) -> Value {
    json!({"content": [text_block(text)], "isError": true})
}
