//! Validating one `mcpServers` entry into a [`ServerDef`], with key-path error messages.

use indexmap::IndexMap;
use serde_json::{Map, Value};

use super::error::ConfigError;
use super::model::{ReloadMode, ServerDef, Source, Transport};
use super::parse::type_name;

/// Validates the entry `name` of `mcpServers`. Unknown keys are ignored; a `null` value counts as
/// absent. The first problem found is returned, with the key path that has it.
pub fn parse_entry(name: &str, value: &Value, source: &Source) -> Result<ServerDef, ConfigError> {
    let path = format!("mcpServers.{name}");
    let Value::Object(obj) = value else {
        let problem = format!("expected an object, found {}", type_name(value));
        return Err(ConfigError::new(&source.path, path, problem));
    };
    let entry = Entry { source, obj, path };

    let command = entry.string("command")?;
    if command.as_deref().is_some_and(|c| c.trim().is_empty()) {
        return Err(entry.error("command", "must not be empty"));
    }
    let args = entry.string_list("args")?;
    let env = entry.string_map("env")?;
    let cwd = entry.string("cwd")?;
    let transport = entry.transport()?;
    let url = entry.string("url")?;
    let headers = entry.string_map("headers")?;
    let watch = entry.string_list("watch")?;
    let ignore = entry.string_list("ignore")?;
    let reload = entry.reload()?;
    let timeout_ms = entry.timeout()?;
    let description = entry.string("description")?;

    let transport = match transport {
        Some(transport) => transport,
        None if command.is_none() && url.is_some() => Transport::Http,
        None => Transport::Stdio,
    };
    match transport {
        Transport::Stdio if command.is_none() && url.is_none() => {
            return Err(entry.error("", "needs \"command\" (stdio) or \"url\" (http, sse)"));
        }
        Transport::Stdio if command.is_none() => {
            return Err(entry.error("", "a stdio server needs \"command\""));
        }
        Transport::Http | Transport::Sse if url.is_none() => {
            let problem = format!("an {transport} server needs \"url\"");
            return Err(entry.error("", &problem));
        }
        _ => {}
    }

    Ok(ServerDef {
        name: name.to_string(),
        source: source.clone(),
        command,
        args,
        env,
        cwd,
        transport,
        url,
        headers,
        watch,
        ignore,
        reload,
        timeout_ms,
        description,
    })
}

/// One entry being validated: where it is, for messages, and its keys.
struct Entry<'a> {
    source: &'a Source,
    obj: &'a Map<String, Value>,
    /// `mcpServers.NAME`
    path: String,
}

impl Entry<'_> {
    /// The value of `key`, treating `null` as absent.
    fn get(&self, key: &str) -> Option<&Value> {
        self.obj.get(key).filter(|value| !value.is_null())
    }

    /// An error at `self.path` + `suffix` (`"args[2]"`, `"env.TOKEN"` or `""` for the entry).
    fn error(&self, suffix: &str, problem: &str) -> ConfigError {
        let key = if suffix.is_empty() {
            self.path.clone()
        } else {
            format!("{}.{suffix}", self.path)
        };
        ConfigError::new(&self.source.path, key, problem)
    }

    fn expected(&self, suffix: &str, what: &str, found: &Value) -> ConfigError {
        self.error(
            suffix,
            &format!("expected {what}, found {}", type_name(found)),
        )
    }

    fn string(&self, key: &str) -> Result<Option<String>, ConfigError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(self.expected(key, "a string", other)),
        }
    }

    fn string_list(&self, key: &str) -> Result<Vec<String>, ConfigError> {
        match self.get(key) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, item)| match item {
                    Value::String(s) => Ok(s.clone()),
                    other => Err(self.expected(&format!("{key}[{i}]"), "a string", other)),
                })
                .collect(),
            Some(other) => Err(self.expected(key, "an array of strings", other)),
        }
    }

    fn string_map(&self, key: &str) -> Result<IndexMap<String, String>, ConfigError> {
        match self.get(key) {
            None => Ok(IndexMap::new()),
            Some(Value::Object(map)) => map
                .iter()
                .map(|(k, v)| match v {
                    Value::String(s) => Ok((k.clone(), s.clone())),
                    other => Err(self.expected(&format!("{key}.{k}"), "a string", other)),
                })
                .collect(),
            Some(other) => Err(self.expected(key, "an object of strings", other)),
        }
    }

    /// One of the strings in `choices`, returned as its index.
    fn choice(
        &self,
        key: &str,
        choices: &[&str],
        wanted: &str,
    ) -> Result<Option<usize>, ConfigError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => match choices.iter().position(|c| c == s) {
                Some(i) => Ok(Some(i)),
                None => Err(self.error(key, &format!("expected {wanted}, found \"{s}\""))),
            },
            Some(other) => Err(self.expected(key, wanted, other)),
        }
    }

    fn transport(&self) -> Result<Option<Transport>, ConfigError> {
        // "streamable-http" is the MCP specification's own name for the http transport.
        let choices = ["stdio", "http", "sse", "streamable-http"];
        let wanted = "\"stdio\", \"http\" or \"sse\"";
        Ok(self.choice("type", &choices, wanted)?.map(|i| match i {
            0 => Transport::Stdio,
            2 => Transport::Sse,
            _ => Transport::Http,
        }))
    }

    fn reload(&self) -> Result<ReloadMode, ConfigError> {
        let choice = self.choice("reload", &["auto", "manual"], "\"auto\" or \"manual\"")?;
        Ok(match choice {
            Some(1) => ReloadMode::Manual,
            _ => ReloadMode::Auto,
        })
    }

    fn timeout(&self) -> Result<Option<u64>, ConfigError> {
        const WANTED: &str = "a positive integer (milliseconds)";
        match self.get("timeout") {
            None => Ok(None),
            Some(Value::Number(n)) => match n.as_u64() {
                Some(ms) if ms > 0 => Ok(Some(ms)),
                _ => Err(self.error("timeout", &format!("expected {WANTED}, found {n}"))),
            },
            Some(other) => Err(self.expected("timeout", WANTED, other)),
        }
    }
}
