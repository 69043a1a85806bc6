//! JavaScript runtimes and package managers: `deno run`, `bun`, `npm start`, `pnpm dev`.

use std::path::Path;

use super::super::args::{ScriptArg, Syntax, first_positional, option_value, script_arg};
use super::super::command::{Launch, classify, script_or_nothing};
use super::super::project::{find_up_unbounded, resolve};
use super::{NODE, launcher, prefixed};

/// Deno's options that take a separate value.
const DENO: Syntax = Syntax {
    value: &[
        "-c",
        "--config",
        "--import-map",
        "--lock",
        "--cert",
        "--location",
        "--seed",
        "--env-file",
    ],
    inline: &[],
    module: &[],
};

/// `deno run [OPTIONS] main.ts`, `deno main.ts`, `deno task start`.
pub(in super::super) fn deno(args: &[String], cwd: &Path) -> Launch {
    match args.first().map(String::as_str) {
        Some("task") => package_project(
            "deno task",
            args.get(1),
            cwd,
            &["deno.json", "deno.jsonc", "package.json"],
        ),
        Some("eval") => Launch::nothing("deno eval: inline code"),
        Some("run" | "serve") => script_or_nothing("deno run", &args[1..], DENO, cwd),
        _ => script_or_nothing("deno", args, DENO, cwd),
    }
}

/// `bun x.ts`, `bun run x.ts`, `bun run start`, `bun x pkg` (= `bunx`).
pub(in super::super) fn bun(args: &[String], cwd: &Path) -> Launch {
    const TOOLS: &[&str] = &[
        "install", "i", "add", "remove", "update", "create", "init", "build", "test", "pm", "link",
        "upgrade",
    ];
    let rest = match args.first().map(String::as_str) {
        Some("x") => return launcher("bunx", &args[1..], cwd),
        Some(tool) if TOOLS.contains(&tool) => return Launch::nothing(format!("bun {tool}")),
        Some("run") => &args[1..],
        _ => args,
    };
    match script_arg(rest, NODE, cwd) {
        ScriptArg::File(..) | ScriptArg::Inline(_) => script_or_nothing("bun", rest, NODE, cwd),
        _ => {
            let script = first_positional(rest, NODE.value).map(|(k, _)| &rest[k]);
            package_project("bun run", script, cwd, &["package.json"])
        }
    }
}

/// `npm start`, `npm run dev`, `pnpm dev`, `yarn start`, `npm exec pkg`, `pnpm dlx pkg`.
pub(in super::super) fn node_package_manager(name: &str, args: &[String], cwd: &Path) -> Launch {
    const VALUES: &[&str] = &[
        "--prefix",
        "-C",
        "--dir",
        "--cwd",
        "-w",
        "--workspace",
        "--filter",
        "-F",
    ];
    const TOOLS: &[&str] = &[
        "install", "i", "add", "ci", "create", "init", "remove", "update",
    ];
    let Some((k, sub)) = first_positional(args, VALUES) else {
        return Launch::nothing(format!("{name} without a command"));
    };
    let rest = &args[k + 1..];
    let dir = option_value(&args[..k], &["--prefix", "-C", "--dir", "--cwd"])
        .map_or_else(|| cwd.to_path_buf(), |d| resolve(cwd, d));
    match sub {
        "exec" | "x" if name == "npm" => launcher("npm exec", rest, &dir),
        "dlx" => launcher(&format!("{name} dlx"), rest, &dir),
        "exec" | "node" => match rest.split_first() {
            Some((command, more)) => {
                let command = if sub == "node" {
                    "node"
                } else {
                    command.as_str()
                };
                let more = if sub == "node" { rest } else { more };
                match classify(command, more, &dir) {
                    inner if inner.is_local() => prefixed(&format!("{name} {sub}"), inner),
                    _ => Launch::nothing(format!("{name} {sub} {command}: an installed tool")),
                }
            }
            None => Launch::nothing(format!("{name} {sub} without a command")),
        },
        tool if TOOLS.contains(&tool) => Launch::nothing(format!("{name} {tool}")),
        _ => {
            let script = if sub == "run" || sub == "run-script" {
                first_positional(rest, &[]).map(|(_, s)| s.to_string())
            } else {
                Some(sub.to_string())
            };
            package_project(
                &format!("{name} run"),
                script.as_ref(),
                &dir,
                &["package.json"],
            )
        }
    }
}

/// The project folder holding `markers` at or above `dir`, for a package script.
fn package_project(shown: &str, script: Option<&String>, dir: &Path, markers: &[&str]) -> Launch {
    let shown = match script {
        Some(script) => format!("{shown} {script}"),
        None => shown.to_string(),
    };
    match find_up_unbounded(dir, markers) {
        Some(dir) => Launch::Project { shown, dir },
        None => Launch::nothing(format!("{shown}: no {} found", markers.join(" or "))),
    }
}
