//! The only writer of the shim's stdout: a task that writes queued MCP messages, one per line.

use tokio::io::AsyncWriteExt;
use tokio::sync::{mpsc, oneshot};

/// Ends the writer once what is queued is written.
pub struct Finisher {
    done: oneshot::Sender<()>,
    task: tokio::task::JoinHandle<()>,
}

impl Finisher {
    /// Writes what is queued, then stops (at most `limit` later).
    pub async fn finish(self, limit: std::time::Duration) {
        let _ = self.done.send(());
        let _ = tokio::time::timeout(limit, self.task).await;
    }
}

/// Starts the writer; the sender takes whole messages (without their newline).
pub fn start() -> (mpsc::UnboundedSender<String>, Finisher) {
    let (tx, mut rx) = mpsc::unbounded_channel::<String>();
    let (done, mut finish) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let mut out = tokio::io::stdout();
        let mut buf = Vec::with_capacity(16 * 1024);
        let mut last = false;
        while !last {
            let first = tokio::select! {
                m = rx.recv() => m,
                _ = &mut finish => { last = true; rx.try_recv().ok() }
            };
            let Some(first) = first else {
                if last {
                    break;
                }
                continue;
            };
            buf.clear();
            push(&mut buf, &first);
            while buf.len() < 1024 * 1024 || last {
                match rx.try_recv() {
                    Ok(m) => push(&mut buf, &m),
                    Err(_) => break,
                }
            }
            if out.write_all(&buf).await.is_err() || out.flush().await.is_err() {
                break;
            }
            if buf.capacity() > 1024 * 1024 {
                buf = Vec::with_capacity(16 * 1024);
            }
        }
    });
    (tx, Finisher { done, task })
}

fn push(buf: &mut Vec<u8>, msg: &str) {
    buf.extend_from_slice(msg.as_bytes());
    buf.push(b'\n');
}
