//! The writer side of a connection: a task that owns the socket's write half and writes queued
//! lines in batches, so handlers never wait on the socket.

use tokio::io::AsyncWriteExt;
use tokio::net::unix::OwnedWriteHalf;
use tokio::sync::mpsc;

#[derive(Clone)]
pub struct Outbox {
    tx: mpsc::UnboundedSender<String>,
}

impl Outbox {
    /// Queues one message; silently dropped if the peer is gone.
    pub fn send(&self, line: String) {
        let _ = self.tx.send(line);
    }
}

pub fn start(mut w: OwnedWriteHalf) -> Outbox {
    let (tx, mut rx) = mpsc::unbounded_channel::<String>();
    tokio::spawn(async move {
        let mut buf = Vec::with_capacity(64 * 1024);
        while let Some(first) = rx.recv().await {
            buf.clear();
            buf.extend_from_slice(first.as_bytes());
            buf.push(b'\n');
            while buf.len() < 1024 * 1024 {
                match rx.try_recv() {
                    Ok(m) => {
                        buf.extend_from_slice(m.as_bytes());
                        buf.push(b'\n');
                    }
                    Err(_) => break,
                }
            }
            if w.write_all(&buf).await.is_err() {
                break;
            }
        }
    });
    Outbox { tx }
}
