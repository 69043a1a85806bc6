//! What a meta-tool returns: a child's CallToolResult passed through as is, or a text result
//! (with `isError` for failures the agent can act on).

use crate::jsonrpc::RpcError;
use crate::link::LinkError;
use serde_json::json;

pub enum Outcome {
    /// A CallToolResult, byte for byte.
    Raw(String),
    Text {
        text: String,
        is_error: bool,
    },
}

impl Outcome {
    pub fn text(text: impl Into<String>) -> Outcome {
        Outcome::Text {
            text: text.into(),
            is_error: false,
        }
    }

    pub fn error(text: impl Into<String>) -> Outcome {
        Outcome::Text {
            text: text.into(),
            is_error: true,
        }
    }

    /// The `result` of the tools/call response.
    pub fn into_result(self) -> String {
        match self {
            Outcome::Raw(r) => r,
            Outcome::Text { text, is_error } => {
                json!({ "content": [{ "type": "text", "text": text }], "isError": is_error })
                    .to_string()
            }
        }
    }
}

/// A daemon failure as a message the agent can act on.
pub fn describe(e: LinkError) -> String {
    match e {
        LinkError::Rpc(RpcError { message, .. }) => message,
        LinkError::Unavailable(why) => format!(
            "the mcpd daemon is not available, so no server can run: {why}. The shim tries again on every call."
        ),
        LinkError::Lost => "the mcpd daemon went away during this call (it was stopped, crashed or is being upgraded). \
             The shim reconnects and starts it again on the next call: retry the call."
            .into(),
    }
}
