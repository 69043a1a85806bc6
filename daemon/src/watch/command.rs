//! Reading a server's command line: is it a local script, a local executable, a project run as
//! a whole, or a package from a registry? The per-tool details live in [`super::runners`].

use std::path::{Path, PathBuf};

use super::args::{Syntax, has_script_extension, script_arg};
use super::project::resolve;
use super::runners;

/// What a command line launches.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Launch {
    /// A local source file run by an interpreter (`python server.py`, `node dist/index.js`).
    Script { shown: String, path: PathBuf },
    /// A local executable (`./target/debug/srv`).
    Executable { shown: String, path: PathBuf },
    /// A project folder run as a whole (`cargo run`, `uv run tool`, `python -m pkg`).
    Project { shown: String, dir: PathBuf },
    /// Nothing local to watch, and why (a registry package, a command on PATH, inline code).
    Nothing { why: String },
}

impl Launch {
    pub(super) fn nothing(why: impl Into<String>) -> Launch {
        Launch::Nothing { why: why.into() }
    }

    /// Whether this launches code that lives on this machine (worth watching).
    pub(super) fn is_local(&self) -> bool {
        !matches!(self, Launch::Nothing { .. })
    }
}

/// The program's name: its file name, lowercased, without a Windows extension.
pub(super) fn program_name(command: &str) -> String {
    let name = command.rsplit(['/', '\\']).next().unwrap_or(command);
    let name = name.to_ascii_lowercase();
    for ext in [".exe", ".cmd", ".bat", ".ps1"] {
        if let Some(stem) = name.strip_suffix(ext) {
            return stem.to_string();
        }
    }
    name
}

/// What `command args` launches when run in `cwd`.
pub(super) fn classify(command: &str, args: &[String], cwd: &Path) -> Launch {
    let name = program_name(command);
    let script = |syntax: Syntax| runners::interpreter(&name, args, syntax, cwd);
    match name.as_str() {
        "py" => runners::python(&name, args, cwd),
        n if n.starts_with("python") => runners::python(&name, args, cwd),
        "node" | "nodejs" | "tsx" | "ts-node" | "ts-node-esm" | "ts-node-dev" | "nodemon"
        | "vite-node" | "esno" | "esrun" => script(runners::NODE),
        "deno" => runners::deno(args, cwd),
        "bun" => runners::bun(args, cwd),
        "cargo" => runners::cargo(args, cwd),
        "go" => runners::go(args, cwd),
        "uv" => runners::uv(args, cwd),
        "uvx" | "npx" | "bunx" | "pnpx" => runners::launcher(&name, args, cwd),
        "pipx" => match args.split_first() {
            Some((run, rest)) if run == "run" => runners::launcher("pipx run", rest, cwd),
            _ => Launch::nothing("pipx without `run`"),
        },
        "npm" | "pnpm" | "yarn" => runners::node_package_manager(&name, args, cwd),
        "poetry" | "pdm" | "pipenv" | "hatch" | "rye" => match args.split_first() {
            Some((run, rest)) if run == "run" => {
                runners::project_runner(&format!("{name} run"), rest, &[], cwd)
            }
            _ => Launch::nothing(format!("{name} without `run`")),
        },
        "mcp" | "fastmcp" => runners::fastmcp(&name, args, cwd),
        "sh" | "bash" | "zsh" | "dash" => script(Syntax {
            value: &["-o", "-O"],
            inline: &["-c"],
            module: &[],
        }),
        "ruby" | "perl" => script(Syntax {
            value: &["-r", "-I"],
            inline: &["-e", "-E"],
            module: &[],
        }),
        "php" | "lua" => script(Syntax {
            value: &["-c", "-d", "-l"],
            inline: &["-r", "-e"],
            module: &[],
        }),
        "env" => runners::env(args, cwd),
        _ => local_file(command, &name, cwd),
    }
}

/// A command that is not a known tool: a local script or executable when it is a path (or a
/// source file by its extension), else a command found on PATH.
fn local_file(command: &str, name: &str, cwd: &Path) -> Launch {
    let is_path = command.contains('/') || command.contains('\\');
    if has_script_extension(command) {
        return Launch::Script {
            shown: command.to_string(),
            path: resolve(cwd, command),
        };
    }
    if is_path {
        return Launch::Executable {
            shown: command.to_string(),
            path: resolve(cwd, command),
        };
    }
    Launch::nothing(format!("`{name}` is a command on PATH"))
}

/// Shorthand used by the runners: the script of an interpreter, or why there is none.
pub(super) fn script_or_nothing(
    shown_program: &str,
    args: &[String],
    syntax: Syntax,
    cwd: &Path,
) -> Launch {
    use super::args::ScriptArg;
    match script_arg(args, syntax, cwd) {
        ScriptArg::File(arg, path) => Launch::Script {
            shown: format!("{shown_program} {arg}"),
            path,
        },
        ScriptArg::Inline(opt) => Launch::nothing(format!("{shown_program} {opt}: inline code")),
        ScriptArg::Remote(spec) => {
            Launch::nothing(format!("{shown_program} {spec}: a remote module"))
        }
        ScriptArg::Module(module) => {
            Launch::nothing(format!("{shown_program} -m {module}: a module"))
        }
        ScriptArg::None => Launch::nothing(format!("{shown_program}: no script in its arguments")),
    }
}
