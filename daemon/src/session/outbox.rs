//! The writer side of a connection: a task that owns the socket's write half and writes queued
//! messages, batching small ones into one write and writing large results in place (no copy).

use tokio::io::AsyncWriteExt;
use tokio::net::unix::OwnedWriteHalf;
use tokio::sync::mpsc;

/// Messages at least this big are written on their own instead of being copied into the batch.
const BIG: usize = 64 * 1024;
/// A batch stops growing at this size.
const BATCH: usize = 1024 * 1024;

enum Out {
    Line(String),
    /// A success response whose result is spliced in by the writer.
    Response {
        id: String,
        result: String,
    },
}

#[derive(Clone)]
pub struct Outbox {
    tx: mpsc::UnboundedSender<Out>,
}

impl Outbox {
    /// Queues one message; silently dropped if the peer is gone.
    pub fn send(&self, line: String) {
        let _ = self.tx.send(Out::Line(line));
    }

    /// Queues `{"jsonrpc":"2.0","id":ID,"result":RESULT}` without copying RESULT first.
    pub fn respond(&self, id: String, result: String) {
        let _ = self.tx.send(Out::Response { id, result });
    }
}

pub fn start(mut w: OwnedWriteHalf) -> Outbox {
    let (tx, mut rx) = mpsc::unbounded_channel::<Out>();
    tokio::spawn(async move {
        let mut buf = Vec::with_capacity(BIG);
        while let Some(first) = rx.recv().await {
            let mut next = Some(first);
            while let Some(msg) = next.take() {
                let big = match &msg {
                    Out::Line(l) => l.len() >= BIG,
                    Out::Response { result, .. } => result.len() >= BIG,
                };
                if big {
                    if !buf.is_empty() && w.write_all(&buf).await.is_err() {
                        return;
                    }
                    buf.clear();
                    if write_big(&mut w, msg).await.is_err() {
                        return;
                    }
                } else {
                    push(&mut buf, msg);
                }
                if buf.len() < BATCH {
                    next = rx.try_recv().ok();
                }
            }
            if !buf.is_empty() && w.write_all(&buf).await.is_err() {
                return;
            }
            buf.clear();
            if buf.capacity() > BATCH {
                buf = Vec::with_capacity(BIG);
            }
        }
    });
    Outbox { tx }
}

fn push(buf: &mut Vec<u8>, msg: Out) {
    match msg {
        Out::Line(l) => buf.extend_from_slice(l.as_bytes()),
        Out::Response { id, result } => {
            buf.extend_from_slice(br#"{"jsonrpc":"2.0","id":"#);
            buf.extend_from_slice(id.as_bytes());
            buf.extend_from_slice(br#","result":"#);
            buf.extend_from_slice(result.as_bytes());
            buf.push(b'}');
        }
    }
    buf.push(b'\n');
}

async fn write_big(w: &mut OwnedWriteHalf, msg: Out) -> std::io::Result<()> {
    match msg {
        Out::Line(l) => {
            w.write_all(l.as_bytes()).await?;
            w.write_all(b"\n").await
        }
        Out::Response { id, result } => {
            let head = format!(r#"{{"jsonrpc":"2.0","id":{id},"result":"#);
            w.write_all(head.as_bytes()).await?;
            w.write_all(result.as_bytes()).await?;
            w.write_all(b"}\n").await
        }
    }
}
