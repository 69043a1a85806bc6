//! `mcpd status`: the daemon (pid, version, uptime, socket, log) and a table of its servers.

use super::render::duration;
use super::{EXIT_NOT_RUNNING, connect_existing, fail};
use comfy_table::{Table, presets::UTF8_BORDERS_ONLY};
use mcpd_shim::client::ClientError;
use mcpd_shim::paths::Paths;
use mcpd_shim::wire::{StatusResult, method};
use std::process::ExitCode;

pub async fn run(json: bool) -> ExitCode {
    let mut c = match connect_existing().await {
        Ok(c) => c,
        Err(ClientError::NotRunning { .. }) => {
            let socket = Paths::from_env()
                .map(|p| p.socket().display().to_string())
                .unwrap_or_default();
            if json {
                println!(
                    "{}",
                    serde_json::json!({ "running": false, "socket": socket })
                );
            } else {
                println!("mcpd is not running (socket: {socket})");
            }
            return ExitCode::from(EXIT_NOT_RUNNING);
        }
        Err(e) => return fail(e),
    };
    let raw = match c
        .request_raw(method::STATUS, &serde_json::json!({}), |_, _| {})
        .await
    {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    if json {
        println!("{}", raw.get());
        return ExitCode::SUCCESS;
    }
    match serde_json::from_str::<StatusResult>(raw.get()) {
        Ok(s) => {
            print!("{}", text(&s));
            ExitCode::SUCCESS
        }
        Err(e) => fail(format!("unexpected status answer: {e}")),
    }
}

fn text(s: &StatusResult) -> String {
    let d = &s.daemon;
    let mut out = format!(
        "mcpd {} running, pid {}, up {}\nsocket: {}\nlog:    {}\n",
        d.version,
        d.pid,
        duration(d.uptime_secs),
        d.socket.display(),
        d.log.display()
    );
    for e in &s.config_errors {
        out.push_str(&format!("config error: {e}\n"));
    }
    if s.servers.is_empty() {
        out.push_str("no servers configured here and none running\n");
        return out;
    }
    let mut t = Table::new();
    t.load_preset(UTF8_BORDERS_ONLY);
    t.set_header([
        "NAME",
        "PROJECT",
        "STATE",
        "PID",
        "UPTIME",
        "RESTARTS",
        "TOOLS",
        "CALLS",
        "LAST ERROR",
    ]);
    let dash = || "-".to_string();
    for v in &s.servers {
        t.add_row([
            v.name.clone(),
            v.project.clone(),
            v.state.clone(),
            v.pid.map(|p| p.to_string()).unwrap_or_else(dash),
            v.uptime_secs.map(duration).unwrap_or_else(dash),
            v.restarts.to_string(),
            v.tools.map(|n| n.to_string()).unwrap_or_else(dash),
            v.calls.to_string(),
            v.last_error.as_deref().map(first_line).unwrap_or_else(dash),
        ]);
    }
    out.push_str(&t.to_string());
    out.push('\n');
    for v in &s.servers {
        if let Some(w) = &v.watching {
            out.push_str(&format!("{}: watching {w}\n", v.name));
        }
        if let Some(r) = &v.last_reload {
            out.push_str(&format!("{}: last reload: {}\n", v.name, first_line(r)));
        }
    }
    out
}

fn first_line(s: &str) -> String {
    let line = s.lines().next().unwrap_or("");
    if line.chars().count() > 70 {
        format!("{}...", line.chars().take(67).collect::<String>())
    } else {
        line.to_string()
    }
}
