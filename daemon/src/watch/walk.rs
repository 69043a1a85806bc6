//! Walking a watch root: directories kept by the ignore rules, pruning ignored ones before
//! reading them, so an ignored `node_modules` costs one `readdir` entry, not its 100,000 files.

use std::ops::ControlFlow;
use std::path::Path;

use super::ignore_rules::{IgnoreRules, Verdict};

/// What a walk visits.
pub(super) enum Entry<'a> {
    /// A directory to watch, and how it fared (never `Ignored`).
    Dir(&'a Path, Verdict),
    /// A file whose change would count (only when files were asked for).
    File(&'a Path),
}

/// Walks the directory `top` (which fared `verdict`), visiting each directory before reading
/// it and loading its `.gitignore` before judging its entries. Symbolic links are not followed.
/// Stops when `visit` breaks.
pub(super) fn walk(
    rules: &mut IgnoreRules,
    top: &Path,
    verdict: Verdict,
    files: bool,
    visit: &mut dyn FnMut(Entry<'_>) -> ControlFlow<()>,
) -> ControlFlow<()> {
    let mut stack = vec![(top.to_path_buf(), verdict)];
    while let Some((dir, verdict)) = stack.pop() {
        visit(Entry::Dir(&dir, verdict))?;
        rules.load_gitignore(&dir);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(file_type) = entry.file_type() else {
                continue;
            };
            let path = entry.path();
            if file_type.is_dir() {
                match rules.classify(&path, true, verdict) {
                    Verdict::Ignored => {}
                    kept => stack.push((path, kept)),
                }
            } else if files && rules.classify(&path, false, verdict) == Verdict::Watched {
                visit(Entry::File(&path))?;
            }
        }
    }
    ControlFlow::Continue(())
}
