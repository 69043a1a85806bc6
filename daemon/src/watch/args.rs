//! Finding the script in an interpreter's arguments (`node -r dotenv/config dist/index.js`,
//! `python -u server.py`, `deno run -A main.ts`), skipping options and their values.

use std::path::{Path, PathBuf};

use super::project::resolve;

/// File extensions of source files an interpreter runs.
const SCRIPT_EXTENSIONS: &[&str] = &[
    "py", "pyw", "js", "mjs", "cjs", "ts", "mts", "cts", "tsx", "jsx", "sh", "bash", "zsh", "rb",
    "pl", "php", "lua",
];

/// How an interpreter's options look.
#[derive(Clone, Copy, Default)]
pub(super) struct Syntax {
    /// Options whose value is the next argument (`-r mod`).
    pub value: &'static [&'static str],
    /// Options that run code given inline (`-c`, `-e`).
    pub inline: &'static [&'static str],
    /// Options naming a module to run (`-m pkg`).
    pub module: &'static [&'static str],
}

/// What an interpreter's arguments say it runs.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum ScriptArg {
    /// A local file, as written and resolved against the cwd.
    File(String, PathBuf),
    /// A module by name (`python -m pkg`).
    Module(String),
    /// Code given inline, after this option.
    Inline(String),
    /// A remote module (`npm:pkg`, `jsr:@x/y`, `https://...`).
    Remote(String),
    /// No script among the arguments.
    None,
}

/// Whether `arg` names a source file by its extension.
pub(super) fn has_script_extension(arg: &str) -> bool {
    Path::new(arg)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| SCRIPT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Whether `arg` is a module fetched from a registry or the web, not a local file.
pub(super) fn is_remote(arg: &str) -> bool {
    ["npm:", "jsr:", "http://", "https://", "git+", "github:"]
        .iter()
        .any(|p| arg.starts_with(p))
}

/// The script `args` run: the first argument that is not an option (or an option's value) and
/// looks like a source file or is an existing file.
pub(super) fn script_arg(args: &[String], syntax: Syntax, cwd: &Path) -> ScriptArg {
    let mut positional_only = false;
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if !positional_only && arg == "--" {
            positional_only = true;
            continue;
        }
        if !positional_only && arg.starts_with('-') && arg.len() > 1 {
            let key = arg.split('=').next().unwrap_or(arg);
            if syntax.inline.contains(&key) {
                return ScriptArg::Inline(key.to_string());
            }
            if syntax.module.contains(&key) {
                return match args.get(i) {
                    Some(module) => ScriptArg::Module(module.clone()),
                    None => ScriptArg::None,
                };
            }
            if syntax.value.contains(&arg.as_str()) {
                i += 1;
            }
            continue;
        }
        if is_remote(arg) {
            return ScriptArg::Remote(arg.clone());
        }
        let path = resolve(cwd, arg);
        if has_script_extension(arg) || path.is_file() {
            return ScriptArg::File(arg.clone(), path);
        }
    }
    ScriptArg::None
}

/// The first argument that is not an option, with its index, skipping the values of `value`
/// options.
pub(super) fn first_positional<'a>(args: &'a [String], value: &[&str]) -> Option<(usize, &'a str)> {
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        if arg == "--" {
            return args.get(i + 1).map(|a| (i + 1, a.as_str()));
        }
        if arg.starts_with('-') && arg.len() > 1 {
            i += if value.contains(&arg.as_str()) { 2 } else { 1 };
            continue;
        }
        return Some((i, arg));
    }
    None
}

/// The value of option `names` (`--opt value` or `--opt=value`) among `args`.
pub(super) fn option_value<'a>(args: &'a [String], names: &[&str]) -> Option<&'a str> {
    args.iter().enumerate().find_map(|(i, arg)| {
        if names.contains(&arg.as_str()) {
            return args.get(i + 1).map(String::as_str);
        }
        let (key, value) = arg.split_once('=')?;
        names.contains(&key).then_some(value)
    })
}
