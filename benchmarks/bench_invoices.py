"""Benchmark: invoices.list() of 10,000 invoices against raw httpx + json.loads, and
iter() over 100,000 invoices with flat memory.

    make bench                      # or: .venv/bin/python benchmarks/bench_invoices.py
    .venv/bin/python benchmarks/bench_invoices.py --invoices 10000 --rounds 15 --stream 100000

The list answer is the sandbox's own: a sandbox seeded with 10,000 invoices (with their
lines, totals per VAT rate...) is asked once; a static server process on 127.0.0.1 then
replays that body, so that both sides measure the client, not the sandbox's SQLite. The
same ``httpx.Client`` settings (one keep-alive connection) on both sides; the rounds of the
two sides are interleaved. Printed: the median times and the ratio SDK / raw (target
<= 0.6).

For ``iter()``, the server makes pages on the fly (``Range: items=START-END`` answered 206
with ``Content-Range: items START-END/TOTAL``), each invoice a copy of a sandbox invoice
with a new id; a fresh client process iterates, sampling its resident memory (RSS) every
1,000 invoices; its growth over the RSS before the loop is printed (target < 50 MB).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import re
import statistics
import sys
import tempfile
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
from _loopback import free_port, timed

from tiime import TiimeClient
from tiime._constants import AUTH0_AUDIENCE, AUTH0_CLIENT_ID, AUTH0_SCOPE
from tiime.sandbox import Sandbox

_RANGE = re.compile(r"items=(\d+)-(\d+)")


def sandbox_answer(count: int) -> bytes:
    """The body of the sandbox's ``GET .../invoices`` holding ``count`` seeded invoices."""
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
        answer = httpx.get(
            f"{sb.base_url}/companies/{sb.company_id}/invoices",
            params={"sorts": "invoice_number:desc"},
            headers={"Authorization": f"Bearer {token}", "Range": "items=0-*"},
            timeout=300,
        )
        answer.raise_for_status()
        return answer.content


def serve(port: int, list_body: bytes, stream_total: int, ready: Any) -> None:
    token_body = json.dumps({"access_token": "x.y.z", "expires_in": 7200}).encode()
    templates = json.loads(list_body)[:50]

    def page(start: int, end: int) -> bytes:
        end = min(end, stream_total - 1)
        items = []
        for index in range(start, end + 1):
            item = dict(templates[index % len(templates)])
            item["id"] = 1_000_000 + index
            items.append(item)
        return json.dumps(items).encode()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _send(self, body: bytes, status: str = "200 OK", extra: str = "") -> None:
            # One write for head and body: separate writes meet delayed ACKs (40 ms stalls).
            head = (
                f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n{extra}"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode()
            self.wfile.write(head + body)

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self._send(token_body)

        def do_GET(self) -> None:
            if self.path.startswith("/v1/companies/2/"):  # the stream
                match = _RANGE.match(self.headers.get("Range", ""))
                start, end = (int(match.group(1)), int(match.group(2))) if match else (0, 99)
                if start >= stream_total:
                    self._send(b"[]", extra=f"Content-Range: items */{stream_total}\r\n")
                    return
                last = min(end, stream_total - 1)
                status = "206 Partial Content" if last < stream_total - 1 else "200 OK"
                self._send(
                    page(start, end),
                    status,
                    f"Content-Range: items {start}-{last}/{stream_total}\r\n",
                )
            else:
                self._send(list_body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    ready.set()
    server.serve_forever()


def rss_bytes() -> int:
    """The current resident set size of this process (Linux /proc; else the peak)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        import os

        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--invoices", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--stream", type=int, default=100_000)
    args = parser.parse_args()

    started = time.perf_counter()
    body = sandbox_answer(args.invoices)
    made = time.perf_counter() - started
    port = free_port()
    ready = multiprocessing.Event()
    proc = multiprocessing.Process(target=serve, args=(port, body, args.stream, ready), daemon=True)
    proc.start()
    ready.wait(60)
    try:
        run(f"http://127.0.0.1:{port}", body, made, args)
    finally:
        proc.terminate()


def run(base: str, body: bytes, made: float, args: argparse.Namespace) -> None:
    headers = {
        "Authorization": "Bearer x.y.z",
        "tiime-app": "tiime",
        "tiime-app-version": "4.30.3",
        "tiime-app-platform": "cli",
        "Accept": "application/json",
        "Range": "items=0-*",
    }
    options = {"access_token": "x.y.z", "base_url": f"{base}/v1", "auth_url": f"{base}/oauth/token"}
    raw = httpx.Client()
    sdk = TiimeClient(company_id=1, **options)
    list_url = f"{base}/v1/companies/1/invoices?sorts=invoice_number%3Adesc"
    assert len(sdk.invoices.list()) == args.invoices

    results: dict[str, list[float]] = {}
    for _ in range(3):  # interleaved, so that drift of the machine hits both sides
        for name, fn in (
            ("raw list", lambda: json.loads(raw.get(list_url, headers=headers).content)),
            ("sdk list", lambda: sdk.invoices.list()),
        ):
            results.setdefault(name, []).extend(timed(fn, args.rounds // 3 or 1))
    med = {name: statistics.median(times) for name, times in results.items()}
    ratio = med["sdk list"] / med["raw list"]

    stream = multiprocessing.get_context("spawn")
    answers = stream.Queue()
    probe = stream.Process(target=stream_probe, args=(base, answers))
    probe.start()
    count, before, growth, stream_time = answers.get(timeout=600)
    probe.join(60)

    print(
        f"Python {sys.version.split()[0]}, httpx {httpx.__version__}: {args.invoices} invoices "
        f"from the sandbox (seeded and answered in {made:.1f} s), list body "
        f"{len(body) / 1e6:.1f} MB"
    )
    for name, value in med.items():
        print(
            f"  {name:<9} median {value * 1000:8.1f} ms   (min {min(results[name]) * 1000:.1f} ms)"
        )
    print(f"  list ratio sdk/raw: {ratio:.2f}   (target <= 0.60)")
    print(
        f"  iter(): {count} invoices in {stream_time:.1f} s, RSS {before / 1e6:.0f} MB before, "
        f"growth {growth:.1f} MB   (target < 50 MB)"
    )
    assert count == args.stream, count
    sdk.close()
    raw.close()


def stream_probe(base: str, answers: Any) -> None:
    """In a fresh process: iterate over every invoice of the stream, sampling the RSS."""
    streamer = TiimeClient(
        company_id=2, access_token="x.y.z", base_url=f"{base}/v1", auth_url=f"{base}/oauth/token"
    )
    before = peak = rss_bytes()
    count = 0
    started = time.perf_counter()
    for invoice in streamer.invoices.iter(page_size=100):
        count += 1
        if count % 1000 == 0:
            peak = max(peak, rss_bytes())
        assert invoice.id
    elapsed = time.perf_counter() - started
    growth = (max(peak, rss_bytes()) - before) / 1e6
    streamer.close()
    answers.put((count, before, growth, elapsed))


if __name__ == "__main__":
    main()
