"""One sync: every resource of every chosen company, read through the SDK, written to the
mirror a resource at a time.

**How a resource is synced.** Its listing is read in full, in pages of 1000 (the API has
no "changed since" filter: a listing of N items costs ``ceil(N / 1000)`` requests);
its rows are compared with the mirror's rows of that company, and only the differences are
written: new rows inserted, changed rows updated, rows the listing no longer holds deleted
(their children with them). A client's contacts (one request per client) are read again
only for the clients that are new or changed in the listing (``full=True`` reads them all).

**Resumable.** A resource's rows, its children and its ``sync_state`` row are written in one
SQLite transaction, after its listing has been read: a sync killed at any moment leaves each
resource as the previous sync or this one left it, never half; the next sync takes up from
there, and ends with the database a clean sync would have made.

**One at a time.** A sync holds an exclusive SQLite lock on ``<database>.lock`` for its
whole run (released by the system when the process dies, even by ``kill -9``); a second
sync of the same database is refused at once with :class:`SyncBusyError`.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from .. import NotFoundError, TiimeClient
from . import rows as R
from .schema import TABLES, migrate

__all__ = [
    "PAGE_SIZE",
    "Progress",
    "SyncBusyError",
    "SyncSummary",
    "TableChanges",
    "canonical_dump",
    "connect",
    "sync",
]

PAGE_SIZE = 1000  # the largest page the API gives
_PROGRESS_EVERY = 250

Progress = Callable[[int, str, int], None]
"""``progress(company_id, resource, items_read)``: called as a listing is read."""


class SyncBusyError(Exception):
    """Another sync is writing this database."""


class TableChanges(msgspec.Struct):
    """What a sync did to one table."""

    table: str
    added: int = 0
    changed: int = 0
    deleted: int = 0


@dataclass
class SyncSummary:
    """Rows added, changed and deleted per table, for the companies synced."""

    database: str
    companies: list[int]
    tables: dict[str, TableChanges] = field(
        default_factory=lambda: {name: TableChanges(name) for name in TABLES}
    )

    def as_dict(self) -> dict[str, Any]:
        return {
            "database": self.database,
            "companies": self.companies,
            "tables": {
                name: {"added": c.added, "changed": c.changed, "deleted": c.deleted}
                for name, c in self.tables.items()
            },
        }


def connect(db_path: str | Path) -> sqlite3.Connection:
    """The mirror at ``db_path`` (made if missing), migrated to this release's schema.

    Autocommit (transactions are explicit), foreign keys enforced, WAL journal: readers
    (``tiime sql``, pandas, DuckDB) may read while a sync writes.
    """
    conn = sqlite3.connect(db_path, isolation_level=None, timeout=30)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL")
        migrate(conn)
    except BaseException:
        conn.close()
        raise
    return conn


@contextmanager
def _exclusive(db_path: Path) -> Iterator[None]:
    lock = sqlite3.connect(db_path.with_name(db_path.name + ".lock"), timeout=0)
    lock.isolation_level = None
    try:
        try:
            lock.execute("BEGIN EXCLUSIVE")
        except sqlite3.OperationalError:
            raise SyncBusyError(
                f"another tiime sync is writing {db_path} (one at a time): wait for it to end"
            ) from None
        yield
    finally:
        lock.close()


@dataclass
class _Step:
    """A resource: how to read its items, and the rows of one item."""

    resource: str
    tables: tuple[str, ...]
    items: Callable[[TiimeClient], Iterable[Any]]
    rows: Callable[[int, Any], R.Rows]


STEPS: tuple[_Step, ...] = (
    _Step(
        "clients",
        ("clients",),
        lambda c: c.clients.iter(page_size=PAGE_SIZE),
        R.client_rows,
    ),
    _Step(
        "invoices",
        ("invoices", "invoice_lines", "invoice_vat_totals"),
        lambda c: c.invoices.iter(page_size=PAGE_SIZE),
        R.invoice_rows,
    ),
    _Step(
        "quotations",
        ("quotations", "quotation_lines"),
        lambda c: c.quotations.iter(page_size=PAGE_SIZE),
        R.quotation_rows,
    ),
    _Step(
        "bank_accounts", ("bank_accounts",), lambda c: c.bank_accounts.list(), R.bank_account_rows
    ),
    _Step(
        "transactions",
        ("transactions", "imputations"),
        lambda c: c.bank_transactions.iter(page_size=PAGE_SIZE),
        R.transaction_rows,
    ),
    _Step(
        "documents",
        ("documents",),
        lambda c: c.documents.iter(page_size=PAGE_SIZE),
        R.document_rows,
    ),
    _Step(
        "expense_reports",
        ("expense_reports",),
        lambda c: c.expense_reports.iter(page_size=PAGE_SIZE),
        R.expense_report_rows,
    ),
    _Step("labels", ("labels",), lambda c: c.labels.list(), R.label_rows),
    _Step("tags", ("tags",), lambda c: c.labels.tags(), R.tag_rows),
)


def sync(
    client: TiimeClient,
    db_path: str | Path,
    company_ids: Sequence[int] | None = None,
    *,
    full: bool = False,
    progress: Progress | None = None,
) -> SyncSummary:
    """Mirror the companies ``company_ids`` (the client's own company by default) into the
    SQLite database at ``db_path``; returns what changed.

    Sends ``GET companies`` once, then per company one listing per resource (clients,
    invoices, quotations, bank accounts, transactions, documents, expense reports, labels,
    tags; pages of 1000) and ``GET .../clients/{id}/contacts`` for each client new or
    changed since the last sync (every client with ``full``). Writes nothing.
    Raises :class:`SyncBusyError` when another sync holds the database, the SDK's errors
    as they come (what was committed before stays: run again to finish).
    """
    path = Path(db_path)
    ids = list(company_ids) if company_ids else [client.require_company()]
    summary = SyncSummary(database=str(path), companies=ids)
    with _exclusive(path):
        conn = connect(path)
        try:
            known = {c.id: c for c in client.list_companies()}
            for company_id in ids:
                company = known.get(company_id)
                scoped = client.with_options(company_id=company_id)
                if company is None:  # not among the user's: its own error, from the API
                    company = scoped.company.get()
                _write(conn, summary, company_id, "company", R.company_rows(company), {})
                for step in STEPS:
                    _sync_step(conn, summary, scoped, company_id, step, full, progress)
        finally:
            conn.close()
    return summary


def _read(client: TiimeClient, company_id: int, step: _Step, progress: Progress | None) -> R.Rows:
    rows: R.Rows = {name: [] for name in step.tables}
    count = 0
    for item in step.items(client):
        for table, more in step.rows(company_id, item).items():
            rows[table].extend(more)
        count += 1
        if progress is not None and count % _PROGRESS_EVERY == 0:
            progress(company_id, step.resource, count)
    if progress is not None:
        progress(company_id, step.resource, count)
    return rows


def _sync_step(
    conn: sqlite3.Connection,
    summary: SyncSummary,
    client: TiimeClient,
    company_id: int,
    step: _Step,
    full: bool,
    progress: Progress | None,
) -> None:
    rows = _read(client, company_id, step, progress)
    scopes: dict[str, tuple[str, tuple[Any, ...]]] = {}
    if step.resource == "clients":
        existing = _existing(conn, "clients", "company_id = ?", (company_id,))
        refresh = [row[0] for row in rows["clients"] if full or existing.get((row[0],)) != row]
        rows["contacts"] = []
        for client_id in refresh:
            try:
                contacts = client.clients.contacts(client_id)
            except NotFoundError:  # deleted since the listing: the next sync removes it
                contacts = []
            for contact in contacts:
                rows["contacts"].extend(R.contact_rows(company_id, client_id, contact)["contacts"])
        scopes["contacts"] = (
            "company_id = ? AND client_id IN (SELECT value FROM json_each(?))",
            (company_id, json.dumps(refresh)),
        )
    _write(conn, summary, company_id, step.resource, rows, scopes)


def _existing(
    conn: sqlite3.Connection, table: str, where: str, args: tuple[Any, ...]
) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    spec = TABLES[table]
    positions = [spec.columns.index(k) for k in spec.key]
    found = conn.execute(f"SELECT {', '.join(spec.columns)} FROM {table} WHERE {where}", args)  # noqa: S608
    return {tuple(row[p] for p in positions): tuple(row) for row in found}


def _write(
    conn: sqlite3.Connection,
    summary: SyncSummary,
    company_id: int,
    resource: str,
    rows: R.Rows,
    scopes: dict[str, tuple[str, tuple[Any, ...]]],
) -> None:
    """Write a resource's rows in one transaction with its ``sync_state``."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        plans = []
        for table, new_rows in rows.items():
            where, args = scopes.get(table, ("company_id = ?", (company_id,)))
            if table == "companies":
                where, args = "id = ?", (company_id,)
            plans.append(_plan(conn, table, new_rows, where, args))
        for plan in reversed(plans):  # children first: each deletion counted in its table
            plan.delete(conn, summary.tables[plan.table])
        for plan in plans:  # parents first: a child's parent exists
            plan.upsert(conn, summary.tables[plan.table])
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        count = len(next(iter(rows.values())))  # the items of the resource's listing
        conn.execute(
            "INSERT INTO sync_state (company_id, resource, rows, synced_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (company_id, resource) DO UPDATE SET rows = excluded.rows,"
            " synced_at = excluded.synced_at",
            (company_id, resource, count, now),
        )
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


@dataclass
class _Plan:
    """A table's rows in scope made the wanted ones: what to delete, what to write."""

    table: str
    gone: list[tuple[Any, ...]]
    added: list[R.Row]
    changed: list[R.Row]

    def delete(self, conn: sqlite3.Connection, changes: TableChanges) -> None:
        spec = TABLES[self.table]
        key_match = " AND ".join(f"{k} = ?" for k in spec.key)
        conn.executemany(f"DELETE FROM {self.table} WHERE {key_match}", self.gone)  # noqa: S608
        changes.deleted += len(self.gone)

    def upsert(self, conn: sqlite3.Connection, changes: TableChanges) -> None:
        spec = TABLES[self.table]
        others = [c for c in spec.columns if c not in spec.key]
        statement = (
            f"INSERT INTO {self.table} ({', '.join(spec.columns)})"  # noqa: S608
            f" VALUES ({', '.join('?' * len(spec.columns))})"
            f" ON CONFLICT ({', '.join(spec.key)}) DO UPDATE SET "
            + ", ".join(f"{c} = excluded.{c}" for c in others)
        )
        conn.executemany(statement, [*self.added, *self.changed])
        changes.added += len(self.added)
        changes.changed += len(self.changed)


def _plan(
    conn: sqlite3.Connection,
    table: str,
    new_rows: list[R.Row],
    where: str,
    args: tuple[Any, ...],
) -> _Plan:
    """Compare the table's rows in scope (``where``) with ``new_rows``, by key."""
    spec = TABLES[table]
    positions = [spec.columns.index(k) for k in spec.key]
    existing = _existing(conn, table, where, args)
    wanted = {tuple(row[p] for p in positions): row for row in new_rows}
    plan = _Plan(table, [key for key in existing if key not in wanted], [], [])
    for key, row in wanted.items():
        old = existing.get(key)
        if old is None:
            plan.added.append(row)
        elif old != row:
            plan.changed.append(row)
    return plan


def canonical_dump(db_path: str | Path) -> list[str]:
    """Every mirrored row as text, tables in order and rows by key: two mirrors of the same
    books give the same dump (``sync_state``'s times left out)."""
    conn = sqlite3.connect(db_path)
    try:
        lines = [f"user_version {conn.execute('PRAGMA user_version').fetchone()[0]}"]
        for name, spec in TABLES.items():
            query = f"SELECT {', '.join(spec.columns)} FROM {name} ORDER BY {', '.join(spec.key)}"  # noqa: S608
            lines.extend(
                f"{name} {json.dumps(list(row), ensure_ascii=False)}" for row in conn.execute(query)
            )
        state = "SELECT company_id, resource, rows FROM sync_state ORDER BY company_id, resource"
        lines.extend(f"sync_state {json.dumps(list(row))}" for row in conn.execute(state))
        return lines
    finally:
        conn.close()
