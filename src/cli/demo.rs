//! `mcpd demo`: a tour on the bundled example server in a throw-away MCPD_HOME and project: an MCP
//! session through `mcpd shim` as a client like Claude Code would hold it, then the CLI view.

use super::demo_session::Session;
use serde_json::json;
use std::path::Path;
use std::process::{Command, ExitCode};

pub fn run() -> ExitCode {
    let exe = match std::env::current_exe() {
        Ok(e) => e,
        Err(e) => return super::fail(format!("cannot find the mcpd binary: {e}")),
    };
    let root = std::env::temp_dir().join(format!("mcpd-demo-{}", std::process::id()));
    let code = match tour(&exe, &root) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => super::fail(e),
    };
    // Whatever happened, leave no daemon and no files behind.
    let _ = Command::new(&exe)
        .arg("stop")
        .env("MCPD_HOME", root.join("home"))
        .current_dir(&root)
        .output();
    let _ = std::fs::remove_dir_all(&root);
    code
}

fn tour(exe: &Path, root: &Path) -> Result<(), String> {
    let project = root.join("project");
    let home = root.join("home");
    std::fs::create_dir_all(&project)
        .map_err(|e| format!("cannot create {}: {e}", project.display()))?;
    let config = json!({
        "mcpServers": {
            "example": {
                "command": exe,
                "args": ["example-server", "--tools", "3"],
                "description": "mcpd's bundled example server"
            }
        }
    });
    let config_text = serde_json::to_string_pretty(&config).expect("serializable");
    std::fs::write(project.join(".mcpd.json"), &config_text).map_err(|e| e.to_string())?;
    println!(
        "# A project whose .mcpd.json defines one server, and a private MCPD_HOME:\n{config_text}\n"
    );
    println!(
        "# The client's .mcp.json holds only: {{\"mcpServers\": {{\"mcpd\": {{\"command\": \"mcpd\", \"args\": [\"shim\"]}}}}}}"
    );
    println!("# An MCP session through `mcpd shim` (it starts the daemon by itself):\n");

    let mut s = Session::start(exe, &home, &project)?;
    let init = s.request("initialize", json!({"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "mcpd-demo", "version": "1"}}))?;
    println!(
        "→ initialize\n← {} {}, instructions:\n{}\n",
        init["serverInfo"]["name"],
        init["protocolVersion"],
        indent(init["instructions"].as_str().unwrap_or(""))
    );
    s.notify("notifications/initialized", json!({}));
    let list = s.request("tools/list", json!({}))?;
    let names: Vec<&str> = list["tools"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["name"].as_str())
        .collect();
    println!(
        "→ tools/list\n← {} meta-tools in {} bytes: {}\n",
        names.len(),
        list.to_string().len(),
        names.join(", ")
    );
    for (tool, args) in [
        ("get_loaded_servers", json!({})),
        (
            "load_mcp_server_dynamically",
            json!({"server_name": "example"}),
        ),
        (
            "call_dynamic_server_tool",
            json!({"server_name": "example", "tool_name": "add", "parameters": {"a": 2, "b": 40}}),
        ),
        (
            "call_dynamic_server_tool",
            json!({"server_name": "example", "tool_name": "echo", "parameters": {"text": "hello from mcpd"}}),
        ),
        (
            "call_dynamic_server_tool",
            json!({"server_name": "exmaple", "tool_name": "echo", "parameters": {}}),
        ),
        ("get_loaded_servers", json!({})),
    ] {
        let r = s.request("tools/call", json!({"name": tool, "arguments": args}))?;
        let text: Vec<&str> = r["content"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c["text"].as_str())
            .collect();
        let flag = if r["isError"] == true {
            " (isError)"
        } else {
            ""
        };
        println!("→ {tool} {args}\n←{flag} {}\n", indent(&text.join("\n")));
    }
    s.close();
    println!(
        "# The session ended; the server keeps running in the daemon, warm for the next session:\n"
    );
    for args in [
        &["status"][..],
        &["call", "example", "add", r#"{"a": 1, "b": 1}"#],
        &["stop"],
    ] {
        println!(
            "$ mcpd {}",
            args.iter()
                .map(|a| shell_word(a))
                .collect::<Vec<_>>()
                .join(" ")
        );
        let status = Command::new(exe)
            .args(args)
            .env("MCPD_HOME", &home)
            .current_dir(&project)
            .status()
            .map_err(|e| format!("cannot run mcpd: {e}"))?;
        println!("[exit code {}]\n", status.code().unwrap_or(-1));
    }
    Ok(())
}

fn indent(text: &str) -> String {
    text.replace('\n', "\n  ")
}

fn shell_word(a: &str) -> String {
    if a.chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
    {
        a.to_string()
    } else {
        format!("'{a}'")
    }
}
