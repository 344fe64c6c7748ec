"""Benchmark: `tiime sync` of a bigger sandbox, its re-syncs, a kill -9 and resume; `tiime
fec` of a year of the demo company and its check.

    make bench                 # or: .venv/bin/python benchmarks/bench_sync.py
    .venv/bin/python benchmarks/bench_sync.py --companies 5 --transactions 10000 \\
        --invoices 5000 --documents 2000

A sandbox seeded with COMPANIES companies of the demo user (each with that many
transactions, invoices and documents) runs in a process of its own. Printed, one run each:

* the first sync of every company (in this process, through a client that counts its
  requests): wall time, API requests, database size;
* a re-sync with nothing changed: requests and time;
* a re-sync after 100 changes (50 new clients, 50 transactions imputed): requests, time,
  rows written;
* `tiime sync` (the command, in a process) killed with SIGKILL halfway through a first
  sync of a fresh database, then run again: the time to finish, and whether the result
  equals the clean sync's (canonical dumps compared);
* `tiime fec --year` of the demo company's last full year (a sandbox of the demo data):
  time, lines, and `tiime fec check` on it.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from tiime import TiimeClient
from tiime.sync import canonical_dump, sync


def run_sandbox(db_path: str, sizes: dict[str, int], companies: int, urls: Any, stop: Any) -> None:
    """The sandbox, seeded, in a process of its own."""
    from tiime.sandbox import Sandbox

    with Sandbox(db_path=Path(db_path), sizes=sizes) as sandbox:
        ids = [sandbox.company_id]
        for n in range(1, companies):
            ids.append(sandbox.add_company(sandbox.email, f"Filiale {n}", clients=36, sizes=sizes))
        urls.put((sandbox.base_url, sandbox.auth_url, sandbox.email, sandbox.password, ids))
        stop.wait()


def tiime_command() -> list[str]:
    script = Path(sys.executable).parent / "tiime"
    return [str(script)] if script.exists() else [sys.executable, "-m", "tiime.cli"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=3)
    parser.add_argument("--transactions", type=int, default=5000)
    parser.add_argument("--invoices", type=int, default=2000)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--year", type=int, default=2025, help="the FEC's year")
    args = parser.parse_args()
    sizes = {
        "bank_transactions": args.transactions,
        "invoices": args.invoices,
        "documents": args.documents,
    }
    work = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    context = multiprocessing.get_context("spawn")
    urls, stop = context.Queue(), context.Event()
    started = time.perf_counter()
    server = context.Process(
        target=run_sandbox, args=(str(work / "sandbox.db"), sizes, args.companies, urls, stop)
    )
    server.start()
    base_url, auth_url, email, password, ids = urls.get(timeout=1800)
    print(
        f"sandbox: {args.companies} companies x ({args.transactions} transactions, "
        f"{args.invoices} invoices, {args.documents} documents), seeded in "
        f"{time.perf_counter() - started:.1f} s"
    )
    sent: list[str] = []
    http = httpx.Client(event_hooks={"request": [lambda r: sent.append(str(r.url))]})
    credentials = {
        "base_url": base_url,
        "auth_url": auth_url,
        "email": email,
        "password": password,
    }
    client = TiimeClient(company_id=ids[0], http_client=http, **credentials)
    db = work / "books.sqlite"
    try:

        def timed(label: str) -> float:
            sent.clear()
            began = time.perf_counter()
            summary = sync(client, db, ids)
            took = time.perf_counter() - began
            api = [u for u in sent if "/oauth/" not in u]
            written = sum(c.added + c.changed + c.deleted for c in summary.tables.values())
            print(
                f"{label}: {took:.2f} s, {len(api)} requests, {written} rows written, "
                f"database {db.stat().st_size / 1e6:.1f} MB"
            )
            return took

        first = timed("first sync")
        timed("no-change re-sync")
        scoped = client.with_options(company_id=ids[0])
        for n in range(50):
            scoped.clients.create(name=f"Client du banc {n}")
        label = scoped.labels.list()[0]
        for t in scoped.bank_transactions.unimputed(limit=50):
            full = scoped.bank_transactions.get(t.id)
            scoped.bank_transactions.impute(
                full,
                [{"label": {"id": label.id}, "amount": full.amount}],  # type: ignore[typeddict-item]
            )
        timed("re-sync after 100 changes")

        env = {
            **os.environ,
            "TIIME_BASE_URL": base_url,
            "TIIME_AUTH_URL": auth_url,
            "TIIME_EMAIL": email,
            "TIIME_PASSWORD": password,
            "TIIME_COMPANY_ID": str(ids[0]),
        }
        cut = work / "cut.sqlite"
        command = [*tiime_command(), "sync", "--all-companies", "--db", str(cut)]
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
        time.sleep(first / 2)
        process.send_signal(signal.SIGKILL)
        process.wait()
        began = time.perf_counter()
        subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=True)
        resumed = time.perf_counter() - began
        same = canonical_dump(cut) == canonical_dump(db)
        print(
            f"kill -9 at {first / 2:.1f} s, then run again: finished in {resumed:.2f} s, "
            f"equal to the clean sync: {same}"
        )
    finally:
        client.close()
        http.close()
        stop.set()
        server.join(timeout=60)

    from tiime.fec import build_fec, check_fec, write_fec
    from tiime.sandbox import Sandbox

    with Sandbox(db_path=work / "demo.db") as demo:
        demo_client = TiimeClient(
            base_url=demo.base_url,
            auth_url=demo.auth_url,
            email=demo.email,
            password=demo.password,
            company_id=demo.company_id,
        )
        with demo_client:
            began = time.perf_counter()
            export = build_fec(demo_client, args.year)
            path = write_fec(export, work)
            took = time.perf_counter() - began
        began = time.perf_counter()
        result = check_fec(path)
        checked = time.perf_counter() - began
        print(
            f"fec {args.year} of the demo company: {took:.2f} s, {len(export.lines)} lines, "
            f"{export.entries} entries, {len(export.unimputed)} unimputed; fec check: "
            f"{'passes' if result.ok else result.problems[:3]} in {checked * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
