#!/usr/bin/env python3
# Drives `mcpd shim` with the official MCP Python SDK (mcp.ClientSession over stdio_client) for
# tests/real_clients.rs. Usage: python_session.py SCENARIO, with MCPD_EXE (the mcpd binary) and
# MCPD_HOME in the environment and the project as the working directory. Prints one JSON object
# (what the scenario saw) on stdout; on any failure prints why on stderr and exits 1.

import asyncio
import contextlib
import json
import os
import signal
import sys
import time
import traceback

try:
    from mcp import Client, ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client
    from mcp.shared.exceptions import MCPError
except ImportError as e:  # the venv predates the client deps
    sys.exit(f"python_session.py: the MCP Python SDK is missing ({e}): run scripts/install-test-deps")

CALL = "call_dynamic_server_tool"
# The example server the Rust side configures under this name.
EX = "ex"
TIMEOUT = float(os.environ.get("SCENARIO_TIMEOUT_SECS", "90"))


def server_params():
    # The SDK passes only a few safe variables by default; the shim needs MCPD_HOME and PATH.
    return StdioServerParameters(
        command=os.environ["MCPD_EXE"], args=["shim"], env=dict(os.environ), cwd=os.getcwd()
    )


@contextlib.asynccontextmanager
async def session():
    """A ClientSession on a fresh `mcpd shim`, after the initialize handshake."""
    async with stdio_client(server_params()) as (read, write):
        async with ClientSession(read, write) as s:
            await s.initialize()
            yield s


def dump(result):
    return result.model_dump(mode="json", by_alias=True, exclude_none=True)


def text(result):
    """The first text block of a CallToolResult (as a dict)."""
    for block in result.get("content", []):
        if block.get("type") == "text":
            return block["text"]
    raise AssertionError(f"no text block in {result}")


def ok_text(result):
    if result.get("isError"):
        raise AssertionError(f"unexpected isError result: {result}")
    return text(result)


async def meta(s, name, args=None, **kw):
    return dump(await s.call_tool(name, args or {}, **kw))


async def call(s, server, tool, parameters=None, **kw):
    args = {"server_name": server, "tool_name": tool, "parameters": parameters or {}}
    return await meta(s, CALL, args, **kw)


def daemon_pid():
    path = os.path.join(os.environ["MCPD_HOME"], "run", "mcpd.pid")
    with open(path) as f:
        return int(f.read().strip())


async def meta_tools():
    out = {}
    async with session() as s:
        out["protocol_version"] = s.protocol_version
        out["tools"] = [t.name for t in (await s.list_tools()).tools]
        out["servers_before"] = await meta(s, "get_loaded_servers")
        out["load"] = await meta(s, "load_mcp_server_dynamically", {"server_name": EX})
        out["add"] = await call(s, EX, "add", {"a": 2, "b": 3})
        out["image"] = await call(s, EX, "image")
        out["fail"] = await call(s, EX, "fail", {"message": "broken on purpose"})
        out["unknown_server"] = await call(s, "nope", "echo", {"text": "x"})
        out["search"] = await meta(s, "search_tools", {"query": "add two numbers", "limit": 3})
        out["pid_before_reload"] = ok_text(await call(s, EX, "pid"))
        out["reload"] = await meta(s, "reload_mcp_server", {"server_name": EX})
        out["pid_after_reload"] = ok_text(await call(s, EX, "pid"))
        out["unload"] = await meta(s, "unload_mcp_server", {"server_name": EX})
        out["servers_after_unload"] = await meta(s, "get_loaded_servers")
        out["install"] = await meta(s, "install_and_load_mcp_server", {"source": "npm:left-pad"})
        try:
            await s.call_tool("no_such_meta_tool", {})
            out["unknown_meta_tool"] = None
        except MCPError as e:
            out["unknown_meta_tool"] = str(e)
    return out


async def parallel():
    async with session() as s:
        await meta(s, "load_mcp_server_dynamically", {"server_name": EX})
        start = time.monotonic()
        results = await asyncio.gather(
            *(call(s, EX, "sleep", {"ms": 300 + i}) for i in range(20))
        )
        elapsed = time.monotonic() - start
    return {"texts": [ok_text(r) for r in results], "elapsed_secs": elapsed}


