//! Parsing one config file's bytes into named entries, each valid or carrying its own error.

use std::path::Path;

use serde_json::Value;

use super::entry::parse_entry;
use super::error::ConfigError;
use super::model::{ServerDef, Source, SourceKind};

/// What one config file contributes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParsedFile {
    /// Entries in file order; a bad entry carries its own error and does not affect the others.
    pub servers: Vec<(String, Result<ServerDef, ConfigError>)>,
    /// A problem with the whole file (bad JSON, `mcpServers` not an object); then `servers` is
    /// empty, unless a [`LastGood`](super::LastGood) put the file's last good entries there.
    pub error: Option<ConfigError>,
}

impl ParsedFile {
    fn failed(error: ConfigError) -> Self {
        ParsedFile {
            servers: Vec::new(),
            error: Some(error),
        }
    }
}

/// Parses a config file's contents. A file that is empty (or only whitespace) defines nothing, as
/// does one without a `mcpServers` key. In a `.mcp.json` the entry running `mcpd shim` is skipped.
pub fn parse_config(bytes: &[u8], source: &Source) -> ParsedFile {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return ParsedFile::default();
    }
    let root: Value = match serde_json::from_slice(bytes) {
        Ok(root) => root,
        Err(err) => return ParsedFile::failed(json_error(&source.path, &err)),
    };
    let Value::Object(root) = root else {
        let problem = format!(
            "expected an object at the top level, found {}",
            type_name(&root)
        );
        return ParsedFile::failed(ConfigError::new(&source.path, "", problem));
    };
    let servers = match root.get("mcpServers") {
        None => return ParsedFile::default(),
        Some(Value::Object(servers)) => servers,
        Some(other) => {
            let problem = format!("expected an object, found {}", type_name(other));
            return ParsedFile::failed(ConfigError::new(&source.path, "mcpServers", problem));
        }
    };
    let skip_shim = source.kind == SourceKind::ProjectMcpJson;
    let servers = servers
        .iter()
        .filter(|(_, value)| !(skip_shim && runs_mcpd_shim(value)))
        .map(|(name, value)| (name.clone(), parse_entry(name, value, source)))
        .collect();
    ParsedFile {
        servers,
        error: None,
    }
}

/// `FILE: invalid JSON at line L, column C: MESSAGE`, without serde's own position suffix.
pub(crate) fn json_error(path: &Path, err: &serde_json::Error) -> ConfigError {
    let full = err.to_string();
    let suffix = format!(" at line {} column {}", err.line(), err.column());
    let message = full.strip_suffix(&suffix).unwrap_or(&full);
    let problem = format!(
        "invalid JSON at line {}, column {}: {message}",
        err.line(),
        err.column()
    );
    ConfigError::new(path, "", problem)
}

/// True for the client entry that starts mcpd's own shim: the command's file name is `mcpd`
/// (`mcpd.exe` on Windows) and the first argument is `shim`.
pub fn runs_mcpd_shim(entry: &Value) -> bool {
    let Some(command) = entry.get("command").and_then(Value::as_str) else {
        return false;
    };
    let file = command.rsplit(['/', '\\']).next().unwrap_or(command);
    let is_mcpd = file == "mcpd" || file.eq_ignore_ascii_case("mcpd.exe");
    let first_arg = entry
        .get("args")
        .and_then(Value::as_array)
        .and_then(|args| args.first())
        .and_then(Value::as_str);
    is_mcpd && first_arg == Some("shim")
}

/// The JSON type of a value, with its article, for messages: "a string", "an array", "null".
pub fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
