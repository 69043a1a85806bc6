//! `install_and_load_mcp_server`: not available in this version; says what to do instead.

use super::args::Args;
use super::outcome::Outcome;

pub fn run(args: &Args) -> Result<Outcome, String> {
    let source = args.string("source")?;
    Ok(Outcome::error(format!(
        "installing servers is not available yet in this mcpd (asked for '{source}'). Install it yourself \
         (npm, pip or git), add it to .mcpd.json under mcpServers with its command and args, then call \
         load_mcp_server_dynamically."
    )))
}
