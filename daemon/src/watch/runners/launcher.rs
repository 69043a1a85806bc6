//! Registry launchers (`npx`, `uvx`, `pipx run`, `bunx`, `npm exec`, `pnpm dlx`): nothing to
//! watch for a package from a registry, but a local path (`uvx --from . srv`, `npx ./tool`) or a
//! local script run by a launched runner (`npx tsx src/index.ts`) is watched.

use std::path::Path;

use super::super::args::{first_positional, has_script_extension, option_value};
use super::super::command::{Launch, classify};
use super::super::project::resolve;
use super::prefixed;

/// Launcher options that take a value.
const VALUES: &[&str] = &[
    "-p",
    "--package",
    "--from",
    "--with",
    "--with-editable",
    "--with-requirements",
    "--spec",
    "--python",
    "--index",
    "--index-url",
    "--extra-index-url",
    "--default-index",
    "-c",
    "--call",
    "--registry",
    "--cache",
    "--pip-args",
    "--env-file",
];

/// What `shown ARGS` runs.
pub(in super::super) fn launcher(shown: &str, args: &[String], cwd: &Path) -> Launch {
    let Some((k, package)) = first_positional(args, VALUES) else {
        return Launch::nothing(format!("{shown} without a package"));
    };
    let options = &args[..k];
    if option_value(options, &["-c", "--call"]).is_some() {
        return Launch::nothing(format!("{shown} --call: a shell command"));
    }
    if let Some(source) = option_value(options, &["--from", "--spec", "-p", "--package"])
        && let Some(path) = local_path(source, cwd)
        && path.is_dir()
    {
        return Launch::Project {
            shown: format!("{shown} --from {source}"),
            dir: path,
        };
    }
    if let Some(path) = local_path(package, cwd) {
        if path.is_dir() {
            return Launch::Project {
                shown: format!("{shown} {package}"),
                dir: path,
            };
        }
        if has_script_extension(package) {
            return Launch::Script {
                shown: format!("{shown} {package}"),
                path,
            };
        }
    }
    // A runner launched by name (`npx tsx src/index.ts`, `npx -y tsx@4 x.ts`) on a local script.
    let runner = package.split('@').next().unwrap_or(package);
    if !runner.is_empty() && !package.contains('/') {
        let inner = classify(runner, &args[k + 1..], cwd);
        if matches!(inner, Launch::Script { .. } | Launch::Project { .. }) {
            return prefixed(shown, inner);
        }
    }
    Launch::nothing(format!("{shown} {package}: a package from a registry"))
}

/// The folder or file `spec` names when it is a local path (`.`, `./x`, `/abs`, `file:x`).
fn local_path(spec: &str, cwd: &Path) -> Option<std::path::PathBuf> {
    let spec = spec.strip_prefix("file:").unwrap_or(spec);
    let local = spec == "."
        || spec == ".."
        || spec.starts_with("./")
        || spec.starts_with("../")
        || spec.starts_with('/')
        || spec.starts_with("~/");
    local.then(|| resolve(cwd, spec))
}
