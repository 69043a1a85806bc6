//! Editing config files in place: [`JsonFile`] keeps key order, unknown keys and the file's layout,
//! [`write_atomic`] replaces a file without ever leaving it half-written, [`ensure_shim`] adds the
//! shim's entry to a client's `.mcp.json` and [`import_servers`] moves stdio servers to `.mcpd.json`.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use super::discover::{MCP_JSON_FILE, find_upward};
use super::error::ConfigError;
use super::parse::{json_error, runs_mcpd_shim, type_name};

/// The name of the shim's entry in a client's `mcpServers`.
pub const SHIM_NAME: &str = "mcpd";

/// The command that adds the shim's entry with Claude Code's own CLI.
pub const CLAUDE_ADD_COMMAND: &str = "claude mcp add --scope project mcpd -- mcpd shim";

const BOM: &str = "\u{feff}";

/// The client entry that runs the shim: `{"command": "mcpd", "args": ["shim"]}`.
pub fn shim_entry() -> Value {
    json!({"command": "mcpd", "args": ["shim"]})
}

/// The `.mcp.json` that `mcpd init` and `mcpd import` edit: the nearest one from `cwd` upward, or
/// a new one in `cwd`.
pub fn project_mcp_json(cwd: &Path) -> PathBuf {
    find_upward(cwd, MCP_JSON_FILE).unwrap_or_else(|| cwd.join(MCP_JSON_FILE))
}

/// Why a file could not be edited.
#[derive(Debug)]
pub enum EditError {
    /// The content cannot be edited safely (bad JSON, not an object, `mcpServers` not an object,
    /// the shim's name taken); nothing was written.
    Invalid(ConfigError),
    /// Reading or writing the file failed.
    Io {
        path: PathBuf,
        action: &'static str,
        source: io::Error,
    },
}

impl std::fmt::Display for EditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EditError::Invalid(err) => err.fmt(f),
            EditError::Io {
                path,
                action,
                source,
            } => write!(f, "cannot {action} {}: {source}", path.display()),
        }
    }
}

impl std::error::Error for EditError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            EditError::Invalid(err) => Some(err),
            EditError::Io { source, .. } => Some(source),
        }
    }
}

/// How a file was laid out, so that writing it back changes only what was edited.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Layout {
    /// One level of indentation: the leading whitespace of the first indented line.
    indent: String,
    crlf: bool,
    bom: bool,
    final_newline: bool,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            indent: "  ".into(),
            crlf: false,
            bom: false,
            final_newline: true,
        }
    }
}

impl Layout {
    fn detect(text: &str, bom: bool) -> Layout {
        let indent = text
            .lines()
            .skip(1)
            .find_map(|line| {
                let rest = line.trim_start_matches([' ', '\t']);
                let ws = &line[..line.len() - rest.len()];
                (!ws.is_empty() && !rest.trim().is_empty()).then_some(ws)
            })
            .filter(|ws| ws.len() <= 8 && (ws.bytes().all(|b| b == b' ') || ws == &"\t"))
            .unwrap_or("  ");
        Layout {
            indent: indent.to_string(),
            crlf: text.contains("\r\n"),
            bom,
            // A compact one-line file is written pretty, and then with a final newline.
            final_newline: text.ends_with('\n') || !text.trim_end().contains('\n'),
        }
    }
}

/// A JSON object file being edited: key order, unknown keys, indentation, line endings, BOM and
/// final newline are kept; a missing file is an empty object until saved.
#[derive(Debug)]
pub struct JsonFile {
    path: PathBuf,
    root: Map<String, Value>,
    layout: Layout,
    existed: bool,
    new_file_permissions: Option<fs::Permissions>,
}

impl JsonFile {
    /// Reads `path` (a missing file counts as empty). Invalid JSON, a top level that is not an
    /// object and a `mcpServers` that is not an object are errors naming the file.
    pub fn open(path: impl Into<PathBuf>) -> Result<JsonFile, EditError> {
        let path = path.into();
        match fs::read(&path) {
            Ok(bytes) => JsonFile::parse(path, &bytes),
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(JsonFile {
                path,
                root: Map::new(),
                layout: Layout::default(),
                existed: false,
                new_file_permissions: None,
            }),
            Err(source) => Err(EditError::Io {
                path,
                action: "read",
                source,
            }),
        }
    }

