//! The task that owns a child's stdin: writes queued messages in batches, closes stdin on request.

use tokio::io::AsyncWriteExt;
use tokio::process::ChildStdin;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// Writes every queued line (each already newline-free) followed by `\n`. Ends, dropping stdin
/// (which the child sees as EOF), when `close` fires or the queue closes.
pub async fn run(
    mut stdin: ChildStdin,
    mut rx: mpsc::UnboundedReceiver<String>,
    close: CancellationToken,
) {
    let mut batch = Vec::with_capacity(64 * 1024);
    loop {
        let first = tokio::select! {
            biased;
            _ = close.cancelled() => break,
            m = rx.recv() => match m { Some(m) => m, None => break },
        };
        batch.clear();
        push(&mut batch, &first);
        while batch.len() < 1024 * 1024 {
            match rx.try_recv() {
                Ok(m) => push(&mut batch, &m),
                Err(_) => break,
            }
        }
        if let Err(e) = stdin.write_all(&batch).await {
            tracing::debug!("child stdin closed: {e}");
            break;
        }
        if stdin.flush().await.is_err() {
            break;
        }
    }
}

fn push(batch: &mut Vec<u8>, line: &str) {
    batch.extend_from_slice(line.as_bytes());
    batch.push(b'\n');
}
