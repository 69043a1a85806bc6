//! What each built-in tool does when called.

use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};

use serde_json::{Number, Value, json};

use super::arguments::{self, Args};
use super::catalog::Builtin;
use super::results::{error_result, text_block, text_result};
use crate::in_flight::CallContext;
use crate::protocol::{notification, request};
use crate::server::Server;

/// A 1x1 PNG pixel.
const TINY_PNG_BASE64: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP4n8bwHwAGMgJl7FfQdQAAAABJRU5ErkJggg==";
/// How long `ask_client` waits for the client's response.
const ASK_CLIENT_TIMEOUT: Duration = Duration::from_secs(5);
/// The largest `blob` we agree to build.
const MAX_BLOB_BYTES: u64 = 256 * 1024 * 1024;

/// A tool's result, or the text of an `isError` result.
type Outcome = Result<Value, String>;

/// Runs a built-in tool.
pub fn call(builtin: Builtin, server: &Server, call: &CallContext, args: &Args) -> Value {
    let outcome = match builtin {
        Builtin::Echo => arguments::string(args, "text").map(text_result),
        Builtin::Add => add(args),
        Builtin::Sleep => sleep(call, args),
        Builtin::Progress => progress(server, call, args),
        Builtin::Image => Ok(json!({"content": [
            {"type": "image", "data": TINY_PNG_BASE64, "mimeType": "image/png"},
            text_block("a 1x1 PNG pixel"),
        ]})),
        Builtin::Fail => arguments::optional_string(args, "message")
            .map(|message| error_result(message.unwrap_or("this tool always fails"))),
        Builtin::Crash => crash(args),
        Builtin::Garbage => garbage(server, args),
        Builtin::Blob => blob(args),
        Builtin::Log => arguments::string(args, "text").map(|text| {
            eprintln!("{text}");
            text_result("logged")
        }),
        Builtin::Pid => Ok(text_result(std::process::id().to_string())),
        Builtin::Env => env(args),
        Builtin::Cwd => std::env::current_dir()
            .map(|dir| text_result(dir.display().to_string()))
            .map_err(|err| format!("cannot read the current directory: {err}")),
        Builtin::ClientCapabilities => Ok(text_result(server.client_capabilities().to_string())),
        Builtin::AskClient => ask_client(server, call, args),
        Builtin::AddTool => add_tool(server, args),
        Builtin::GrandchildPid => server
            .grandchild_pid()
            .map(|pid| text_result(pid.to_string()))
            .ok_or_else(|| {
                "no grandchild: the server was not started with --spawn-grandchild".into()
            }),
    };
    outcome.unwrap_or_else(error_result)
}

fn add(args: &Args) -> Outcome {
    let (a, b) = (arguments::number(args, "a")?, arguments::number(args, "b")?);
    let sum = match (a.as_i64(), b.as_i64()) {
        (Some(a), Some(b)) if a.checked_add(b).is_some() => Number::from(a + b),
        _ => {
            let sum = a.as_f64().unwrap_or(f64::NAN) + b.as_f64().unwrap_or(f64::NAN);
            Number::from_f64(sum).ok_or_else(|| format!("the sum of {a} and {b} is not finite"))?
        }
    };
    Ok(json!({
        "content": [text_block(sum.to_string())],
        "structuredContent": {"sum": sum},
    }))
}

fn sleep(call: &CallContext, args: &Args) -> Outcome {
    let ms = arguments::integer(args, "ms")?;
    if call.sleep(Duration::from_millis(ms)) {
        Ok(text_result(format!("slept {ms} ms")))
    } else {
        Ok(text_result("cancelled"))
    }
}

fn progress(server: &Server, call: &CallContext, args: &Args) -> Outcome {
    let steps = arguments::integer(args, "steps")?;
    let interval = arguments::optional_integer(args, "interval_ms")?.unwrap_or(10);
    for step in 1..=steps {
        if !call.sleep(Duration::from_millis(interval)) {
            return Ok(text_result("cancelled"));
        }
        if let Some(token) = &call.progress_token {
            server.output().send(&notification(
                "notifications/progress",
                json!({
                    "progressToken": token,
                    "progress": step,
                    "total": steps,
                    "message": format!("step {step}"),
                }),
            ));
        }
    }
    Ok(text_result(format!("done {steps} steps")))
}

fn crash(args: &Args) -> Outcome {
    let code = arguments::optional_integer(args, "code")?.unwrap_or(3);
    let code = i32::try_from(code)
        .ok()
        .filter(|code| *code <= 255)
        .ok_or_else(|| format!("exit code {code} is out of range 0-255"))?;
    eprintln!("example server crashing on purpose");
    std::process::exit(code);
}

fn garbage(server: &Server, args: &Args) -> Outcome {
    let lines = arguments::integer(args, "lines")?;
    server
        .output()
        .send_raw_lines((1..=lines).map(|i| format!("this is not json {i}")));
    Ok(text_result(format!("printed {lines} lines")))
}

fn blob(args: &Args) -> Outcome {
    let bytes = arguments::integer(args, "bytes")?;
    if bytes > MAX_BLOB_BYTES {
        return Err(format!("at most {MAX_BLOB_BYTES} bytes, asked for {bytes}"));
    }
    let text: String = (0..bytes)
        .map(|i| char::from(b'a' + (i % 26) as u8))
        .collect();
    Ok(text_result(text))
}

fn env(args: &Args) -> Outcome {
    let name = arguments::string(args, "name")?;
    match std::env::var_os(name) {
        Some(value) => Ok(text_result(value.to_string_lossy())),
        None => Err(format!("environment variable {name} is not set")),
    }
}

fn ask_client(server: &Server, call: &CallContext, args: &Args) -> Outcome {
    let method = arguments::string(args, "method")?;
    let params = arguments::optional_object(args, "params")?.cloned();
    let requests = server.client_requests();
    let (id, answer) = requests.start();
    server.output().send(&request(&id, method, params));
    let deadline = Instant::now() + ASK_CLIENT_TIMEOUT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match answer.recv_timeout(left.min(Duration::from_millis(20))) {
            Ok(message) => {
                let reply = match message.get("result") {
                    Some(result) => result,
                    None => message.get("error").unwrap_or(&Value::Null),
                };
                return Ok(text_result(reply.to_string()));
            }
            Err(RecvTimeoutError::Timeout) if !left.is_zero() && !call.is_cancelled() => {}
            Err(_) => {
                requests.abandon(&id);
                let text = if call.is_cancelled() {
                    "cancelled"
                } else {
                    "timeout"
                };
                return Ok(text_result(text));
            }
        }
    }
}

fn add_tool(server: &Server, args: &Args) -> Outcome {
    let name = arguments::string(args, "name")?;
    if name.is_empty() {
        return Err("the tool name must not be empty".into());
    }
    if !server.tools().add_echo_like(name) {
        return Err(format!("a tool named {name} already exists"));
    }
    server.output().send(&super::list_changed_notification());
    Ok(text_result("added"))
}
