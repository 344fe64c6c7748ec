"""Benchmark: month-end reconciliation and the bulk upload of receipts.

    make bench          # or: .venv/bin/python benchmarks/bench_reconcile.py [--files 200]

Printed, all measured in this one run, against a sandbox in a process of its own seeded
with 10,000 bank transactions, 5,000 invoices and 3,000 documents:

1. ``tiime.reconcile``: reading the books (``load_books``: the requests sent, counted on
   the wire, and the wall time) and computing the proposals (``propose``), at the
   default threshold; precision and recall on the pairs the seed planted (client payments
   of paid invoices, part payments of sent ones, card payments of receipts), and at
   thresholds 50 to 90.
2. ``tiime documents upload``: 200 small PDF files (the command's own upload function,
   ledger included) at concurrency 4, then the same at concurrency 1, each on a fresh
   ledger.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import httpx

from tiime import TiimeClient
from tiime.reconcile import DEFAULT_MIN_SCORE, load_books, propose
from tiime.reconcile._scoring import fold
from tiime.reconcile._uploads import UploadLedger

SIZES = {"clients": 60, "invoices": 5_000, "documents": 3_000, "bank_transactions": 10_000}
SERVER = """
import sys
from tiime.sandbox import Sandbox
sb = Sandbox(db_path=sys.argv[1], sizes={sizes!r})
sb.start()
print(sb.base_url, sb.auth_url, sb.company_id, sb.email, sb.password, flush=True)
sys.stdin.read()
sb.stop()
"""


def planted(db_path: Path, company_id: int) -> set[tuple[str, int, int]]:
    """The pairs the seed planted, read from its database (as tests/reconcile does)."""
    import sqlite3

    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    pairs = {
        ("invoice", row["id"], row["invoice_id"])
        for row in conn.execute(
            "SELECT id, invoice_id FROM bank_transactions WHERE company_id = ? "
            "AND invoice_id IS NOT NULL",
            (company_id,),
        )
    }
    cards: dict[tuple[int, str], list[sqlite3.Row]] = {}
    for card in conn.execute(
        "SELECT id, wording, amount_cents, transaction_date FROM bank_transactions "
        "WHERE company_id = ? AND operation_type = 'card'",
        (company_id,),
    ):
        cards.setdefault((card["amount_cents"], card["wording"].split(" ")[1]), []).append(card)
    for receipt in conn.execute(
        "SELECT id, metadata_date, metadata_amount_cents, supplier_name FROM documents "
        "WHERE company_id = ? AND type = 'receipt' AND metadata_amount_cents > 0",
        (company_id,),
    ):
        prefix = f"CB {fold(receipt['supplier_name']).upper()} "
        day = date.fromisoformat(receipt["metadata_date"])
        first = fold(receipt["supplier_name"]).upper().split(" ")[0]
        for card in cards.get((-receipt["metadata_amount_cents"], first), []):
            paid = date.fromisoformat(card["transaction_date"])
            if card["wording"].startswith(prefix) and timedelta(0) <= paid - day <= timedelta(2):
                pairs.add(("document", card["id"], receipt["id"]))
    conn.close()
    return pairs


def quality(found: set[tuple[str, int, int]], truth: set[tuple[str, int, int]]) -> str:
    hits = len(found & truth)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(truth) if truth else 1.0
    return f"{len(found)} pairs, precision {precision:.3f}, recall {recall:.3f}"


def upload_all(client: TiimeClient, files: list[Path], concurrency: int, ledger: Path) -> float:
    from tiime.cli.commands.documents_bulk import _sha256, _upload_one

    book = UploadLedger(ledger, "bench")
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        rows = list(
            pool.map(
                lambda path: _upload_one(client, book, path, _sha256(path), None, date.today()),
                files,
            )
        )
    elapsed = time.perf_counter() - start
    assert all(row["status"] == "uploaded" for row in rows), rows[:3]
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "sandbox.db"
        start = time.perf_counter()
        server = subprocess.Popen(
            [sys.executable, "-c", SERVER.format(sizes=SIZES), str(db)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert server.stdout is not None
            base_url, auth_url, company, email, password = server.stdout.readline().split()
            print(f"sandbox seeded with {SIZES} in {time.perf_counter() - start:.1f} s")
            requests: list[httpx.Request] = []
            with (
                httpx.Client(timeout=300, event_hooks={"request": [requests.append]}) as http,
                TiimeClient(
                    base_url=base_url,
                    auth_url=auth_url,
                    email=email,
                    password=password,
                    company_id=int(company),
                    http_client=http,
                ) as client,
            ):
                client.company.get()
                requests.clear()
                start = time.perf_counter()
                books = load_books(client)
                read = time.perf_counter() - start
                start = time.perf_counter()
                proposals = propose(books)
                computed = time.perf_counter() - start
                print(
                    f"load_books: {len(books.transactions)} transactions, {len(books.invoices)} "
                    f"invoices, {len(books.documents)} documents in {read:.2f} s, "
                    f"{len(requests)} requests"
                )
                print(f"propose (min score {DEFAULT_MIN_SCORE}): {computed:.2f} s")
                truth = planted(db, int(company))
                part = {(p.kind, p.transaction_id, p.target_id) for p in proposals if p.partial}
                print(
                    f"planted pairs: {len(truth)}; part payments proposed: {len(part)}, "
                    f"of them planted: {len(part & truth)}"
                )
                for threshold in (50, 60, 70, DEFAULT_MIN_SCORE, 80, 90):
                    found = {
                        (p.kind, p.transaction_id, p.target_id)
                        for p in (
                            proposals
                            if threshold == DEFAULT_MIN_SCORE
                            else propose(books, min_score=threshold)
                        )
                    }
                    print(f"  min score {threshold}: {quality(found, truth)}")

                folder = Path(tmp) / "receipts"
                folder.mkdir()
                files = []
                for n in range(args.files):
                    path = folder / f"ticket-{n:03d}.pdf"
                    path.write_bytes(f"%PDF-1.4\n% receipt {n}\n".encode() + b"x" * 2048)
                    files.append(path)
                # The same files twice, each time on a fresh ledger (all sent each time).
                four = upload_all(client, files, 4, Path(tmp) / "ledger-4.json")
                one = upload_all(client, files, 1, Path(tmp) / "ledger-1.json")
                count = len(files)
                print(
                    f"documents upload of {count} files: concurrency 4 {four:.2f} s "
                    f"({count / four:.0f}/s), concurrency 1 {one:.2f} s ({count / one:.0f}/s), "
                    f"{one / four:.1f}x"
                )
        finally:
            server.stdin.close() if server.stdin else None
            server.wait(timeout=60)


if __name__ == "__main__":
    main()
