//! The result: a markdown table (metric, direct, via daemon, ratio / added, target) and one
//! met / NOT met line per target.

pub struct Report {
    rows: Vec<[String; 5]>,
    targets: Vec<(String, bool)>,
}

impl Report {
    pub fn new() -> Report {
        Report {
            rows: Vec::new(),
            targets: Vec::new(),
        }
    }

    pub fn row(&mut self, metric: &str, direct: &str, daemon: &str, relation: &str, target: &str) {
        self.rows
            .push([metric, direct, daemon, relation, target].map(String::from));
    }

    /// Records whether a target was met; `what` says the target and the measured value.
    pub fn target(&mut self, what: String, met: bool) {
        self.targets.push((what, met));
    }

    pub fn all_met(&self) -> bool {
        self.targets.iter().all(|(_, met)| *met)
    }

    pub fn print(&self) {
        let header =
            ["metric", "direct", "via daemon", "ratio / added", "target"].map(String::from);
        let mut widths = [0; 5];
        for r in std::iter::once(&header).chain(&self.rows) {
            for (w, cell) in widths.iter_mut().zip(r) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let line = |cells: &[String; 5]| {
            let padded: Vec<String> = cells
                .iter()
                .zip(widths)
                .map(|(c, w)| format!("{c}{}", " ".repeat(w - c.chars().count())))
                .collect();
            println!("| {} |", padded.join(" | "));
        };
        line(&header);
        line(&widths.map(|w| "-".repeat(w)));
        for r in &self.rows {
            line(r);
        }
        println!();
        for (what, met) in &self.targets {
            println!("- {}: {what}", if *met { "met" } else { "NOT met" });
        }
    }
}
