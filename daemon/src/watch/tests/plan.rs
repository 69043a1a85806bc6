//! `plan` without a `watch` key: the folder holding the code of each command shape; nothing for
//! registry packages, commands on PATH, manual reload and remote servers.

use std::collections::HashMap;

use mcpd_config::{ReloadMode, Transport};

use super::{def, plan, server, tempdir, write};

/// The single root of a plan (panics otherwise, showing the plan).
macro_rules! root {
    ($plan:expr) => {{
        let p = &$plan;
        assert_eq!(p.roots.len(), 1, "{p:?}");
        p.roots[0].clone()
    }};
}

#[test]
fn python_script_watches_its_project() {
    let (_tmp, dir) = tempdir();
    write(&dir, "pyproject.toml", "");
    write(&dir, "src/srv/server.py", "");
    let p = plan(&server(&dir, "python", &["-u", "src/srv/server.py"]));
    assert_eq!(root!(p), dir);
    assert!(p.patterns.is_empty());
    assert_eq!(
        p.reason,
        format!("source tree of python src/srv/server.py: {}", dir.display())
    );
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
}

#[test]
fn script_without_a_project_watches_its_folder() {
    let (_tmp, dir) = tempdir();
    write(&dir, "tools/server.py", "");
    let p = plan(&server(&dir, "python3.12", &["tools/server.py"]));
    assert_eq!(root!(p), dir.join("tools"));
}

#[test]
fn nearest_project_below_the_cwd_wins() {
    let (_tmp, dir) = tempdir();
    write(&dir, "package.json", "{}");
    write(&dir, "servers/a/package.json", "{}");
    write(&dir, "servers/a/index.js", "");
    let p = plan(&server(&dir, "node", &["servers/a/index.js"]));
    assert_eq!(root!(p), dir.join("servers/a"));
}

#[test]
fn python_module_watches_the_cwd() {
    let (_tmp, dir) = tempdir();
    write(&dir, "mypkg/__main__.py", "");
    let p = plan(&server(&dir, "python", &["-m", "mypkg"]));
    assert_eq!(root!(p), dir);
    assert!(
        p.reason.starts_with("project of python -m mypkg"),
        "{}",
        p.reason
    );
}

#[test]
fn installed_python_module_watches_nothing() {
    let (_tmp, dir) = tempdir();
    let p = plan(&server(&dir, "python", &["-m", "mcp_server_time"]));
    assert!(p.is_empty(), "{p:?}");
    assert!(
        p.reason.starts_with("nothing: python -m mcp_server_time"),
        "{}",
        p.reason
    );
}

#[test]
fn node_dist_keeps_the_build_output_though_gitignored() {
    let (_tmp, dir) = tempdir();
    write(&dir, "package.json", "{}");
    write(&dir, ".gitignore", "dist/\nnode_modules/\n");
    write(&dir, "dist/index.js", "");
    let p = plan(&server(
        &dir,
        "node",
        &["--enable-source-maps", "dist/index.js"],
    ));
    assert_eq!(root!(p), dir);
    assert_eq!(p.ignore.keep(), [dir.join("dist")]);
    let rules = &p.ignore;
    assert!(!rules.is_ignored(&dir.join("dist"), true));
    assert!(!rules.is_ignored(&dir.join("dist/index.js"), false));
    assert!(rules.is_ignored(&dir.join("node_modules"), true));
    assert!(rules.is_ignored(&dir.join(".git"), true));
}

#[test]
fn node_options_and_their_values_are_skipped() {
    let (_tmp, dir) = tempdir();
    write(&dir, "package.json", "{}");
    write(&dir, "server.js", "");
    let p = plan(&server(
        &dir,
        "node",
        &["-r", "dotenv/config", "server.js", "--port", "1"],
    ));
    assert_eq!(root!(p), dir);
    assert!(p.reason.contains("node server.js"), "{}", p.reason);
}

