//! `start` at the OS watch limit: it says how to fix it and keeps reloading by polling.

use std::fs::File;
use std::time::{Duration, SystemTime};

use super::{expect_change, plan, server, settle, tempdir, watch_with, write};
use crate::watch::backend::Options;

#[test]
fn the_watch_limit_falls_back_to_polling_and_says_how_to_fix_it() {
    let (_tmp, dir) = tempdir();
    write(&dir, "server.py", "");
    for sub in ["a/b/c", "d/e", "f"] {
        let file = write(&dir, &format!("{sub}/m.py"), "");
        // Polling compares modification times in whole seconds: make the next write newer.
        let past = SystemTime::now() - Duration::from_secs(3600);
        File::options()
            .write(true)
            .open(&file)
            .unwrap()
            .set_modified(past)
            .unwrap();
    }
    // Pretend the OS refuses a third watch.
    let options = Options {
        poll_interval: Duration::from_millis(100),
        watch_limit: Some(2),
    };
    let (watcher, rx) = watch_with(plan(&server(&dir, "python", &["server.py"])), options);
    assert!(watcher.is_polling());
    assert!(
        watcher.describe().ends_with(
            "(7 directories, polling (inotify limit reached: fix with sudo sysctl \
             fs.inotify.max_user_watches=524288))"
        ),
        "{}",
        watcher.describe()
    );
    settle();

    let deep = write(&dir, "a/b/c/m.py", "changed");
    expect_change(&rx, &deep);
    let new = write(&dir, "d/e/new/n.py", "");
    expect_change(&rx, &new);
}
