//! The third-party servers and clients `scripts/install-test-deps` puts in `.test-deps/`.

use std::path::PathBuf;

/// A file installed by scripts/install-test-deps; fails (never skips) with the fix when missing.
pub fn dep(rel: &str) -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(".test-deps")
        .join(rel);
    assert!(
        p.exists(),
        "{} is missing: run scripts/install-test-deps (needs npm and python3)",
        p.display()
    );
    p
}

/// The meta-tool names of PRODUCT.md, in `tools/list` order.
pub const META_TOOLS: [&str; 7] = [
    "get_loaded_servers",
    "load_mcp_server_dynamically",
    "call_dynamic_server_tool",
    "search_tools",
    "reload_mcp_server",
    "unload_mcp_server",
    "install_and_load_mcp_server",
];
