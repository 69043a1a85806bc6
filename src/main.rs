//! `mcpd`: the one binary. Parses the command line and hands off to one module per subcommand.

mod cli;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "mcpd",
    version,
    about = "A per-user daemon that owns MCP servers for AI coding clients"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the daemon (in the foreground, for systemd/launchd; --detach to run in the background).
    Daemon {
        /// Fork into the background; return once the daemon is ready or has said why it cannot start.
        #[arg(long)]
        detach: bool,
    },
    /// Show the daemon and its servers (or say it is not running).
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Start a configured server (or reuse the running one) and list its tools.
    Load { name: String },
    /// Stop a server.
    Unload { name: String },
    /// Restart a server.
    Reload { name: String },
    /// List the tools of one server, or of every configured server.
    Tools {
        name: Option<String>,
        /// Full JSON schemas instead of compact signatures.
        #[arg(long)]
        json: bool,
    },
    /// Call a tool: `mcpd call SERVER TOOL '{"arg": 1}'`. Exit code 1 when the tool reports an error.
    Call {
        name: String,
        tool: String,
        /// Arguments as a JSON object (default `{}`; `-` reads them from stdin).
        arguments: Option<String>,
        /// Print the raw CallToolResult.
        #[arg(long)]
        json: bool,
    },
    /// Show the last lines of a server's log (its stderr and mcpd's notes).
    Logs {
        name: String,
        #[arg(short = 'n', long = "lines", default_value_t = 50)]
        lines: usize,
    },
    /// Stop the daemon and every server it runs.
    Stop,
    /// Add the mcpd shim entry to the project's .mcp.json (created when absent).
    Init,
    /// Move the stdio servers of the project's .mcp.json behind mcpd (into .mcpd.json).
    Import {
        /// Print what would move; write nothing, load nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// The stdio MCP server to put in a client's .mcp.json: meta-tools backed by the daemon.
    Shim {
        /// Passthrough: expose this one server's own tools instead of the meta-tools.
        #[arg(long)]
        server: Option<String>,
    },
    /// A demo on the bundled example server, in a temporary MCPD_HOME.
    Demo,
    /// The bundled example MCP server (stdio), used by the demo, the tests and the benchmark.
    #[command(hide = true, disable_help_flag = true)]
    ExampleServer {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        // These two must not start a runtime first: the daemon forks, the example server is sync.
        Command::Daemon { detach } => cli::daemon::run(detach),
        Command::ExampleServer { args } => {
            ExitCode::from(mcpd_example_server::run(args).clamp(0, 255) as u8)
        }
        Command::Demo => cli::demo::run(),
        Command::Shim { server } => cli::shim::run(server),
        Command::Init => cli::init::run(),
        other => cli::block_on(async move {
            match other {
                Command::Status { json } => cli::status::run(json).await,
                Command::Load { name } => cli::lifecycle::load(&name).await,
                Command::Unload { name } => cli::lifecycle::unload(&name).await,
                Command::Reload { name } => cli::lifecycle::reload(&name).await,
                Command::Tools { name, json } => cli::tools::run(name, json).await,
                Command::Call {
                    name,
                    tool,
                    arguments,
                    json,
                } => cli::call::run(&name, &tool, arguments, json).await,
                Command::Logs { name, lines } => cli::logs::run(&name, lines).await,
                Command::Stop => cli::stop::run().await,
                Command::Import { dry_run } => cli::import::run(dry_run).await,
                Command::Daemon { .. }
                | Command::ExampleServer { .. }
                | Command::Demo
                | Command::Shim { .. }
                | Command::Init => {
                    unreachable!()
                }
            }
        }),
    }
}
