//! Hot reload: save → first call answered by the new code. A plain-Python server in a project
//! of its own is loaded through the daemon (its folder is watched by default); then, 20 times,
//! a new version of `server.py` is saved atomically and `version` is called over the socket,
//! a call every millisecond, until the new version answers. Against the same server's own
//! start-to-ready (spawned directly once after every save), with every failed call counted.
//! Each save is split in parts with the child's own CLOCK_MONOTONIC marks and its fork time.
//!
//! The daemon's quiet period is its default (300 ms) unless `MCPD_RELOAD_DEBOUNCE_MS` is set in
//! the bench's environment, which the bench daemon inherits; the target follows it.

use super::cpu::{self, monotonic_secs};
use super::daemon_client::DaemonClient;
use super::py_server::{self, Marks, secs};
use super::report::Report;
use super::stats::{Samples, fmt_duration};
use super::watching::{Watched, load_and_watch};
use super::world::World;
use anyhow::{Result, bail};
use std::time::{Duration, Instant};

pub const SAVES: u64 = 20;
/// From a new version's first answer to the next save: saves spaced like a person's. The
/// supervisor takes a file that changes right after every start, several times in a row, for
/// the server's own writes and stops reloading for it (`supervisor/reload_loop.rs`: within 2 s
/// of going live, 4 times), so quicker saves would measure that guard instead.
const PAUSE: Duration = Duration::from_millis(2000);
/// How often `version` is called while waiting for a save to be served: often enough to see
/// the new version within a millisecond, without keeping CPUs busy (calls back to back take
/// one or two CPUs, and slow the new instance's own start on a small machine).
const CALL_EVERY: Duration = Duration::from_millis(1);
/// The longest a save may take to be served.
const SAVE_LIMIT: Duration = Duration::from_secs(15);
/// Failed calls after which the phase gives up.
const MAX_FAILED: u64 = 100;
/// Added over the child's own start-to-ready beyond the quiet period (the target).
pub const TARGET_OVER_MS: f64 = 50.0;

pub struct ReloadFigures {
    pub debounce: Duration,
    /// The server spawned directly: spawn → tools/list answered.
    pub direct: Samples,
    /// ... of which spawn → the script's first line, and that line → tools/list answered.
    pub direct_to_top: Samples,
    pub direct_handshake: Samples,
    /// Save → first call answered by the new version.
    pub latency: Samples,
    /// ... of which save → the new process forked (detection, quiet period; to a clock tick),
    /// → the new script's first line (the interpreter's start), that line → its tools/list
    /// answered, and then → the first call answered (the swap).
    pub to_fork: Samples,
    pub fork_to_top: Samples,
    pub handshake: Samples,
    pub swap: Samples,
    pub calls: u64,
    pub failed: u64,
    pub failures: Vec<String>,
    /// Starts of the server during the saves (one per save expected).
    pub reloads: u64,
    /// Its watcher's set-up (a small project: the baseline of the big one).
    pub watched: Watched,
}

/// The daemon's quiet period: `MCPD_RELOAD_DEBOUNCE_MS` when the bench runs with it, else 300 ms.
pub fn debounce() -> Duration {
    let ms = std::env::var("MCPD_RELOAD_DEBOUNCE_MS")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(300);
    Duration::from_millis(ms)
}

