//! Watching a big project: the hot-reload server in a project that also holds 100,000 ignored
//! files (`node_modules/`, 1000 folders × 100 files, made before and not timed). Times
//! `mcpd/load` → status showing the watcher running, then the daemon's CPU time over 5 s of
//! idling with that watcher up (utime + stime from `/proc/PID/stat`, and per-thread schedstat
//! for a finer figure).

use super::cpu;
use super::py_server;
use super::report::Report;
use super::stats::fmt_duration;
use super::watching::{Watched, load_and_watch};
use super::world::World;
use anyhow::{Context, Result};
use std::time::{Duration, Instant};

const DIRS: usize = 1000;
const FILES_EACH: usize = 100;
pub const FILES: usize = DIRS * FILES_EACH;
/// How long the daemon idles while its CPU time is read.
const IDLE: Duration = Duration::from_secs(5);
/// Set-up target.
const TARGET_SETUP: Duration = Duration::from_secs(1);

pub struct BigTreeFigures {
    pub watched: Watched,
    /// Idle window actually slept.
    pub window: Duration,
    /// utime + stime over the window, in clock ticks, and the tick's length.
    pub ticks: u64,
    pub tick: Duration,
    /// Run time of the daemon's threads over the window (schedstat), when available.
    pub thread_ns: Option<u64>,
}

pub fn run(world: &World, daemon_pid: u32) -> Result<BigTreeFigures> {
    let project = world.add_project("big", serde_json::json!({ "big": py_server::config() }))?;
    py_server::save(&project, 0)?;
    let made = Instant::now();
    let modules = project.join("node_modules");
    for d in 0..DIRS {
        let dir = modules.join(format!("pkg{d:04}"));
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        for f in 0..FILES_EACH {
            std::fs::File::create(dir.join(format!("f{f:03}.js")))?;
        }
    }
    eprintln!(
        "mcpd_bench: made {FILES} ignored files in {:.1} s (not measured)",
        made.elapsed().as_secs_f64()
    );
    let watched = load_and_watch(world, &project, "big")?;
    // Let the load's connections close before the quiet window.
    std::thread::sleep(Duration::from_millis(300));
    let (t0, ticks0, ns0) = (
        Instant::now(),
        cpu::ticks(daemon_pid)?,
        cpu::thread_ns(daemon_pid),
    );
    std::thread::sleep(IDLE);
    let ticks = cpu::ticks(daemon_pid)? - ticks0;
    let ns1 = cpu::thread_ns(daemon_pid);
    let window = t0.elapsed();
    let thread_ns = (!ns1.is_empty()).then(|| cpu::thread_ns_between(&ns0, &ns1));
    let mut client = super::daemon_client::DaemonClient::connect(&world.paths.socket(), &project)?;
    client.unload("big")?;
    std::fs::remove_dir_all(&modules).context("removing node_modules")?;
    Ok(BigTreeFigures {
        watched,
        window,
        ticks,
        tick: Duration::from_secs_f64(1.0 / cpu::ticks_per_sec() as f64),
        thread_ns,
    })
}

impl BigTreeFigures {
    /// At most one tick: the resolution of `/proc/PID/stat`.
    fn idle_met(&self) -> bool {
        self.ticks <= 1
    }

    /// The table's rows; `baseline`: the same server's watcher in a small project.
    pub fn rows(&self, report: &mut Report, baseline: &Watched) {
        let w = &self.watched;
        report.row(
            &format!(
                "watch set-up, {FILES} ignored files: mcpd/load → status shows the watcher running"
            ),
            "—",
            &fmt_duration(w.watching),
            &format!(
                "load answered in {}; small project: {} (load {}); {}",
                fmt_duration(w.load),
                fmt_duration(baseline.watching),
                fmt_duration(baseline.load),
                watched_dirs(&w.describe)
            ),
            "< 1 s",
        );
        let cpu_ms = self.ticks as f64 * self.tick.as_secs_f64() * 1e3;
        report.row(
            &format!(
                "daemon CPU while idle, {:.1} s after that set-up (utime + stime)",
                self.window.as_secs_f64()
            ),
            "—",
            &format!("{cpu_ms:.0} ms ({} ticks)", self.ticks),
            &self.fine_cpu(),
            "none measurable",
        );
    }

    /// The idle CPU by thread schedstat, finer than a tick.
    fn fine_cpu(&self) -> String {
        self.thread_ns.map_or("no schedstat".to_string(), |ns| {
            format!(
                "{:.0} µs by thread schedstat, {:.3}% of one CPU",
                ns as f64 / 1e3,
                ns as f64 / 1e9 / self.window.as_secs_f64() * 100.0
            )
        })
    }

    /// The met / NOT met lines.
    pub fn targets(&self, report: &mut Report) {
        let w = &self.watched;
        report.target(
            format!(
                "watch set-up with {FILES} ignored files < {} s (measured {})",
                TARGET_SETUP.as_secs(),
                fmt_duration(w.watching)
            ),
            w.watching < TARGET_SETUP,
        );
        report.target(
            format!(
                "no measurable daemon CPU while idle: ≤ 1 clock tick ({}) in {:.1} s (measured {} ticks; {})",
                fmt_duration(self.tick),
                self.window.as_secs_f64(),
                self.ticks,
                self.fine_cpu()
            ),
            self.idle_met(),
        );
    }
}

/// "3 directories, inotify" out of a status `watching` text ("source tree of ... (3 directories,
/// inotify)").
fn watched_dirs(describe: &str) -> String {
    describe
        .find(" director")
        .and_then(|i| describe[..i].rfind('(').map(|start| &describe[start + 1..]))
        .map_or(describe, |tail| tail.strip_suffix(')').unwrap_or(tail))
        .to_string()
}
