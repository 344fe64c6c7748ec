"""Bytes on the wire: the 10,000-client list with and without compression.

A sandbox seeded with 10,000 clients serves ``GET companies/{cid}/clients`` (``Range:
items=0-*``); the body is read raw (as it crossed the socket) once with the SDK's own
``Accept-Encoding`` and once with ``identity``, and its size printed with the time taken.

    .venv/bin/python benchmarks/bench_wire.py
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import httpx

from tiime import _constants as C
from tiime.sandbox import Sandbox

CLIENTS = 10_000
RUNS = 5


def login(http: httpx.Client, sb: Sandbox) -> str:
    answer = http.post(
        sb.auth_url,
        json={
            "grant_type": "password",
            "client_id": C.AUTH0_CLIENT_ID,
            "audience": C.AUTH0_AUDIENCE,
            "scope": "openid email",
            "username": sb.email,
            "password": sb.password,
        },
    )
    answer.raise_for_status()
    token: str = answer.json()["access_token"]
    return token


def measure(http: httpx.Client, url: str, headers: dict[str, str]) -> tuple[int, float]:
    """Bytes received for the body (before decompression) and seconds, median of RUNS."""
    sizes, times = [], []
    for _ in range(RUNS):
        started = time.perf_counter()
        with http.stream("GET", url, headers=headers) as response:
            response.raise_for_status()
            size = sum(len(chunk) for chunk in response.iter_raw())
        times.append(time.perf_counter() - started)
        sizes.append(size)
    return int(statistics.median(sizes)), statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "wire.db"
        with Sandbox(db_path=db, sizes={"clients": CLIENTS}) as sb, httpx.Client() as http:
            url = f"{sb.base_url}/companies/{sb.company_id}/clients"
            base = {
                "Authorization": f"Bearer {login(http, sb)}",
                "Accept": C.TIMELINE_V2,
                "Range": "items=0-*",
            }
            plain, plain_s = measure(http, url, {**base, "Accept-Encoding": "identity"})
            packed, packed_s = measure(http, url, {**base, "Accept-Encoding": C.ACCEPT_ENCODING})
    print(f"The {CLIENTS:,}-client list, body bytes on the wire (median of {RUNS}):")
    print(f"  Accept-Encoding: identity        {plain:>12,} B   {plain_s * 1000:7.1f} ms")
    print(f"  Accept-Encoding: {C.ACCEPT_ENCODING:<15} {packed:>12,} B   {packed_s * 1000:7.1f} ms")
    print(f"  {plain / packed:.1f}x fewer bytes with compression")


if __name__ == "__main__":
    main()
