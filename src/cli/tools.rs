//! `mcpd tools [NAME]`: compact signatures, or full schemas with `--json`.

use super::{connect, fail, render};
use mcpd_shim::wire::{ToolsParams, ToolsResult, method};
use std::process::ExitCode;

pub async fn run(name: Option<String>, json: bool) -> ExitCode {
    let mut c = match connect().await {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let raw = match c
        .request_raw(method::TOOLS, &ToolsParams { server: name }, |_, _| {})
        .await
    {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    let result: ToolsResult = match serde_json::from_str(raw.get()) {
        Ok(r) => r,
        Err(e) => return fail(format!("unexpected tools answer: {e}")),
    };
    let mut failed = false;
    if json {
        let mut out = serde_json::Map::new();
        for s in &result.servers {
            let v = match (&s.tools, &s.error) {
                (Some(t), _) => serde_json::from_str(t.get()).unwrap_or_default(),
                (None, e) => serde_json::json!({ "error": e }),
            };
            out.insert(s.server.clone(), v);
        }
        println!("{}", serde_json::Value::Object(out));
    } else {
        for s in &result.servers {
            match (&s.tools, &s.error) {
                (Some(t), _) => {
                    let tools: Vec<serde_json::Value> =
                        serde_json::from_str(t.get()).unwrap_or_default();
                    println!("{} ({} tools)", s.server, tools.len());
                    print!("{}", render::tool_lines(&tools));
                }
                (None, e) => {
                    failed = true;
                    println!("{}: error: {}", s.server, e.as_deref().unwrap_or("unknown"));
                }
            }
        }
    }
    if failed {
        ExitCode::from(super::EXIT_ERROR)
    } else {
        ExitCode::SUCCESS
    }
}
