//! `mcpd import`: moves the stdio servers of the project's `.mcp.json` to the `.mcpd.json` next to
//! it, leaves the shim's entry (and the http ones) in `.mcp.json`, then loads the moved servers
//! through the daemon to show how much context their tool lists cost every session.

use super::fail;
use mcpd_daemon::config::edit::{self, Import, JsonFile, ShimEntry};
use mcpd_daemon::config::{MCP_JSON_FILE, PROJECT_CONFIG_FILE, find_upward};
use mcpd_shim::autostart::connect_or_start;
use mcpd_shim::client::{Client, ClientError};
use mcpd_shim::paths::Paths;
use mcpd_shim::server::meta_tools::tools_list_result;
use mcpd_shim::wire::{ClientKind, Hello, ToolsParams, ToolsResult, method};
use serde_json::value::RawValue;
use std::path::Path;
use std::process::ExitCode;
use tokio::task::JoinSet;

pub async fn run(dry_run: bool) -> ExitCode {
    let cwd = match std::env::current_dir() {
        Ok(cwd) => cwd,
        Err(e) => return fail(format!("cannot read the working directory: {e}")),
    };
    let Some(client_path) = find_upward(&cwd, MCP_JSON_FILE) else {
        println!(
            "nothing to import: no {MCP_JSON_FILE} in {} or above",
            cwd.display()
        );
        return ExitCode::SUCCESS;
    };
    let project = match client_path.parent() {
        Some(dir) => dir.to_path_buf(),
        None => cwd.clone(),
    };
    let mut client = match JsonFile::open(&client_path) {
        Ok(f) => f,
        Err(e) => return fail(e),
    };
    let mut own = match JsonFile::open(project.join(PROJECT_CONFIG_FILE)) {
        Ok(f) => f,
        Err(e) => return fail(e),
    };
    // A new .mcpd.json receives the entries (and maybe tokens) of .mcp.json: same permissions.
    own.create_with_permissions_of(&client_path);
    let import = edit::import_servers(&mut client, &mut own);
    let removed = import.removed();
    let (client_name, own_name) = (
        client.path().display().to_string(),
        own.path().display().to_string(),
    );
    report(&import, &client_name, &own_name, dry_run);
    if removed.is_empty() {
        println!("nothing to import from {client_name}");
        if client.servers().and_then(edit::find_shim).is_none() {
            println!("(`mcpd init` adds the mcpd shim entry)");
        }
        return ExitCode::SUCCESS;
    }
    let shim = match edit::ensure_shim(&mut client) {
        Ok(shim) => shim,
        Err(e) => return fail(format!("{e}\nnothing was changed")),
    };
    match &shim {
        ShimEntry::Added if dry_run => println!(
            "would add the mcpd shim entry \"{}\" to {client_name}",
            edit::SHIM_NAME
        ),
        ShimEntry::Added => println!(
            "added the mcpd shim entry \"{}\" to {client_name}",
            edit::SHIM_NAME
        ),
        ShimEntry::Present(name) => {
            println!("{client_name} already runs mcpd shim (entry \"{name}\")")
        }
    }
    if dry_run {
        println!("dry run: nothing written, nothing loaded");
        return ExitCode::SUCCESS;
    }
    // .mcpd.json first: a crash between the two writes leaves an entry in both files, never in
    // none (and the next `mcpd import` finishes the move).
    if !import.moved.is_empty()
        && let Err(e) = own.save()
    {
        return fail(format!("{e}\nnothing was changed"));
    }
    if let Err(e) = client.save() {
        return fail(format!(
            "{e}\n{own_name} has the servers, {client_name} is unchanged: fix the problem and run \
             `mcpd import` again to finish"
        ));
    }
    measure(&project, &removed).await;
    ExitCode::SUCCESS
}

/// What goes where (or would).
fn report(import: &Import, client: &str, own: &str, dry_run: bool) {
    let n = import.moved.len();
    if n > 0 {
        let verb = if dry_run { "would move" } else { "moved" };
        let s = if n == 1 { "" } else { "s" };
        let names = import.moved.join(", ");
        println!("{verb} {n} server{s} from {client} to {own}: {names}");
    }
    if !import.already.is_empty() {
        let verb = if dry_run {
            "would be removed"
        } else {
            "removed"
        };
        let names = import.already.join(", ");
        println!("already in {own} (same definition), {verb} from {client}: {names}");
    }
    for name in &import.conflicts {
        println!(
            "not moved: \"{name}\" is already defined differently in {own}; it stays in {client} \
             (rename or remove one of them, then run `mcpd import` again)"
        );
    }
    if !import.kept.is_empty() {
        let kept: Vec<String> = import
            .kept
            .iter()
            .map(|(name, why)| format!("{name} ({why})"))
            .collect();
        println!("left in {client}: {}", kept.join(", "));
    }
}

