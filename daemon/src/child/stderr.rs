//! A child's stderr: every line goes to the server's log file and a ring of recent lines in memory.

use mcpd_shim::framing::{Frame, LineReader};
use std::collections::VecDeque;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tokio::io::BufReader;
use tokio::process::ChildStderr;

/// How many recent stderr lines are kept in memory.
pub const RING_LINES: usize = 200;
/// A server log over this size is rotated to `NAME.log.1` when the server starts.
const ROTATE_BYTES: u64 = 10 * 1024 * 1024;
/// Longest stderr line kept; the rest is cut.
const MAX_LINE: usize = 4096;

/// Recent lines and the log file of one server (shared by its successive instances).
pub struct ServerLog {
    path: PathBuf,
    ring: Mutex<VecDeque<String>>,
    file: Mutex<Option<(std::fs::File, u64)>>,
}

impl ServerLog {
    /// A log at `path`; the file is created (or rotated when big) on the first line written.
    pub fn open(path: PathBuf) -> ServerLog {
        ServerLog {
            path,
            ring: Mutex::new(VecDeque::new()),
            file: Mutex::new(None),
        }
    }

    /// Appends a line, opening the file on first use and rotating it when it grows too big.
    fn write_line(&self, text: &str) {
        let mut file = self.file.lock().unwrap();
        if file.as_ref().is_some_and(|(_, size)| *size > ROTATE_BYTES) {
            *file = None;
        }
        if file.is_none() {
            if let Some(dir) = self.path.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            rotate_if_big(&self.path);
            let opened = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.path);
            *file = opened.ok().map(|f| {
                let size = f.metadata().map(|m| m.len()).unwrap_or(0);
                (f, size)
            });
        }
        if let Some((f, size)) = file.as_mut()
            && f.write_all(format!("{text}\n").as_bytes()).is_ok()
        {
            *size += text.len() as u64 + 1;
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Records a line from the child (stderr, or a skipped stdout line with a prefix).
    pub fn line(&self, line: &str) {
        let line = cut(line);
        self.write_line(line);
        let mut ring = self.ring.lock().unwrap();
        if ring.len() == RING_LINES {
            ring.pop_front();
        }
        ring.push_back(line.to_string());
    }

    /// A line written by mcpd about the server (start, exit), marked as such in the file only.
    pub fn note(&self, text: &str) {
        self.write_line(&format!("[mcpd {}] {text}", crate::clock::timestamp()));
    }

    /// The last `n` lines the child wrote to stderr.
    pub fn tail(&self, n: usize) -> Vec<String> {
        let ring = self.ring.lock().unwrap();
        ring.iter()
            .skip(ring.len().saturating_sub(n))
            .cloned()
            .collect()
    }

    /// Forgets the in-memory lines (a new instance starts with a clean ring).
    pub fn clear_ring(&self) {
        self.ring.lock().unwrap().clear();
    }
}

fn cut(line: &str) -> &str {
    if line.len() <= MAX_LINE {
        return line;
    }
    let mut end = MAX_LINE;
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    &line[..end]
}

fn rotate_if_big(path: &Path) {
    if std::fs::metadata(path)
        .map(|m| m.len() > ROTATE_BYTES)
        .unwrap_or(false)
    {
        let mut old = path.as_os_str().to_owned();
        old.push(".1");
        let _ = std::fs::rename(path, old);
    }
}

/// Reads stderr until EOF, line by line (invalid UTF-8 replaced, overlong lines cut).
pub async fn pump(stderr: ChildStderr, log: std::sync::Arc<ServerLog>) {
    let mut lines = LineReader::new(BufReader::new(stderr), 256 * 1024);
    while let Ok(Some(frame)) = lines.next().await {
        match frame {
            Frame::Line(l) => log.line(&String::from_utf8_lossy(&l)),
            Frame::TooLong { len, head, .. } => log.line(&format!(
                "{} [... {len} bytes in all, cut by mcpd]",
                String::from_utf8_lossy(&head)
            )),
        }
    }
}
