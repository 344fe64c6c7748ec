"""Benchmark: bank transactions, and the audit over several companies.

    make bench                      # or: .venv/bin/python benchmarks/bench_bank.py
    .venv/bin/python benchmarks/bench_bank.py --rounds 10 --skip-audit

1. ``bank_transactions.iter()`` over 100,000 transactions served by a loopback server
   (pages by ``Range``, ``{metadata, transactions}`` answers): the peak memory above the
   process's start (target: under 50 MB, i.e. flat) and the time.
2. ``bank_transactions.list()`` of 10,000 transactions against raw ``httpx`` +
   ``json.loads`` asking the same pages (target: at most 0.6x), interleaved round by round.
3. ``tiime audit --all-companies`` on a sandbox whose user has 5 companies of 2,000
   transactions each, at concurrency 1 and 5: wall time and requests made.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

from tiime import TiimeClient

SIZES = {1: 100_000, 2: 10_000}  # company id -> transactions it holds
WORDINGS = [
    ("CB AMAZON PAYMENTS", "card"),
    ("PRLV SEPA ORANGE SA", "direct_debit"),
    ("VIR SEPA RECU /DE CAFE DES ARTS /MOTIF REGLEMENT FACTURE F-2025-0042", "transfer"),
    ("FRAIS TENUE DE COMPTE", "bank_fees"),
    ("CB SNCF INTERNET", "card"),
]


def transaction(i: int, rng: random.Random) -> dict[str, Any]:
    wording, kind = WORDINGS[i % len(WORDINGS)]
    day = f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}"
    imputed = i % 3 == 0
    amount = round(rng.uniform(-900, 2500), 2)
    return {
        "id": 880000 + i,
        "wording": wording,
        "original_wording": wording,
        "amount": amount,
        "currency": "EUR",
        "transaction_date": day,
        "realization_date": day,
        "vat_application_date": day,
        "bank_account": {"id": 4101},
        "bank_name": "SG",
        "short_bank_name": "SG",
        "operation_type": kind,
        "status": "accepted",
        "status_code": "ok",
        "comment": None,
        "tags": [],
        "beneficiary": None,
        "merchant": {"id": 10130, "name": "Amazon"} if kind == "card" else None,
        "transfer_label": None,
        "imputations": [
            {
                "id": 540000 + i,
                "amount": amount,
                "label": {
                    "id": 5,
                    "name": "Télécommunications",
                    "label": "Télécommunications",
                    "acronym": "TE",
                    "color": "#6FD3C4",
                    "client": None,
                    "disabled": False,
                },
                "count_documents": 0,
                "count_invoices": 0,
                "accountant_detail_requests": [],
                "updated_by": "user-1",
                "comment": None,
            }
        ]
        if imputed
        else [],
        "count_documents": 0,
        "count_invoices": 0,
    }


def serve(port: int, ready: Any) -> None:
    rng = random.Random(42)
    pool = [transaction(i, rng) for i in range(1000)]
    token_body = json.dumps({"access_token": "x.y.z", "expires_in": 7200}).encode()
    cache: dict[tuple[int, int, int], tuple[int, bytes, str]] = {}

    def page(company: int, start: int, end: int) -> tuple[int, bytes, str]:
        key = (company, start, end)
        if key not in cache:
            total = SIZES[company]
            last = min(end, total - 1)
            items = []
            for i in range(start, last + 1):
                item = dict(pool[i % len(pool)])
                item["id"] = 880000 + i
                items.append(item)
            metadata = {"has_multiple_cardholder": False, "total_amount": 12345.67}
            body = json.dumps({"metadata": metadata, "transactions": items}).encode()
            status = 206 if last + 1 < total else 200
            cache[key] = (status, body, f"items {start}-{last}/{total}")
        return cache[key]

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _send(self, status: int, body: bytes, extra: str = "") -> None:
            head = (
                f"HTTP/1.1 {status} OK\r\nContent-Type: application/json\r\n{extra}"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode()
            self.wfile.write(head + body)

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self._send(200, token_body)

        def do_GET(self) -> None:
            company = int(self.path.split("/")[3])
            start, end = self.headers["Range"].removeprefix("items=").split("-")
            status, body, content_range = page(company, int(start), int(end))
            self._send(status, body, f"Content-Range: {content_range}\r\n")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    ready.set()
    server.serve_forever()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def peak_rss_mb() -> float:
    """The process's peak resident memory so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def bench_sdk(base: str, rounds: int) -> list[tuple[str, str, str]]:
    sdk = TiimeClient(
        company_id=1, access_token="x.y.z", base_url=f"{base}/v1", auth_url=f"{base}/oauth/token"
    )
    rows = []
    # 1. iter() over 100,000: memory stays flat.
    sum(1 for _ in sdk.bank_transactions.iter(limit=2000))  # warm-up: imports, caches
    start_mb = peak_rss_mb()
    count = 0
    began = time.perf_counter()
    for _ in sdk.bank_transactions.iter(page_size=1000):
        count += 1
    elapsed = time.perf_counter() - began
    grown = peak_rss_mb() - start_mb
    assert count == SIZES[1], count
    rows.append(
        (
            f"iter() over {count:,} transactions: peak memory above start",
            f"{grown:.1f} MB ({elapsed:.1f} s)",
            "< 50 MB",
        )
    )

    # 2. list() of 10,000 against raw httpx + json.loads of the same pages.
    ten = sdk.with_options(company_id=2)
    raw = httpx.Client()
    url = f"{base}/v1/companies/2/bank_transactions"
    headers = {
        "Authorization": "Bearer x.y.z",
        "Accept": "application/vnd.tiime.bank_transactions.v2+json",
    }
    size = 1000  # list()'s page size
    ranges = [f"items={s}-{s + size - 1}" for s in range(0, SIZES[2], size)]

    def raw_list() -> list[Any]:
        items: list[Any] = []
        for wanted in ranges:
            response = raw.get(
                url, params={"hide_refused": "false"}, headers={**headers, "Range": wanted}
            )
            items += json.loads(response.content)["transactions"]
        return items

    assert len(raw_list()) == len(ten.bank_transactions.list()) == SIZES[2]
    sdk_times, raw_times = [], []
    for _ in range(rounds):
        raw_times.append(timed(raw_list))
        sdk_times.append(timed(ten.bank_transactions.list))
    ratio = statistics.median(sdk_times) / statistics.median(raw_times)
    rows.append(
        (
            f"list() of {SIZES[2]:,} / raw httpx + json.loads",
            f"{ratio:.2f} ({statistics.median(sdk_times) * 1000:.0f} ms vs "
            f"{statistics.median(raw_times) * 1000:.0f} ms)",
            "<= 0.60",
        )
    )
    raw.close()
    sdk.close()
    return rows


