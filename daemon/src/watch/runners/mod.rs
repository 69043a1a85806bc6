//! Per-tool readings of a command line: interpreters (`python`, `node`, `deno`, `bun`), project
//! runners (`cargo run`, `uv run`, `npm start`) and registry launchers (`npx`, `uvx`).

mod js;
mod launcher;
mod native;
mod python;

use std::path::Path;

use super::args::{Syntax, first_positional};
use super::command::{Launch, classify, script_or_nothing};
use super::project::resolve;

pub(super) use js::{bun, deno, node_package_manager};
pub(super) use launcher::launcher;
pub(super) use native::{cargo, go};
pub(super) use python::{project_runner, python, uv};

/// Node and the tools that run a script the way node does (`tsx`, `ts-node`).
pub(super) const NODE: Syntax = Syntax {
    value: &[
        "-r",
        "--require",
        "--import",
        "--loader",
        "--experimental-loader",
        "-C",
        "--conditions",
        "--env-file",
        "--input-type",
        "--title",
    ],
    inline: &["-e", "--eval", "-p", "--print"],
    module: &[],
};

/// An interpreter that takes a script as its first argument that is not an option.
pub(super) fn interpreter(name: &str, args: &[String], syntax: Syntax, cwd: &Path) -> Launch {
    script_or_nothing(name, args, syntax, cwd)
}

/// `env [-C DIR] [-u NAME] [NAME=VALUE]... COMMAND ARGS`.
pub(super) fn env(args: &[String], cwd: &Path) -> Launch {
    let mut cwd = cwd.to_path_buf();
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].as_str();
        match arg {
            "-C" | "--chdir" => {
                if let Some(dir) = args.get(i + 1) {
                    cwd = resolve(&cwd, dir);
                }
                i += 2;
            }
            "-u" | "--unset" => i += 2,
            _ if arg.starts_with('-') || arg.contains('=') => i += 1,
            _ => return classify(arg, &args[i + 1..], &cwd),
        }
    }
    Launch::nothing("env without a command")
}

/// `mcp run server.py` / `fastmcp run server.py:app` (the MCP Python SDK's and FastMCP's CLIs).
pub(super) fn fastmcp(name: &str, args: &[String], cwd: &Path) -> Launch {
    const VALUES: &[&str] = &[
        "--transport",
        "-t",
        "--host",
        "--port",
        "--with",
        "--python",
        "--project",
        "--log-level",
        "-l",
    ];
    match first_positional(args, VALUES) {
        Some((k, sub)) if sub == "run" || sub == "dev" => {
            let rest: Vec<String> = args[k + 1..]
                .iter()
                .map(|a| match a.split_once(".py:") {
                    Some((file, _object)) => format!("{file}.py"),
                    None => a.clone(),
                })
                .collect();
            let syntax = Syntax {
                value: VALUES,
                ..Syntax::default()
            };
            script_or_nothing(&format!("{name} {sub}"), &rest, syntax, cwd)
        }
        _ => Launch::nothing(format!("{name} without `run`")),
    }
}

/// `launch` with `prefix` before what it shows (`uv run` + `python server.py`).
pub(super) fn prefixed(prefix: &str, launch: Launch) -> Launch {
    match launch {
        Launch::Script { shown, path } => Launch::Script {
            shown: format!("{prefix} {shown}"),
            path,
        },
        Launch::Executable { shown, path } => Launch::Executable {
            shown: format!("{prefix} {shown}"),
            path,
        },
        Launch::Project { shown, dir } => Launch::Project {
            shown: format!("{prefix} {shown}"),
            dir,
        },
        nothing => nothing,
    }
}
