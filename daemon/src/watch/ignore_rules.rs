//! What a watcher never descends into or reports: `.gitignore`d paths, well-known dependency,
//! cache and VCS directories, junk files, editor temp files and the server's own `ignore` globs;
//! except the build output a server runs from (`dist/` for `node dist/index.js`), which is kept.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};

use super::editor::is_temp_file;

/// Directories never watched (below a watch root), whatever `.gitignore` says.
pub const IGNORED_DIRS: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    "node_modules",
    "target",
    "__pycache__",
    ".venv",
    "venv",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".tox",
    ".nox",
    ".direnv",
    ".cache",
    ".turbo",
    ".idea",
    ".vscode",
];

/// File name endings never reported in a default (not explicit) watch: byte code, logs and the
/// databases a server may write into its own folder (which would otherwise reload it forever).
const JUNK_FILE_SUFFIXES: &[&str] = &[
    ".pyc", ".pyo", ".log", ".db", ".sqlite", ".sqlite3", "-journal", "-wal", "-shm",
];

/// mcpd's config files, never reported in a default watch: an edit applies through config reload,
/// which restarts only the servers whose definition changed.
const CONFIG_FILES: &[&str] = &[".mcpd.json", ".mcp.json"];

/// How a path fares against the rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Verdict {
    /// Watched (a directory) and reported (a change).
    Watched,
    /// An ignored directory on the way to a kept path (`target` for `./target/debug/srv`):
    /// watched, so the kept path below is seen, but its own changes are not reported.
    PassThrough,
    /// Neither watched nor reported.
    Ignored,
}

/// The ignore rules of one watch plan. `.gitignore` files below the roots are added as the
/// watcher walks the tree.
#[derive(Clone, Debug, Default)]
pub struct IgnoreRules {
    /// The server's `ignore` globs (gitignore syntax, relative to its cwd).
    server: Option<Gitignore>,
    /// Each directory's `.gitignore` (and a repository root's `.git/info/exclude`).
    gitignores: HashMap<PathBuf, Gitignore>,
    /// Build outputs the server runs from: reported although ignored.
    keep: Vec<PathBuf>,
    /// Whether [`JUNK_FILE_SUFFIXES`] apply (not when the server lists explicit globs).
    junk_files: bool,
}

impl IgnoreRules {
    /// Rules for `roots`, with the server's `ignore` globs (relative to `cwd`), the build
    /// outputs to `keep`, and the `.gitignore` files from each root up to its repository root.
    /// Returns warnings for globs that do not parse.
    pub(super) fn new(
        cwd: &Path,
        server_ignore: &[String],
        keep: Vec<PathBuf>,
        explicit: bool,
        roots: &[PathBuf],
    ) -> (IgnoreRules, Vec<String>) {
        let mut warnings = Vec::new();
        let server = (!server_ignore.is_empty()).then(|| {
            let mut builder = GitignoreBuilder::new(cwd);
            for line in server_ignore {
                if let Err(err) = builder.add_line(None, line) {
                    warnings.push(format!("ignore glob `{line}` is invalid: {err}"));
                }
            }
            builder.build().unwrap_or_else(|err| {
                warnings.push(format!("ignore globs are invalid: {err}"));
                Gitignore::empty()
            })
        });
        let mut rules = IgnoreRules {
            server,
            gitignores: HashMap::new(),
            keep,
            junk_files: !explicit,
        };
        for root in roots {
            rules.load_repository_ancestors(root);
        }
        (rules, warnings)
    }

    /// The build outputs the server runs from, reported although ignored.
    pub fn keep(&self) -> &[PathBuf] {
        &self.keep
    }

    /// Whether `path` (a file, or a directory when `is_dir`) would be ignored in a directory
    /// that is itself watched.
    pub fn is_ignored(&self, path: &Path, is_dir: bool) -> bool {
        self.classify(path, is_dir, Verdict::Watched) == Verdict::Ignored
    }

    /// Loads the ignore files of `dir` unless already loaded.
    pub(super) fn load_gitignore(&mut self, dir: &Path) {
        if self.gitignores.contains_key(dir) {
            return;
        }
        let mut builder = GitignoreBuilder::new(dir);
        let mut any = false;
        for file in [dir.join(".gitignore"), dir.join(".git/info/exclude")] {
            if file.is_file() {
                any = true;
                if let Some(err) = builder.add(&file) {
                    tracing::debug!("{}: {err}", file.display());
                }
            }
        }
        if any && let Ok(gitignore) = builder.build() {
            self.gitignores.insert(dir.to_path_buf(), gitignore);
        }
    }

    /// Reads `dir`'s ignore files again (after its `.gitignore` changed).
    pub(super) fn reload_gitignore(&mut self, dir: &Path) {
        self.gitignores.remove(dir);
        self.load_gitignore(dir);
    }

    /// How `path` fares when its parent directory fared `parent`.
    pub(super) fn classify(&self, path: &Path, is_dir: bool, parent: Verdict) -> Verdict {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if !is_dir && is_temp_file(name) {
            return Verdict::Ignored;
        }
        if let Some(server) = &self.server
            && server.matched(path, is_dir).is_ignore()
        {
            return Verdict::Ignored;
        }
        if self.keep.iter().any(|kept| path.starts_with(kept)) {
            return Verdict::Watched;
        }
        let leads_to_kept = is_dir && self.keep.iter().any(|kept| kept.starts_with(path));
        let ignored = parent == Verdict::PassThrough
            || self.is_builtin(name, is_dir)
            || self.git_match(path, is_dir);
        match (ignored, leads_to_kept) {
            (false, _) => Verdict::Watched,
            (true, true) => Verdict::PassThrough,
            (true, false) => Verdict::Ignored,
        }
    }

    /// Like [`classify`](Self::classify) for a path that may be a file or a directory (it is
    /// gone): ignored when either would be.
    pub(super) fn classify_unknown(&self, path: &Path, parent: Verdict) -> Verdict {
        let as_dir = self.classify(path, true, parent);
        let as_file = self.classify(path, false, parent);
        if as_dir == Verdict::Ignored || as_file == Verdict::Ignored {
            Verdict::Ignored
        } else {
            as_dir
        }
    }

    fn is_builtin(&self, name: &str, is_dir: bool) -> bool {
        if is_dir {
            IGNORED_DIRS.contains(&name) || name.ends_with(".egg-info")
        } else {
            name == ".DS_Store"
                || (self.junk_files && JUNK_FILE_SUFFIXES.iter().any(|s| name.ends_with(s)))
                || (self.junk_files && CONFIG_FILES.contains(&name))
        }
    }

    /// Whether the nearest `.gitignore` with an opinion on `path` ignores it (deeper files
    /// override shallower ones, as in git).
    fn git_match(&self, path: &Path, is_dir: bool) -> bool {
        for dir in path.ancestors().skip(1) {
            if let Some(gitignore) = self.gitignores.get(dir) {
                let found = gitignore.matched(path, is_dir);
                if !found.is_none() {
                    return found.is_ignore();
                }
            }
        }
        false
    }

    /// Loads the `.gitignore` files of `root` and above it up to its repository root.
    fn load_repository_ancestors(&mut self, root: &Path) {
        if root.is_dir() {
            self.load_gitignore(root);
        }
        let Some(repo) = root
            .ancestors()
            .take(40)
            .find(|dir| dir.join(".git").exists())
        else {
            return;
        };
        for dir in root.ancestors().skip(1) {
            if !dir.starts_with(repo) {
                break;
            }
            self.load_gitignore(dir);
        }
    }
}
