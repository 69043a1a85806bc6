//! Requests this server sends to the client, and routing of the client's responses to them.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Mutex, MutexGuard};

use serde_json::Value;

/// Outstanding server-to-client requests, keyed by their ids (`srv-1`, `srv-2`, ...).
#[derive(Default)]
pub struct ClientRequests {
    last_id: AtomicU64,
    waiting: Mutex<HashMap<String, Sender<Value>>>,
}

impl ClientRequests {
    /// Allocates a request id and the channel its response will arrive on.
    pub fn start(&self) -> (String, Receiver<Value>) {
        let id = format!("srv-{}", self.last_id.fetch_add(1, Ordering::SeqCst) + 1);
        let (sender, receiver) = mpsc::channel();
        self.lock().insert(id.clone(), sender);
        (id, receiver)
    }

    /// Hands a response message to whoever waits for `id`; false if nobody does.
    pub fn deliver(&self, id: &Value, message: Value) -> bool {
        let Some(id) = id.as_str() else {
            return false;
        };
        match self.lock().remove(id) {
            Some(sender) => sender.send(message).is_ok(),
            None => false,
        }
    }

    /// Stops waiting for `id` (after a timeout or a cancellation).
    pub fn abandon(&self, id: &str) {
        self.lock().remove(id);
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, Sender<Value>>> {
        self.waiting.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn responses_reach_their_waiter_once() {
        let requests = ClientRequests::default();
        let (first, _first_rx) = requests.start();
        let (second, second_rx) = requests.start();
        assert_eq!((first.as_str(), second.as_str()), ("srv-1", "srv-2"));
        assert!(requests.deliver(&json!("srv-2"), json!({"result": 1})));
        assert_eq!(second_rx.recv().unwrap(), json!({"result": 1}));
        assert!(!requests.deliver(&json!("srv-2"), json!({})));
        assert!(!requests.deliver(&json!(2), json!({})));
        requests.abandon("srv-1");
        assert!(!requests.deliver(&json!("srv-1"), json!({})));
    }
}
