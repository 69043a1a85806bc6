//! The end of a blue/green swap: the replaced instance finishes its calls in flight (up to a
//! grace period), then its whole process group is ended.

use crate::child::Instance;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub(super) async fn drain_then_stop(
    old: Arc<Instance>,
    drain_grace: Duration,
    stop_grace: Duration,
) {
    drain(&old, drain_grace).await;
    old.shutdown(stop_grace).await;
}

/// Waits until `old` has no call in flight, then it takes no more (up to `drain_grace`).
pub(super) async fn drain(old: &Instance, drain_grace: Duration) {
    let deadline = Instant::now() + drain_grace;
    while !old.retire_if_idle() && Instant::now() < deadline && !old.is_gone() {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    if old.in_flight() > 0 {
        old.log.note(&format!(
            "{} calls still in flight after {} s of draining; stopping the old instance",
            old.in_flight(),
            drain_grace.as_secs()
        ));
    }
}
