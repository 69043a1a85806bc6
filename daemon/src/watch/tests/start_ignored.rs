//! `start` and the ignore rules: ignored folders are neither watched nor reported, except the
//! build output the server runs from; a huge ignored tree costs nothing to set up.

use std::fs;
use std::time::{Duration, Instant};

use super::{batches_within, expect_change, memory_tempdir, settle, tempdir, watch_server, write};

#[test]
fn changes_in_ignored_places_are_not_seen() {
    let (_tmp, dir) = tempdir();
    write(&dir, "package.json", "{}");
    write(&dir, ".gitignore", "build/\n*.secret\n");
    write(&dir, "index.js", "");
    write(&dir, "node_modules/dep/index.js", "");
    write(&dir, ".git/HEAD", "ref: refs/heads/main");
    write(&dir, "build/out.js", "");
    write(&dir, "lib/.gitignore", "gen/\n");
    write(&dir, "lib/gen/a.js", "");
    let mut def = super::def(&dir, "node", &["index.js"]);
    def.ignore = vec!["fixtures/".to_string(), "*.snap".to_string()];
    let (watcher, rx) = super::watch(super::plan(&def.resolve(&Default::default())));
    assert!(
        watcher.describe().contains("(2 directories,"),
        "{}",
        watcher.describe()
    );
    settle();

    write(&dir, "node_modules/dep/index.js", "changed");
    write(&dir, "node_modules/new/index.js", "");
    write(&dir, ".git/HEAD", "ref: refs/heads/other");
    write(&dir, "build/out.js", "changed");
    write(&dir, "build/more/x.js", "");
    write(&dir, "key.secret", "");
    write(&dir, "__pycache__/m.cpython-312.pyc", "");
    write(&dir, ".venv/lib/site.py", "");
    write(&dir, ".index.js.swp", "");
    write(&dir, "index.js~", "");
    write(&dir, "4913", "");
    write(&dir, "server.log", "");
    write(&dir, "lib/gen/a.js", "changed");
    write(&dir, "lib/gen/b.js", "");
    write(&dir, "fixtures/case.json", "");
    write(&dir, "lib/out.snap", "");
    // A change that counts, after the ignored ones: the batch holds only it.
    let control = write(&dir, "index.js", "changed");
    let batch = expect_change(&rx, &control);
    assert_eq!((batch.count, batch.paths.clone()), (1, vec![control]));
    assert!(batches_within(&rx, Duration::from_millis(300)).is_empty());
}

#[test]
fn the_dist_a_server_runs_from_is_seen_though_gitignored() {
    let (_tmp, dir) = tempdir();
    write(&dir, "package.json", "{}");
    write(&dir, ".gitignore", "dist/\nnode_modules/\n");
    let bundle = write(&dir, "dist/index.js", "v1");
    let (_watcher, rx) = watch_server(&dir, "node", &["dist/index.js"]);
    settle();

    fs::write(&bundle, "v2").unwrap();
    expect_change(&rx, &bundle);

    // A clean build: the folder goes away and comes back.
    fs::remove_dir_all(dir.join("dist")).unwrap();
    let _ = batches_within(&rx, Duration::from_millis(300));
    let chunk = write(&dir, "dist/chunks/a.js", "v3");
    expect_change(&rx, &chunk);
}

#[test]
fn a_binary_in_target_is_seen_but_not_the_rest_of_target() {
    let (_tmp, dir) = tempdir();
    write(&dir, "Cargo.toml", "[package]\nname = \"srv\"\n");
    write(&dir, "src/main.rs", "");
    let binary = write(&dir, "target/debug/srv", "v1");
    write(&dir, "target/debug/deps/srv-abc", "");
    let (_watcher, rx) = watch_server(&dir, "./target/debug/srv", &[]);
    settle();

    write(&dir, "target/debug/deps/srv-abc", "changed");
    write(&dir, "target/debug/srv.d", "changed");
    // cargo replaces the binary: remove, then create.
    fs::remove_file(&binary).unwrap();
    write(&dir, "target/debug/srv", "v2");
    let batch = expect_change(&rx, &binary);
    assert_eq!(batch.paths, vec![binary], "{batch:?}");
}

#[test]
fn a_tree_with_100k_ignored_files_sets_up_fast_and_stays_idle() {
    let (_tmp, dir) = memory_tempdir();
    write(&dir, "package.json", "{}");
    write(&dir, ".gitignore", "/data/\n");
    write(&dir, "src/index.js", "");
    let made = Instant::now();
    // Half under an always-ignored folder, half under a .gitignored one.
    for d in 0..100 {
        let top = if d % 2 == 0 { "node_modules" } else { "data" };
        let folder = dir.join(format!("{top}/pkg{d}/lib"));
        fs::create_dir_all(&folder).unwrap();
        for f in 0..1000 {
            fs::File::create(folder.join(format!("f{f}.js"))).unwrap();
        }
    }
    eprintln!("made 100,000 ignored files in {:?}", made.elapsed());

    let started = Instant::now();
    let (watcher, rx) = watch_server(&dir, "node", &["src/index.js"]);
    let took = started.elapsed();
    eprintln!(
        "watch set-up with 100,000 ignored files: {took:?} ({})",
        watcher.describe()
    );
    assert!(took < Duration::from_secs(3), "set-up took {took:?}");
    assert!(
        watcher.describe().contains("(2 directories,"),
        "{}",
        watcher.describe()
    );

    assert!(
        batches_within(&rx, Duration::from_millis(700)).is_empty(),
        "idle"
    );
}