    /// The file `path` with these contents.
    pub fn parse(path: impl Into<PathBuf>, bytes: &[u8]) -> Result<JsonFile, EditError> {
        let path = path.into();
        let invalid = |key: &str, problem: String| {
            EditError::Invalid(ConfigError::new(path.clone(), key, problem))
        };
        let (bom, bytes) = match bytes.strip_prefix(BOM.as_bytes()) {
            Some(rest) => (true, rest),
            None => (false, bytes),
        };
        let text =
            std::str::from_utf8(bytes).map_err(|e| invalid("", format!("not valid UTF-8: {e}")))?;
        let root = if text.trim().is_empty() {
            Map::new()
        } else {
            match serde_json::from_str(text) {
                Ok(Value::Object(root)) => root,
                Ok(other) => {
                    let found = type_name(&other);
                    return Err(invalid(
                        "",
                        format!("expected an object at the top level, found {found}"),
                    ));
                }
                Err(err) => return Err(EditError::Invalid(json_error(&path, &err))),
            }
        };
        if let Some(servers) = root.get("mcpServers")
            && !servers.is_object()
        {
            let found = type_name(servers);
            return Err(invalid(
                "mcpServers",
                format!("expected an object, found {found}"),
            ));
        }
        Ok(JsonFile {
            layout: Layout::detect(text, bom),
            path,
            root,
            existed: true,
            new_file_permissions: None,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the file existed when opened.
    pub fn existed(&self) -> bool {
        self.existed
    }

    /// The whole top-level object.
    pub fn root(&self) -> &Map<String, Value> {
        &self.root
    }

    /// `mcpServers`, when the file has it.
    pub fn servers(&self) -> Option<&Map<String, Value>> {
        self.root.get("mcpServers").and_then(Value::as_object)
    }

    /// `mcpServers`, added as the last top-level key when absent.
    pub fn servers_mut(&mut self) -> &mut Map<String, Value> {
        self.root
            .entry("mcpServers")
            .or_insert_with(|| Value::Object(Map::new()))
            .as_object_mut()
            .expect("mcpServers is checked to be an object when the file is read")
    }

    /// When the file does not exist yet, create it with the permissions of `other` (e.g. a
    /// `.mcpd.json` receiving entries, and maybe tokens, from a private `.mcp.json`).
    pub fn create_with_permissions_of(&mut self, other: &Path) {
        self.new_file_permissions = fs::metadata(other).ok().map(|m| m.permissions());
    }

    /// The contents [`save`](Self::save) writes.
    pub fn to_text(&self) -> String {
        let pretty = serde_json::to_string_pretty(&self.root).expect("JSON values serialize");
        let newline = if self.layout.crlf { "\r\n" } else { "\n" };
        let mut out = String::with_capacity(pretty.len() + 64);
        if self.layout.bom {
            out.push_str(BOM);
        }
        // Pretty output indents by two spaces and never has a raw newline inside a string, so
        // every line is indentation followed by a token.
        for (i, line) in pretty.split('\n').enumerate() {
            if i > 0 {
                out.push_str(newline);
            }
            let token = line.trim_start_matches(' ');
            for _ in 0..(line.len() - token.len()) / 2 {
                out.push_str(&self.layout.indent);
            }
            out.push_str(token);
        }
        if self.layout.final_newline {
            out.push_str(newline);
        }
        out
    }

    /// Writes the file atomically (see [`write_atomic`]).
    pub fn save(&self) -> Result<(), EditError> {
        write_atomic(
            &self.path,
            self.to_text().as_bytes(),
            self.new_file_permissions.as_ref(),
        )
        .map_err(|source| EditError::Io {
            path: self.path.clone(),
            action: "write",
            source,
        })
    }
}

/// Replaces `path` with `bytes` so that readers and crashes see the old file or the new one, never
/// a mix: a temporary file in the same folder, fsync, rename over `path`, fsync of the folder. The
/// file keeps its permissions; a new one gets `new_file_permissions`, else the umask's default. A
/// symlink stays a symlink: its target is replaced.
pub fn write_atomic(
    path: &Path,
    bytes: &[u8],
    new_file_permissions: Option<&fs::Permissions>,
) -> io::Result<()> {
    let target = match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => fs::canonicalize(path)?,
        _ => path.to_path_buf(),
    };
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let keep = match fs::metadata(&target) {
        Ok(meta) => Some(meta.permissions()),
        Err(err) if err.kind() == io::ErrorKind::NotFound => new_file_permissions.cloned(),
        Err(err) => return Err(err),
    };
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    if keep.is_none() {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666)); // then the umask applies
    }
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    if let Some(permissions) = keep {
        tmp.as_file().set_permissions(permissions)?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(&target).map_err(|e| e.error)?;
    #[cfg(unix)]
    if let Ok(dir) = fs::File::open(dir) {
        let _ = dir.sync_all(); // the rename itself; not every filesystem supports this
    }
    Ok(())
}

/// The name of the entry that runs `mcpd shim`, if any.
pub fn find_shim(servers: &Map<String, Value>) -> Option<&str> {
    servers
        .iter()
        .find(|(_, entry)| runs_mcpd_shim(entry))
        .map(|(name, _)| name.as_str())
}

/// What [`ensure_shim`] found or did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShimEntry {
    /// The entry [`SHIM_NAME`] was added (last in `mcpServers`).
    Added,
    /// This entry already runs `mcpd shim`; nothing changed.
    Present(String),
}

