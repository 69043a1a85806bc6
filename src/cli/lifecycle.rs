//! `mcpd load`, `mcpd unload`, `mcpd reload`.

use super::{connect, fail, render};
use mcpd_shim::wire::{LoadResult, ServerInfo, ServerParams, method};
use std::process::ExitCode;

pub async fn load(name: &str) -> ExitCode {
    start(method::LOAD, "loaded", name).await
}

pub async fn reload(name: &str) -> ExitCode {
    start(method::RELOAD, "reloaded", name).await
}

async fn start(m: &str, verb: &str, name: &str) -> ExitCode {
    let mut c = match connect().await {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    match c
        .request::<LoadResult>(
            m,
            &ServerParams {
                server: name.into(),
            },
        )
        .await
    {
        Ok(r) => {
            let tools: Vec<serde_json::Value> =
                serde_json::from_str(r.tools.get()).unwrap_or_default();
            println!(
                "{verb} {} (pid {}, {} tools)",
                name,
                r.server.pid.map(|p| p.to_string()).unwrap_or("-".into()),
                tools.len()
            );
            print!("{}", render::tool_lines(&tools));
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}

pub async fn unload(name: &str) -> ExitCode {
    let mut c = match connect().await {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    match c
        .request::<ServerInfo>(
            method::UNLOAD,
            &ServerParams {
                server: name.into(),
            },
        )
        .await
    {
        Ok(_) => {
            println!("unloaded {name}");
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}
