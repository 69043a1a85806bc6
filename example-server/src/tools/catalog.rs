//! The built-in tools: their names, descriptions and JSON Schemas.

use serde_json::{Value, json};

/// A tool implemented by this crate (as opposed to synthetic or added ones).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    Echo,
    Add,
    Sleep,
    Progress,
    Image,
    Fail,
    Crash,
    Garbage,
    Blob,
    Log,
    Pid,
    Env,
    Cwd,
    ClientCapabilities,
    AskClient,
    AddTool,
    GrandchildPid,
}

impl Builtin {
    /// Every built-in tool, in `tools/list` order.
    pub const ALL: [Builtin; 17] = [
        Builtin::Echo,
        Builtin::Add,
        Builtin::Sleep,
        Builtin::Progress,
        Builtin::Image,
        Builtin::Fail,
        Builtin::Crash,
        Builtin::Garbage,
        Builtin::Blob,
        Builtin::Log,
        Builtin::Pid,
        Builtin::Env,
        Builtin::Cwd,
        Builtin::ClientCapabilities,
        Builtin::AskClient,
        Builtin::AddTool,
        Builtin::GrandchildPid,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Builtin::Echo => "echo",
            Builtin::Add => "add",
            Builtin::Sleep => "sleep",
            Builtin::Progress => "progress",
            Builtin::Image => "image",
            Builtin::Fail => "fail",
            Builtin::Crash => "crash",
            Builtin::Garbage => "garbage",
            Builtin::Blob => "blob",
            Builtin::Log => "log",
            Builtin::Pid => "pid",
            Builtin::Env => "env",
            Builtin::Cwd => "cwd",
            Builtin::ClientCapabilities => "client_capabilities",
            Builtin::AskClient => "ask_client",
            Builtin::AddTool => "add_tool",
            Builtin::GrandchildPid => "grandchild_pid",
        }
    }

    /// The tool's `tools/list` entry.
    pub fn definition(self) -> Value {
        let name = self.name();
        match self {
            Builtin::Echo => tool(
                name,
                "Echo the given text back.\n\nReturns one text block with `text` unchanged.",
                json!({"text": string("The text to send back.")}),
                &["text"],
            ),
            Builtin::Add => {
                let mut add = tool(
                    name,
                    "Add two numbers.\n\nReturns the sum as text and as structured content.",
                    json!({"a": number("The first addend."), "b": number("The second addend.")}),
                    &["a", "b"],
                );
                add["outputSchema"] = json!({
                    "type": "object",
                    "properties": {"sum": number("a + b")},
                    "required": ["sum"],
                });
                add
            }
            Builtin::Sleep => tool(
                name,
                "Sleep for a while, then answer.\n\nStops early, without answering, when cancelled.",
                json!({"ms": integer("How long to sleep, in milliseconds.")}),
                &["ms"],
            ),
            Builtin::Progress => tool(
                name,
                "Report progress in steps, then answer.\n\nSends notifications/progress once per \
                 step when the request carries a progress token.",
                json!({
                    "steps": integer("How many steps to take."),
                    "interval_ms": integer("Pause before each step, in milliseconds (default 10)."),
                }),
                &["steps"],
            ),
            Builtin::Image => tool(
                name,
                "Return a tiny PNG image.\n\nOne image block (1x1 pixel) and one text block.",
                json!({}),
                &[],
            ),
            Builtin::Fail => tool(
                name,
                "Always fail.\n\nReturns a tool result with isError set.",
                json!({"message": string("The error text (default \"this tool always fails\").")}),
                &[],
            ),
            Builtin::Crash => tool(
                name,
                "Crash the server on purpose.\n\nExits the whole process without answering.",
                json!({"code": integer("Exit code, 0-255 (default 3).")}),
                &[],
            ),
            Builtin::Garbage => tool(
                name,
                "Print non-JSON lines to stdout, then answer.\n\nTests that clients skip garbage.",
                json!({"lines": integer("How many garbage lines to print.")}),
                &["lines"],
            ),
            Builtin::Blob => tool(
                name,
                "Return a large text block.\n\nThe text is exactly `bytes` ASCII characters.",
                json!({"bytes": integer("Length of the text, in bytes.")}),
                &["bytes"],
            ),
            Builtin::Log => tool(
                name,
                "Write a line to the server's stderr.\n\nAnswers \"logged\".",
                json!({"text": string("The line to write.")}),
                &["text"],
            ),
            Builtin::Pid => tool(
                name,
                "Return the server's process id.\n\nThe text is the decimal pid only.",
                json!({}),
                &[],
            ),
            Builtin::Env => tool(
                name,
                "Return an environment variable of the server.\n\nFails when it is not set.",
                json!({"name": string("Name of the environment variable.")}),
                &["name"],
            ),
            Builtin::Cwd => tool(
                name,
                "Return the server's current directory.",
                json!({}),
                &[],
            ),
            Builtin::ClientCapabilities => tool(
                name,
                "Return the capabilities the client declared.\n\nThe JSON of initialize's \
                 params.capabilities, or null before initialize.",
                json!({}),
                &[],
            ),
            Builtin::AskClient => tool(
                name,
                "Send a request to the client and return its answer.\n\nWaits up to 5 s; returns \
                 the JSON of the result or error, or \"timeout\".",
                json!({
                    "method": string("The JSON-RPC method to call on the client."),
                    "params": {"type": "object", "description": "The request's params."},
                }),
                &["method"],
            ),
            Builtin::AddTool => tool(
                name,
                "Register a new echo-like tool.\n\nThen sends notifications/tools/list_changed.",
                json!({"name": string("Name of the new tool.")}),
                &["name"],
            ),
            Builtin::GrandchildPid => tool(
                name,
                "Return the pid of the process started by --spawn-grandchild.\n\nFails when \
                 there is none.",
                json!({}),
                &[],
            ),
        }
    }
}

/// The `tools/list` entry of a tool registered by `add_tool`.
pub fn added_definition(name: &str) -> Value {
    tool(
        name,
        "A tool added at run time by add_tool.\n\nEchoes `text` back, like echo.",
        json!({"text": string("The text to send back.")}),
        &["text"],
    )
}

fn tool(name: &str, description: &str, properties: Value, required: &[&str]) -> Value {
    json!({
        "name": name,
        "description": description,
        "inputSchema": {"type": "object", "properties": properties, "required": required},
    })
}

fn string(description: &str) -> Value {
    json!({"type": "string", "description": description})
}

fn number(description: &str) -> Value {
    json!({"type": "number", "description": description})
}

fn integer(description: &str) -> Value {
    json!({"type": "integer", "description": description, "minimum": 0})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_has_a_well_formed_definition() {
        for builtin in Builtin::ALL {
            let tool = builtin.definition();
            assert_eq!(tool["name"], builtin.name());
            let description = tool["description"].as_str().unwrap();
            assert!(!description.lines().next().unwrap().is_empty());
            let schema = &tool["inputSchema"];
            assert_eq!(schema["type"], "object");
            let properties = schema["properties"].as_object().unwrap();
            for property in properties.values() {
                assert!(property["description"].is_string(), "{}", builtin.name());
            }
            for required in schema["required"].as_array().unwrap() {
                assert!(properties.contains_key(required.as_str().unwrap()));
            }
        }
        let mut names: Vec<_> = Builtin::ALL.iter().map(|b| b.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Builtin::ALL.len());
    }
}
