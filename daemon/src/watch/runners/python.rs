//! Python: `python server.py`, `python -m pkg`, and project runners (`uv run`, `poetry run`).

use std::path::Path;

use super::super::args::{ScriptArg, Syntax, first_positional, option_value, script_arg};
use super::super::command::{Launch, classify, script_or_nothing};
use super::super::project::{find_up_unbounded, has_marker, resolve};
use super::{launcher, prefixed};

/// Python's options.
const PYTHON: Syntax = Syntax {
    value: &["-X", "-W", "--check-hash-based-pycs"],
    inline: &["-c"],
    module: &["-m"],
};

/// Files that mark a Python project's folder.
const PYTHON_MARKERS: &[&str] = &["pyproject.toml", "setup.py", "setup.cfg"];

/// Options of `uv run` that take a value.
const UV_RUN_VALUES: &[&str] = &[
    "--with",
    "--with-editable",
    "--with-requirements",
    "--directory",
    "--project",
    "--python",
    "-p",
    "--env-file",
    "--extra",
    "--group",
    "--only-group",
    "--no-group",
    "--package",
    "--index",
    "--index-url",
    "--extra-index-url",
    "--default-index",
    "--find-links",
    "-f",
    "--config-file",
    "--cache-dir",
    "-m",
    "--module",
];

/// `python [OPTIONS] server.py` or `python -m pkg`.
pub(in super::super) fn python(name: &str, args: &[String], cwd: &Path) -> Launch {
    match script_arg(args, PYTHON, cwd) {
        ScriptArg::Module(module) => python_module(&format!("{name} -m {module}"), &module, cwd),
        _ => script_or_nothing(name, args, PYTHON, cwd),
    }
}

/// `python -m pkg`: the cwd when the module lives there (or the cwd is a Python project),
/// nothing for an installed module.
fn python_module(shown: &str, module: &str, cwd: &Path) -> Launch {
    let rel = module.replace('.', "/");
    let local = [cwd.to_path_buf(), cwd.join("src")]
        .iter()
        .any(|base| base.join(&rel).is_dir() || base.join(format!("{rel}.py")).is_file());
    if local || has_marker(cwd, PYTHON_MARKERS) {
        Launch::Project {
            shown: shown.to_string(),
            dir: cwd.to_path_buf(),
        }
    } else {
        Launch::nothing(format!(
            "{shown}: an installed module (no {module} under {})",
            cwd.display()
        ))
    }
}

/// `uv [--directory D] run ...`, `uv tool run ...` (= `uvx`).
pub(in super::super) fn uv(args: &[String], cwd: &Path) -> Launch {
    match first_positional(args, UV_RUN_VALUES) {
        Some((k, "run")) => {
            // Options before `run` (`uv --directory D run`) count as `run`'s own.
            let rest: Vec<String> = args[..k].iter().chain(&args[k + 1..]).cloned().collect();
            project_runner("uv run", &rest, UV_RUN_VALUES, cwd)
        }
        Some((k, "tool")) if args.get(k + 1).is_some_and(|a| a == "run") => {
            launcher("uvx", &args[k + 2..], cwd)
        }
        _ => Launch::nothing("uv without `run`"),
    }
}

/// A tool that runs a command inside a project's environment (`uv run`, `poetry run`): the
/// command's own script when it has one, else the project folder (an entry point of the
/// project), else nothing.
pub(in super::super) fn project_runner(
    shown: &str,
    rest: &[String],
    values: &[&str],
    cwd: &Path,
) -> Launch {
    let positional = first_positional(rest, values);
    let options = &rest[..positional.map_or(rest.len(), |(k, _)| k)];
    let dir = option_value(options, &["--directory", "--project"])
        .map_or_else(|| cwd.to_path_buf(), |d| resolve(cwd, d));
    if let Some(module) = option_value(options, &["-m", "--module"]) {
        return python_module(&format!("{shown} -m {module}"), module, &dir);
    }
    let Some((k, command)) = positional else {
        return Launch::nothing(format!("{shown} without a command"));
    };
    let inner = classify(command, &rest[k + 1..], &dir);
    if inner.is_local() {
        return prefixed(shown, inner);
    }
    match find_up_unbounded(&dir, PYTHON_MARKERS) {
        Some(project) => Launch::Project {
            shown: format!("{shown} {command}"),
            dir: project,
        },
        None => Launch::nothing(format!("{shown} {command}: not in a project")),
    }
}
