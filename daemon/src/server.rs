//! The daemon's entry point: `run` takes an already-bound listener and a shutdown token (so the
//! binary, tests and socket activation share it), serves connections until shutdown, then stops
//! every child.

use crate::registry::Registry;
use crate::socket::{authorize, current_uid};
use crate::state::{Daemon, Options};
use mcpd_shim::jsonrpc::{self, code};
use mcpd_shim::paths::Paths;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{UnixListener, UnixStream};
use tokio_util::sync::CancellationToken;

/// Serves until `shutdown` fires, then ends every child's process group and returns.
pub async fn run(
    listener: UnixListener,
    paths: Paths,
    options: Options,
    shutdown: CancellationToken,
) {
    let registry = Registry::new(options.debounce);
    let daemon = Arc::new(Daemon {
        paths,
        options,
        registry,
        started: Instant::now(),
        shutdown: shutdown.clone(),
    });
    tokio::spawn(crate::config_reload::run(daemon.clone()));
    let own_uid = current_uid();
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = shutdown.cancelled() => break,
        };
        let stream = match accepted {
            Ok((s, _)) => s,
            Err(e) => {
                // EMFILE, ECONNABORTED and friends are transient: log, breathe, keep accepting.
                tracing::warn!("accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let peer = stream.peer_cred().map(|c| c.uid());
        match peer
            .map_err(|e| e.to_string())
            .and_then(|uid| authorize(uid, own_uid))
        {
            Ok(()) => {
                tokio::spawn(crate::session::serve(stream, daemon.clone()));
            }
            Err(why) => {
                tracing::warn!("{why}");
                tokio::spawn(refuse(stream, why));
            }
        }
    }
    tracing::info!("shutting down: stopping every server");
    daemon.registry.stop_all().await;
    tracing::info!("all servers stopped");
}

/// Tells a refused peer why at once, then reads and drops what it sends until it hangs up (for a
/// few seconds at most): closing with its hello unread would reset the connection, and the peer
/// would see "connection reset" instead of the reason.
async fn refuse(mut stream: UnixStream, why: String) {
    let line = jsonrpc::error("null", code::HANDSHAKE, &why, None) + "\n";
    if stream.write_all(line.as_bytes()).await.is_err() {
        return;
    }
    let _ = stream.shutdown().await;
    let drain = async {
        let mut buf = [0u8; 4096];
        while matches!(stream.read(&mut buf).await, Ok(n) if n > 0) {}
    };
    let _ = tokio::time::timeout(Duration::from_secs(2), drain).await;
}