#[test]
fn typescript_runners_and_deno_and_bun_watch_the_script_project() {
    let (_tmp, dir) = tempdir();
    write(&dir, "package.json", "{}");
    write(&dir, "deno.json", "{}");
    write(&dir, "src/index.ts", "");
    for (command, args) in [
        ("tsx", vec!["src/index.ts"]),
        ("ts-node", vec!["--transpile-only", "src/index.ts"]),
        (
            "deno",
            vec!["run", "-A", "--config", "deno.json", "src/index.ts"],
        ),
        ("bun", vec!["src/index.ts"]),
        ("bun", vec!["run", "src/index.ts"]),
        ("npx", vec!["-y", "tsx", "src/index.ts"]),
    ] {
        let p = plan(&server(&dir, command, &args));
        assert_eq!(p.roots, vec![dir.clone()], "{command} {args:?}: {p:?}");
    }
}

#[test]
fn cargo_run_watches_the_crate_or_its_workspace() {
    let (_tmp, dir) = tempdir();
    write(&dir, "Cargo.toml", "[package]\nname = \"srv\"\n");
    let p = plan(&server(
        &dir,
        "cargo",
        &["run", "--release", "--", "--stdio"],
    ));
    assert_eq!(root!(p), dir);
    assert!(p.reason.starts_with("project of cargo run"), "{}", p.reason);

    let (_tmp, ws) = tempdir();
    write(&ws, "Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\n");
    write(&ws, "crates/srv/Cargo.toml", "[package]\nname = \"srv\"\n");
    let p = plan(&server(
        &ws,
        "cargo",
        &["run", "--manifest-path", "crates/srv/Cargo.toml"],
    ));
    assert_eq!(root!(p), ws);
}

#[test]
fn uv_run_watches_the_project() {
    let (_tmp, dir) = tempdir();
    write(&dir, "pyproject.toml", "");
    write(&dir, "server.py", "");
    let script = plan(&server(&dir, "uv", &["run", "--with", "mcp", "server.py"]));
    assert_eq!(root!(script), dir);
    let entry_point = plan(&server(&dir, "uv", &["run", "my-mcp-server"]));
    assert_eq!(root!(entry_point), dir);
    assert!(
        entry_point.reason.contains("uv run my-mcp-server"),
        "{}",
        entry_point.reason
    );
    let fastmcp = plan(&server(
        &dir,
        "uv",
        &["run", "fastmcp", "run", "server.py:mcp"],
    ));
    assert_eq!(root!(fastmcp), dir);

    let (_tmp, other) = tempdir();
    write(&other, "proj/pyproject.toml", "");
    let elsewhere = plan(&server(
        &other,
        "uv",
        &["run", "--directory", "proj", "srv"],
    ));
    assert_eq!(root!(elsewhere), other.join("proj"));
}

#[test]
fn a_compiled_binary_in_target_is_watched_alone_for_rebuilds() {
    let (_tmp, dir) = tempdir();
    write(&dir, "Cargo.toml", "[package]\nname = \"srv\"\n");
    write(&dir, "target/debug/srv", "");
    let p = plan(&server(&dir, "./target/debug/srv", &[]));
    assert_eq!(root!(p), dir.join("target/debug/srv"));
    assert_eq!(p.ignore.keep(), [dir.join("target/debug/srv")]);
    assert_eq!(
        p.patterns,
        [dir.join("target/debug/srv").display().to_string()]
    );
    assert_eq!(
        p.reason,
        "build output ./target/debug/srv (a rebuild reloads it)"
    );
}

#[test]
fn local_executable_elsewhere_watches_its_folder() {
    let (_tmp, dir) = tempdir();
    write(&dir, "bin/srv", "");
    let p = plan(&server(&dir, "./bin/srv", &[]));
    assert_eq!(root!(p), dir.join("bin"));
}

#[test]
fn registry_launchers_watch_nothing() {
    let (_tmp, dir) = tempdir();
    for (command, args) in [
        ("npx", vec!["-y", "@modelcontextprotocol/server-everything"]),
        ("uvx", vec!["mcp-server-time"]),
        ("uvx", vec!["--from", "git+https://example.com/x", "srv"]),
        ("pipx", vec!["run", "mcp-server-fetch"]),
        ("bunx", vec!["some-mcp"]),
        ("npm", vec!["exec", "--", "@scope/mcp"]),
        ("uv", vec!["tool", "run", "mcp-server-git"]),
    ] {
        let p = plan(&server(&dir, command, &args));
        assert!(p.is_empty(), "{command} {args:?}: {p:?}");
        assert!(p.reason.starts_with("nothing: "), "{}", p.reason);
        assert!(p.reason.contains("registry"), "{}", p.reason);
    }
}