/// Loads each server through the daemon (as a client working in `project` sees it) and prints
/// the bytes its `tools/list` result would put in a client's context, against the shim's own.
async fn measure(project: &Path, names: &[String]) {
    println!("loading the moved servers through mcpd to measure their tool lists...");
    let mut total = 0;
    let mut counted = 0;
    let mut unknown = Vec::new();
    for (name, result) in tool_lists(project, names).await {
        match result {
            Ok((tools, bytes)) => {
                println!("  {name}: {tools} tools, {} bytes", thousands(bytes));
                total += bytes;
                counted += 1;
            }
            Err(e) => {
                println!("  {name}: failed to load: {}", e.replace('\n', "\n    "));
                unknown.push(name);
            }
        }
    }
    let shim = tools_list_result().len();
    let lists = if counted == 1 {
        "1 server's tool list".to_string()
    } else {
        format!("{counted} servers' tool lists")
    };
    if counted == 0 {
        println!("context saved: unknown (no moved server could be loaded)");
    } else if total > shim {
        println!(
            "saves {} of context per session: {lists} {} vs mcpd's {}",
            amount(total - shim),
            amount(total),
            amount(shim)
        );
    } else {
        println!(
            "no context saved yet: {lists} {} vs mcpd's {} (mcpd's cost stays the same as \
             servers are added)",
            amount(total),
            amount(shim)
        );
    }
    if !unknown.is_empty() {
        println!(
            "not counted (failed to load, saving unknown): {}",
            unknown.join(", ")
        );
    }
}

/// Per server, in order: (number of tools, bytes of `{"tools":[...]}` as the server sent them), or
/// why it could not be loaded. All servers load at once, each on its own connection.
async fn tool_lists(
    project: &Path,
    names: &[String],
) -> Vec<(String, Result<(usize, usize), String>)> {
    // Connect once first, so that only this process starts the daemon when none runs.
    if let Err(e) = connect_from(project).await {
        let e = e.to_string();
        return names.iter().map(|n| (n.clone(), Err(e.clone()))).collect();
    }
    let mut set = JoinSet::new();
    for (i, name) in names.iter().enumerate() {
        let (project, name) = (project.to_path_buf(), name.clone());
        set.spawn(async move {
            let result = tool_list(&project, &name).await;
            (i, name, result)
        });
    }
    let mut out = set.join_all().await;
    out.sort_by_key(|(i, _, _)| *i);
    out.into_iter().map(|(_, name, r)| (name, r)).collect()
}

async fn tool_list(project: &Path, name: &str) -> Result<(usize, usize), String> {
    let mut c = connect_from(project).await.map_err(|e| e.to_string())?;
    let params = ToolsParams {
        server: Some(name.to_string()),
    };
    let result: ToolsResult = c
        .request(method::TOOLS, &params)
        .await
        .map_err(|e| e.to_string())?;
    let entry = result
        .servers
        .into_iter()
        .next()
        .ok_or("the daemon answered without the server")?;
    match (entry.tools, entry.error) {
        (Some(tools), _) => {
            let count = serde_json::from_str::<Vec<&RawValue>>(tools.get())
                .map(|t| t.len())
                .unwrap_or(0);
            let bytes = format!("{{\"tools\":{}}}", tools.get()).len();
            Ok((count, bytes))
        }
        (None, error) => Err(error.unwrap_or_else(|| "unknown error".into())),
    }
}

/// Like `cli::connect`, but as a client working in `dir`, so that names resolve as the shim in
/// that project resolves them.
async fn connect_from(dir: &Path) -> Result<Client, ClientError> {
    let paths = Paths::from_env()?;
    let mut hello = Hello::from_current_process(ClientKind::Cli)?;
    hello.cwd = dir.to_path_buf();
    connect_or_start(&paths, &hello, &std::env::current_exe()?).await
}

/// `12,345 bytes (~3,090 tokens)`, a token being about 4 bytes.
fn amount(bytes: usize) -> String {
    format!(
        "{} bytes (~{} tokens)",
        thousands(bytes),
        thousands(three_digits(bytes / 4))
    )
}

/// `n` rounded to three significant digits.
fn three_digits(n: usize) -> usize {
    let mut unit = 1;
    while n / unit >= 1000 {
        unit *= 10;
    }
    (n + unit / 2) / unit * unit
}

/// `1234567` → `1,234,567`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_like_the_brief() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1680), "1,680");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(three_digits(420), 420);
        assert_eq!(three_digits(10_307), 10_300);
        assert_eq!(three_digits(10_727), 10_700);
        assert_eq!(three_digits(99_960), 100_000);
        assert_eq!(amount(41_230), "41,230 bytes (~10,300 tokens)".to_string());
    }
}
