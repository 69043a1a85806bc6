//! The daemon's tracing setup: a daily-rolling file under the log directory, plus stderr when it
//! runs in the foreground. `MCPD_LOG` sets the filter (default `info`).

use mcpd_shim::paths::Paths;
use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt;
use tracing_subscriber::prelude::*;

/// Installs the subscriber; keep the guard alive until exit so the file is flushed.
pub fn init(paths: &Paths, to_stderr: bool) -> std::io::Result<WorkerGuard> {
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix(mcpd_shim::paths::DAEMON_LOG_PREFIX)
        .max_log_files(7)
        .build(paths.log_dir())
        .map_err(std::io::Error::other)?;
    let (file, guard) = tracing_appender::non_blocking(appender);
    let filter = EnvFilter::try_from_env("MCPD_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let file_layer = fmt::layer().with_writer(file).with_ansi(false);
    let stderr_layer = to_stderr.then(|| fmt::layer().with_writer(std::io::stderr));
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(file_layer)
        .with(stderr_layer)
        .try_init();
    Ok(guard)
}
