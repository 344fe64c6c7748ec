"""The books as a ``dlt`` source (extra ``tiime[dlt]``): the mirror's tables, loaded by
``dlt`` into DuckDB, Postgres, BigQuery, Snowflake... with merge semantics::

    import dlt
    from tiime import TiimeClient
    from tiime.sync.dlt_source import tiime_source

    pipeline = dlt.pipeline("tiime", destination="duckdb", dataset_name="books")
    pipeline.run(tiime_source(TiimeClient(), company_ids=[12345]))

One ``dlt`` resource per table of :mod:`tiime.sync.schema`, with the same columns, the
same primary keys (``write_disposition="merge"``), amounts as exact decimal text and dates
as ISO text. **Incremental** as :mod:`tiime.sync.engine` is (the API has no "changed
since" filter): each listing is read in pages of 1000, and the resource state keeps a
digest per row, so that a load sends only the rows that are new or changed; a row the
listing no longer holds is sent as a tombstone (its key and ``_tiime_deleted = true``, a
``hard_delete`` column) and the destination deletes it. A client's contacts are read
again only for new or changed clients. The state is committed by ``dlt`` with the load:
a load that fails is redone whole by the next run.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any, cast

import dlt
from dlt.common.schema.typing import TColumnSchema
from dlt.sources import DltSource

from .. import TiimeClient
from . import rows as R
from .engine import STEPS
from .schema import TABLES, migrate

__all__ = ["DELETED", "tiime_source"]

DELETED = "_tiime_deleted"


def _digest(row: R.Row) -> str:
    return hashlib.sha256(json.dumps(row, ensure_ascii=False).encode()).hexdigest()[:20]


class _Reader:
    """Reads each listing once per company and holds its rows for the tables it fills."""

    def __init__(self, client: TiimeClient, company_ids: list[int]) -> None:
        self.client = client
        self.company_ids = company_ids
        self._rows: dict[str, list[R.Row]] = {}
        self.refreshed_clients: set[int] = set()
        self.clients: set[int] = set()

    def rows(self, table: str) -> list[R.Row]:
        if table not in self._rows:
            self._read(table)
        return self._rows[table]

    def _read(self, table: str) -> None:
        if table == "companies":
            known = {c.id: c for c in self.client.list_companies()}
            rows = []
            for company_id in self.company_ids:
                company = known.get(company_id)
                if company is None:
                    company = self.client.with_options(company_id=company_id).company.get()
                rows.extend(R.company_rows(company)["companies"])
            self._rows["companies"] = rows
            return
        if table == "contacts":
            self._read("clients")
            return
        step = next(s for s in STEPS if table in s.tables)
        found: dict[str, list[R.Row]] = {name: [] for name in step.tables}
        for company_id in self.company_ids:
            scoped = self.client.with_options(company_id=company_id)
            for item in step.items(scoped):
                for name, more in step.rows(company_id, item).items():
                    found[name].extend(more)
        self._rows.update(found)
        if step.resource == "clients":
            self._contacts(found["clients"])

    def _contacts(self, clients: list[R.Row]) -> None:
        state = dlt.current.source_state().get("resources", {}).get("clients", {})
        before: dict[str, str] = state.get("rows", {})
        contacts: list[R.Row] = []
        self.clients = {row[0] for row in clients}
        for row in clients:
            if before.get(json.dumps([row[0]])) == _digest(row):
                continue
            client_id, company_id = row[0], row[1]
            self.refreshed_clients.add(client_id)
            scoped = self.client.with_options(company_id=company_id)
            for contact in scoped.clients.contacts(client_id):
                contacts.extend(R.contact_rows(company_id, client_id, contact)["contacts"])
        self._rows["contacts"] = contacts


def _table(reader: _Reader, table: str) -> Iterator[dict[str, Any]]:
    """The rows of ``table`` new or changed since the last load, then its tombstones."""
    spec = TABLES[table]
    positions = [spec.columns.index(k) for k in spec.key]
    state = dlt.current.resource_state()
    before: dict[str, Any] = state.get("rows", {})
    now: dict[str, Any] = {}
    for row in reader.rows(table):
        key = json.dumps([row[p] for p in positions])
        digest = _digest(row)
        # contacts: the digest with the client it belongs to (its contacts kept unless read)
        now[key] = [digest, row[2]] if table == "contacts" else digest
        if before.get(key) != now[key]:
            yield {**dict(zip(spec.columns, row, strict=True)), DELETED: False}
    for key, value in before.items():
        if key in now:
            continue
        if table == "contacts":
            client_id = value[1]
            if client_id in reader.clients and client_id not in reader.refreshed_clients:
                now[key] = value  # its client unchanged: not read again, kept
                continue
        yield {**dict(zip(spec.key, json.loads(key), strict=True)), DELETED: True}
    state["rows"] = now


def _columns() -> dict[str, dict[str, dict[str, Any]]]:
    """Each table's column types, as the mirror declares them (a column empty in one load
    is still made): INTEGER is ``bigint``, TEXT is ``text``; the key is not nullable."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        migrate(conn)
        found: dict[str, dict[str, dict[str, Any]]] = {}
        for table, spec in TABLES.items():
            columns: dict[str, dict[str, Any]] = {}
            for _, name, kind, _, _, _ in conn.execute(f"PRAGMA table_info({table})"):
                columns[name] = {
                    "data_type": "bigint" if kind == "INTEGER" else "text",
                    "nullable": name not in spec.key,
                }
            columns[DELETED] = {"data_type": "bool", "hard_delete": True}
            found[table] = columns
        return found
    finally:
        conn.close()


def tiime_source(client: TiimeClient, company_ids: Sequence[int] | None = None) -> DltSource:
    """The books of ``company_ids`` (the client's company by default) as a ``dlt`` source.

    Sends, when ``dlt`` extracts it, what :func:`tiime.sync.sync` sends: ``GET companies``,
    one listing per resource per company, and the contacts of new or changed clients.
    """
    ids = list(company_ids) if company_ids else [client.require_company()]
    reader = _Reader(client, ids)
    columns = _columns()

    @dlt.source(name="tiime")
    def books() -> Iterator[Any]:
        for table, spec in TABLES.items():
            yield dlt.resource(
                _table(reader, table),
                name=table,
                primary_key=list(spec.key),
                write_disposition="merge",
                columns=cast("dict[str, TColumnSchema]", columns[table]),
            )

    source: DltSource = books()
    return source
