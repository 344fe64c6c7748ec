"""The soak: many mixed calls through the SDK against a sandbox in chaos mode, then an
audit of the sandbox's database.

    python benchmarks/soak.py [--calls 20000] [--chaos 0.1] [--seed 20] [--time-cap 900]

Workers (half of them on :class:`tiime.TiimeClient` in threads, half on
:class:`tiime.AsyncTiimeClient` as tasks of one event loop) make ``--calls`` calls over
every resource (reads and listings, creates of clients, invoices, quotations, expense
reports and documents, invoice updates, sends and deletes, imputations and document
matchings of bank transactions) against :class:`tiime.sandbox.Sandbox` on loopback with
``--chaos`` of its requests meeting a fault (:mod:`tiime.sandbox.chaos`). No new call starts
after ``--time-cap`` seconds.

Each write's outcome is recorded: acknowledged, refused with a typed error, or ambiguous
(:class:`tiime.AmbiguousWriteError`, and a write the SDK replays, a DELETE or a replay-safe
PUT, whose every attempt failed: an earlier attempt may have made it, and sending it again
is safe, so the SDK raises the last error as it is), which is resolved at once: a create
by its ``find_created()``, another write by reading the record back. Then, chaos off, the
database is audited: every create made at most once (duplicates), every acknowledged write
in the database (lost), no refused write made, every resolution true, every other write's
final value one its outcomes allow; and no exception other than :class:`tiime.TiimeError`
(untyped). Prints the figures with p50/p99 latency; exits 1 on any violation.
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import random
import statistics
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import tiime
from tiime.sandbox import Sandbox

_LINE = {
    "description": "Soak",
    "quantity": 2,
    "unit_amount": "12.50",
    "vat_type": {"code": "normal"},
}
_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


async def _value(result: Any) -> Any:
    """The result of a sync call, or of an async one awaited."""
    return await result if inspect.isawaitable(result) else result


@dataclass
class Write:
    """One write and what its caller was told."""

    kind: str  # "create:<table>", "send", "delete", "update", "impute", "match"
    key: Any  # a create's marker; the record's id otherwise
    value: Any = None  # what an update/impute/match sets
    outcome: str = ""  # "acked", "refused", "ambiguous"
    resolved: Any = None  # what the lookup or the read-back said (a create: its id or None)


@dataclass
class Ledger:
    """What one worker did."""

    calls: int = 0
    latencies: list[float] = field(default_factory=list)
    writes: list[Write] = field(default_factory=list)
    typed: Counter[str] = field(default_factory=Counter)
    untyped: Counter[str] = field(default_factory=Counter)
    duplicated_in_listing: int = 0
    unresolved: int = 0
    replayed_failures: int = 0
    crash: str | None = None  # the soak's own error that stopped this worker


@dataclass
class World:
    """The seeded records the workers share (read-only) or own (by worker index)."""

    company_id: int
    client_ids: list[int]
    transactions: list[tuple[int, Decimal]]
    label_ids: list[int]
    document_ids: list[int]


class Worker:
    """One client making calls: ``client`` is sync or async, each call awaited through
    :func:`_value` so that the calls are written once."""

    def __init__(self, index: int, workers: int, client: Any, world: World, seed: int) -> None:
        self.index = index
        self.client = client
        self.world = world
        self.rng = random.Random(seed * 1000 + index)
        self.ledger = Ledger()
        self.drafts: list[int] = []
        self.saved: list[int] = []
        self.transactions = world.transactions[index::workers]
        self.serial = 0

    def marker(self, kind: str) -> str:
        self.serial += 1
        return f"soak {kind} w{self.index} n{self.serial}"

    async def call(self, fn: Callable[[], Any]) -> tuple[str, Any]:
        """``("ok", result)`` or ``("refused"|"ambiguous"|"untyped", exception)``."""
        self.ledger.calls += 1
        start = time.perf_counter()
        try:
            result = await _value(fn())
        except tiime.AmbiguousWriteError as exc:
            self.ledger.typed[type(exc).__name__] += 1
            return "ambiguous", exc
        except tiime.TiimeError as exc:
            self.ledger.typed[type(exc).__name__] += 1
            return "refused", exc
        except Exception as exc:
            self.ledger.untyped[f"{type(exc).__name__}: {exc}"[:200]] += 1
            return "untyped", exc
        finally:
            self.ledger.latencies.append(time.perf_counter() - start)
        return "ok", result

    async def settle(self, fn: Callable[[], Any]) -> Any:
        """A lookup or read-back made until it answers (chaos still on): its result, or
        :data:`_UNRESOLVED` after 10 tries."""
        for _ in range(10):
            try:
                return await _value(fn())
            except tiime.NotFoundError:
                return None
            except tiime.TiimeError:
                continue
        self.ledger.unresolved += 1
        return _UNRESOLVED

    # -- the calls ------------------------------------------------------------------------

    async def create(self, table: str, fn: Callable[[], Any], marker: str) -> Any:
        status, result = await self.call(fn)
        write = Write(f"create:{table}", marker)
        self.ledger.writes.append(write)
        if status == "ok":
            write.outcome, write.resolved = "acked", result.id
            return result
        write.outcome = "ambiguous" if status == "ambiguous" else "refused"
        if status == "ambiguous":
            found = await self.settle(result.find_created)
            write.resolved = found if found is _UNRESOLVED or found is None else found.id
            return found if found is not _UNRESOLVED else None
        return None

    async def write(
        self, kind: str, key: int, value: Any, fn: Callable[[], Any], read: Callable[[], Any]
    ) -> None:
        status, _result = await self.call(fn)
        write = Write(kind, key, value, "acked" if status == "ok" else status)
        if status == "untyped":
            write.outcome = "refused"  # counted as untyped already; audited as not made
        elif status == "refused" and kind in _REPLAYED:
            # replayed after an attempt that may have made it, a typed failure does not say
            # the write was not made (by design: sending it again is safe): read it back
            write.outcome = "ambiguous"
            self.ledger.replayed_failures += 1
        self.ledger.writes.append(write)
        if write.outcome == "ambiguous":
            write.resolved = await self.settle(read)

    async def step(self) -> None:
        c, w = self.client, self.world
        roll = self.rng.random()
        if roll < 0.45:
            await self.read()
        elif roll < 0.55:
            name = self.marker("client")
            await self.create("clients", lambda: c.clients.create(name=name), name)
        elif roll < 0.65:
            title = self.marker("invoice")
            saved = self.rng.random() < 0.5
            client_id = self.rng.choice(w.client_ids)
            made = await self.create(
                "invoices",
                lambda: c.invoices.create(
                    lines=[_LINE],
                    client_id=client_id,
                    title=title,
                    status="saved" if saved else None,
                ),
                title,
            )
            if made is not None:
                (self.saved if saved else self.drafts).append(made.id)
        elif roll < 0.69:
            title = self.marker("quotation")
            client_id = self.rng.choice(w.client_ids)
            await self.create(
                "quotations",
                lambda: c.quotations.create(lines=[_LINE], client_id=client_id, title=title),
                title,
            )
        elif roll < 0.72:
            name = self.marker("report")
            await self.create("expense_reports", lambda: c.expense_reports.create(name), name)
        elif roll < 0.75:
            name = self.marker("document").replace(" ", "-") + ".pdf"
            await self.create("documents", lambda: c.documents.upload(_PDF, filename=name), name)
        elif roll < 0.82 and self.drafts:
            invoice_id = self.rng.choice(self.drafts)
            note = self.marker("note")
            await self.write(
                "update",
                invoice_id,
                note,
                lambda: c.invoices.update(invoice_id, free_field=note),
                lambda: _free_field(c.invoices.with_raw_response.get(invoice_id)),
            )
        elif roll < 0.85 and self.drafts:
            invoice_id = self.drafts.pop(self.rng.randrange(len(self.drafts)))
            await self.write(
                "delete",
                invoice_id,
                None,
                lambda: c.invoices.delete(invoice_id),
                lambda: c.invoices.get(invoice_id),
            )
        elif roll < 0.88 and self.saved:
            invoice_id = self.saved.pop(self.rng.randrange(len(self.saved)))
            await self.write(
                "send",
                invoice_id,
                None,
                lambda: c.invoices.send(invoice_id, recipients=["soak@example.test"]),
                lambda: _status(c.invoices.get(invoice_id)),
            )
        elif roll < 0.94 and self.transactions:
            transaction_id, amount = self.rng.choice(self.transactions)
            label_id = self.rng.choice(w.label_ids)
            imputation = {"label": {"id": label_id}, "amount": amount}
            await self.write(
                "impute",
                transaction_id,
                label_id,
                lambda: c.bank_transactions.impute(transaction_id, [imputation], amount=amount),
                lambda: _label(c.bank_transactions.get(transaction_id)),
            )
        elif self.transactions:
            transaction_id, _ = self.rng.choice(self.transactions)
            ids = sorted(self.rng.sample(w.document_ids, self.rng.randint(0, 2)))
            await self.write(
                "match",
                transaction_id,
                tuple(ids),
                lambda: c.bank_transactions.match_documents(transaction_id, ids),
                lambda: _matched(c.bank_transactions.matchings(transaction_id)),
            )
        else:
            await self.read()

    async def read(self) -> None:
        c, w = self.client, self.world
        reads: list[Callable[[], Any]] = [
            lambda: c.clients.list(limit=40),
            lambda: c.clients.get(self.rng.choice(w.client_ids)),
            lambda: c.invoices.list(limit=30),
            lambda: c.quotations.list(limit=20),
            lambda: c.documents.list(limit=20),
            lambda: c.expense_reports.list(limit=20),
            lambda: c.bank_accounts.list(),
            lambda: c.bank_transactions.list(limit=30),
            lambda: c.labels.list(limit=30),
            lambda: c.company.get(),
            lambda: c.users.me(),
        ]
        if self.rng.random() < 0.05:  # a whole listing, page by page (page caps, inserts)
            status, result = await self.call(lambda: c.clients.list())
            if status == "ok":
                ids = [item.id for item in result]
                self.ledger.duplicated_in_listing += len(ids) - len(set(ids))
            return
        await self.call(self.rng.choice(reads))

    async def run(self, calls: int, deadline: float) -> Ledger:
        try:
            while self.ledger.calls < calls and time.monotonic() < deadline:
                await self.step()
        except Exception as exc:  # a bug of the soak itself: reported, never lost
            self.ledger.crash = f"{type(exc).__name__}: {exc}"
        return self.ledger


_UNRESOLVED = object()
# Writes the SDK sends again after a failure (a DELETE, a replay-safe PUT).
_REPLAYED = frozenset({"update", "delete", "match"})


async def _free_field(raw: Any) -> Any:
    # not a field of tiime.Invoice (the reference's model has none): read from the JSON
    return (await _value(raw)).json().get("free_field")


async def _status(invoice: Any) -> Any:
    return (await _value(invoice)).status


async def _label(transaction: Any) -> Any:
    imputations = (await _value(transaction)).imputations or []
    return imputations[0].label.id if imputations and imputations[0].label else None


async def _matched(matchings: Any) -> Any:
    return tuple(sorted(item.document.id for item in await _value(matchings) if item.document))


# -- the run ------------------------------------------------------------------------------


def _world(sb: Sandbox) -> World:
    cid = sb.company_id
    db = sb.db
    return World(
        company_id=cid,
        client_ids=[r["id"] for r in db.all("SELECT id FROM clients WHERE company_id = ?", (cid,))],
        transactions=[
            (r["id"], Decimal(r["amount_cents"]) / 100)
            for r in db.all(
                "SELECT id, amount_cents FROM bank_transactions WHERE company_id = ? "
                "AND amount_cents != 0 ORDER BY id",
                (cid,),
            )
        ],
        label_ids=[
            r["id"]
            for r in db.all(
                "SELECT id FROM labels WHERE (company_id = ? OR company_id IS NULL) "
                "AND disabled = 0 ORDER BY id LIMIT 40",
                (cid,),
            )
        ],
        document_ids=[
            r["id"] for r in db.all("SELECT id FROM documents WHERE company_id = ?", (cid,))
        ],
    )


def _options(sb: Sandbox) -> dict[str, Any]:
    return {
        "company_id": sb.company_id,
        "email": sb.email,
        "password": sb.password,
        "base_url": sb.base_url,
        "auth_url": sb.auth_url,
    }


def _run_sync(worker: Worker, calls: int, deadline: float) -> None:
    with worker.client:
        asyncio.run(worker.run(calls, deadline))


async def _run_async(workers: list[Worker], calls: int, deadline: float) -> None:
    try:
        await asyncio.gather(*(worker.run(calls, deadline) for worker in workers))
    finally:
        for worker in workers:
            await worker.client.aclose()


def run_workers(sb: Sandbox, calls: int, workers: int, seed: int, time_cap: float) -> list[Ledger]:
    """``calls`` calls shared by ``workers`` workers, the first half sync (one thread each),
    the others async (tasks of one event loop in its own thread)."""
    world = _world(sb)
    made = []
    for index in range(workers):
        sync = index < (workers + 1) // 2
        client_type = tiime.TiimeClient if sync else tiime.AsyncTiimeClient
        made.append(Worker(index, workers, client_type(**_options(sb)), world, seed))
    deadline = time.monotonic() + time_cap
    share = -(-calls // workers)
    shares = [min(share, max(0, calls - share * n)) for n in range(workers)]
    sync_workers = [w for w in made if isinstance(w.client, tiime.TiimeClient)]
    async_workers = [w for w in made if not isinstance(w.client, tiime.TiimeClient)]
    threads = [
        threading.Thread(target=_run_sync, args=(w, shares[w.index], deadline))
        for w in sync_workers
    ]
    threads.append(
        threading.Thread(
            target=asyncio.run,
            args=(_run_async(async_workers, shares[-1], deadline),),
        )
    )
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [w.ledger for w in made]


# -- the audit ----------------------------------------------------------------------------

_CREATED = {
    "create:clients": "SELECT id FROM clients WHERE company_id = ? AND name = ?",
    "create:invoices": "SELECT id FROM invoices WHERE company_id = ? AND title = ?",
    "create:quotations": "SELECT id FROM quotations WHERE company_id = ? AND title = ?",
    "create:expense_reports": "SELECT id FROM expense_reports WHERE company_id = ? AND name = ?",
    "create:documents": "SELECT id FROM documents WHERE company_id = ? AND name = ?",
}


@dataclass
class Audit:
    """What the database says of the ledgers."""

    writes: Counter[str] = field(default_factory=Counter)  # by outcome
    ambiguous_made: int = 0
    ambiguous_not_made: int = 0
    duplicates: int = 0
    lost: int = 0
    violations: list[str] = field(default_factory=list)


def _now_value(sb: Sandbox, kind: str, key: int) -> Any:
    db = sb.db
    if kind == "update":
        return db.scalar("SELECT free_field FROM invoices WHERE id = ?", (key,))
    if kind == "impute":
        rows = db.all("SELECT label_id FROM bank_imputations WHERE transaction_id = ?", (key,))
        return rows[0]["label_id"] if len(rows) == 1 else None if not rows else "several"
    rows = db.all(
        "SELECT document_id FROM bank_document_matchings WHERE transaction_id = ?", (key,)
    )
    return tuple(sorted(r["document_id"] for r in rows))


def audit(sb: Sandbox, ledgers: list[Ledger]) -> Audit:
    """Every write of ``ledgers`` checked against the database (see the module)."""
    result = Audit()
    cid = sb.company_id
    later: dict[tuple[str, int], list[Write]] = {}
    deleted = {w.key for ledger in ledgers for w in ledger.writes if w.kind == "delete"}
    for ledger in ledgers:
        for w in ledger.writes:
            result.writes[w.outcome] += 1
            said = f"{w.kind} {w.key!r} ({w.outcome})"
            if w.outcome == "ambiguous" and w.resolved is _UNRESOLVED:
                continue  # counted in the ledger's unresolved
            if w.kind in _CREATED:
                ids = [r["id"] for r in sb.db.all(_CREATED[w.kind], (cid, w.key))]
                # an invoice the soak deleted since (a draft) was made all the same
                made = bool(ids) or (w.kind == "create:invoices" and w.resolved in deleted)
                result.duplicates += max(0, len(ids) - 1)
                if w.outcome == "ambiguous":
                    told = w.resolved is not None
                    if told != made:
                        result.violations.append(f"{said}: find_created said {w.resolved}")
            elif w.kind == "send":
                count = sb.db.scalar(
                    "SELECT COUNT(*) FROM outbox WHERE document_type = 'invoice' "
                    "AND document_id = ?",
                    (w.key,),
                )
                made = count > 0
                result.duplicates += max(0, count - 1)
                if w.outcome == "ambiguous" and (w.resolved == "sent") != made:
                    result.violations.append(f"{said}: read back as {w.resolved}")
            elif w.kind == "delete":
                made = sb.db.one("SELECT id FROM invoices WHERE id = ?", (w.key,)) is None
                if w.outcome == "ambiguous" and (w.resolved is None) != made:
                    result.violations.append(f"{said}: read back as {w.resolved!r}")
            else:
                if not (w.kind == "update" and w.key in deleted):
                    later.setdefault((w.kind, w.key), []).append(w)
                continue
            if w.outcome == "acked" and not made:
                result.lost += 1
                result.violations.append(f"{said}: not in the database")
            elif w.outcome == "refused" and made:
                result.violations.append(f"{said}: refused, yet made")
            elif w.outcome == "ambiguous":
                if made:
                    result.ambiguous_made += 1
                else:
                    result.ambiguous_not_made += 1
    for (kind, key), writes in later.items():
        allowed: set[Any] | None = None  # None: anything (nothing known yet)
        for w in writes:
            if w.outcome == "acked":
                allowed = {w.value}
            elif w.outcome == "ambiguous":
                if w.resolved is _UNRESOLVED:
                    allowed = None if allowed is None else allowed | {w.value}
                    continue
                if allowed is not None and w.resolved not in allowed | {w.value}:
                    result.violations.append(f"{kind} {key}: read back {w.resolved!r}")
                if w.resolved == w.value:
                    result.ambiguous_made += 1
                else:
                    result.ambiguous_not_made += 1
                allowed = {w.resolved}
        now = _now_value(sb, kind, key)
        if allowed is not None and now not in allowed:
            last_acked = [w for w in writes if w.outcome == "acked"]
            if last_acked and last_acked[-1] is writes[-1]:
                result.lost += 1
            result.violations.append(f"{kind} {key}: {now!r} in the database, not {allowed!r}")
    return result


# -- the report ---------------------------------------------------------------------------


@dataclass
class Report:
    calls: int
    seconds: float
    ledgers: list[Ledger]
    audit: Audit
    faults: Counter[str]

    @property
    def untyped(self) -> Counter[str]:
        return sum((ledger.untyped for ledger in self.ledgers), Counter())

    @property
    def typed(self) -> Counter[str]:
        return sum((ledger.typed for ledger in self.ledgers), Counter())

    @property
    def ok(self) -> bool:
        return not (
            self.audit.violations
            or self.audit.duplicates
            or self.audit.lost
            or self.untyped
            or any(ledger.duplicated_in_listing or ledger.crash for ledger in self.ledgers)
        )

    def lines(self) -> list[str]:
        latencies = sorted(x for ledger in self.ledgers for x in ledger.latencies)
        p50 = statistics.median(latencies) * 1000
        p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000
        typed = self.typed
        writes = self.audit.writes
        rows = [
            ("calls", f"{self.calls:,} in {self.seconds:.1f} s"),
            ("faults injected", f"{sum(self.faults.values()):,} ({_counts(self.faults)})"),
            ("writes", f"{sum(writes.values()):,} ({_counts(writes)})"),
            ("duplicates", str(self.audit.duplicates)),
            ("acknowledged writes missing", str(self.audit.lost)),
            ("untyped exceptions", str(sum(self.untyped.values()))),
            ("typed failures", f"{sum(typed.values()):,} ({_counts(typed)})"),
            (
                "ambiguous outcomes",
                f"{writes['ambiguous']:,} (made {self.audit.ambiguous_made}, "
                f"not made {self.audit.ambiguous_not_made}, unresolved "
                f"{sum(ledger.unresolved for ledger in self.ledgers)}; of which "
                f"{sum(ledger.replayed_failures for ledger in self.ledgers)} replayed writes "
                "failed on every attempt)",
            ),
            ("ids twice in a listing", str(sum(x.duplicated_in_listing for x in self.ledgers))),
            ("audit violations", str(len(self.audit.violations))),
            ("latency p50 / p99", f"{p50:.1f} ms / {p99:.1f} ms"),
        ]
        out = [f"| {name} | {value} |" for name, value in rows]
        out += [f"violation: {v}" for v in self.audit.violations[:20]]
        out += [f"untyped: {k} x{n}" for k, n in self.untyped.most_common(10)]
        out += [f"soak error: {ledger.crash}" for ledger in self.ledgers if ledger.crash]
        return ["| measure | value |", "|---|---|", *out]


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{k} {n}" for k, n in sorted(counter.items()))


def soak(
    calls: int = 20_000,
    chaos: float = 0.1,
    seed: int = 20,
    time_cap: float = 900.0,
    workers: int = 8,
) -> Report:
    """Run the soak (see the module's documentation) and audit it."""
    with Sandbox(chaos=chaos, chaos_seed=seed) as sb:
        start = time.perf_counter()
        ledgers = run_workers(sb, calls, workers, seed, time_cap)
        seconds = time.perf_counter() - start
        assert sb.chaos is not None
        sb.chaos.rate = 0.0
        faults = Counter(sb.chaos.counts)
        return Report(sum(x.calls for x in ledgers), seconds, ledgers, audit(sb, ledgers), faults)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20_000)
    parser.add_argument("--chaos", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--time-cap", type=float, default=900.0)
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()
    report = soak(args.calls, args.chaos, args.seed, args.time_cap, args.workers)
    print("\n".join(report.lines()))
    sys.exit(0 if report.ok else 1)


if __name__ == "__main__":
    main()
