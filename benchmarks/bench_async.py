"""Benchmark: 1,000 ``invoices.get`` at concurrency 32 and at 1, async against sync.

    make bench                      # or: .venv/bin/python benchmarks/bench_async.py
    .venv/bin/python benchmarks/bench_async.py --gets 1000 --rounds 5

The answers are the sandbox's own: a sandbox seeded with 20 invoices is asked, once, for
each of them (``GET .../invoices/ID``); a server process on 127.0.0.1 (asyncio, HTTP/1.1
keep-alive, so that it is not the bottleneck) then replays them by id, byte for byte.
Each side makes the same 1,000 gets (ids cycling over the recorded ones), parsed:

* ``sync sequential``: :class:`tiime.TiimeClient`, one after another (the reference time);
* ``async httpx``: :class:`tiime.AsyncTiimeClient` (its default transport);
* ``async aiohttp``: :class:`tiime.AsyncTiimeClient` with ``transport="aiohttp"``;
* ``raw httpx``: a bare ``httpx.AsyncClient`` + ``json.loads`` (what httpx itself costs);
* ``raw aiohttp``: a bare ``aiohttp.ClientSession`` + ``json.loads`` (the floor).

The async sides run at concurrency 32 (32 tasks taking the next id, one event loop) and at
1. Rounds are interleaved; medians printed, with the ratios to the sync sequential time
(goal: concurrency 32 at most 0.5x) and to the floor.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
from _loopback import free_port

from tiime import AsyncTiimeClient, TiimeClient
from tiime._constants import AUTH0_AUDIENCE, AUTH0_CLIENT_ID, AUTH0_SCOPE

RECORDED = 20


def record_invoices(count: int) -> dict[int, bytes]:
    """The sandbox's answer to ``GET .../invoices/ID`` for each of ``count`` seeded invoices,
    keyed 0..count-1."""
    from tiime.sandbox import Sandbox

    with (
        tempfile.TemporaryDirectory() as tmp,
        Sandbox(db_path=Path(tmp) / "sandbox.db", sizes={"invoices": count}) as sb,
    ):
        token = httpx.post(
            sb.auth_url,
            json={
                "grant_type": "password",
                "username": sb.email,
                "password": sb.password,
                "client_id": AUTH0_CLIENT_ID,
                "audience": AUTH0_AUDIENCE,
                "scope": AUTH0_SCOPE,
            },
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}", "Range": "items=0-*"}
        base = f"{sb.base_url}/companies/{sb.company_id}/invoices"
        listed = httpx.get(base, headers=headers).json()
        bodies = {}
        for index, invoice in enumerate(listed[:count]):
            answer = httpx.get(f"{base}/{invoice['id']}", headers=headers)
            answer.raise_for_status()
            bodies[index] = answer.content
        return bodies


def serve(port: int, bodies: dict[int, bytes], ready: Any) -> None:
    """An asyncio HTTP/1.1 server answering ``GET /v1/companies/1/invoices/N`` with the
    recorded body ``N % RECORDED`` (keep-alive; requests without bodies only)."""
    answers = {
        index: (
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n" % len(body)
        )
        + body
        for index, body in bodies.items()
    }
    missing = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"

    class Protocol(asyncio.Protocol):
        def connection_made(self, transport: Any) -> None:
            self.transport = transport
            self.buffer = b""

        def data_received(self, data: bytes) -> None:
            self.buffer += data
            while (end := self.buffer.find(b"\r\n\r\n")) >= 0:
                head, self.buffer = self.buffer[:end], self.buffer[end + 4 :]
                path = head.split(b" ", 2)[1]
                tail = path.rsplit(b"/", 1)[-1]
                answer = answers[int(tail) % len(answers)] if tail.isdigit() else missing
                self.transport.write(answer)

    async def main() -> None:
        server = await asyncio.get_running_loop().create_server(Protocol, "127.0.0.1", port)
        ready.set()
        await server.serve_forever()

    asyncio.run(main())


async def fan_out(get: Callable[[int], Awaitable[object]], gets: int, concurrency: int) -> None:
    """``gets`` calls of ``get(i)``, ``concurrency`` at a time, on this event loop."""
    ids = iter(range(1, gets + 1))

    async def worker() -> None:
        for index in ids:
            await get(index)

    await asyncio.gather(*(worker() for _ in range(concurrency)))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--gets", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    bodies = record_invoices(RECORDED)
    port = free_port()
    ready = multiprocessing.Event()
    proc = multiprocessing.Process(target=serve, args=(port, bodies, ready), daemon=True)
    proc.start()
    ready.wait(60)
    try:
        results = asyncio.run(run(f"http://127.0.0.1:{port}", args.gets, args.rounds))
    finally:
        proc.terminate()
    report(results, args.gets)


async def run(base: str, gets: int, rounds: int) -> dict[str, list[float]]:
    import aiohttp

    options: dict[str, Any] = {
        "access_token": "x.y.z",
        "company_id": 1,
        "base_url": f"{base}/v1",
        "auth_url": f"{base}/oauth/token",
    }
    url = f"{base}/v1/companies/1/invoices/"
    headers = {"Authorization": "Bearer x.y.z", "Accept": "application/json"}
    sync = TiimeClient(**options)
    on_httpx = AsyncTiimeClient(**options)
    on_aiohttp = AsyncTiimeClient(transport="aiohttp", **options)
    raw_httpx = httpx.AsyncClient(limits=httpx.Limits(max_connections=100))
    raw_aiohttp = aiohttp.ClientSession()

    async def raw_httpx_get(index: int) -> object:
        return json.loads((await raw_httpx.get(f"{url}{index}", headers=headers)).content)

    async def raw_aiohttp_get(index: int) -> object:
        async with raw_aiohttp.get(f"{url}{index}", headers=headers) as answer:
            return json.loads(await answer.read())

    def sync_all() -> None:
        for index in range(1, gets + 1):
            sync.invoices.get(index)

    sides: dict[str, Callable[[int], Awaitable[object]]] = {
        "async httpx": on_httpx.invoices.get,
        "async aiohttp": on_aiohttp.invoices.get,
        "raw httpx": raw_httpx_get,
        "raw aiohttp": raw_aiohttp_get,
    }
    results: dict[str, list[float]] = {}
    sync_all()  # warm-up: connections open, caches filled
    for get in sides.values():
        await fan_out(get, 64, 32)
    for _ in range(rounds):  # interleaved, so that drift of the machine hits every side
        start = time.perf_counter()
        sync_all()
        results.setdefault("sync sequential", []).append(time.perf_counter() - start)
        for concurrency in (32, 1):
            for name, get in sides.items():
                start = time.perf_counter()
                await fan_out(get, gets, concurrency)
                elapsed = time.perf_counter() - start
                results.setdefault(f"{name} c={concurrency}", []).append(elapsed)
    sync.close()
    await on_httpx.aclose()
    await on_aiohttp.aclose()
    await raw_httpx.aclose()
    await raw_aiohttp.close()
    return results


def report(results: dict[str, list[float]], gets: int) -> None:
    import aiohttp

    med = {name: statistics.median(times) for name, times in results.items()}
    reference = med["sync sequential"]
    print(
        f"Python {sys.version.split()[0]}, httpx {httpx.__version__}, aiohttp "
        f"{aiohttp.__version__}: {gets:,} invoices.get against recorded sandbox answers"
    )
    for name, value in med.items():
        floor = med.get(f"raw aiohttp {name.rsplit(' ', 1)[-1]}") if "c=" in name else None
        to_floor = f"   {value / floor:4.1f}x the floor" if floor else ""
        print(
            f"  {name:<20} median {value * 1000:7.0f} ms   {value / reference:5.2f}x sync{to_floor}"
        )
    print(f"  goal: async aiohttp c=32 <= 0.50x sync: {med['async aiohttp c=32'] / reference:.2f}x")


if __name__ == "__main__":
    main()