async def progress():
    events = []

    async def on_progress(progress, total, message):
        events.append({"progress": progress, "total": total, "message": message})

    async with session() as s:
        r = await call(
            s, EX, "progress", {"steps": 5, "interval_ms": 50}, progress_callback=on_progress
        )
    return {"result": r, "events": events}


async def everything():
    events = []

    async def on_progress(progress, total, message):
        events.append({"progress": progress, "total": total, "message": message})

    async with session() as s:
        load = await meta(s, "load_mcp_server_dynamically", {"server_name": "everything"})
        echo = await call(s, "everything", "echo", {"message": "hi from python"})
        total = await call(s, "everything", "get-sum", {"a": 2, "b": 3})
        image = await call(s, "everything", "get-tiny-image")
        long = await call(
            s,
            "everything",
            "trigger-long-running-operation",
            {"duration": 1, "steps": 3},
            progress_callback=on_progress,
        )
    return {"load": load, "echo": echo, "sum": total, "image": image, "long": long, "events": events}


async def wait_new_daemon(old):
    """The pid of the daemon that replaced `old` (the shim starts one on the next call)."""
    for _ in range(200):
        with contextlib.suppress(OSError, ValueError):
            pid = daemon_pid()
            if pid != old:
                return pid
        await asyncio.sleep(0.05)
    raise AssertionError(f"no new daemon replaced pid {old}")


async def daemon_kill():
    out = {}
    async with session() as s:
        out["pid_before"] = ok_text(await call(s, EX, "pid"))
        first = daemon_pid()
        out["daemon_first"] = first
        # Kill -9 with a call in flight: that call fails, the next one works.
        in_flight = asyncio.create_task(call(s, EX, "sleep", {"ms": 5000}))
        await asyncio.sleep(0.5)
        os.kill(first, signal.SIGKILL)
        out["in_flight"] = await asyncio.wait_for(in_flight, 30)
        out["after_in_flight"] = await call(s, EX, "echo", {"text": "back"})
        second = await wait_new_daemon(first)
        out["daemon_second"] = second
        # Kill -9 while idle: the next call may fail (if the shim had not noticed yet); the one
        # after it works.
        os.kill(second, signal.SIGKILL)
        await asyncio.sleep(0.2)
        out["next_after_idle_kill"] = await call(s, EX, "echo", {"text": "next"})
        out["then"] = await call(s, EX, "echo", {"text": "then"})
        out["daemon_third"] = await wait_new_daemon(second)
        out["pid_after"] = ok_text(await call(s, EX, "pid"))
    return out


async def sharing():
    out = {}
    # Session b is the SDK's high-level Client in its default mode: it probes server/discover
    # first and falls back to initialize when the shim answers "method not found".
    async with session() as a, Client(server_params()) as b:
        out["pid_a"] = ok_text(await call(a, EX, "pid"))
        args = {"server_name": EX, "tool_name": "pid", "parameters": {}}
        out["pid_b"] = ok_text(dump(await b.call_tool(CALL, args)))
        out["b_protocol_version"] = b.session.protocol_version
    # Both shims have exited; a new session finds the same server still running.
    async with session() as c:
        out["pid_c"] = ok_text(await call(c, EX, "pid"))
    return out


SCENARIOS = {
    "meta_tools": meta_tools,
    "parallel": parallel,
    "progress": progress,
    "everything": everything,
    "daemon_kill": daemon_kill,
    "sharing": sharing,
}


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in SCENARIOS:
        sys.exit(f"usage: python_session.py {'|'.join(SCENARIOS)}")
    name = sys.argv[1]
    for var in ("MCPD_EXE", "MCPD_HOME"):
        if not os.environ.get(var):
            sys.exit(f"python_session.py: {var} must be set")
    try:
        out = asyncio.run(asyncio.wait_for(SCENARIOS[name](), TIMEOUT))
    except BaseException:  # noqa: BLE001 - report everything, including exception groups
        print(f"python_session.py {name} failed:\n{traceback.format_exc()}", file=sys.stderr)
        sys.exit(1)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
