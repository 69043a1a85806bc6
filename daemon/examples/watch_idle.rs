//! Figures for the watcher on a big project: a Node project with 100,000 files under ignored
//! folders (`node_modules` and a `.gitignore`d `data/`): how long `watch::start` takes, how much
//! CPU the process uses while idle, and how long a save takes to be reported.
//!
//! `cargo run --release -p mcpd-daemon --example watch_idle -- [FOLDER] [FILES] [IDLE_SECS]`
//! (FOLDER defaults to the system temp folder; the project is made in a new folder inside it and
//! removed afterwards).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use mcpd_daemon::config::{ServerDef, Source, SourceKind};
use mcpd_daemon::watch::{Debounce, plan, start};

fn main() {
    let mut args = std::env::args().skip(1);
    let base = args.next().map_or_else(std::env::temp_dir, PathBuf::from);
    let files: usize = args.next().map_or(100_000, |n| n.parse().expect("FILES"));
    let idle = Duration::from_secs(args.next().map_or(10, |n| n.parse().expect("IDLE_SECS")));

    let project = base.join(format!("mcpd-watch-idle-{}", std::process::id()));
    let made = Instant::now();
    make_project(&project, files);
    println!("made {files} ignored files in {:.1?}", made.elapsed());

    let server = node_server(&project);
    let (tx, rx) = mpsc::channel();
    let started = Instant::now();
    let watch_plan = plan(&server);
    let watcher = start(watch_plan, Debounce::default(), move |batch| {
        let _ = tx.send((Instant::now(), batch));
    })
    .expect("start");
    println!("set-up (plan + start): {:.1?}", started.elapsed());
    println!("watching: {}", watcher.describe());

    let before = cpu_time();
    std::thread::sleep(idle);
    let used = cpu_time() - before;
    println!(
        "idle CPU over {idle:?}: {used:?} ({:.3}% of one core)",
        100.0 * used.as_secs_f64() / idle.as_secs_f64()
    );
    println!("batches while idle: {}", rx.try_iter().count());

    let saved = Instant::now();
    std::fs::write(project.join("src/index.js"), "// saved").expect("save");
    let (at, batch) = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("a batch after a save");
    println!(
        "save reported after {:.1?} (debounce quiet 300 ms): {batch:?}",
        at - saved
    );

    drop(watcher);
    let _ = std::fs::remove_dir_all(&project);
}

/// A Node project: `src/index.js`, and `files` files under `node_modules/` and `data/`.
fn make_project(project: &Path, files: usize) {
    let write = |rel: &str, text: &str| {
        let path = project.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    };
    write("package.json", "{}");
    write(".gitignore", "/data/\n");
    write("src/index.js", "");
    for i in 0..files {
        let top = if (i / 1000) % 2 == 0 {
            "node_modules"
        } else {
            "data"
        };
        let folder = project.join(format!("{top}/pkg{}/lib", i / 1000));
        if i % 1000 == 0 {
            std::fs::create_dir_all(&folder).expect("mkdir");
        }
        std::fs::File::create(folder.join(format!("f{i}.js"))).expect("create");
    }
}

/// `node src/index.js`, defined in the project's `.mcpd.json`.
fn node_server(project: &Path) -> mcpd_daemon::config::ResolvedServer {
    ServerDef {
        name: "big".to_string(),
        source: Source {
            kind: SourceKind::ProjectMcpd,
            path: project.join(".mcpd.json"),
        },
        command: Some("node".to_string()),
        args: vec!["src/index.js".to_string()],
        env: Default::default(),
        cwd: None,
        transport: Default::default(),
        url: None,
        headers: Default::default(),
        watch: Vec::new(),
        ignore: Vec::new(),
        reload: Default::default(),
        timeout_ms: None,
        description: None,
    }
    .resolve(&HashMap::new())
}

/// The CPU time (user + system) this process has used.
fn cpu_time() -> Duration {
    // SAFETY: getrusage fills the struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}
