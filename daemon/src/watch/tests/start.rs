//! `start` on real temp dirs: saves, atomic saves, new folders, renames, bursts.

use std::fs;
use std::time::Duration;

use super::{
    batches_within, expect_change, plan, settle, tempdir, watch, watch_debounced, watch_server,
    write,
};
use crate::watch::backend::Options;
use crate::watch::debounce::Debounce;
use crate::watch::plan::WatchPlan;

#[test]
fn a_save_and_an_atomic_save_by_rename_are_seen() {
    let (_tmp, dir) = tempdir();
    write(&dir, "pyproject.toml", "");
    let script = write(&dir, "server.py", "v1");
    let (watcher, rx) = watch_server(&dir, "python", &["server.py"]);
    assert!(
        watcher.describe().contains("inotify"),
        "{}",
        watcher.describe()
    );
    settle();

    fs::write(&script, "v2").unwrap();
    expect_change(&rx, &script);

    // An editor's atomic save: write a temp file, rename it over the original.
    let temp = write(&dir, ".server.py.swp", "v3");
    fs::rename(&temp, &script).unwrap();
    let batch = expect_change(&rx, &script);
    assert!(
        !batch.paths.iter().any(|p| p == &temp),
        "the temp file does not count: {batch:?}"
    );

    fs::remove_file(&script).unwrap();
    expect_change(&rx, &script);
}

#[test]
fn dropping_the_watcher_stops_it() {
    let (_tmp, dir) = tempdir();
    write(&dir, "server.py", "");
    let (watcher, rx) = watch_server(&dir, "python", &["server.py"]);
    drop(watcher);
    write(&dir, "server.py", "changed");
    // The callback (and its sender) went with the worker thread.
    assert_eq!(
        rx.recv_timeout(Duration::from_secs(2)),
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected)
    );
}

#[test]
fn a_new_file_in_a_new_subdirectory_is_seen() {
    let (_tmp, dir) = tempdir();
    write(&dir, "server.py", "");
    let (_watcher, rx) = watch_server(&dir, "python", &["server.py"]);
    settle();

    let file = write(&dir, "pkg/sub/new.py", "x = 1");
    expect_change(&rx, &file);
    // The new folder is watched from now on.
    std::thread::sleep(Duration::from_millis(300));
    let _ = batches_within(&rx, Duration::from_millis(50));
    fs::write(&file, "x = 2").unwrap();
    expect_change(&rx, &file);
    let later = write(&dir, "pkg/sub/later.py", "");
    expect_change(&rx, &later);
}

#[test]
fn a_renamed_folder_is_watched_under_its_new_name() {
    let (_tmp, dir) = tempdir();
    write(&dir, "server.py", "");
    write(&dir, "lib/util.py", "");
    let (_watcher, rx) = watch_server(&dir, "python", &["server.py"]);
    settle();

    fs::rename(dir.join("lib"), dir.join("lib2")).unwrap();
    expect_change(&rx, &dir.join("lib2"));
    let moved = dir.join("lib2/util.py");
    fs::write(&moved, "changed").unwrap();
    expect_change(&rx, &moved);
}

#[test]
fn a_burst_of_50_files_gives_one_batch() {
    let (_tmp, dir) = tempdir();
    write(&dir, "server.py", "");
    let server = super::server(&dir, "python", &["server.py"]);
    // The default debounce: 300 ms quiet, 2 s at most.
    let (_watcher, rx) = watch_debounced(plan(&server), Debounce::default(), Options::default());
    settle();

    for i in 0..50 {
        write(&dir, &format!("gen/file{i}.py"), "x");
    }
    let batches = batches_within(&rx, Duration::from_millis(2500));
    assert_eq!(batches.len(), 1, "{batches:?}");
    assert!(batches[0].count >= 50, "{:?}", batches[0]);
    assert!(batches[0].paths.len() <= 10);
}

#[test]
fn explicit_globs_count_only_matching_changes() {
    let (_tmp, dir) = tempdir();
    write(&dir, "src/a/x.py", "");
    let mut def = super::def(&dir, "python", &["src/a/x.py"]);
    def.watch = vec!["src/**/*.py".to_string()];
    let (_watcher, rx) = watch(plan(&def.resolve(&Default::default())));
    settle();

    let text = write(&dir, "src/a/notes.txt", "");
    let code = write(&dir, "src/a/y.py", "");
    let batch = expect_change(&rx, &code);
    assert!(!batch.paths.contains(&text), "{batch:?}");
}

#[test]
fn a_single_file_is_watched_through_atomic_saves() {
    let (_tmp, dir) = tempdir();
    let config = write(&dir, "config.yaml", "a: 1");
    let mut def = super::def(&dir, "python", &["server.py"]);
    def.watch = vec!["config.yaml".to_string()];
    let (_watcher, rx) = watch(plan(&def.resolve(&Default::default())));
    settle();

    let sibling = write(&dir, "other.yaml", "");
    let temp = write(&dir, "config.yaml.tmp", "a: 2");
    fs::rename(&temp, &config).unwrap();
    let batch = expect_change(&rx, &config);
    assert!(!batch.paths.contains(&sibling), "{batch:?}");
}

#[test]
fn an_empty_plan_watches_nothing() {
    let (watcher, rx) = watch(WatchPlan::nothing("npx pkg: a package from a registry"));
    assert!(!watcher.is_watching());
    assert_eq!(
        watcher.describe(),
        "nothing: npx pkg: a package from a registry"
    );
    assert!(batches_within(&rx, Duration::from_millis(50)).is_empty());
}

#[test]
fn a_watched_binary_does_not_watch_the_build_tree_beside_it() {
    let (_tmp, dir) = super::tempdir();
    std::fs::write(dir.join("Cargo.toml"), "[package]\nname = \"srv\"\n").unwrap();
    for sub in [
        "target/debug/deps/a",
        "target/debug/build/b",
        "target/debug/.fingerprint/c",
    ] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
    }
    std::fs::write(dir.join("target/debug/srv"), "v1").unwrap();
    let server = super::server(&dir, "./target/debug/srv", &[]);
    let (tx, rx) = std::sync::mpsc::channel();
    let w = crate::watch::start(crate::watch::plan(&server), Default::default(), move |b| {
        let _ = tx.send(b);
    })
    .unwrap();
    assert!(
        w.describe().contains("(0 directories"),
        "only the binary's own folder: {}",
        w.describe()
    );
    std::fs::write(dir.join("target/debug/deps/a/x.rlib"), "x").unwrap();
    assert!(
        rx.recv_timeout(std::time::Duration::from_millis(800))
            .is_err(),
        "the build tree is not watched"
    );
    std::fs::write(dir.join("target/debug/srv"), "v2").unwrap();
    let batch = rx
        .recv_timeout(std::time::Duration::from_secs(5))
        .expect("a rebuild is seen");
    assert_eq!(batch.paths, vec![dir.join("target/debug/srv")]);
}
