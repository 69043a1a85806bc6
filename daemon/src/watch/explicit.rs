//! The plan for a server with a `watch` key: each entry a path or a glob relative to its cwd.
//! A path watches that file or folder; a glob watches the folder before its first wildcard and
//! counts only matching changes. Missing paths and globs matching nothing are warned about.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobBuilder, escape};
use mcpd_config::ResolvedServer;

use super::ignore_rules::{IgnoreRules, Verdict};
use super::plan::WatchPlan;
use super::project::{normalize, resolve};
use super::walk::{Entry, walk};

/// How many entries the "matches nothing" check looks at before giving up.
const CHECK_LIMIT: usize = 50_000;

/// One parsed `watch` entry.
struct WatchEntry {
    written: String,
    root: PathBuf,
    patterns: Vec<String>,
    is_glob: bool,
}

/// The plan for `server`'s explicit `watch` entries.
pub(super) fn plan(server: &ResolvedServer) -> WatchPlan {
    let cwd = &server.cwd;
    let mut warnings = Vec::new();
    let mut entries = Vec::new();
    for written in server
        .watch
        .iter()
        .map(|w| w.trim())
        .filter(|w| !w.is_empty())
    {
        match parse(written, cwd) {
            Ok(entry) => entries.push(entry),
            Err(err) => warnings.push(err),
        }
    }
    let mut roots: Vec<PathBuf> = Vec::new();
    for entry in &entries {
        if !roots.contains(&entry.root) {
            roots.push(entry.root.clone());
        }
    }
    let (mut ignore, ignore_warnings) =
        IgnoreRules::new(cwd, &server.ignore, Vec::new(), true, &roots);
    warnings.extend(ignore_warnings);
    for entry in &entries {
        if let Some(warning) = check(entry, &mut ignore) {
            warnings.push(warning);
        }
    }
    WatchPlan {
        roots,
        patterns: entries.into_iter().flat_map(|e| e.patterns).collect(),
        ignore,
        reason: format!("explicit watch: {}", server.watch.join(", ")),
        warnings,
    }
}

/// Whether `s` has glob syntax.
fn is_glob(s: &str) -> bool {
    s.contains(['*', '?', '[', '{'])
}

/// A `watch` entry resolved against `cwd`.
fn parse(written: &str, cwd: &Path) -> Result<WatchEntry, String> {
    if !is_glob(written) {
        let path = resolve(cwd, written);
        let literal = escape(&path.to_string_lossy());
        return Ok(WatchEntry {
            written: written.to_string(),
            patterns: vec![literal.clone(), format!("{literal}/**")],
            root: path,
            is_glob: false,
        });
    }
    let parts: Vec<&str> = written.split('/').collect();
    let literal = parts.iter().take_while(|p| !is_glob(p)).count();
    let prefix = parts[..literal].join("/");
    let root = if prefix.is_empty() && written.starts_with('/') {
        PathBuf::from("/")
    } else {
        normalize(&resolve(cwd, &prefix))
    };
    let rest = parts[literal..].join("/");
    let pattern = format!(
        "{}/{rest}",
        escape(root.to_string_lossy().trim_end_matches('/'))
    );
    compile(&pattern).map_err(|err| format!("watch glob `{written}` is invalid: {err}"))?;
    Ok(WatchEntry {
        written: written.to_string(),
        root,
        patterns: vec![pattern],
        is_glob: true,
    })
}

/// A watch glob as the watcher matches it: `*` stays within one path component.
pub(super) fn compile(pattern: &str) -> Result<Glob, globset::Error> {
    GlobBuilder::new(pattern).literal_separator(true).build()
}

/// A warning when `entry` names nothing that exists.
fn check(entry: &WatchEntry, ignore: &mut IgnoreRules) -> Option<String> {
    if !entry.root.exists() {
        return Some(if entry.is_glob {
            format!(
                "watch glob `{}`: {} does not exist",
                entry.written,
                entry.root.display()
            )
        } else {
            format!("watch path `{}` does not exist", entry.written)
        });
    }
    if !entry.is_glob || !entry.root.is_dir() {
        return None;
    }
    let matcher = compile(&entry.patterns[0]).ok()?.compile_matcher();
    let mut seen = 0;
    let mut found = false;
    let _ = walk(ignore, &entry.root, Verdict::Watched, true, &mut |e| {
        seen += 1;
        let path = match e {
            Entry::Dir(path, _) | Entry::File(path) => path,
        };
        if matcher.is_match(path) {
            found = true;
        }
        if found || seen >= CHECK_LIMIT {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    (!found && seen < CHECK_LIMIT)
        .then(|| format!("watch glob `{}` matches nothing", entry.written))
}
