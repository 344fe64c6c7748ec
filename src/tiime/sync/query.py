"""Reading the mirror: one SQL query, read-only (what ``tiime sql`` runs)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec

__all__ = ["QueryError", "QueryResult", "run_query"]


class QueryError(Exception):
    """The mirror is missing or the query failed (SQLite's message)."""


class QueryResult:
    """A query's columns, a model of its rows (``row_type``), and its rows as they come."""

    def __init__(self, conn: sqlite3.Connection, cursor: sqlite3.Cursor) -> None:
        self._conn = conn
        self._cursor = cursor
        names: list[str] = []
        for column in cursor.description or ():
            name, n = str(column[0]), 2
            while name in names:  # SELECT a.id, b.id: the second is id_2
                name, n = f"{column[0]}_{n}", n + 1
            names.append(name)
        self.columns = names
        self.row_type: type[Any] = msgspec.defstruct("Row", [(n, Any) for n in names])

    def __iter__(self) -> Iterator[Any]:
        try:
            for row in self._cursor:
                yield self.row_type(*row)
        except sqlite3.Error as exc:
            raise QueryError(str(exc)) from None
        finally:
            self._conn.close()


def run_query(db_path: str | Path, sql: str, params: tuple[Any, ...] = ()) -> QueryResult:
    """Run ``sql`` on the mirror at ``db_path``, opened read-only (a statement that writes
    fails). Raises :class:`QueryError` when the file is missing or SQLite refuses."""
    path = Path(db_path)
    if not path.is_file():
        raise QueryError(f"no mirror at {path}: `tiime sync --db {path}` makes it")
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        cursor = conn.execute(sql, params)
    except (sqlite3.Error, sqlite3.Warning) as exc:
        conn.close()
        raise QueryError(str(exc)) from None
    return QueryResult(conn, cursor)
