//! `mcpd init`: adds the shim's entry to the project's `.mcp.json` (the nearest one upward, else a
//! new one in the working directory), unless an entry already runs `mcpd shim`.

use super::fail;
use mcpd_daemon::config::edit::{self, JsonFile, ShimEntry};
use mcpd_daemon::config::runs_mcpd_shim;
use std::process::ExitCode;

pub fn run() -> ExitCode {
    let cwd = match std::env::current_dir() {
        Ok(cwd) => cwd,
        Err(e) => return fail(format!("cannot read the working directory: {e}")),
    };
    let mut file = match JsonFile::open(edit::project_mcp_json(&cwd)) {
        Ok(file) => file,
        Err(e) => return fail(e),
    };
    let path = file.path().display().to_string();
    match edit::ensure_shim(&mut file) {
        Err(e) => fail(e),
        Ok(ShimEntry::Present(name)) => {
            println!("{path} already runs mcpd shim (entry \"{name}\"); nothing changed");
            ExitCode::SUCCESS
        }
        Ok(ShimEntry::Added) => {
            if let Err(e) = file.save() {
                return fail(e);
            }
            let name = edit::SHIM_NAME;
            if file.existed() {
                println!("added the mcpd shim entry \"{name}\" to {path}");
            } else {
                println!("created {path} with the mcpd shim entry \"{name}\"");
            }
            println!("equivalent command: {}", edit::CLAUDE_ADD_COMMAND);
            let others = file
                .servers()
                .into_iter()
                .flatten()
                .filter(|(_, entry)| !runs_mcpd_shim(entry) && edit::stdio_or_why(entry).is_ok())
                .count();
            if others > 0 {
                let s = if others == 1 { "" } else { "s" };
                println!(
                    "next: `mcpd import` moves the {others} other stdio server{s} of this file \
                     behind mcpd"
                );
            }
            ExitCode::SUCCESS
        }
    }
}