def run_sandbox(db_path: str, urls: Any, stop: Any) -> None:
    """A sandbox in a process of its own (the CLI's embedded one would share its GIL)."""
    from tiime.sandbox import Sandbox

    with Sandbox(db_path=Path(db_path)) as sandbox:
        urls.put((sandbox.base_url, sandbox.auth_url, sandbox.email, sandbox.password))
        stop.wait()


def seed_companies(db_path: Path, companies: int, transactions: int) -> int:
    """The demo user with ``companies`` companies of ``transactions`` each; how many
    transactions are left to impute."""
    from tiime.sandbox import Sandbox
    from tiime.sandbox.resources import companies as company_table
    from tiime.sandbox.seeding import seed_company

    sizes = {"bank_accounts": 3, "bank_transactions": transactions}
    with Sandbox(db_path=db_path) as sandbox:
        db = sandbox.db
        user = db.scalar("SELECT id FROM users WHERE email = ?", (sandbox.email,))
        seed_company(db, sandbox.company_id, sizes)
        for n in range(companies - 1):
            made = company_table.create_company(db, f"Société Audit {n + 1}")
            company_table.add_membership(db, user, made)
            seed_company(db, made, {"labels": 12, **sizes})
        return int(
            db.scalar(
                "SELECT COUNT(*) FROM bank_transactions t WHERE t.status != 'refused' AND NOT "
                "EXISTS (SELECT 1 FROM bank_imputations i WHERE i.transaction_id = t.id)"
            )
        )


def bench_audit(companies: int, transactions: int) -> list[tuple[str, str, str]]:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "sandbox.db"
        unimputed = seed_companies(db_path, companies, transactions)
        urls: Any = multiprocessing.Queue()
        stop = multiprocessing.Event()
        server = multiprocessing.Process(target=run_sandbox, args=(str(db_path), urls, stop))
        server.start()
        base_url, auth_url, email, password = urls.get(timeout=60)
        env = {
            **os.environ,
            "TIIME_CONFIG_DIR": folder,
            "TIIME_BASE_URL": base_url,
            "TIIME_AUTH_URL": auth_url,
            "TIIME_EMAIL": email,
            "TIIME_PASSWORD": password,
            "TIIME_COMPANY_ID": "12345",
        }
        tiime = str(Path(sys.executable).parent / "tiime")
        try:
            for concurrency in (1, 5):
                command = [tiime, "audit", "--all-companies", "--concurrency", str(concurrency)]
                began = time.perf_counter()
                done = subprocess.run(
                    [*command, "--format", "json"], env=env, capture_output=True, check=True
                )
                elapsed = time.perf_counter() - began
                report = json.loads(done.stdout)
                assert len(report["companies"]) == companies
                # per company: its period, the unimputed list, one suggestion request per
                # unimputed transaction, and the period's transactions (pages of 1,000)
                requests = sum(
                    3 + c["summary"]["total_unimputed"] + transactions // 1000
                    for c in report["companies"]
                )
                rows.append(
                    (
                        f"audit --all-companies: {companies} x {transactions:,} transactions "
                        f"({unimputed:,} unimputed), concurrency {concurrency}",
                        f"{elapsed:.1f} s, ~{requests:,} requests",
                        "reported",
                    )
                )
        finally:
            stop.set()
            server.join(30)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--companies", type=int, default=5)
    parser.add_argument("--transactions", type=int, default=2000)
    parser.add_argument("--skip-audit", action="store_true")
    args = parser.parse_args()

    port = free_port()
    ready = multiprocessing.Event()
    proc = multiprocessing.Process(target=serve, args=(port, ready), daemon=True)
    proc.start()
    ready.wait(30)
    try:
        rows = bench_sdk(f"http://127.0.0.1:{port}", args.rounds)
    finally:
        proc.terminate()
    if not args.skip_audit:
        rows += bench_audit(args.companies, args.transactions)
    print(f"Python {sys.version.split()[0]}, httpx {httpx.__version__}")
    width = max(len(name) for name, _, _ in rows)
    for name, value, target in rows:
        print(f"  {name:<{width}}  {value:<32} target {target}")


if __name__ == "__main__":
    main()
