//! The tool registry (built-in, synthetic and run-time-added tools) and tool dispatch.

mod arguments;
mod builtin;
mod catalog;
mod results;

use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

use serde_json::{Value, json};

use crate::in_flight::CallContext;
use crate::pagination;
use crate::protocol::RpcError;
use crate::server::Server;
use crate::synthetic;

pub use arguments::Args;
pub use catalog::Builtin;

/// Which implementation answers a tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToolKind {
    Builtin(Builtin),
    /// Registered by `add_tool`; echoes `text`.
    Added,
    /// Registered by `--tools N`; returns its arguments as JSON.
    Synthetic,
}

struct ToolEntry {
    name: String,
    kind: ToolKind,
    definition: Value,
}

/// All tools the server offers, in `tools/list` order.
pub struct ToolRegistry {
    entries: RwLock<Vec<ToolEntry>>,
}

impl ToolRegistry {
    /// The built-in tools followed by `synthetic_count` synthetic ones.
    pub fn new(synthetic_count: usize) -> Self {
        let builtins = Builtin::ALL.into_iter().map(|builtin| ToolEntry {
            name: builtin.name().to_string(),
            kind: ToolKind::Builtin(builtin),
            definition: builtin.definition(),
        });
        let synthetics = (1..=synthetic_count).map(|index| ToolEntry {
            name: synthetic::name(index),
            kind: ToolKind::Synthetic,
            definition: synthetic::definition(index),
        });
        ToolRegistry {
            entries: RwLock::new(builtins.chain(synthetics).collect()),
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.read().len()
    }

    /// One page of tool definitions and the cursor of the next page.
    pub fn list(
        &self,
        cursor: Option<&str>,
        page_size: usize,
    ) -> Result<(Vec<Value>, Option<String>), RpcError> {
        let entries = self.read();
        let page = pagination::page(entries.len(), cursor, page_size)?;
        let tools = entries[page.range]
            .iter()
            .map(|entry| entry.definition.clone())
            .collect();
        Ok((tools, page.next_cursor))
    }

    pub fn kind_of(&self, name: &str) -> Option<ToolKind> {
        self.read()
            .iter()
            .find(|entry| entry.name == name)
            .map(|entry| entry.kind)
    }

    /// Registers an echo-like tool; false if the name is taken.
    pub fn add_echo_like(&self, name: &str) -> bool {
        let mut entries = self.write();
        if entries.iter().any(|entry| entry.name == name) {
            return false;
        }
        entries.push(ToolEntry {
            name: name.to_string(),
            kind: ToolKind::Added,
            definition: catalog::added_definition(name),
        });
        true
    }

    fn read(&self) -> RwLockReadGuard<'_, Vec<ToolEntry>> {
        self.entries.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, Vec<ToolEntry>> {
        self.entries.write().unwrap_or_else(|p| p.into_inner())
    }
}

/// Runs a tool and returns its `tools/call` result (bad arguments give an `isError` result).
pub fn call(server: &Server, call: &CallContext, kind: ToolKind, args: &Args) -> Value {
    match kind {
        ToolKind::Builtin(builtin) => builtin::call(builtin, server, call, args),
        ToolKind::Added => match arguments::string(args, "text") {
            Ok(text) => results::text_result(text),
            Err(message) => results::error_result(message),
        },
        ToolKind::Synthetic => results::text_result(Value::Object(args.clone()).to_string()),
    }
}

/// The notification sent after `add_tool` changes the list.
pub fn list_changed_notification() -> Value {
    crate::protocol::notification("notifications/tools/list_changed", json!({}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_holds_builtins_then_synthetics_then_added_tools() {
        let registry = ToolRegistry::new(3);
        assert_eq!(registry.len(), Builtin::ALL.len() + 3);
        assert_eq!(
            registry.kind_of("echo"),
            Some(ToolKind::Builtin(Builtin::Echo))
        );
        assert_eq!(
            registry.kind_of("synthetic_0003"),
            Some(ToolKind::Synthetic)
        );
        assert_eq!(registry.kind_of("synthetic_0004"), None);
        assert!(registry.add_echo_like("fresh"));
        assert!(!registry.add_echo_like("fresh"));
        assert!(!registry.add_echo_like("echo"));
        let (tools, next) = registry.list(None, 0).unwrap();
        assert_eq!(next, None);
        assert_eq!(tools.last().unwrap()["name"], "fresh");
    }

    #[test]
    fn listing_pages_cover_every_tool_once() {
        let registry = ToolRegistry::new(30);
        let mut names = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let (tools, next) = registry.list(cursor.as_deref(), 7).unwrap();
            assert!(tools.len() <= 7);
            names.extend(
                tools
                    .iter()
                    .map(|t| t["name"].as_str().unwrap().to_string()),
            );
            match next {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        assert_eq!(names.len(), registry.len());
        let unique: std::collections::HashSet<_> = names.iter().collect();
        assert_eq!(unique.len(), names.len());
    }
}
