//! Compiled projects run from source: `cargo run`, `go run`.

use std::path::{Path, PathBuf};

use super::super::args::{first_positional, option_value};
use super::super::command::Launch;
use super::super::project::{find_up_unbounded, resolve};

/// `cargo run [--manifest-path P]`: the crate's folder, or its workspace's when it is a member.
pub(in super::super) fn cargo(args: &[String], cwd: &Path) -> Launch {
    // `cargo +nightly run`: the toolchain comes first.
    let args = match args.first() {
        Some(toolchain) if toolchain.starts_with('+') => &args[1..],
        _ => args,
    };
    match first_positional(args, &["--config", "-Z", "-C"]) {
        Some((k, "run" | "r")) => {
            let own = &args[k + 1..];
            let own = &own[..own.iter().position(|a| a == "--").unwrap_or(own.len())];
            let start = option_value(own, &["--manifest-path"])
                .map(|m| resolve(cwd, m))
                .and_then(|m| m.parent().map(Path::to_path_buf))
                .unwrap_or_else(|| cwd.to_path_buf());
            match find_up_unbounded(&start, &["Cargo.toml"]) {
                Some(krate) => Launch::Project {
                    shown: "cargo run".to_string(),
                    dir: workspace_of(&krate).unwrap_or(krate),
                },
                None => Launch::nothing("cargo run: no Cargo.toml"),
            }
        }
        Some((_, sub)) => Launch::nothing(format!("cargo {sub}: not `cargo run`")),
        None => Launch::nothing("cargo without a command"),
    }
}

/// The workspace folder above `krate` whose `Cargo.toml` has a `[workspace]` table.
fn workspace_of(krate: &Path) -> Option<PathBuf> {
    krate
        .ancestors()
        .skip(1)
        .take(8)
        .find(|dir| {
            std::fs::read_to_string(dir.join("Cargo.toml"))
                .is_ok_and(|text| text.contains("[workspace]"))
        })
        .map(Path::to_path_buf)
}

/// `go run .` / `go run ./cmd/srv`: the module's folder; nothing for `go run pkg@version`.
pub(in super::super) fn go(args: &[String], cwd: &Path) -> Launch {
    match first_positional(args, &["-C"]) {
        Some((k, "run")) => {
            let target = first_positional(&args[k + 1..], &["-tags", "-ldflags", "-gcflags"]);
            if let Some((_, spec)) = target.filter(|(_, spec)| spec.contains('@')) {
                return Launch::nothing(format!("go run {spec}: a remote module"));
            }
            match find_up_unbounded(cwd, &["go.mod"]) {
                Some(dir) => Launch::Project {
                    shown: "go run".to_string(),
                    dir,
                },
                None => Launch::nothing("go run: no go.mod"),
            }
        }
        _ => Launch::nothing("go without `run`"),
    }
}
