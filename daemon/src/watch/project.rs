//! Finding the directory that holds a server's code: the nearest project folder (one with a
//! `pyproject.toml`, `package.json`, `Cargo.toml`, ...) above a script, bounded so that a stray
//! `package.json` in the home folder never makes the whole home folder a watch root.

use std::path::{Component, Path, PathBuf};

/// Files that mark a project's folder.
pub(super) const MARKERS: &[&str] = &[
    "pyproject.toml",
    "setup.py",
    "package.json",
    "Cargo.toml",
    "deno.json",
    "deno.jsonc",
    "go.mod",
];

/// Folders that hold installed packages rather than a project's own code.
const INSTALLED: &[&str] = &[
    "node_modules",
    "site-packages",
    "dist-packages",
    ".venv",
    "venv",
];

/// How far above a script outside the server's cwd a project folder is looked for.
const MAX_LEVELS_OUTSIDE_CWD: usize = 6;

/// Whether `dir` holds one of `markers`.
pub(super) fn has_marker(dir: &Path, markers: &[&str]) -> bool {
    markers.iter().any(|m| dir.join(m).is_file())
}

/// The nearest folder at or above `dir` holding one of `markers`: up to `cwd` when `dir` is
/// inside it, else a few levels up, never the home folder or the file system root.
pub(super) fn find_up(dir: &Path, cwd: &Path, markers: &[&str]) -> Option<PathBuf> {
    let inside = dir.starts_with(cwd);
    let home = home();
    for (level, candidate) in dir.ancestors().enumerate() {
        if !inside
            && (level >= MAX_LEVELS_OUTSIDE_CWD
                || candidate.parent().is_none()
                || Some(candidate) == home.as_deref())
        {
            return None;
        }
        if has_marker(candidate, markers) {
            return Some(candidate.to_path_buf());
        }
        if inside && candidate == cwd {
            return None;
        }
    }
    None
}

/// The nearest folder at or above `dir` (or the folder of a file) holding one of `markers`,
/// searching upward without the cwd bound (as `cargo`, `uv` and `npm` do themselves), but never
/// accepting the home folder or the file system root.
pub(super) fn find_up_unbounded(dir: &Path, markers: &[&str]) -> Option<PathBuf> {
    let home = home();
    dir.ancestors()
        .take_while(|d| d.parent().is_some() && Some(*d) != home.as_deref())
        .find(|d| has_marker(d, markers))
        .map(Path::to_path_buf)
}

/// The folder holding the code of `file`: the nearest project folder, else the file's folder
/// (`None` when that would be the home folder or the file system root).
pub(super) fn code_folder(file: &Path, cwd: &Path) -> Option<PathBuf> {
    let dir = file.parent()?;
    if let Some(project) = find_up(dir, cwd, MARKERS) {
        return Some(project);
    }
    let home = home();
    (dir.parent().is_some() && Some(dir) != home.as_deref()).then(|| dir.to_path_buf())
}

/// The installed-packages folder (`node_modules`, `site-packages`, `.venv`, ...) that `path`
/// lies in, if any.
pub(super) fn installed_in(path: &Path) -> Option<PathBuf> {
    path.ancestors()
        .skip(1)
        .find(|dir| {
            dir.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| INSTALLED.contains(&n))
        })
        .map(Path::to_path_buf)
}

/// `cwd.join(arg)` with `.` and `..` folded lexically (`~/` expanded against HOME).
pub(super) fn resolve(cwd: &Path, arg: &str) -> PathBuf {
    let joined = match (arg.strip_prefix("~/"), home()) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => cwd.join(arg),
    };
    normalize(&joined)
}

/// Folds `.` and `..` lexically.
pub(super) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// The user's home folder, if known.
fn home() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
}
