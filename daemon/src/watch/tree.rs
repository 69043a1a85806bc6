//! The watched tree of one server: its roots, every directory being watched (and how it fared
//! against the ignore rules), and the patterns a change must match. Answers "does this event
//! path count?" and keeps itself up to date as directories come and go.

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use globset::{GlobSet, GlobSetBuilder};

use super::explicit::compile;
use super::ignore_rules::{IgnoreRules, Verdict};
use super::walk::{Entry, walk};

/// The watched tree.
pub(super) struct Tree {
    roots: Vec<PathBuf>,
    rules: IgnoreRules,
    /// Empty: every change counts.
    patterns: Option<GlobSet>,
    /// Every directory watched, and how it fared.
    dirs: HashMap<PathBuf, Verdict>,
}

impl Tree {
    pub(super) fn new(roots: Vec<PathBuf>, patterns: &[String], rules: IgnoreRules) -> Tree {
        let patterns = (!patterns.is_empty()).then(|| {
            let mut set = GlobSetBuilder::new();
            for pattern in patterns {
                match compile(pattern) {
                    Ok(glob) => {
                        set.add(glob);
                    }
                    Err(err) => tracing::warn!("watch glob `{pattern}`: {err}"),
                }
            }
            set.build().unwrap_or_else(|_| GlobSet::empty())
        });
        Tree {
            roots,
            rules,
            patterns,
            dirs: HashMap::new(),
        }
    }

    /// The roots.
    pub(super) fn roots(&self) -> &[PathBuf] {
        &self.roots
    }

    /// How many directories are watched.
    pub(super) fn dir_count(&self) -> usize {
        self.dirs.len()
    }

    /// Every directory watched.
    pub(super) fn dirs(&self) -> impl Iterator<Item = &PathBuf> {
        self.dirs.keys()
    }

    /// The existing parents of the roots: watched so that a root created, deleted or replaced
    /// later (and a single-file root's atomic save) is seen.
    pub(super) fn anchors(&self) -> Vec<PathBuf> {
        let mut anchors: Vec<PathBuf> = Vec::new();
        for root in &self.roots {
            if let Some(parent) = root.parent().filter(|p| p.is_dir())
                && !anchors.iter().any(|a| a == parent)
            {
                anchors.push(parent.to_path_buf());
            }
        }
        anchors
    }

    /// Walks every root that is a directory, calling `watch` for each directory not watched
    /// before.
    pub(super) fn scan_roots(&mut self, watch: &mut dyn FnMut(&Path)) {
        for root in self.roots.clone() {
            if root.is_dir() {
                self.scan(&root, Verdict::Watched, None, watch);
            }
        }
    }

    /// Walks `dir` (which fared `verdict`), calling `watch` for each directory not watched
    /// before *before* reading it (so a file created meanwhile is either read or reported), and
    /// putting the files whose change would count in `files` when given.
    pub(super) fn scan(
        &mut self,
        dir: &Path,
        verdict: Verdict,
        mut files: Option<&mut Vec<PathBuf>>,
        watch: &mut dyn FnMut(&Path),
    ) {
        let dirs = &mut self.dirs;
        let want_files = files.is_some();
        let _ = walk(&mut self.rules, dir, verdict, want_files, &mut |entry| {
            match entry {
                Entry::Dir(path, verdict) => {
                    if dirs.insert(path.to_path_buf(), verdict).is_none() {
                        watch(path);
                    }
                }
                Entry::File(path) => {
                    if let Some(files) = files.as_deref_mut() {
                        files.push(path.to_path_buf());
                    }
                }
            }
            ControlFlow::Continue(())
        });
    }

    /// Whether `dir` is watched.
    pub(super) fn is_watched(&self, dir: &Path) -> bool {
        self.dirs.contains_key(dir)
    }

    /// How `path` fares: `None` when it is not under a watched directory (nor a root);
    /// `is_dir` is `None` when unknown (the path is gone).
    pub(super) fn verdict(&self, path: &Path, is_dir: Option<bool>) -> Option<Verdict> {
        if self.roots.iter().any(|root| root == path) {
            return Some(Verdict::Watched);
        }
        let parent = *self.dirs.get(path.parent()?)?;
        Some(match is_dir {
            Some(is_dir) => self.rules.classify(path, is_dir, parent),
            None => self.rules.classify_unknown(path, parent),
        })
    }

    /// Whether a change to `path` (which fared `Watched`) counts: it matches the patterns.
    pub(super) fn counts(&self, path: &Path) -> bool {
        self.patterns.as_ref().is_none_or(|set| set.is_match(path))
    }

    /// Forgets `path` and every directory below it (they are gone or moved away); returns them.
    pub(super) fn forget(&mut self, path: &Path) -> Vec<PathBuf> {
        if !self.dirs.contains_key(path) {
            return Vec::new();
        }
        let gone: Vec<PathBuf> = self
            .dirs
            .keys()
            .filter(|dir| dir.starts_with(path))
            .cloned()
            .collect();
        for dir in &gone {
            self.dirs.remove(dir);
        }
        gone
    }

    /// Reads `dir`'s `.gitignore` again (it changed).
    pub(super) fn gitignore_changed(&mut self, dir: &Path) {
        self.rules.reload_gitignore(dir);
    }
}
