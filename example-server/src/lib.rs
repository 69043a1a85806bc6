//! `mcpd example-server`: a small, blocking, std-only MCP server over stdio for tests and demos.
//!
//! Everything written to stdout is an MCP JSON message, one per line (except the garbage
//! lines that some flags and tools print on purpose); diagnostics go to stderr.

mod client_requests;
mod flags;
mod in_flight;
mod output;
mod pagination;
mod protocol;
mod server;
mod startup;
mod synthetic;
mod tools;

use std::io::BufRead;

pub use flags::{FlagError, Flags, Invocation, USAGE};
pub use output::SharedWriter;
pub use server::Server;

/// Runs the server on stdin/stdout with `args` (the flags after the subcommand) and
/// returns the process exit code: 0 after stdin closes, 2 for bad flags.
pub fn run(args: Vec<String>) -> i32 {
    let flags = match Flags::parse(&args) {
        Ok(Invocation::Serve(flags)) => flags,
        Ok(Invocation::Help) => {
            eprintln!("{USAGE}");
            return 0;
        }
        Err(err) => {
            eprintln!("mcpd example-server: {err}\n\n{USAGE}");
            return 2;
        }
    };
    let output = output::Output::stdout();
    let grandchild_pid = match startup::start(&flags, &output) {
        Ok(pid) => pid,
        Err(code) => return code,
    };
    let ignore_stdin_eof = flags.ignore_stdin_eof;
    let server = Server::build(flags, output, grandchild_pid);
    serve_stdin(&server);
    if ignore_stdin_eof {
        loop {
            std::thread::park();
        }
    }
    0
}

/// Feeds stdin to the server line by line until EOF or a read error.
fn serve_stdin(server: &std::sync::Arc<Server>) {
    let mut stdin = std::io::stdin().lock();
    let mut line = Vec::new();
    loop {
        line.clear();
        match stdin.read_until(b'\n', &mut line) {
            Ok(0) => return,
            Ok(_) => {
                server.handle_line(&String::from_utf8_lossy(&line));
            }
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
            Err(err) => {
                eprintln!("example server: cannot read stdin: {err}");
                return;
            }
        }
    }
}
