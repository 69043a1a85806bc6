//! The subcommands, one file each, and what they share: a runtime, a connection, error output.

pub mod call;
pub mod daemon;
pub mod demo;
pub mod demo_session;
pub mod import;
pub mod init;
pub mod lifecycle;
pub mod logs;
pub mod render;
pub mod shim;
pub mod status;
pub mod stop;
pub mod tools;

use mcpd_shim::autostart::connect_or_start;
use mcpd_shim::client::{Client, ClientError};
use mcpd_shim::paths::Paths;
use mcpd_shim::wire::{ClientKind, Hello};
use std::process::ExitCode;

/// Exit code when the daemon or a server reported an error (not a tool's own isError).
pub const EXIT_ERROR: u8 = 2;
/// Exit code of `status` when no daemon runs.
pub const EXIT_NOT_RUNNING: u8 = 3;

/// Runs a CLI command on a small single-threaded runtime.
pub fn block_on(fut: impl std::future::Future<Output = ExitCode>) -> ExitCode {
    match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt.block_on(fut),
        Err(e) => fail(format!("cannot start a runtime: {e}")),
    }
}

/// Connects to the daemon, starting it when none runs.
pub async fn connect() -> Result<Client, ClientError> {
    let paths = Paths::from_env()?;
    let hello = Hello::from_current_process(ClientKind::Cli)?;
    let exe = std::env::current_exe()?;
    connect_or_start(&paths, &hello, &exe).await
}

/// Connects to a running daemon only.
pub async fn connect_existing() -> Result<Client, ClientError> {
    let paths = Paths::from_env()?;
    let hello = Hello::from_current_process(ClientKind::Cli)?;
    Client::connect(&paths, &hello).await
}

/// Prints `error: ...` and returns the error exit code.
pub fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(EXIT_ERROR)
}
