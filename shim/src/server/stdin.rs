//! Reads the shim's stdin on a dedicated thread: a plain blocking read per chunk, with each frame
//! handed to the runtime through a channel (tokio's own stdin would hop through its blocking pool
//! for every read).

use crate::framing::{Frame, SyncLineReader};
use tokio::sync::mpsc;

/// Starts the reader thread. The channel closes at end of input (or on a read error).
pub fn start(max_frame: usize) -> mpsc::UnboundedReceiver<Frame> {
    let (tx, rx) = mpsc::unbounded_channel();
    std::thread::Builder::new()
        .name("shim-stdin".into())
        .spawn(move || {
            let stdin = std::io::stdin();
            let mut lines = SyncLineReader::new(
                std::io::BufReader::with_capacity(64 * 1024, stdin.lock()),
                max_frame,
            );
            while let Ok(Some(frame)) = lines.next_frame() {
                if tx.send(frame).is_err() {
                    break;
                }
            }
        })
        .expect("a thread can be spawned");
    rx
}
