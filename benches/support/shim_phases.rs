//! The measurements only the shim has: start to `initialize` answered (against the example
//! server's own start, interleaved), its memory after a short session, and what its `tools/list`
//! puts in a client's context against the servers it stands for.

use super::direct::Direct;
use super::rss;
use super::stats::Samples;
use super::world::World;
use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use std::path::Path;
use std::time::Duration;

/// Spawn to `initialize` answered, `samples` times each (after one warm-up of each), alternating:
/// `mcpd example-server` directly, and `mcpd shim` in `project` with the daemon up.
pub fn startups(
    exe: &Path,
    world: &World,
    project: &Path,
    samples: usize,
) -> Result<(Samples, Samples)> {
    let (mut dv, mut sv) = (Vec::new(), Vec::new());
    for i in 0..=samples {
        let mut d = Direct::spawn(exe, &[])?;
        d.initialize()?;
        let direct = d.spawned_at.elapsed();
        drop(d);

        let mut shim = world.spawn_shim(project)?;
        let reply = shim.initialize()?;
        let via_shim = shim.spawned_at().elapsed();
        drop(shim);
        if !reply.contains(r#""name":"mcpd""#) {
            bail!("the shim's initialize answered {reply}");
        }
        if i > 0 {
            dv.push(direct);
            sv.push(via_shim);
        }
    }
    Ok((Samples::new(dv), Samples::new(sv)))
}

/// VmRSS of a fresh shim after initialize, tools/list and `calls` `call` calls.
pub fn rss_after_calls(
    world: &World,
    project: &Path,
    calls: usize,
    mut check: impl FnMut(&str) -> Result<()>,
    (server, tool, parameters): (&str, &str, &str),
) -> Result<u64> {
    let mut shim = world.shim(project)?;
    for _ in 0..calls {
        check(&shim.call(server, tool, parameters)?)?;
    }
    std::thread::sleep(Duration::from_millis(100));
    rss::kib(shim.pid(), "VmRSS")
}

/// Bytes a client puts in its context: `tools/list` results and `initialize` instructions.
pub struct ContextSize {
    pub tools: usize,
    pub tools_list_bytes: usize,
    pub instructions_bytes: usize,
}

/// What `servers` configured servers of `tools_each` synthetic tools send, each over its own
/// stdio (every tools/list page), summed; and what the shim sends, with those same servers
/// configured in a project of their own.
pub fn context(
    exe: &Path,
    world: &World,
    servers: usize,
    tools_each: usize,
) -> Result<(ContextSize, ContextSize)> {
    let names: Vec<String> = (1..=servers).map(|i| format!("s{i:02}")).collect();
    let flags = |name: &str| {
        vec![
            "--name".to_string(),
            name.to_string(),
            "--tools".to_string(),
            tools_each.to_string(),
        ]
    };
    let mut config = serde_json::Map::new();
    for name in &names {
        let mut args = vec!["example-server".to_string()];
        args.extend(flags(name));
        config.insert(name.clone(), json!({ "command": exe, "args": args }));
    }
    let project = world.add_project("context", Value::Object(config))?;

    let mut direct = ContextSize {
        tools: 0,
        tools_list_bytes: 0,
        instructions_bytes: 0,
    };
    for name in &names {
        let flags = flags(name);
        let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
        let mut d = Direct::spawn(exe, &flags)?;
        direct.instructions_bytes += instructions_len(&d.initialize()?)?;
        d.conn().notify("notifications/initialized", None)?;
        let mut tools = 0;
        for page in d.tools_list_pages()? {
            direct.tools_list_bytes += page.len();
            tools += tool_count(&page)?;
        }
        if tools < tools_each {
            bail!("{name} lists {tools} tools, expected at least {tools_each}");
        }
        direct.tools += tools;
    }

    let mut shim = world.spawn_shim(&project)?;
    let init = shim.initialize()?;
    shim.conn().notify("notifications/initialized", None)?;
    let list = shim.tools_list()?;
    let via_shim = ContextSize {
        tools: tool_count(&list)?,
        tools_list_bytes: list.len(),
        instructions_bytes: instructions_len(&init)?,
    };
    let text: Value = serde_json::from_str(&init)?;
    let instructions = text["instructions"].as_str().unwrap_or_default();
    if let Some(missing) = names.iter().find(|n| !instructions.contains(n.as_str())) {
        bail!("the shim's instructions do not name {missing}: {instructions}");
    }
    Ok((direct, via_shim))
}

fn tool_count(tools_list: &str) -> Result<usize> {
    let v: Value = serde_json::from_str(tools_list)?;
    v["tools"]
        .as_array()
        .map(Vec::len)
        .with_context(|| format!("tools/list without tools: {tools_list}"))
}

/// Bytes of the `instructions` string of an `initialize` result (as sent, escapes included).
fn instructions_len(init: &str) -> Result<usize> {
    let v: Value = serde_json::from_str(init)?;
    Ok(v.get("instructions")
        .map_or(0, |i| serde_json::to_string(i).map_or(0, |s| s.len())))
}
