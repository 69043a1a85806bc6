//! Tracking of running `tools/call` requests so `notifications/cancelled` can stop them.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

/// How often long waits look at the cancellation flag.
const CANCEL_POLL: Duration = Duration::from_millis(5);

/// The running calls, keyed by the JSON text of their request id (so `1` and `"1"` differ).
#[derive(Default)]
pub struct InFlight {
    calls: Mutex<HashMap<String, Arc<AtomicBool>>>,
}

impl InFlight {
    /// Records a call as running and returns its cancellation flag.
    pub fn start(&self, id: &Value) -> Arc<AtomicBool> {
        let flag = Arc::new(AtomicBool::new(false));
        self.lock().insert(id.to_string(), flag.clone());
        flag
    }

    /// Marks the call `id` as cancelled; false if no such call is running.
    pub fn cancel(&self, id: &Value) -> bool {
        match self.lock().get(&id.to_string()) {
            Some(flag) => {
                flag.store(true, Ordering::SeqCst);
                true
            }
            None => false,
        }
    }

    /// Forgets the call `id` once it has finished.
    pub fn finish(&self, id: &Value) {
        self.lock().remove(&id.to_string());
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<AtomicBool>>> {
        self.calls.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// What a running tool knows about the request that started it.
pub struct CallContext {
    pub id: Value,
    pub progress_token: Option<Value>,
    cancelled: Arc<AtomicBool>,
    honour_cancel: bool,
}

impl CallContext {
    /// `honour_cancel` is false under `--ignore-cancel`: the call then never sees the flag.
    pub fn new(
        id: Value,
        progress_token: Option<Value>,
        cancelled: Arc<AtomicBool>,
        honour_cancel: bool,
    ) -> Self {
        CallContext {
            id,
            progress_token,
            cancelled,
            honour_cancel,
        }
    }

    /// Whether the client cancelled this call and we are to obey.
    pub fn is_cancelled(&self) -> bool {
        self.honour_cancel && self.cancelled.load(Ordering::SeqCst)
    }

    /// Sleeps for `duration` unless cancelled first; returns false if cancelled.
    pub fn sleep(&self, duration: Duration) -> bool {
        let deadline = Instant::now() + duration;
        loop {
            if self.is_cancelled() {
                return false;
            }
            let now = Instant::now();
            if now >= deadline {
                return true;
            }
            std::thread::sleep(CANCEL_POLL.min(deadline - now));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cancel_reaches_the_right_call() {
        let in_flight = InFlight::default();
        let one = in_flight.start(&json!(1));
        let text_one = in_flight.start(&json!("1"));
        assert!(in_flight.cancel(&json!("1")));
        assert!(!one.load(Ordering::SeqCst));
        assert!(text_one.load(Ordering::SeqCst));
        in_flight.finish(&json!(1));
        assert!(!in_flight.cancel(&json!(1)));
    }

    #[test]
    fn sleep_stops_early_when_cancelled_unless_ignoring() {
        let flag = Arc::new(AtomicBool::new(true));
        let obeying = CallContext::new(json!(1), None, flag.clone(), true);
        let started = Instant::now();
        assert!(!obeying.sleep(Duration::from_secs(10)));
        assert!(started.elapsed() < Duration::from_secs(1));
        let careless = CallContext::new(json!(1), None, flag, false);
        assert!(!careless.is_cancelled());
        assert!(careless.sleep(Duration::from_millis(1)));
    }
}
