//! The only writer of the shim's stdout: a dedicated thread that writes queued MCP messages, one
//! per line, flushing whenever the queue runs dry.

use std::io::Write;
use tokio::sync::mpsc;

/// Ends the writer once what is queued is written.
pub struct Finisher {
    tx: mpsc::UnboundedSender<String>,
    thread: std::thread::JoinHandle<()>,
}

impl Finisher {
    /// Writes what is queued, then stops (waiting at most `limit`).
    pub async fn finish(self, limit: std::time::Duration) {
        // An empty message is never a valid one: it marks the end.
        let _ = self.tx.send(String::new());
        let thread = self.thread;
        let _ =
            tokio::time::timeout(limit, tokio::task::spawn_blocking(move || thread.join())).await;
    }
}

/// Starts the writer; the sender takes whole messages (without their newline).
pub fn start() -> (mpsc::UnboundedSender<String>, Finisher) {
    let (tx, mut rx) = mpsc::unbounded_channel::<String>();
    let thread = std::thread::Builder::new()
        .name("shim-stdout".into())
        .spawn(move || {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::with_capacity(64 * 1024, stdout.lock());
            while let Some(mut msg) = rx.blocking_recv() {
                loop {
                    if msg.is_empty() {
                        let _ = out.flush();
                        return;
                    }
                    if out
                        .write_all(msg.as_bytes())
                        .and_then(|_| out.write_all(b"\n"))
                        .is_err()
                    {
                        return;
                    }
                    match rx.try_recv() {
                        Ok(next) => msg = next,
                        Err(_) => break,
                    }
                }
                if out.flush().is_err() {
                    return;
                }
            }
        })
        .expect("a thread can be spawned");
    (tx.clone(), Finisher { tx, thread })
}
