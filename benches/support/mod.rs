//! The benchmark's parts: a blocking JSON-RPC line connection, the direct and daemon clients, the
//! isolated mcpd world, statistics, memory readings and the report table.

pub mod daemon_client;
pub mod direct;
pub mod report;
pub mod rpc;
pub mod rss;
pub mod stats;
pub mod world;
