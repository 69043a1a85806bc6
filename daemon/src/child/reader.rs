//! The task that reads a child's stdout: routes responses and progress, answers the child's own
//! requests, refreshes tools on list_changed, and logs and skips anything that is not JSON-RPC.

use super::instance::{Instance, Reply};
use mcpd_shim::framing::{Frame, LineReader};
use mcpd_shim::jsonrpc::{self, Envelope, Kind, code};
use serde_json::value::RawValue;
use std::sync::Arc;
use tokio::io::BufReader;
use tokio::process::ChildStdout;

/// Reads until EOF. `on_tools_changed` is called when the child says its tool list changed.
pub async fn run(
    stdout: ChildStdout,
    instance: Arc<Instance>,
    max_frame: usize,
    on_tools_changed: impl Fn(Arc<Instance>),
) {
    let mut lines = LineReader::new(BufReader::with_capacity(64 * 1024, stdout), max_frame);
    loop {
        let line = match lines.next().await {
            Ok(Some(Frame::Line(l))) => l,
            Ok(Some(Frame::TooLong { len, head, tail })) => {
                too_long(&instance, len, max_frame, &head, &tail);
                continue;
            }
            Ok(None) | Err(_) => break,
        };
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let env = match Envelope::parse(&line) {
            Ok(env) => env,
            Err(_) => {
                skip(&instance, &line);
                continue;
            }
        };
        match env.kind() {
            Kind::Response => response(&instance, &env),
            Kind::Notification => match env.method() {
                "notifications/progress" => progress(&instance, env.params),
                "notifications/tools/list_changed" => on_tools_changed(instance.clone()),
                "notifications/message" => {
                    let text = env.params.map(|p| p.get()).unwrap_or("{}");
                    instance
                        .log
                        .line(&format!("[notifications/message] {text}"));
                }
                _ => {}
            },
            Kind::Request => request_from_child(&instance, &env),
            Kind::Invalid => skip(&instance, &line),
        }
    }
}

fn response(instance: &Instance, env: &Envelope) {
    let Some(id) = env.id.and_then(|i| i.get().parse::<u64>().ok()) else {
        tracing::debug!(server = %instance.server, "response with an id mcpd never sent; dropped");
        return;
    };
    let reply = match (env.result, env.error) {
        (_, Some(e)) => Reply::Error(e.to_owned()),
        (Some(r), None) => Reply::Result(r.to_owned()),
        (None, None) => return,
    };
    if !instance.deliver(id, reply) {
        tracing::debug!(server = %instance.server, id, "late response for a finished request; dropped");
    }
}

#[derive(serde::Deserialize)]
struct ProgressToken<'a> {
    #[serde(rename = "progressToken", borrow)]
    token: &'a RawValue,
}

fn progress(instance: &Instance, params: Option<&RawValue>) {
    let Some(params) = params else { return };
    let Ok(p) = serde_json::from_str::<ProgressToken>(params.get()) else {
        return;
    };
    let id = p.token.get().trim_matches('"').parse::<u64>();
    if let Ok(id) = id
        && !instance.deliver_progress(id, params.to_owned())
    {
        tracing::debug!(server = %instance.server, id, "progress for a finished request; dropped");
    }
}

/// mcpd serves `ping` and nothing else the child may ask of a client (yet): the rest gets -32601
/// at once, so the child never waits.
fn request_from_child(instance: &Instance, env: &Envelope) {
    let id = env.id.map(|i| i.get()).unwrap_or("null");
    let line = if env.method() == "ping" {
        jsonrpc::response(id, "{}")
    } else {
        let msg = format!(
            "mcpd does not route '{}' to a client; the client capabilities it declared do not include it",
            env.method()
        );
        jsonrpc::error(id, code::METHOD_NOT_FOUND, &msg, None)
    };
    instance.send_raw(line);
}

fn skip(instance: &Instance, line: &[u8]) {
    let text = String::from_utf8_lossy(&line[..line.len().min(300)]);
    instance
        .log
        .line(&format!("[stdout, not JSON-RPC, skipped by mcpd] {text}"));
    tracing::debug!(server = %instance.server, "skipped a non-JSON-RPC stdout line");
}

/// An oversized message: if its id can be found at either edge, fail that request with a clear error.
fn too_long(instance: &Instance, len: usize, max: usize, head: &[u8], tail: &[u8]) {
    let msg = format!(
        "server '{}' sent a {len}-byte message, over mcpd's limit of {max} bytes (MCPD_MAX_MESSAGE_BYTES); it was dropped",
        instance.server
    );
    instance.log.note(&msg);
    tracing::warn!("{msg}");
    if let Some(id) = find_id(head).or_else(|| find_id(tail)) {
        instance.deliver(id, Reply::Failed(msg));
    }
}

/// Finds `"id":<digits>` in a fragment of JSON.
fn find_id(bytes: &[u8]) -> Option<u64> {
    let text = String::from_utf8_lossy(bytes);
    let mut rest = text.as_ref();
    while let Some(at) = rest.find("\"id\"") {
        let after = rest[at + 4..].trim_start();
        if let Some(v) = after.strip_prefix(':') {
            let digits: String = v
                .trim_start()
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            if let Ok(id) = digits.parse() {
                return Some(id);
            }
        }
        rest = &rest[at + 4..];
    }
    None
}

#[cfg(test)]
mod tests {
    use super::find_id;

    #[test]
    fn finds_an_id_at_either_edge() {
        assert_eq!(
            find_id(br#"{"jsonrpc":"2.0","id": 42,"result":{"x":"aaaa"#),
            Some(42)
        );
        assert_eq!(find_id(br#"aaaa"}]},"jsonrpc":"2.0","id":7}"#), Some(7));
        assert_eq!(find_id(br#"{"result":{"text":"no id here"#), None);
    }
}
