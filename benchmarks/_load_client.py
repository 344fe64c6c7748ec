"""The load of ``bench_sandbox_load.py``, run as a process of its own (the sandbox is
another, as ``tiime sandbox`` runs for its users): so that what is measured is the
server, not a client sharing its interpreter.

    python benchmarks/_load_client.py read PORT CONNECTIONS SECONDS TOKEN
    python benchmarks/_load_client.py attack PORT THREADS SECONDS

``read`` sends ``GET /v1/users/me`` on CONNECTIONS keep-alive
connections (aiohttp) for SECONDS and prints ``{"gets": N, "failed": N}``; ``attack``
sends wrong passwords from THREADS threads (httpx, keep-alive) for SECONDS and prints the
count of each answer's status.
"""

from __future__ import annotations

import asyncio
import json
import sys
import threading
import time

import aiohttp
import httpx

from tiime import _constants as C


async def read(port: int, connections: int, seconds: float, token: str) -> None:
    base = f"http://127.0.0.1:{port}"
    gets = failed = 0
    stop = time.monotonic() + seconds
    headers = {"Authorization": f"Bearer {token}"}
    connector = aiohttp.TCPConnector(limit=connections)
    async with aiohttp.ClientSession(headers=headers, connector=connector) as session:

        async def worker() -> None:
            nonlocal gets, failed
            while time.monotonic() < stop:
                async with session.get(f"{base}/v1/users/me") as answer:
                    await answer.read()
                    if answer.status == 200:
                        gets += 1
                    else:
                        failed += 1

        await asyncio.gather(*(worker() for _ in range(connections)))
    print(json.dumps({"gets": gets, "failed": failed}))


def attack(port: int, threads: int, seconds: float) -> None:
    stop = time.monotonic() + seconds
    statuses: dict[str, int] = {}
    lock = threading.Lock()

    def one(n: int) -> None:
        with httpx.Client(timeout=30) as http:
            i = 0
            while time.monotonic() < stop:
                body = {
                    "grant_type": "password",
                    "client_id": C.AUTH0_CLIENT_ID,
                    "username": f"x{n}-{i}@tiime.test",
                    "password": "wrong",
                }
                try:
                    answer = http.post(f"http://127.0.0.1:{port}/oauth/token", json=body)
                    status = str(answer.status_code)
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                with lock:
                    statuses[status] = statuses.get(status, 0) + 1
                i += 1

    workers = [threading.Thread(target=one, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    print(json.dumps(statuses))


def main() -> None:
    role, port, count, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    if role == "read":
        asyncio.run(read(port, count, seconds, sys.argv[5]))
    else:
        attack(port, count, seconds)


if __name__ == "__main__":
    main()
