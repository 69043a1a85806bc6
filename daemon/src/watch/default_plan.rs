//! The default watch plan (no `watch` key): the folder holding the code the server runs, with
//! the build output it runs from kept although ignored.

use std::path::{Path, PathBuf};

use mcpd_config::ResolvedServer;

use super::command::{Launch, classify};
use super::ignore_rules::{IGNORED_DIRS, IgnoreRules};
use super::plan::WatchPlan;
use super::project::{MARKERS, code_folder, find_up, installed_in};

/// The default plan for `server`.
pub(super) fn plan(server: &ResolvedServer) -> WatchPlan {
    let cwd = &server.cwd;
    let (root, keep, reason) = match classify(&server.command, &server.args, cwd) {
        Launch::Nothing { why } => return WatchPlan::nothing(why),
        Launch::Project { shown, dir } => {
            let reason = format!("project of {shown}: {}", dir.display());
            (dir, Vec::new(), reason)
        }
        Launch::Script { shown, path } => match script_root(&shown, &path, cwd) {
            Ok((root, keep)) => {
                let reason = format!("source tree of {shown}: {}", root.display());
                (root, keep, reason)
            }
            Err(why) => return WatchPlan::nothing(why),
        },
        Launch::Executable { path, .. } if cargo_target_owner(&path).is_some() => {
            // A compiled binary: saving its sources changes nothing until it is rebuilt, so the
            // binary itself is what triggers a reload.
            return built_binary(server, &path);
        }
        Launch::Executable { path, .. } => {
            let shown = shown_path(&path, cwd);
            match executable_root(&shown, &path, cwd) {
                Ok((root, what)) => {
                    let reason = format!("{what} of {shown}: {}", root.display());
                    (root, vec![path], reason)
                }
                Err(why) => return WatchPlan::nothing(why),
            }
        }
    };
    let mut warnings = Vec::new();
    if !root.is_dir() {
        warnings.push(format!("{} does not exist", root.display()));
    }
    let roots = vec![root];
    let (ignore, ignore_warnings) = IgnoreRules::new(cwd, &server.ignore, keep, false, &roots);
    warnings.extend(ignore_warnings);
    WatchPlan {
        roots,
        patterns: Vec::new(),
        ignore,
        reason,
        warnings,
    }
}

/// Watches one compiled binary (in a cargo `target/` folder) for rebuilds.
fn built_binary(server: &ResolvedServer, path: &Path) -> WatchPlan {
    if path.parent().is_none() {
        return WatchPlan::nothing("a binary without a folder");
    }
    // The file itself is the root: its folder is watched alone, not the build tree below it.
    let roots = vec![path.to_path_buf()];
    let (ignore, warnings) = IgnoreRules::new(
        &server.cwd,
        &server.ignore,
        vec![path.to_path_buf()],
        false,
        &roots,
    );
    WatchPlan {
        roots,
        patterns: vec![path.display().to_string()],
        ignore,
        reason: format!(
            "build output {} (a rebuild reloads it)",
            shown_path(path, &server.cwd)
        ),
        warnings,
    }
}

/// The folder holding a script's code, and the build output folder it runs from (kept).
fn script_root(shown: &str, path: &Path, cwd: &Path) -> Result<(PathBuf, Vec<PathBuf>), String> {
    if let Some(installed) = installed_in(path) {
        return Err(format!(
            "{shown}: an installed package in {}",
            installed.display()
        ));
    }
    let root =
        code_folder(path, cwd).ok_or_else(|| format!("{shown}: no project folder to watch"))?;
    let keep = match path.strip_prefix(&root).ok().and_then(|rel| rel.parent()) {
        // `dist/index.js` in the root runs from `dist`: keep all of it (chunks, maps);
        // from inside an always-ignored folder, only the script's own folder.
        Some(rel) if !rel.as_os_str().is_empty() => {
            let top = rel.components().next().map(|c| root.join(c));
            match top {
                Some(top) if !is_always_ignored(&top) => vec![top],
                _ => path.parent().map(Path::to_path_buf).into_iter().collect(),
            }
        }
        _ => Vec::new(),
    };
    Ok((root, keep))
}

/// The folder holding an executable's code, and what that folder is.
fn executable_root(
    shown: &str,
    path: &Path,
    cwd: &Path,
) -> Result<(PathBuf, &'static str), String> {
    if let Some(krate) = cargo_target_owner(path) {
        return Ok((krate, "crate"));
    }
    if let Some(installed) = installed_in(path) {
        let is_venv = installed
            .file_name()
            .is_some_and(|n| n == ".venv" || n == "venv");
        return match installed.parent() {
            Some(project) if is_venv && super::project::has_marker(project, MARKERS) => {
                Ok((project.to_path_buf(), "project"))
            }
            _ => Err(format!(
                "{shown}: an installed package in {}",
                installed.display()
            )),
        };
    }
    let dir = path.parent().ok_or_else(|| format!("{shown}: no folder"))?;
    if let Some(project) = find_up(dir, cwd, MARKERS) {
        return Ok((project, "project"));
    }
    if dir.starts_with(cwd) {
        return Ok((dir.to_path_buf(), "folder"));
    }
    Err(format!(
        "{shown}: outside the server's folder and not in a project"
    ))
}

/// The crate folder owning a binary in its `target/` folder (`/p/target/debug/srv` → `/p`).
fn cargo_target_owner(path: &Path) -> Option<PathBuf> {
    path.ancestors()
        .skip(1)
        .find(|dir| dir.file_name().is_some_and(|n| n == "target"))
        .and_then(Path::parent)
        .filter(|krate| krate.join("Cargo.toml").is_file())
        .map(Path::to_path_buf)
}

/// Whether a folder's name is one of the always-ignored ones (`node_modules`, `target`, ...).
fn is_always_ignored(dir: &Path) -> bool {
    dir.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| IGNORED_DIRS.contains(&n))
}

/// `path` relative to `cwd` as `./x` when inside it, else as is.
fn shown_path(path: &Path, cwd: &Path) -> String {
    match path.strip_prefix(cwd) {
        Ok(rel) => format!("./{}", rel.display()),
        Err(_) => path.display().to_string(),
    }
}
