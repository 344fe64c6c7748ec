"""One sync: every resource of every chosen company, read through the SDK, written to the
mirror a resource at a time.

**How a resource is synced.** Its listing is read in full, in pages of 1000 (the API has
no "changed since" filter: a listing of N items costs ``ceil(N / 1000)`` requests);
its rows are compared with the mirror's rows of that company, and only the differences are
written: new rows inserted, changed rows updated, rows the listing no longer holds deleted
(their children with them).

**Contacts.** A client's contacts (one request per client) are read again for the clients
that are new or changed in the listing (a new balance, a new address...), and, since a
contact can change while its client does not, for :data:`CONTACTS_PER_SYNC` more clients
per company and sync: those whose contacts were read the longest ago (a rolling re-read;
``contacts_read`` keeps which sync read each client's last). A change to the contacts of
an unchanged client is so mirrored within ``ceil(clients / CONTACTS_PER_SYNC)`` syncs;
``full=True`` reads every client's contacts.

**Files.** With ``files=True``, the documents' files are stored beside the database by
content hash, fetched only for new or changed documents (see :mod:`tiime.sync.files`).

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
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from .. import NotFoundError, TiimeClient
from . import files as F
from . import rows as R
from .schema import TABLES, migrate

__all__ = [
    "CONTACTS_PER_SYNC",
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
CONTACTS_PER_SYNC = 10  # clients whose contacts are read again per company and sync
_PROGRESS_EVERY = 250
_CONTENT_RANGE = re.compile(r"^\s*items\s+\d+-\d+/(\d+)\s*$")

Progress = Callable[[int, str, int, "int | None"], None]
"""``progress(company_id, resource, done, total)``: called as a listing is read (items
read, of ``total`` when known, else ``None``) and as files are fetched (resource
``"files"``); the last call of a resource has ``done == total``."""


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
    files: F.FileChanges = field(default_factory=F.FileChanges)

    def as_dict(self) -> dict[str, Any]:
        return {
            "database": self.database,
            "companies": self.companies,
            "tables": {
                name: {"added": c.added, "changed": c.changed, "deleted": c.deleted}
                for name, c in self.tables.items()
            },
            "files": msgspec.structs.asdict(self.files),
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
    head: Callable[[TiimeClient], Any] | None = None
    """A one-item page, raw (``with_raw_response.list(limit=1)``): its ``Content-Range``
    gives the listing's total, for the progress of a first sync."""


