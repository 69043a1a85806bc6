//! `mcpd demo`: a tour on the bundled example server in a throw-away MCPD_HOME and project:
//! status, load, tools, call, status, logs, stop, each run as the real `mcpd` command.

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
    std::fs::create_dir_all(&project)
        .map_err(|e| format!("cannot create {}: {e}", project.display()))?;
    let config = serde_json::json!({
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
    println!("# A project with one server in .mcpd.json, and a private MCPD_HOME:");
    println!("{config_text}\n");
    let steps: &[&[&str]] = &[
        &["status"],
        &["load", "example"],
        &["call", "example", "add", r#"{"a": 2, "b": 40}"#],
        &["call", "example", "echo", r#"{"text": "hello from mcpd"}"#],
        &["call", "example", "fail"],
        &["status"],
        &["logs", "example", "-n", "3"],
        &["stop"],
    ];
    for args in steps {
        println!(
            "$ mcpd {}",
            args.iter()
                .map(|a| shell_word(a))
                .collect::<Vec<_>>()
                .join(" ")
        );
        let status = Command::new(exe)
            .args(*args)
            .env("MCPD_HOME", root.join("home"))
            .current_dir(&project)
            .status()
            .map_err(|e| format!("cannot run mcpd: {e}"))?;
        println!("[exit code {}]\n", status.code().unwrap_or(-1));
    }
    Ok(())
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
