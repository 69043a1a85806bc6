//! The single shared writer every outgoing line goes through, one whole line per lock.

use std::io::Write;
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::Value;

/// Where the server writes its messages: stdout in production, a buffer in tests.
pub type SharedWriter = Arc<Mutex<dyn Write + Send>>;

/// Serialises outgoing messages so that concurrent calls never interleave within a line.
#[derive(Clone)]
pub struct Output {
    writer: SharedWriter,
}

impl Output {
    pub fn new(writer: SharedWriter) -> Self {
        Output { writer }
    }

    /// The process's stdout.
    pub fn stdout() -> Self {
        Output::new(Arc::new(Mutex::new(std::io::stdout())))
    }

    /// Writes one JSON message as one line and flushes it.
    pub fn send(&self, message: &Value) {
        let mut line = message.to_string();
        line.push('\n');
        self.write_all(line.as_bytes());
    }

    /// Writes raw (deliberately non-JSON) lines, all under one lock, and flushes them.
    pub fn send_raw_lines<I: IntoIterator<Item = String>>(&self, lines: I) {
        let mut text = String::new();
        for line in lines {
            text.push_str(&line);
            text.push('\n');
        }
        self.write_all(text.as_bytes());
    }

    fn write_all(&self, bytes: &[u8]) {
        let mut writer = self.lock();
        // A closed stdout means the client is gone; stdin EOF will end the server.
        let _ = writer.write_all(bytes).and_then(|()| writer.flush());
    }

    fn lock(&self) -> MutexGuard<'_, dyn Write + Send + 'static> {
        self.writer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn messages_and_raw_lines_are_newline_terminated() {
        let buffer = Arc::new(Mutex::new(Vec::<u8>::new()));
        let output = Output::new(buffer.clone());
        output.send(&json!({"a": 1}));
        output.send_raw_lines(["x".to_string(), "y".to_string()]);
        let text = String::from_utf8(buffer.lock().unwrap().clone()).unwrap();
        assert_eq!(text, "{\"a\":1}\nx\ny\n");
    }
}
