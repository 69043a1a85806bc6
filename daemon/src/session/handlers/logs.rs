//! `mcpd/logs`: the last lines of a server's log file.

use super::lifecycle::lookup;
use super::{HandlerResult, to_json};
use crate::session::SessionCtx;
use mcpd_shim::wire::{LogsParams, LogsResult};
use std::io::{Read, Seek, SeekFrom};

/// At most this much of the file's end is read.
const MAX_READ: u64 = 4 * 1024 * 1024;

pub fn logs(p: LogsParams, s: &SessionCtx) -> HandlerResult {
    let h = lookup(&p.server, s)?;
    let path = h.log.path().to_path_buf();
    let lines = tail(&path, p.lines).unwrap_or_default();
    to_json(&LogsResult {
        server: h.name.clone(),
        path,
        lines,
    })
}

fn tail(path: &std::path::Path, n: usize) -> std::io::Result<Vec<String>> {
    let mut f = std::fs::File::open(path)?;
    let len = f.metadata()?.len();
    let start = len.saturating_sub(MAX_READ);
    f.seek(SeekFrom::Start(start))?;
    let mut buf = Vec::new();
    f.read_to_end(&mut buf)?;
    let text = String::from_utf8_lossy(&buf);
    let all: Vec<&str> = text.lines().collect();
    Ok(all[all.len().saturating_sub(n)..]
        .iter()
        .map(|l| l.to_string())
        .collect())
}
