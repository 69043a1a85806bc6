//! Blocking newline-delimited JSON-RPC over any byte stream: one request at a time, or many in
//! flight at once with a writer thread and a reader thread matching responses by id.

use anyhow::{Context, Result, anyhow, bail};
use mcpd_shim::jsonrpc::{self, Envelope, Kind};
use std::io::{BufRead, BufReader, Read, Write};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// One JSON-RPC peer: a write half and a buffered read half. `label` names the peer in errors.
pub struct Conn<W: Write, R: Read> {
    label: String,
    w: W,
    r: BufReader<R>,
    line: Vec<u8>,
    out: Vec<u8>,
    next_id: u64,
}

impl<W: Write, R: Read> Conn<W, R> {
    pub fn new(label: impl Into<String>, w: W, r: R) -> Self {
        Conn {
            label: label.into(),
            w,
            r: BufReader::with_capacity(64 * 1024, r),
            line: Vec::new(),
            out: Vec::new(),
            next_id: 1,
        }
    }

    /// Writes one message and its newline with a single write.
    pub fn send(&mut self, message: &str) -> Result<()> {
        self.out.clear();
        self.out.extend_from_slice(message.as_bytes());
        self.out.push(b'\n');
        self.w
            .write_all(&self.out)
            .and_then(|()| self.w.flush())
            .with_context(|| format!("writing to {}", self.label))
    }

    /// Sends a notification.
    pub fn notify(&mut self, method: &str, params: Option<&str>) -> Result<()> {
        self.send(&jsonrpc::notification(method, params))
    }

    /// Sends a request and returns the raw `result` of its response; an `error` response fails.
    /// Messages other than that response (notifications, requests) are skipped.
    pub fn request(&mut self, method: &str, params: &str) -> Result<String> {
        let id = self.next_id;
        self.next_id += 1;
        let id_text = id.to_string();
        self.send(&jsonrpc::request(&id_text, method, Some(params)))?;
        loop {
            let label = &self.label;
            let line = read_line(&mut self.r, &mut self.line, label)?;
            let env = Envelope::parse(line).with_context(|| {
                format!(
                    "{label} sent a line that is not JSON-RPC: {}",
                    glimpse(line)
                )
            })?;
            if env.kind() != Kind::Response || env.id.map(|i| i.get()) != Some(id_text.as_str()) {
                continue;
            }
            if let Some(e) = env.error {
                bail!("{label} answered {method} with an error: {}", e.get());
            }
            let result = env.result.expect("a response has a result or an error");
            return Ok(result.get().to_string());
        }
    }

    /// Sends `total` requests built by `line(id)`, keeping at most `window` unanswered, and waits
    /// for every response; `check(result)` must hold for each. Returns the wall time of the run.
    pub fn pipelined(
        &mut self,
        total: u64,
        window: usize,
        line: impl Fn(&str) -> String + Sync,
        check: impl Fn(&str) -> bool + Sync,
    ) -> Result<Duration>
    where
        W: Send,
        R: Send,
    {
        let first = self.next_id;
        self.next_id += total;
        let Conn {
            label, w, r, out, ..
        } = self;
        let label = label.as_str();
        let (line, check) = (&line, &check);
        let (tokens_tx, tokens_rx) = mpsc::sync_channel::<()>(window);
        for _ in 0..window {
            tokens_tx
                .send(())
                .expect("the channel holds `window` tokens");
        }
        let started = Instant::now();
        std::thread::scope(|scope| {
            let writer = scope.spawn(move || -> Result<()> {
                for i in 0..total {
                    if tokens_rx.recv().is_err() {
                        return Ok(()); // the reader stopped; it reports why
                    }
                    out.clear();
                    out.extend_from_slice(line(&(first + i).to_string()).as_bytes());
                    out.push(b'\n');
                    w.write_all(out)
                        .and_then(|()| w.flush())
                        .with_context(|| format!("writing to {label}"))?;
                }
                Ok(())
            });
            let reader = scope.spawn(move || -> Result<Duration> {
                let mut seen = vec![false; total as usize];
                let mut buf = Vec::new();
                let mut answered = 0;
                while answered < total {
                    let line = read_line(r, &mut buf, label)?;
                    let env = Envelope::parse(line).with_context(|| {
                        format!(
                            "{label} sent a line that is not JSON-RPC: {}",
                            glimpse(line)
                        )
                    })?;
                    if env.kind() != Kind::Response {
                        continue;
                    }
                    let id = env
                        .id
                        .and_then(|i| i.get().parse::<u64>().ok())
                        .filter(|id| (first..first + total).contains(id))
                        .ok_or_else(|| {
                            anyhow!("{label} answered an id never sent: {}", glimpse(line))
                        })?;
                    let slot = &mut seen[(id - first) as usize];
                    if std::mem::replace(slot, true) {
                        bail!("{label} answered request {id} twice");
                    }
                    match (env.result, env.error) {
                        (_, Some(e)) => {
                            bail!("{label} answered request {id} with an error: {}", e.get())
                        }
                        (Some(res), None) if check(res.get()) => {}
                        (res, _) => bail!(
                            "{label} answered request {id} with an unexpected result: {}",
                            glimpse(res.map(|r| r.get().as_bytes()).unwrap_or(b""))
                        ),
                    }
                    answered += 1;
                    let _ = tokens_tx.send(());
                }
                Ok(started.elapsed())
            });
            let read = reader
                .join()
                .map_err(|_| anyhow!("the reader thread panicked"))?;
            let written = writer
                .join()
                .map_err(|_| anyhow!("the writer thread panicked"))?;
            written?;
            read
        })
    }
}

/// Reads one line (without its newline) into `buf`; end of stream is an error.
fn read_line<'b>(r: &mut impl BufRead, buf: &'b mut Vec<u8>, label: &str) -> Result<&'b [u8]> {
    buf.clear();
    let n = r
        .read_until(b'\n', buf)
        .with_context(|| format!("reading from {label}"))?;
    if n == 0 {
        bail!("{label} closed the connection");
    }
    if buf.last() == Some(&b'\n') {
        buf.pop();
    }
    Ok(buf)
}

/// The start of a message, for error texts.
pub fn glimpse(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(300)]);
    if bytes.len() > 300 {
        format!("{text}… ({} bytes)", bytes.len())
    } else {
        text.into_owned()
    }
}
