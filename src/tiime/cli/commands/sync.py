"""``tiime sync``: mirror the books into one local SQLite database (see :mod:`tiime.sync`)."""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import nullcontext
from typing import Any

from ...i18n import _
from .._errors import EXIT_OK
from .._parser import Registrar
from .bank import add_companies

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .._session import Session

DEFAULT_DB = "books.sqlite"
CONTACTS_PER_SYNC = 10  # tiime.sync.CONTACTS_PER_SYNC (not imported: the help is built early)
COLUMNS = ("table", "added", "changed", "deleted")


def add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        default=DEFAULT_DB,
        metavar="FILE",
        help=_("the mirror's SQLite file (default: {DEFAULT_DB} in the current directory)").format(
            DEFAULT_DB=DEFAULT_DB
        ),
    )


def register(registrar: Registrar) -> None:
    command = registrar.command(
        "sync",
        sync_,
        description=_(
            "Mirror every resource (companies, clients and contacts, invoices and "
            "quotations with their lines, bank accounts, transactions and imputations, "
            "document metadata, expense reports, labels, tags) into one SQLite file. A "
            "second run reads the listings again and writes only what changed (deletions "
            "included); a run killed at any point is finished by the next. Prints the rows "
            "added, changed and deleted per table."
        ),
    )
    add_companies(command)
    add_db(command)
    command.add_argument(
        "--to",
        metavar="DESTINATION",
        help=_(
            "load the same tables with dlt into DESTINATION (duckdb, postgres, bigquery, "
            "snowflake...; its credentials from dlt's configuration or environment) instead "
            "of the SQLite file; needs the dlt extra (default: off)"
        ),
    )
    command.add_argument(
        "--dataset",
        default="tiime",
        metavar="NAME",
        help=_("with --to: the dataset (schema) to load into (default: tiime)"),
    )
    command.add_argument(
        "--files",
        action="store_true",
        help=_(
            "also store the documents' files beside the database, by content hash "
            "(FILE.files/ab/abcd....pdf), fetched only for new or changed documents; the "
            "files of deleted documents removed (default: off)"
        ),
    )
    command.add_argument(
        "--contacts-per-sync",
        type=_count,
        default=CONTACTS_PER_SYNC,
        metavar="N",
        help=_(
            "besides new or changed clients, read again the contacts of the N clients read "
            "the longest ago, per company (a contact can change while its client does not: "
            "each is caught within clients / N syncs); 0: only new or changed clients "
            "(default: {CONTACTS_PER_SYNC})"
        ).format(CONTACTS_PER_SYNC=CONTACTS_PER_SYNC),
    )
    command.add_argument(
        "--full",
        action="store_true",
        help=_(
            "read every client's contacts again, not only those of new or changed clients "
            "and the --contacts-per-sync read the longest ago (default: off)"
        ),
    )


def _count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(
            _("a whole number, 0 or more, not {text!r}").format(text=text)
        )
    return int(text)


class _Bars:
    """A progress bar per resource on stderr (rich), those of the company being synced;
    the total from the last sync or the listing's first page, else indeterminate."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.display = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=Console(stderr=True),
            transient=False,  # the last company's bars stay: what was read
        )
        self._tasks: dict[tuple[int, str], Any] = {}
        self._company: int | None = None

    def __call__(self, company_id: int, resource: str, done: int, total: int | None) -> None:
        if company_id != self._company:  # a new company: the last one's bars go
            for task in self._tasks.values():
                self.display.remove_task(task)
            self._tasks.clear()
            self._company = company_id
        task = self._tasks.get((company_id, resource))
        if task is None:
            task = self._tasks[(company_id, resource)] = self.display.add_task(
                f"{company_id} {resource}", total=total
            )
        self.display.update(task, completed=done, total=total)


def sync_(session: Session, args: argparse.Namespace) -> int:
    import sqlite3

    from ...sync import SchemaError, SyncBusyError, TableChanges, sync
    from .._bookkeeping import select_companies
    from .._errors import CommandError, UsageError

    if args.to and args.files:
        raise UsageError(_("--files stores the files beside the SQLite file: not with --to"))
    client = session.client()
    companies = select_companies(client, args.company, args.all_companies)
    if args.to:
        return _load(session, args, [c.id for c in companies])
    bars = _Bars() if sys.stderr.isatty() else None
    try:
        with bars.display if bars is not None else nullcontext():
            summary = sync(
                client,
                args.db,
                [c.id for c in companies],
                full=args.full,
                files=args.files,
                contacts_per_sync=args.contacts_per_sync,
                progress=bars,
            )
    except (SyncBusyError, SchemaError, sqlite3.Error, OSError) as exc:
        raise CommandError(f"{args.db}: {exc}") from None
    if session.output.fmt == "json":
        session.output.one(summary.as_dict())
        return EXIT_OK
    rows = list(summary.tables.values())
    if args.files:  # new files stored, files removed
        rows.append(TableChanges("files", summary.files.written, 0, summary.files.deleted))
    session.output.many(rows, kind=TableChanges, columns=COLUMNS)
    return EXIT_OK


def _load(session: Session, args: argparse.Namespace, company_ids: list[int]) -> int:
    """``--to DESTINATION``: the dlt source run by a pipeline named ``tiime``."""
    from .._errors import CommandError, missing_extra

    # dlt reports anonymous usage to its makers unless told not to: the books leave this
    # machine only for the destination the user names (their own setting wins).
    os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
    try:
        import dlt

        from ...sync.dlt_source import tiime_source
    except ImportError:
        raise missing_extra("dlt", "dlt") from None
    from dlt.pipeline.exceptions import PipelineStepFailed

    pipeline = dlt.pipeline(pipeline_name="tiime", destination=args.to, dataset_name=args.dataset)
    try:
        pipeline.run(tiime_source(session.client(), company_ids))
    except PipelineStepFailed as exc:
        raise CommandError(_("dlt, destination {to}: {exc}").format(to=args.to, exc=exc)) from None
    trace = pipeline.last_trace
    normalized = trace.last_normalize_info if trace is not None else None
    counts = normalized.row_counts if normalized is not None else {}
    from ...sync import TABLES

    session.output.one(
        {
            "destination": args.to,
            "dataset": args.dataset,
            "companies": company_ids,
            "rows_loaded": {table: counts.get(table, 0) for table in TABLES},
        }
    )
    return EXIT_OK
