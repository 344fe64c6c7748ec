"""``tiime.sync.dlt_source``: the books loaded by dlt into its embedded DuckDB destination
(first load, a no-change load, changes and a deletion), against the sandbox."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dlt  # the dlt extra (in `all`: every test environment has it)
import duckdb

from tiime.sync import TABLES, sync

from .conftest import Counted


def load(books: Counted, tmp_path: Path) -> Any:
    from tiime.sync.dlt_source import tiime_source

    pipeline = dlt.pipeline(
        pipeline_name="tiime_test",
        pipelines_dir=str(tmp_path / "pipelines"),
        destination=dlt.destinations.duckdb(str(tmp_path / "tiime.duckdb")),
        dataset_name="books",
    )
    info = pipeline.run(tiime_source(books.client))
    assert not info.has_failed_jobs
    return pipeline


def rows(tmp_path: Path, table: str, columns: str) -> set[tuple[Any, ...]]:
    with duckdb.connect(str(tmp_path / "tiime.duckdb"), read_only=True) as conn:
        return set(conn.execute(f"SELECT {columns} FROM books.{table}").fetchall())


def mirror(tmp_path: Path, table: str, columns: str) -> set[tuple[Any, ...]]:
    import sqlite3

    with sqlite3.connect(tmp_path / "mirror.sqlite") as conn:
        return set(conn.execute(f"SELECT {columns} FROM {table}").fetchall())


def loaded_rows(pipeline: Any) -> dict[str, int]:
    counts = pipeline.last_trace.last_normalize_info.row_counts
    return {t: n for t, n in counts.items() if t in TABLES and n}


def test_first_load_incremental_load_and_a_deletion(books: Counted, tmp_path: Path) -> None:
    pipeline = load(books, tmp_path)
    sync(books.client, tmp_path / "mirror.sqlite")
    for table, columns in [
        ("invoices", "id, company_id, total_including_taxes, emission_date"),
        ("invoice_lines", "invoice_id, position, line_amount"),
        ("transactions", "id, amount, transaction_date"),
        ("imputations", "id, transaction_id, amount, label_id"),
        ("contacts", "id, client_id, email"),
        ("labels", "company_id, id, name"),
    ]:
        assert rows(tmp_path, table, columns) == mirror(tmp_path, table, columns), table
    books.count()

    # no change: the listings are read again, nothing is loaded
    pipeline = load(books, tmp_path)
    assert books.count() == 1 + 9  # GET companies, one listing per resource
    assert loaded_rows(pipeline) == {}

    # a deleted draft (with its lines), a new client, an imputation
    c = books.client
    draft = next(i for i in c.invoices.list() if i.status == "draft")
    c.invoices.delete(draft.id)
    created = c.clients.create(name="Client chargé par dlt")
    todo = next(t for t in c.bank_transactions.list() if not t.imputations)
    label = c.labels.list()[0]
    c.bank_transactions.impute(todo, [{"label": {"id": label.id}, "amount": todo.amount}])  # type: ignore[typeddict-item]
    pipeline = load(books, tmp_path)
    changed = loaded_rows(pipeline)
    assert changed["invoices"] == 1  # the tombstone
    assert changed["invoice_lines"] == len(draft.lines or [])
    assert changed["clients"] == 1
    assert changed["imputations"] == 1
    assert (draft.id,) not in rows(tmp_path, "invoices", "id")
    assert not [r for r in rows(tmp_path, "invoice_lines", "invoice_id") if r[0] == draft.id]
    assert (created.id,) in rows(tmp_path, "clients", "id")
    sync(books.client, tmp_path / "mirror.sqlite")
    for table, columns in [
        ("invoices", "id, status"),
        ("invoice_lines", "invoice_id, position"),
        ("clients", "id, name"),
        ("imputations", "id, transaction_id"),
        ("contacts", "id, client_id"),
    ]:
        assert rows(tmp_path, table, columns) == mirror(tmp_path, table, columns), table
