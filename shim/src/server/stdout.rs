//! The only writer of the shim's stdout: a task that writes queued MCP messages, one per line.

use tokio::io::AsyncWriteExt;
use tokio::sync::mpsc;

/// Starts the writer; the returned sender takes whole messages (no newline). The task ends, after
/// flushing, when every sender is dropped.
pub fn start() -> (mpsc::UnboundedSender<String>, tokio::task::JoinHandle<()>) {
    let (tx, mut rx) = mpsc::unbounded_channel::<String>();
    let task = tokio::spawn(async move {
        let mut out = tokio::io::stdout();
        let mut buf = Vec::with_capacity(16 * 1024);
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
            if out.write_all(&buf).await.is_err() || out.flush().await.is_err() {
                break;
            }
            if buf.capacity() > 1024 * 1024 {
                buf = Vec::with_capacity(16 * 1024);
            }
        }
    });
    (tx, task)
}
