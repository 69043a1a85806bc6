//! Guards against a server that writes into its own watched folder when it starts (a state file,
//! a cache): each start would trigger the next reload forever. Changes to the same paths right
//! after several starts in a row are recognised as the server's own and ignored, with a hint.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// A batch this soon after an instance went live may come from that instance's own start.
const QUICK: Duration = Duration::from_secs(2);
/// This many such batches in a row, on the same paths, make them the server's own writes.
const STREAK: u32 = 4;

#[derive(Default, Debug)]
pub struct LoopGuard {
    last_live: Option<Instant>,
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
    /// An instance went live at `now`.
    pub fn went_live(&mut self, now: Instant) {
        self.last_live = Some(now);
    }

    /// Whether a batch of changed `paths` seen at `now` should reload the server.
    pub fn check(&mut self, now: Instant, paths: &[PathBuf]) -> Verdict {
        let quick = self
            .last_live
            .is_some_and(|t| now.duration_since(t) < QUICK);
        let same = !self.suspects.is_empty() && paths.iter().all(|p| self.suspects.contains(p));
        if !quick || !same {
            self.streak = u32::from(quick);
            self.suspects = if quick {
                paths.iter().cloned().collect()
            } else {
                BTreeSet::new()
            };
            return Verdict::Reload;
        }
        self.streak += 1;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_file_changing_right_after_every_start_is_ignored_after_a_few_rounds() {
        let mut g = LoopGuard::default();
        let t0 = Instant::now();
        let state = vec![PathBuf::from("/p/state.json")];
        let mut verdicts = Vec::new();
        for i in 0..6 {
            let live = t0 + Duration::from_secs(i * 3);
            g.went_live(live);
            verdicts.push(g.check(live + Duration::from_millis(300), &state));
        }
        assert_eq!(
            &verdicts[..3],
            &[Verdict::Reload, Verdict::Reload, Verdict::Reload]
        );
        assert_eq!(verdicts[3], Verdict::Ignore { first: true });
        assert_eq!(verdicts[4], Verdict::Ignore { first: false });
        assert_eq!(g.suspects(), state);
    }

    #[test]
    fn edits_by_a_person_still_reload() {
        let mut g = LoopGuard::default();
        let t0 = Instant::now();
        let code = vec![PathBuf::from("/p/server.py")];
        for i in 0..6 {
            g.went_live(t0 + Duration::from_secs(i * 10));
            // Saved a few seconds after each reload went live.
            assert_eq!(
                g.check(t0 + Duration::from_secs(i * 10 + 4), &code),
                Verdict::Reload
            );
        }
        // Another file right after a start breaks a streak.
        g.went_live(t0 + Duration::from_secs(100));
        g.check(t0 + Duration::from_millis(100_100), &code);
        g.went_live(t0 + Duration::from_secs(103));
        assert_eq!(
            g.check(
                t0 + Duration::from_millis(103_100),
                &[PathBuf::from("/p/other.py")]
            ),
            Verdict::Reload
        );
    }
}