/// Adds the shim's entry to a client file unless an entry already runs `mcpd shim`. An entry
/// named [`SHIM_NAME`] that runs something else is an error (nothing is changed).
pub fn ensure_shim(file: &mut JsonFile) -> Result<ShimEntry, EditError> {
    if let Some(name) = file.servers().and_then(find_shim) {
        return Ok(ShimEntry::Present(name.to_string()));
    }
    if file.servers().is_some_and(|s| s.contains_key(SHIM_NAME)) {
        let problem = "this entry does not run `mcpd shim`; rename it so that mcpd can add its \
                       own entry under this name";
        let key = format!("mcpServers.{SHIM_NAME}");
        return Err(EditError::Invalid(ConfigError::new(
            file.path(),
            key,
            problem,
        )));
    }
    file.servers_mut()
        .insert(SHIM_NAME.to_string(), shim_entry());
    Ok(ShimEntry::Added)
}

/// `Ok` for an entry that runs a local process (stdio); otherwise why it is not one, e.g. "http".
pub fn stdio_or_why(entry: &Value) -> Result<(), String> {
    let Value::Object(obj) = entry else {
        return Err(format!("{}, not an object", type_name(entry)));
    };
    match obj.get("type") {
        None | Some(Value::Null) => {}
        Some(Value::String(kind)) if kind == "stdio" => {}
        Some(Value::String(kind)) => return Err(kind.clone()),
        Some(other) => return Err(format!("\"type\" is {}", type_name(other))),
    }
    if obj.contains_key("url") {
        return Err("url".into());
    }
    match obj.get("command") {
        Some(Value::String(command)) if !command.trim().is_empty() => Ok(()),
        _ => Err("no command".into()),
    }
}

/// What [`import_servers`] did with each entry of the client's file (the shim's own entry aside).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Import {
    /// Stdio entries added to `.mcpd.json` and removed from the client's file, in file order.
    pub moved: Vec<String>,
    /// Stdio entries that `.mcpd.json` already has, identical (an earlier import stopped between
    /// its two writes): removed from the client's file.
    pub already: Vec<String>,
    /// Stdio entries whose name `.mcpd.json` defines differently: left in the client's file.
    pub conflicts: Vec<String>,
    /// Entries left in the client's file because they are not stdio servers, with why ("http").
    pub kept: Vec<(String, String)>,
}

