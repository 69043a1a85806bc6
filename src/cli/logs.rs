//! `mcpd logs NAME [-n N]`: the last lines of a server's log file.

use super::{connect, fail};
use mcpd_shim::wire::{LogsParams, LogsResult, method};
use std::process::ExitCode;

pub async fn run(name: &str, lines: usize) -> ExitCode {
    let mut c = match connect().await {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    match c
        .request::<LogsResult>(
            method::LOGS,
            &LogsParams {
                server: name.into(),
                lines,
            },
        )
        .await
    {
        Ok(r) => {
            if r.lines.is_empty() {
                eprintln!("no log lines yet for {} ({})", r.server, r.path.display());
            }
            for l in r.lines {
                println!("{l}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}
