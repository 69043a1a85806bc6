//! `mcpd call NAME TOOL [JSON]`: text content printed plainly (or the raw result with `--json`);
//! exit code 1 when the tool reports `isError`, 2 when the call itself failed.

use super::{connect, fail, render};
use mcpd_shim::wire::{CallParams, method};
use serde_json::value::RawValue;
use std::io::{IsTerminal, Read};
use std::process::ExitCode;

pub async fn run(name: &str, tool: &str, arguments: Option<String>, json: bool) -> ExitCode {
    let text = match arguments.as_deref() {
        Some("-") => {
            let mut s = String::new();
            if let Err(e) = std::io::stdin().read_to_string(&mut s) {
                return fail(format!("cannot read arguments from stdin: {e}"));
            }
            s
        }
        Some(s) => s.to_string(),
        None => "{}".to_string(),
    };
    let args: Box<RawValue> = match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(v) if v.is_object() => {
            RawValue::from_string(text.trim().to_string()).expect("valid JSON")
        }
        Ok(_) => return fail("arguments must be a JSON object, such as '{\"a\": 1}'"),
        Err(e) => return fail(format!("arguments are not valid JSON: {e}")),
    };
    let mut c = match connect().await {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let show_progress = std::io::stderr().is_terminal();
    let meta = RawValue::from_string(r#"{"progressToken":"cli"}"#.into()).expect("valid");
    let params = CallParams {
        server: name.into(),
        tool: tool.into(),
        arguments: Some(args),
        meta: Some(meta),
    };
    let on_note = |m: &str, p: Option<&RawValue>| {
        if show_progress
            && m == method::PROGRESS
            && let Some(v) = p.and_then(|p| serde_json::from_str::<serde_json::Value>(p.get()).ok())
        {
            let total = v.get("total").unwrap_or(&serde_json::Value::Null);
            eprintln!(
                "progress {}/{} {}",
                v["progress"],
                total,
                v["message"].as_str().unwrap_or("")
            );
        }
    };
    let raw = match c.request_raw(method::CALL, &params, on_note).await {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    let value: serde_json::Value = serde_json::from_str(raw.get()).unwrap_or_default();
    let is_error = value
        .get("isError")
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    if json {
        println!("{}", raw.get());
    } else if is_error {
        eprintln!("{}", render::call_result(&value));
    } else {
        println!("{}", render::call_result(&value));
    }
    if is_error {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