impl Import {
    /// The entries no longer in the client's file (moved or already imported), in file order.
    pub fn removed(&self) -> Vec<String> {
        self.moved.iter().chain(&self.already).cloned().collect()
    }
}

/// Moves the stdio entries of a client's file (`.mcp.json`) to `mcpd` (`.mcpd.json`), in memory:
/// appended there in their order, removed from `client` keeping the order of what stays. An entry
/// whose name `mcpd` already has is not overwritten. Nothing is written; save `mcpd` first.
pub fn import_servers(client: &mut JsonFile, mcpd: &mut JsonFile) -> Import {
    let mut import = Import::default();
    let Some(servers) = client.servers() else {
        return import;
    };
    let entries: Vec<(String, Value)> = servers
        .iter()
        .filter(|(_, entry)| !runs_mcpd_shim(entry))
        .map(|(name, entry)| (name.clone(), entry.clone()))
        .collect();
    for (name, entry) in entries {
        if let Err(why) = stdio_or_why(&entry) {
            import.kept.push((name, why));
            continue;
        }
        match mcpd.servers().and_then(|s| s.get(&name)) {
            Some(existing) if *existing == entry => import.already.push(name.clone()),
            Some(_) => {
                import.conflicts.push(name);
                continue;
            }
            None => {
                mcpd.servers_mut().insert(name.clone(), entry);
                import.moved.push(name.clone());
            }
        }
        client.servers_mut().shift_remove(&name);
    }
    import
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> JsonFile {
        JsonFile::parse("p/.mcp.json", text.as_bytes()).unwrap()
    }

    fn err(text: &str) -> String {
        JsonFile::parse("p/.mcp.json", text.as_bytes())
            .unwrap_err()
            .to_string()
    }

    fn keys(map: Option<&Map<String, Value>>) -> Vec<&str> {
        map.map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }

    #[test]
    fn a_missing_file_gets_the_shim_in_two_space_json() {
        let dir = tempfile::tempdir().unwrap();
        let mut f = JsonFile::open(dir.path().join(".mcp.json")).unwrap();
        assert!(!f.existed());
        assert_eq!(ensure_shim(&mut f).unwrap(), ShimEntry::Added);
        assert_eq!(
            f.to_text(),
            "{\n  \"mcpServers\": {\n    \"mcpd\": {\n      \"command\": \"mcpd\",\n      \
             \"args\": [\n        \"shim\"\n      ]\n    }\n  }\n}\n"
        );
        f.save().unwrap();
        let again = JsonFile::open(f.path()).unwrap();
        assert!(again.existed());
        assert_eq!(again.servers().unwrap()[SHIM_NAME], shim_entry());
    }

    #[test]
    fn key_order_unknown_keys_and_values_are_kept() {
        let text = r#"{
  "zeta": {"b": 1, "a": [true, null, 1.5, "é\n"]},
  "mcpServers": {
    "web": {"type": "http", "url": "https://x", "vendorKey": 7},
    "b": {"command": "b", "args": [], "custom": {"z": 1, "y": 2}},
    "a": {"command": "a"}
  },
  "alpha": 1
}"#;
        let mut f = file(text);
        assert_eq!(ensure_shim(&mut f).unwrap(), ShimEntry::Added);
        assert_eq!(keys(Some(f.root())), ["zeta", "mcpServers", "alpha"]);
        assert_eq!(keys(f.servers()), ["web", "b", "a", "mcpd"]);
        let out = f.to_text();
        let reread: Value = serde_json::from_str(&out).unwrap();
        let mut expected: Value = serde_json::from_str(text).unwrap();
        expected["mcpServers"]["mcpd"] = shim_entry();
        assert_eq!(reread, expected);
        assert!(out.find("\"y\"").unwrap() > out.find("\"z\"").unwrap());
        // A file already in this layout is written back byte for byte.
        assert_eq!(file(&out).to_text(), out);
    }

    #[test]
    fn indentation_line_endings_bom_and_final_newline_are_kept() {
        let four = "{\n    \"mcpServers\": {}\n}";
        assert_eq!(file(four).to_text(), "{\n    \"mcpServers\": {}\n}");
        let tabs = "{\n\t\"x\": {\n\t\t\"y\": 1\n\t}\n}\n";
        assert_eq!(file(tabs).to_text(), tabs);
        let crlf = "{\r\n  \"x\": [\r\n    1\r\n  ]\r\n}\r\n";
        assert_eq!(file(crlf).to_text(), crlf);
        let bom = "\u{feff}{\n  \"x\": 1\n}\n";
        assert_eq!(file(bom).to_text(), bom);
        // Compact and empty files become pretty, with two spaces.
        assert_eq!(file("{\"x\":1}").to_text(), "{\n  \"x\": 1\n}\n");
        assert_eq!(file(" \n").to_text(), "{}\n");
    }

    #[test]
    fn malformed_files_are_errors_naming_the_file() {
        assert_eq!(
            err("{\n  \"mcpServers\": {,}\n}"),
            "p/.mcp.json: invalid JSON at line 2, column 18: key must be a string"
        );
        assert_eq!(
            err("[]"),
            "p/.mcp.json: expected an object at the top level, found an array"
        );
        assert_eq!(
            err(r#"{"mcpServers": []}"#),
            "p/.mcp.json: mcpServers: expected an object, found an array"
        );
        assert!(err("{\"a\": \"\u{0}\"}").starts_with("p/.mcp.json: invalid JSON"));
    }

    #[test]
    fn an_existing_shim_entry_changes_nothing() {
        let text = r#"{"mcpServers": {"tools": {"command": "tools/bin/mcpd", "args": ["shim", "--server", "x"]}}}"#;
        let mut f = file(text);
        let before = f.to_text();
        assert_eq!(
            ensure_shim(&mut f).unwrap(),
            ShimEntry::Present("tools".into())
        );
        assert_eq!(f.to_text(), before);
    }

    #[test]
    fn the_shim_name_taken_by_something_else_is_an_error() {
        let mut f = file(r#"{"mcpServers": {"mcpd": {"type": "http", "url": "https://x"}}}"#);
        let e = ensure_shim(&mut f).unwrap_err().to_string();
        assert!(
            e.starts_with("p/.mcp.json: mcpServers.mcpd: this entry does not run `mcpd shim`"),
            "{e}"
        );
    }

    #[test]
    fn stdio_entries_are_told_apart() {
        assert_eq!(stdio_or_why(&json!({"command": "x"})), Ok(()));
        assert_eq!(
            stdio_or_why(&json!({"type": "stdio", "command": "x"})),
            Ok(())
        );
        let why = |v: Value| stdio_or_why(&v).unwrap_err();
        assert_eq!(why(json!({"type": "http", "url": "u"})), "http");
        assert_eq!(why(json!({"type": "sse", "url": "u"})), "sse");
        assert_eq!(why(json!({"url": "u"})), "url");
        assert_eq!(why(json!({"command": "x", "url": "u"})), "url");
        assert_eq!(why(json!({"args": ["a"]})), "no command");
        assert_eq!(why(json!({"command": " "})), "no command");
        assert_eq!(why(json!("x")), "a string, not an object");
    }

    #[test]
    fn import_moves_stdio_entries_and_keeps_the_rest_in_order() {
        let mut client = file(
            r#"{"mcpServers": {
                "a": {"command": "a", "env": {"T": "${T}"}},
                "web": {"type": "http", "url": "https://x"},
                "shim": {"command": "mcpd", "args": ["shim"]},
                "b": {"command": "b"},
                "dup": {"command": "new"},
                "same": {"command": "same"},
                "c": {"command": "c"}
            }, "other": true}"#,
        );
        let mut mcpd = JsonFile::parse(
            "p/.mcpd.json",
            br#"{"x": 1, "mcpServers": {"dup": {"command": "old"}, "same": {"command": "same"}}}"#,
        )
        .unwrap();
        let import = import_servers(&mut client, &mut mcpd);
        assert_eq!(import.moved, ["a", "b", "c"]);
        assert_eq!(import.already, ["same"]);
        assert_eq!(import.conflicts, ["dup"]);
        assert_eq!(import.kept, [("web".to_string(), "http".to_string())]);
        assert_eq!(import.removed(), ["a", "b", "c", "same"]);
        assert_eq!(keys(client.servers()), ["web", "shim", "dup"]);
        assert_eq!(keys(Some(client.root())), ["mcpServers", "other"]);
        assert_eq!(keys(mcpd.servers()), ["dup", "same", "a", "b", "c"]);
        assert_eq!(mcpd.servers().unwrap()["dup"]["command"], "old");
        assert_eq!(mcpd.servers().unwrap()["a"]["env"]["T"], "${T}");
        assert_eq!(
            ensure_shim(&mut client).unwrap(),
            ShimEntry::Present("shim".into())
        );
    }

    #[test]
    fn import_into_a_new_file_and_then_the_shim_takes_a_freed_name() {
        let mut client = file(r#"{"mcpServers": {"mcpd": {"command": "some-other-mcpd"}}}"#);
        let mut mcpd = JsonFile::parse("p/.mcpd.json", b"").unwrap();
        let import = import_servers(&mut client, &mut mcpd);
        assert_eq!(import.moved, ["mcpd"]);
        assert_eq!(ensure_shim(&mut client).unwrap(), ShimEntry::Added);
        assert_eq!(client.servers().unwrap()["mcpd"], shim_entry());
        assert_eq!(
            mcpd.servers().unwrap()["mcpd"]["command"],
            "some-other-mcpd"
        );
    }

    #[test]
    fn nothing_to_import_changes_nothing() {
        let text = r#"{"other": 1}"#;
        let mut client = file(text);
        let mut mcpd = JsonFile::parse("p/.mcpd.json", b"").unwrap();
        assert_eq!(import_servers(&mut client, &mut mcpd), Import::default());
        assert!(client.servers().is_none() && mcpd.servers().is_none());
    }

    #[cfg(unix)]
    #[test]
    fn atomic_writes_keep_the_mode_and_symlinks_and_leave_no_temp_files() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let path = dir.path().join(".mcp.json");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&path, b"new", None).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(mode(&path), 0o640);

        let fresh = dir.path().join(".mcpd.json");
        write_atomic(&fresh, b"x", Some(&fs::Permissions::from_mode(0o600))).unwrap();
        assert_eq!(mode(&fresh), 0o600);
        let plain = dir.path().join("plain.json");
        write_atomic(&plain, b"x", None).unwrap();
        assert_eq!(mode(&plain) & 0o600, 0o600, "a new file is the user's");

        let real = dir.path().join("real.json");
        fs::write(&real, "old").unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink("real.json", &link).unwrap();
        write_atomic(&link, b"through", None).unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&real).unwrap(), "through");

        let mut names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                ".mcp.json",
                ".mcpd.json",
                "link.json",
                "plain.json",
                "real.json"
            ]
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_new_file_can_take_the_permissions_of_another() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let client = dir.path().join(".mcp.json");
        fs::write(&client, "{}").unwrap();
        fs::set_permissions(&client, fs::Permissions::from_mode(0o600)).unwrap();
        let mut mcpd = JsonFile::open(dir.path().join(".mcpd.json")).unwrap();
        mcpd.create_with_permissions_of(&client);
        mcpd.save().unwrap();
        let mode = fs::metadata(mcpd.path()).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    #[test]
    fn the_project_file_is_found_upward_or_made_in_the_cwd() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("a/b");
        fs::create_dir_all(&sub).unwrap();
        assert_eq!(project_mcp_json(&sub), sub.join(".mcp.json"));
        fs::write(dir.path().join(".mcp.json"), "{}").unwrap();
        assert_eq!(project_mcp_json(&sub), dir.path().join(".mcp.json"));
    }
}