#[test]
fn launcher_from_a_local_path_watches_it() {
    let (_tmp, dir) = tempdir();
    write(&dir, "pyproject.toml", "");
    let p = plan(&server(&dir, "uvx", &["--from", ".", "my-srv"]));
    assert_eq!(root!(p), dir);
}

#[test]
fn commands_on_path_and_inline_code_watch_nothing() {
    let (_tmp, dir) = tempdir();
    for (command, args) in [
        ("mcp-server-foo", vec![]),
        ("python", vec!["-c", "print(1)"]),
        ("node", vec!["-e", "1"]),
        ("docker", vec!["run", "-i", "img"]),
        ("deno", vec!["run", "-A", "jsr:@x/server"]),
    ] {
        let p = plan(&server(&dir, command, &args));
        assert!(p.is_empty(), "{command} {args:?}: {p:?}");
    }
}

#[test]
fn manual_reload_and_remote_servers_watch_nothing() {
    let (_tmp, dir) = tempdir();
    write(&dir, "server.py", "");
    let mut manual = def(&dir, "python", &["server.py"]);
    manual.reload = ReloadMode::Manual;
    let p = plan(&manual.resolve(&HashMap::new()));
    assert!(p.is_empty());
    assert_eq!(p.reason, "nothing: reload is manual");

    let mut http = def(&dir, "python", &["server.py"]);
    http.transport = Transport::Http;
    let p = plan(&http.resolve(&HashMap::new()));
    assert!(p.is_empty());
    assert_eq!(p.reason, "nothing: a remote http server");
}

#[test]
fn package_scripts_watch_the_package() {
    let (_tmp, dir) = tempdir();
    write(&dir, "package.json", "{}");
    for args in [vec!["start"], vec!["run", "dev"]] {
        let p = plan(&server(&dir, "npm", &args));
        assert_eq!(p.roots, vec![dir.clone()], "npm {args:?}: {p:?}");
    }
}

#[test]
fn gitignore_files_up_to_the_repository_root_and_server_ignore_globs_apply() {
    let (_tmp, repo) = tempdir();
    write(&repo, ".git/HEAD", "");
    write(&repo, ".gitignore", "generated/\n");
    let dir = repo.join("servers/py");
    write(&dir, "server.py", "");
    let mut def = def(&dir, "python", &["server.py"]);
    def.ignore = vec!["fixtures/".to_string(), "*.snap".to_string()];
    let p = plan(&def.resolve(&HashMap::new()));
    assert_eq!(root!(p), dir);
    let rules = &p.ignore;
    assert!(rules.is_ignored(&dir.join("generated"), true));
    assert!(rules.is_ignored(&dir.join("fixtures"), true));
    assert!(rules.is_ignored(&dir.join("sub/x.snap"), false));
    assert!(rules.is_ignored(&dir.join("server.log"), false));
    assert!(!rules.is_ignored(&dir.join("fixtures.py"), false));
    assert!(!rules.is_ignored(&dir.join("lib"), true));
}

#[test]
fn an_executable_outside_the_cwd_and_any_project_watches_nothing() {
    let (_tmp, top) = tempdir();
    write(&top, "tools/bin/srv", "");
    std::fs::create_dir_all(top.join("conf")).unwrap();
    let srv = top.join("tools/bin/srv");
    let p = plan(&server(&top.join("conf"), srv.to_str().unwrap(), &[]));
    assert!(p.is_empty(), "{p:?}");
    assert!(p.reason.contains("not in a project"), "{}", p.reason);
}

#[test]
fn shell_and_ruby_scripts_are_found_past_their_options() {
    let (_tmp, dir) = tempdir();
    write(&dir, "run.sh", "");
    write(&dir, "srv.rb", "");
    assert_eq!(root!(plan(&server(&dir, "bash", &["-e", "run.sh"]))), dir);
    assert_eq!(
        root!(plan(&server(&dir, "ruby", &["-r", "json", "srv.rb"]))),
        dir
    );
    assert!(plan(&server(&dir, "sh", &["-c", "exec srv"])).is_empty());
}