pub fn run(world: &World) -> Result<ReloadFigures> {
    let debounce = debounce();
    let project = world.add_project("reload", serde_json::json!({ "py": py_server::config() }))?;
    py_server::save(&project, 0)?;
    let mut direct = Vec::new();
    py_server::start_directly(&project)?; // warm-up
    let watched = load_and_watch(world, &project, "py")?;
    let mut client = DaemonClient::connect(&world.paths.socket(), &project)?;
    let first = py_server::parse_answer(&client.call("py", "version", "{}")?)?;
    if first.version != 0 {
        bail!("py answered version {} before any save", first.version);
    }
    let restarts = client.server_status("py")?.restarts;
    let mut f = Figures::default();
    for version in 1..=SAVES {
        let (latency, marks, saved_mono) =
            serve_save(world, &mut client, &project, version, &mut f)?;
        let listed = marks.listed.unwrap_or(marks.top);
        // The fork time is on CLOCK_BOOTTIME: moved to CLOCK_MONOTONIC.
        let forked = cpu::started_secs(marks.pid)? - (cpu::boottime_secs() - monotonic_secs());
        let parts = [
            secs(forked - saved_mono),
            secs(marks.top - forked),
            secs(listed - marks.top),
            secs(saved_mono + latency.as_secs_f64() - listed),
        ];
        if f.latency.iter().all(|l| *l < latency) {
            f.slowest = format!(
                "save {version}: {} = {}",
                fmt_duration(latency),
                parts.map(fmt_duration).join(" + ")
            );
        }
        f.latency.push(latency);
        f.to_fork.push(parts[0]);
        f.fork_to_top.push(parts[1]);
        f.handshake.push(parts[2]);
        f.swap.push(parts[3]);
        // The server's own start, in the same conditions, while the next save waits.
        let next_save = Instant::now() + PAUSE;
        direct.push(py_server::start_directly(&project)?);
        std::thread::sleep(next_save.saturating_duration_since(Instant::now()));
    }
    // A reload too many would come after the quiet period.
    std::thread::sleep(debounce + Duration::from_millis(300));
    let reloads = client.server_status("py")?.restarts - restarts;
    eprintln!(
        "mcpd_bench: slowest {} (fork, first line, handshake, first call)",
        f.slowest
    );
    client.unload("py")?;
    Ok(ReloadFigures {
        debounce,
        direct: Samples::new(direct.iter().map(|d| d.ready).collect()),
        direct_to_top: Samples::new(direct.iter().map(|d| d.to_top).collect()),
        direct_handshake: Samples::new(direct.iter().map(|d| d.top_to_listed).collect()),
        latency: Samples::new(f.latency),
        to_fork: Samples::new(f.to_fork),
        fork_to_top: Samples::new(f.fork_to_top),
        handshake: Samples::new(f.handshake),
        swap: Samples::new(f.swap),
        calls: f.calls,
        failed: f.failed,
        failures: f.failures,
        reloads,
        watched,
    })
}

#[derive(Default)]
struct Figures {
    latency: Vec<Duration>,
    to_fork: Vec<Duration>,
    fork_to_top: Vec<Duration>,
    handshake: Vec<Duration>,
    swap: Vec<Duration>,
    calls: u64,
    failed: u64,
    failures: Vec<String>,
    /// The slowest save and its parts.
    slowest: String,
}

/// Saves `version` and calls `version` every [`CALL_EVERY`] until it answers; returns the time
/// from the save to that answer, the new process's marks and the save's CLOCK_MONOTONIC reading.
fn serve_save(
    world: &World,
    client: &mut DaemonClient,
    project: &std::path::Path,
    version: u64,
    f: &mut Figures,
) -> Result<(Duration, Marks, f64)> {
    py_server::save(project, version)?;
    let saved = Instant::now();
    let saved_mono = monotonic_secs();
    loop {
        let next_call = Instant::now() + CALL_EVERY;
        f.calls += 1;
        let answer = client
            .call("py", "version", "{}")
            .and_then(|raw| py_server::parse_answer(&raw));
        match answer {
            Ok(m) if m.version == version => {
                let latency = saved.elapsed();
                world.note_child(m.pid);
                return Ok((latency, m, saved_mono));
            }
            Ok(m) if m.version + 1 == version => {}
            Ok(m) => bail!("after save {version}, version {} answered", m.version),
            Err(e) => {
                f.failed += 1;
                if f.failures.len() < 3 {
                    f.failures.push(format!("save {version}: {e:#}"));
                }
                if f.failed > MAX_FAILED {
                    bail!(
                        "{} failed calls during the saves; first: {:?}",
                        f.failed,
                        f.failures
                    );
                }
            }
        }
        std::thread::sleep(next_call.saturating_duration_since(Instant::now()));
        if saved.elapsed() > SAVE_LIMIT {
            bail!(
                "save {version} was not served by the new code within {SAVE_LIMIT:?}; {}",
                describe(client, "py")
            );
        }
    }
}

