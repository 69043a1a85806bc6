//! Guards against a server that writes into its own watched folder when it starts (a state file,
//! a cache): each start would trigger the next reload forever. A change whose files were all
//! last written while an instance was starting is the server's own doing when the same files do
//! it again at the next start; those are then ignored, with a hint. Saves by a person (after the
//! start, or to other files) always reload.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Slack around a start's time window, for file-system timestamp granularity.
const SLACK: Duration = Duration::from_millis(100);
/// This many starts in a row writing the same files make them the server's own.
const STREAK: u32 = 2;

#[derive(Default, Debug)]
pub struct LoopGuard {
    /// When the last instance was spawned and when it went live.
    last_start: Option<(SystemTime, SystemTime)>,
    streak: u32,
    suspects: BTreeSet<PathBuf>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Reload,
    /// The server's own writes; `first` is true the first time, to say so once.
    Ignore {
        first: bool,
    },
}

impl LoopGuard {
    /// An instance spawned at `spawned` went live at `live`.
    pub fn went_live(&mut self, spawned: SystemTime, live: SystemTime) {
        self.last_start = Some((spawned, live));
    }

    /// Whether a batch of changed `paths` should reload the server; `starting` is the spawn time
    /// of an instance still starting, if any.
    pub fn check(&mut self, paths: &[PathBuf], starting: Option<SystemTime>) -> Verdict {
        let in_window = |m: SystemTime| {
            let after_last = self
                .last_start
                .is_some_and(|(from, to)| m + SLACK >= from && m <= to + SLACK);
            let during_current = starting.is_some_and(|from| m + SLACK >= from);
            after_last || during_current
        };
        let own = !paths.is_empty() && paths.iter().all(|p| modified(p).is_some_and(in_window));
        if !own {
            self.streak = 0;
            self.suspects.clear();
            return Verdict::Reload;
        }
        let set: BTreeSet<PathBuf> = paths.iter().cloned().collect();
        if set == self.suspects {
            self.streak += 1;
        } else {
            self.suspects = set;
            self.streak = 1;
        }
        if self.streak < STREAK {
            Verdict::Reload
        } else {
            Verdict::Ignore {
                first: self.streak == STREAK,
            }
        }
    }

    /// The paths currently taken for the server's own writes.
    pub fn suspects(&self) -> Vec<PathBuf> {
        self.suspects.iter().cloned().collect()
    }
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(path: &Path) -> SystemTime {
        std::fs::write(path, format!("{:?}", SystemTime::now())).unwrap();
        modified(path).unwrap()
    }

    #[test]
    fn files_written_during_every_start_are_ignored_from_the_second_start_on() {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("state.json");
        let mut g = LoopGuard::default();
        let mut verdicts = Vec::new();
        for _ in 0..4 {
            let spawned = SystemTime::now();
            touch(&state); // the server writes it while it starts
            g.went_live(spawned, SystemTime::now());
            verdicts.push(g.check(std::slice::from_ref(&state), None));
        }
        assert_eq!(verdicts[0], Verdict::Reload);
        assert_eq!(verdicts[1], Verdict::Ignore { first: true });
        assert_eq!(verdicts[2], Verdict::Ignore { first: false });
        assert_eq!(g.suspects(), vec![state]);
    }

    #[test]
    fn saves_after_the_start_always_reload() {
        let dir = tempfile::tempdir().unwrap();
        let code = dir.path().join("server.py");
        let mut g = LoopGuard::default();
        for _ in 0..5 {
            let spawned = SystemTime::now() - Duration::from_secs(2);
            g.went_live(spawned, SystemTime::now() - Duration::from_secs(1));
            touch(&code); // a person's save, after the instance went live
            assert_eq!(g.check(std::slice::from_ref(&code), None), Verdict::Reload);
        }
    }

    #[test]
    fn a_save_while_an_instance_starts_reloads_once_more() {
        let dir = tempfile::tempdir().unwrap();
        let code = dir.path().join("server.py");
        let mut g = LoopGuard::default();
        g.went_live(
            SystemTime::now() - Duration::from_secs(5),
            SystemTime::now() - Duration::from_secs(4),
        );
        let starting = SystemTime::now() - Duration::from_millis(500);
        touch(&code);
        assert_eq!(
            g.check(std::slice::from_ref(&code), Some(starting)),
            Verdict::Reload
        );
    }
}
