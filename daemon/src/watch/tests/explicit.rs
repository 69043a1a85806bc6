//! `plan` with a `watch` key: paths and globs relative to the cwd, with warnings for entries
//! that name nothing.

use super::{def, plan, tempdir, write};
use std::collections::HashMap;
use std::path::Path;

fn explicit(dir: &Path, watch: &[&str]) -> super::WatchPlan {
    let mut def = def(dir, "python", &["server.py"]);
    def.watch = watch.iter().map(|w| w.to_string()).collect();
    plan(&def.resolve(&HashMap::new()))
}

#[test]
fn paths_are_watched_as_given() {
    let (_tmp, dir) = tempdir();
    write(&dir, "src/a.py", "");
    write(&dir, "config.yaml", "");
    let p = explicit(&dir, &["src", "./config.yaml"]);
    assert_eq!(p.roots, vec![dir.join("src"), dir.join("config.yaml")]);
    assert_eq!(p.reason, "explicit watch: src, ./config.yaml");
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    let literal = globset::escape(&dir.join("config.yaml").to_string_lossy());
    assert!(p.patterns.contains(&literal), "{:?}", p.patterns);
}

#[test]
fn a_glob_watches_its_literal_prefix() {
    let (_tmp, dir) = tempdir();
    write(&dir, "src/pkg/a.py", "");
    let p = explicit(&dir, &["src/**/*.py"]);
    assert_eq!(p.roots, vec![dir.join("src")]);
    assert_eq!(p.patterns.len(), 1);
    assert!(p.patterns[0].ends_with("/src/**/*.py"), "{:?}", p.patterns);
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);

    let top = explicit(&dir, &["*.toml"]);
    assert_eq!(top.roots, vec![dir.clone()]);
}

#[test]
fn a_missing_path_is_warned_about() {
    let (_tmp, dir) = tempdir();
    let p = explicit(&dir, &["missing/dir"]);
    assert_eq!(p.warnings, vec!["watch path `missing/dir` does not exist"]);
    assert_eq!(
        p.roots,
        vec![dir.join("missing/dir")],
        "still watched, for when it appears"
    );
}

#[test]
fn a_glob_matching_nothing_is_warned_about() {
    let (_tmp, dir) = tempdir();
    write(&dir, "src/a.py", "");
    write(&dir, "node_modules/x/b.rs", "");
    let p = explicit(&dir, &["**/*.rs"]);
    assert_eq!(p.warnings, vec!["watch glob `**/*.rs` matches nothing"]);

    let p = explicit(&dir, &["lib/**/*.py"]);
    assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
    assert!(p.warnings[0].contains("does not exist"), "{:?}", p.warnings);
}

#[test]
fn an_invalid_glob_is_warned_about() {
    let (_tmp, dir) = tempdir();
    let p = explicit(&dir, &["src/[a"]);
    assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
    assert!(
        p.warnings[0].starts_with("watch glob `src/[a` is invalid"),
        "{:?}",
        p.warnings
    );
    assert!(p.roots.is_empty());
}