STEPS: tuple[_Step, ...] = (
    _Step(
        "clients",
        ("clients",),
        lambda c: c.clients.iter(page_size=PAGE_SIZE),
        head=lambda c: c.clients.with_raw_response.list(limit=1),
        rows=R.client_rows,
    ),
    _Step(
        "invoices",
        ("invoices", "invoice_lines", "invoice_vat_totals"),
        lambda c: c.invoices.iter(page_size=PAGE_SIZE),
        head=lambda c: c.invoices.with_raw_response.list(limit=1),
        rows=R.invoice_rows,
    ),
    _Step(
        "quotations",
        ("quotations", "quotation_lines"),
        lambda c: c.quotations.iter(page_size=PAGE_SIZE),
        head=lambda c: c.quotations.with_raw_response.list(limit=1),
        rows=R.quotation_rows,
    ),
    _Step(
        "bank_accounts", ("bank_accounts",), lambda c: c.bank_accounts.list(), R.bank_account_rows
    ),
    _Step(
        "transactions",
        ("transactions", "imputations"),
        lambda c: c.bank_transactions.iter(page_size=PAGE_SIZE),
        head=lambda c: c.bank_transactions.with_raw_response.list(limit=1),
        rows=R.transaction_rows,
    ),
    _Step(
        "documents",
        ("documents",),
        lambda c: c.documents.iter(page_size=PAGE_SIZE),
        head=lambda c: c.documents.with_raw_response.list(limit=1),
        rows=R.document_rows,
    ),
    _Step(
        "expense_reports",
        ("expense_reports",),
        lambda c: c.expense_reports.iter(page_size=PAGE_SIZE),
        head=lambda c: c.expense_reports.with_raw_response.list(limit=1),
        rows=R.expense_report_rows,
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
    files: bool = False,
    contacts_per_sync: int = CONTACTS_PER_SYNC,
    progress: Progress | None = None,
) -> SyncSummary:
    """Mirror the companies ``company_ids`` (the client's own company by default) into the
    SQLite database at ``db_path``; returns what changed.

    Sends ``GET companies`` once, then per company one listing per resource (clients,
    invoices, quotations, bank accounts, transactions, documents, expense reports, labels,
    tags; pages of 1000) and ``GET .../clients/{id}/contacts`` for each client new or
    changed since the last sync and for the ``contacts_per_sync`` clients whose contacts
    were read the longest ago (every client with ``full``). With ``files``, ``GET
    .../documents/{id}/download`` for each document whose file is not stored yet (new or
    changed documents), into ``<db_path>.files``. With ``progress``, a first sync also
    sends a one-item page of each paged listing (its ``Content-Range`` total). Writes
    nothing. Raises :class:`SyncBusyError` when another sync holds the database, the SDK's
    errors as they come (what was committed before stays: run again to finish).
    """
    path = Path(db_path)
    ids = list(company_ids) if company_ids else [client.require_company()]
    summary = SyncSummary(database=str(path), companies=ids)
    with _exclusive(path):
        conn = connect(path)
        run = _Run(conn, summary, full, max(0, contacts_per_sync), progress)
        try:
            known = {c.id: c for c in client.list_companies()}
            for company_id in ids:
                company = known.get(company_id)
                scoped = client.with_options(company_id=company_id)
                if company is None:  # not among the user's: its own error, from the API
                    company = scoped.company.get()
                _write(conn, summary, company_id, "company", R.company_rows(company), {})
                for step in STEPS:
                    run.step(scoped, company_id, step)
                if files:
                    run.files(scoped, company_id, F.store_of(path))
        finally:
            conn.close()
    return summary


def _content_range_total(response: Any) -> int | None:
    """The TOTAL of a raw answer's ``Content-Range: items START-END/TOTAL``, else None."""
    match = _CONTENT_RANGE.match(response.headers.get("content-range", ""))
    return int(match.group(1)) if match else None


@dataclass
class _Run:
    """One sync's database, summary and options."""

    conn: sqlite3.Connection
    summary: SyncSummary
    full: bool
    contacts_per_sync: int
    progress: Progress | None

    def _total(self, client: TiimeClient, company_id: int, step: _Step) -> int | None:
        """The listing's size for the progress: the last sync's count, else the total of a
        one-item page (a first sync), else unknown."""
        last = self.conn.execute(
            "SELECT rows FROM sync_state WHERE company_id = ? AND resource = ?",
            (company_id, step.resource),
        ).fetchone()
        if last is not None:
            return int(last[0])
        return None if step.head is None else _content_range_total(step.head(client))

    def _read(self, client: TiimeClient, company_id: int, step: _Step) -> R.Rows:
        rows: R.Rows = {name: [] for name in step.tables}
        progress = self.progress
        total = None if progress is None else self._total(client, company_id, step)
        count = 0
        for item in step.items(client):
            for table, more in step.rows(company_id, item).items():
                rows[table].extend(more)
            count += 1
            if progress is not None and count % _PROGRESS_EVERY == 0:
                progress(company_id, step.resource, count, max(total or 0, count) or None)
        if progress is not None:
            progress(company_id, step.resource, count, count)
        return rows

    def step(self, client: TiimeClient, company_id: int, step: _Step) -> None:
        """Read a resource's listing, then write its differences in one transaction."""
        rows = self._read(client, company_id, step)
        scopes: dict[str, tuple[str, tuple[Any, ...]]] = {}
        after: Callable[[sqlite3.Connection], None] | None = None
        if step.resource == "clients":
            after = self._contacts(client, company_id, rows, scopes)
        elif step.resource == "documents":
            self._keep_file_hashes(company_id, rows["documents"])
        _write(self.conn, self.summary, company_id, step.resource, rows, scopes, after)

    def _contacts(
        self,
        client: TiimeClient,
        company_id: int,
        rows: R.Rows,
        scopes: dict[str, tuple[str, tuple[Any, ...]]],
    ) -> Callable[[sqlite3.Connection], None]:
        """Read the contacts of the clients due (new, changed, and the rolling share);
        returns what records, with the clients, which sync read them."""
        existing = _existing(self.conn, "clients", "company_id = ?", (company_id,))
        listed = [row[0] for row in rows["clients"]]
        due = [row[0] for row in rows["clients"] if self.full or existing.get((row[0],)) != row]
        if self.contacts_per_sync and len(due) < len(listed):
            chosen, others = set(due), set(listed)
            oldest = self.conn.execute(
                "SELECT c.id FROM clients AS c LEFT JOIN contacts_read AS r"
                " ON r.client_id = c.id WHERE c.company_id = ?"
                " ORDER BY r.run IS NOT NULL, r.run, c.id",
                (company_id,),
            )
            rolling = [i for (i,) in oldest if i in others and i not in chosen]
            due.extend(rolling[: self.contacts_per_sync])
        rows["contacts"] = []
        for client_id in due:
            try:
                contacts = client.clients.contacts(client_id)
            except NotFoundError:  # deleted since the listing: the next sync removes it
                contacts = []
            for contact in contacts:
                rows["contacts"].extend(R.contact_rows(company_id, client_id, contact)["contacts"])
        scopes["contacts"] = (
            "company_id = ? AND client_id IN (SELECT value FROM json_each(?))",
            (company_id, json.dumps(due)),
        )

        def record(conn: sqlite3.Connection) -> None:
            (last,) = conn.execute(
                "SELECT coalesce(max(run), 0) FROM contacts_read WHERE company_id = ?",
                (company_id,),
            ).fetchone()
            conn.executemany(
                "INSERT INTO contacts_read (client_id, company_id, run) VALUES (?, ?, ?)"
                " ON CONFLICT (client_id) DO UPDATE SET run = excluded.run",
                [(client_id, company_id, last + 1) for client_id in due],
            )

        return record

    def _keep_file_hashes(self, company_id: int, documents: list[R.Row]) -> None:
        """A document unchanged keeps its file's hash; a new or changed one has none (its
        file fetched by ``files``, or left NULL)."""
        existing = _existing(self.conn, "documents", "company_id = ?", (company_id,))
        for n, row in enumerate(documents):
            old = existing.get((row[0],))
            if old is not None and old[:-1] == row[:-1]:
                documents[n] = (*row[:-1], old[-1])

    def files(self, client: TiimeClient, company_id: int, store: Path) -> None:
        """Fetch the files of the company's documents that have none stored, one commit per
        file once it is in place; then remove the files no document references."""
        F.clear_incoming(store)
        found = self.conn.execute(
            "SELECT id, mime_type, file_sha256 FROM documents WHERE company_id = ? ORDER BY id",
            (company_id,),
        ).fetchall()
        todo = [
            (document_id, mime_type)
            for document_id, mime_type, sha256 in found
            if sha256 is None or not F.file_path(store, sha256, mime_type).is_file()
        ]
        changes = self.summary.files
        for done, (document_id, mime_type) in enumerate(todo, 1):
            try:
                sha256, written = F.fetch(client, store, document_id, mime_type)
            except NotFoundError:  # deleted since the listing: the next sync removes it
                continue
            self.conn.execute(
                "UPDATE documents SET file_sha256 = ? WHERE id = ?", (sha256, document_id)
            )
            changes.fetched += 1
            changes.written += written > 0
            changes.bytes_written += written
            if self.progress is not None:
                self.progress(company_id, "files", done, len(todo))
        changes.deleted += F.remove_unreferenced(self.conn, store)


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
    after: Callable[[sqlite3.Connection], None] | None = None,
) -> None:
    """Write a resource's rows in one transaction with its ``sync_state`` (and ``after``'s
    writes)."""
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
        if after is not None:
            after(conn)
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
