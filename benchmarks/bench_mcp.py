"""Benchmark: the MCP server (`tiime mcp`) on one loopback sandbox.

    .venv/bin/python benchmarks/bench_mcp.py [--rounds 30]

Printed, all measured in this one run:

* the size of the `tools/list` answer, read-only and with every tool offered, in bytes of
  compact JSON and estimated tokens (bytes / 4);
* the latency of a read tool (`get` of an invoice, and `list` of 20 clients): the SDK call
  in-process (`await client.invoices.get(id)`), the same through the MCP server in memory
  (the SDK's client on the server object), and through a real `tiime mcp` process over
  stdio; medians after a warm-up, and the stdio / in-process ratio;
* a scripted agent session of 20 calls over stdio with `--allow-writes`, end to end
  (status, overdue invoices, transactions to impute with their suggestions, labels, a
  transaction, preview and commit of an imputation...), total and slowest call.

The sandbox is a process of its own (so that neither side shares an interpreter with it);
the stdio server is a child process pointed at it through TIIME_BASE_URL and friends, as a
desktop assistant would launch it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
from _bytecode import compile_project
from mcp import Client, StdioServerParameters

from tiime import AsyncTiimeClient
from tiime.mcp import Options, build_server

SERVER = """
import sys
from tiime.sandbox import Sandbox
sb = Sandbox(db_path=sys.argv[1])
sb.start()
print(sb.base_url, sb.auth_url, sb.company_id, sb.email, sb.password, flush=True)
sys.stdin.read()  # until the benchmark closes the pipe
sb.stop()
"""


async def median_ms(call: Callable[[], Awaitable[Any]], rounds: int) -> float:
    await call()  # warm-up: connection open, token fetched
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        await call()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def tools_list_size(result: Any) -> int:
    data = json.loads(result.model_dump_json(by_alias=True, exclude_none=True))
    return len(json.dumps(data, separators=(",", ":")))


def checked(result: Any) -> Any:
    if result.is_error:
        raise RuntimeError(result.content[0].text)
    return json.loads(result.content[0].text)


async def agent_session(session: Client) -> list[tuple[str, float]]:
    """20 calls an assistant might make to tidy the books; (tool, seconds) each."""
    timings: list[tuple[str, float]] = []

    async def step(tool: str, **arguments: Any) -> Any:
        start = time.perf_counter()
        answer = checked(await session.call_tool(tool, arguments))
        timings.append((tool, time.perf_counter() - start))
        return answer

    await step("companies")
    await step("status")
    overdue = await step("overdue_invoices", limit=5)
    for item in overdue["items"][:2]:
        await step("get", resource="invoices", id=item["id"])
    todo = await step("unimputed_transactions", limit=5)
    labels = await step("list", resource="labels", limit=50)
    await step("list", resource="bank_accounts")
    await step("list", resource="clients", limit=20)
    await step("list", resource="bank_transactions", amount_type="negative", limit=20)
    for item in todo["items"][:3]:
        await step("get", resource="bank_transactions", id=item["id"])
    for item in todo["items"][:3]:
        suggested = item.get("suggested_labels") or labels["items"][:1]
        preview = await step(
            "preview_imputation",
            transaction_id=item["id"],
            imputations=[{"label_id": suggested[0]["id"], "amount": item["amount"]}],
        )
        await step("commit", token=preview["token"])
    await step("status")
    return timings


async def main(sandbox: list[str], rounds: int) -> None:
    base_url, auth_url, company_id, email, password = sandbox
    settings = {
        "base_url": base_url,
        "auth_url": auth_url,
        "email": email,
        "password": password,
        "company_id": int(company_id),
    }
    env = {
        "TIIME_BASE_URL": base_url,
        "TIIME_AUTH_URL": auth_url,
        "TIIME_EMAIL": email,
        "TIIME_PASSWORD": password,
        "TIIME_COMPANY_ID": company_id,
        "TIIME_CONFIG_DIR": tempfile.mkdtemp(prefix="tiime-bench-config-"),
        "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
    }
    async with AsyncTiimeClient(**settings) as sdk:
        invoice = (await sdk.invoices.list(limit=1))[0]

        every = Options(allow_writes=True, allow_bulk=True, allow_send=True)
        for name, options in [("read-only", Options()), ("every tool", every)]:
            async with Client(build_server(sdk, options)) as memory:
                listed = await memory.list_tools()
            size = tools_list_size(listed)
            count = len(listed.tools)
            print(f"tools/list, {name} ({count} tools): {size} bytes, ~{size // 4} tokens")

        sdk_get = await median_ms(lambda: sdk.invoices.get(invoice.id), rounds)
        sdk_list = await median_ms(lambda: sdk.clients.list(limit=21), rounds)
        async with Client(build_server(sdk)) as memory:
            memory_get = await median_ms(
                lambda: memory.call_tool("get", {"resource": "invoices", "id": invoice.id}),
                rounds,
            )
            memory_list = await median_ms(
                lambda: memory.call_tool("list", {"resource": "clients", "limit": 20}), rounds
            )

    command = [sys.executable, "-m", "tiime", "mcp"]
    params = StdioServerParameters(command=command[0], args=command[1:], env=env)
    async with Client(params) as stdio:
        stdio_get = await median_ms(
            lambda: stdio.call_tool("get", {"resource": "invoices", "id": invoice.id}), rounds
        )
        stdio_list = await median_ms(
            lambda: stdio.call_tool("list", {"resource": "clients", "limit": 20}), rounds
        )
    print(f"\nread tool latency, median of {rounds} (ms):")
    print(f"  {'':24}{'in-process SDK':>16}{'MCP in memory':>16}{'MCP over stdio':>16}  ratio")
    for name, base, memory_ms, stdio_ms in [
        ("get invoice", sdk_get, memory_get, stdio_get),
        ("list 20 clients", sdk_list, memory_list, stdio_list),
    ]:
        print(f"  {name:24}{base:16.2f}{memory_ms:16.2f}{stdio_ms:16.2f}  {stdio_ms / base:.2f}x")

    params = StdioServerParameters(
        command=command[0], args=[*command[1:], "--allow-writes"], env=env
    )
    start = time.perf_counter()
    async with Client(params) as stdio:
        connected = time.perf_counter() - start
        timings = await agent_session(stdio)
    total = time.perf_counter() - start
    slowest = max(timings, key=lambda pair: pair[1])
    print(
        f"\nagent session over stdio: {len(timings)} calls in {total:.2f} s "
        f"(start and handshake {connected:.2f} s; calls {sum(t for _, t in timings):.2f} s; "
        f"slowest {slowest[0]} {slowest[1] * 1000:.0f} ms)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=30)
    options = parser.parse_args()
    compile_project()
    with tempfile.TemporaryDirectory(prefix="tiime-bench-") as tmp:
        server = subprocess.Popen(
            [sys.executable, "-c", SERVER, str(Path(tmp) / "sandbox.db")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert server.stdout is not None
            anyio.run(main, server.stdout.readline().split(), options.rounds)
        finally:
            server.communicate()