/// What the daemon says about `server`: status and the end of its log, for an error message.
fn describe(client: &mut DaemonClient, server: &str) -> String {
    let status = match client.server_status(server) {
        Ok(s) => format!(
            "state {}, pid {:?}, restarts {}, last reload {:?}, last error {:?}, watching {:?}",
            s.state, s.pid, s.restarts, s.last_reload, s.last_error, s.watching
        ),
        Err(e) => format!("no status: {e:#}"),
    };
    let log = match client.log_tail(server, 15) {
        Ok(lines) => lines.join("\n  "),
        Err(e) => format!("no log: {e:#}"),
    };
    format!("{status}; its log ends:\n  {log}")
}

impl ReloadFigures {
    /// p50 of save → answer over the child's own start-to-ready.
    fn added_ms(&self) -> f64 {
        (self.latency.median().as_secs_f64() - self.direct.median().as_secs_f64()) * 1e3
    }

    /// The table's rows.
    pub fn rows(&self, report: &mut Report) {
        let (d, db) = (self.direct.median(), self.debounce);
        let db_ms = db.as_millis();
        let over = |x: Duration| {
            let added = (x.as_secs_f64() - d.as_secs_f64()) * 1e3;
            format!(
                "{added:+.0} ms over start-to-ready ({:+.0} ms over debounce + start-to-ready)",
                added - db.as_secs_f64() * 1e3
            )
        };
        let direct_cell = format!(
            "{} start-to-ready (median of {})",
            fmt_duration(d),
            self.direct.len()
        );
        for (name, p) in [("p50", 50.0), ("max", 100.0)] {
            let x = self.latency.percentile(p);
            report.row(
                &format!(
                    "hot reload: save → first call answered by the new code, {name} of {SAVES} saves (python3 server.py, debounce {db_ms} ms)"
                ),
                &direct_cell,
                &fmt_duration(x),
                &over(x),
                if name == "p50" {
                    "≤ debounce + 50 ms over start-to-ready"
                } else {
                    "—"
                },
            );
        }
        report.row(
            "hot reload, p50 parts: save → fork | → first line | its handshake | → first call answered",
            &format!(
                "spawn → first line {} | handshake {}",
                fmt_duration(self.direct_to_top.median()),
                fmt_duration(self.direct_handshake.median())
            ),
            &format!(
                "{} | {} | {} | {}",
                fmt_duration(self.to_fork.median()),
                fmt_duration(self.fork_to_top.median()),
                fmt_duration(self.handshake.median()),
                fmt_duration(self.swap.median())
            ),
            "fork time to a clock tick; save → fork = detection + debounce + supervisor",
            "—",
        );
        report.row(
            &format!("hot reload: calls during the {SAVES} saves (mcpd/call every ms)"),
            "—",
            &format!("{} calls, {} failed", self.calls, self.failed),
            &format!("{} reloads for {SAVES} saves", self.reloads),
            "0 failed",
        );
    }

    /// The met / NOT met lines.
    pub fn targets(&self, report: &mut Report) {
        let (d, db) = (self.direct.median(), self.debounce);
        let db_ms = db.as_millis();
        report.target(
            format!(
                "hot reload p50 ≤ debounce {db_ms} ms + {TARGET_OVER_MS:.0} ms over the child's start-to-ready {} (measured {}: {:+.0} ms)",
                fmt_duration(d),
                fmt_duration(self.latency.median()),
                self.added_ms()
            ),
            self.added_ms() <= db.as_secs_f64() * 1e3 + TARGET_OVER_MS,
        );
        let first = self
            .failures
            .first()
            .map_or(String::new(), |f| format!("; first: {f}"));
        report.target(
            format!(
                "no failed call during {SAVES} saves (measured {} of {}{first})",
                self.failed, self.calls
            ),
            self.failed == 0,
        );
    }
}
