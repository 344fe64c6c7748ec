"""``tiime.sync``: an incremental local mirror of the books in one SQLite file.

::

    from tiime import TiimeClient
    from tiime.sync import sync

    with TiimeClient() as client:
        summary = sync(client, "books.sqlite", [12345])

The tables, keys, views and the way amounts and dates are stored are described in
:mod:`tiime.sync.schema`; how a sync reads, compares and commits in
:mod:`tiime.sync.engine`; the documents' files (``sync(..., files=True)``) in
:mod:`tiime.sync.files`. The package uses the SDK's public surface only.
"""

from __future__ import annotations

from .engine import (
    CONTACTS_PER_SYNC,
    PAGE_SIZE,
    Progress,
    SyncBusyError,
    SyncSummary,
    TableChanges,
    canonical_dump,
    connect,
    sync,
)
from .schema import SCHEMA_VERSION, TABLES, SchemaError

__all__ = [
    "CONTACTS_PER_SYNC",
    "PAGE_SIZE",
    "SCHEMA_VERSION",
    "TABLES",
    "Progress",
    "SchemaError",
    "SyncBusyError",
    "SyncSummary",
    "TableChanges",
    "canonical_dump",
    "connect",
    "sync",
]
