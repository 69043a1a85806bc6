//! `mcpd stop`: asks the daemon to stop every server and exit, and waits until it has.

use super::{connect_existing, fail};
use mcpd_shim::client::ClientError;
use mcpd_shim::wire::method;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// How long to wait for the daemon to finish stopping its servers.
const WAIT: Duration = Duration::from_secs(30);

pub async fn run() -> ExitCode {
    let mut c = match connect_existing().await {
        Ok(c) => c,
        Err(ClientError::NotRunning { .. }) => {
            println!("mcpd is not running");
            return ExitCode::SUCCESS;
        }
        Err(e) => return fail(e),
    };
    let pid = c.daemon.pid;
    if let Err(e) = c
        .request_raw(method::STOP, &serde_json::json!({}), |_, _| {})
        .await
    {
        return fail(e);
    }
    let deadline = Instant::now() + WAIT;
    while mcpd_shim::process::running(pid) {
        if Instant::now() > deadline {
            return fail(format!(
                "the daemon (pid {pid}) is still stopping after {}s",
                WAIT.as_secs()
            ));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    println!("mcpd stopped (pid {pid})");
    ExitCode::SUCCESS
}
