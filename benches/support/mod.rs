//! The benchmark's parts: a blocking JSON-RPC line connection, the direct, daemon and shim clients
//! (child processes under a watchdog), the isolated mcpd world, statistics, memory readings and
//! the report table; hot reload (a Python server saved 20 times) and watching a big project.

pub mod big_tree;
pub mod cpu;
pub mod daemon_client;
pub mod direct;
pub mod process;
pub mod py_server;
pub mod reload;
pub mod report;
pub mod rpc;
pub mod rss;
pub mod shim;
pub mod shim_phases;
pub mod stats;
pub mod watching;
pub mod world;
