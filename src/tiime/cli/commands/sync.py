"""``tiime sync``: mirror the books into one local SQLite database (see :mod:`tiime.sync`)."""

from __future__ import annotations

import argparse
import sys

from .._errors import EXIT_OK
from .._parser import Registrar
from .bank import add_companies

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .._session import Session

DEFAULT_DB = "books.sqlite"
COLUMNS = ("table", "added", "changed", "deleted")


def add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        default=DEFAULT_DB,
        metavar="FILE",
        help=f"the mirror's SQLite file (default: {DEFAULT_DB} in the current directory)",
    )


def register(registrar: Registrar) -> None:
    command = registrar.command(
        "sync",
        sync_,
        description="Mirror every resource (companies, clients and contacts, invoices and "
        "quotations with their lines, bank accounts, transactions and imputations, document "
        "metadata, expense reports, labels, tags) into one SQLite file. A second run reads "
        "the listings again and writes only what changed (deletions included); a run "
        "killed at any point is finished by the next. Prints the rows added, changed and "
        "deleted per table.",
    )
    add_companies(command)
    add_db(command)
    command.add_argument(
        "--to",
        metavar="DESTINATION",
        help="load the same tables with dlt into DESTINATION (duckdb, postgres, bigquery, "
        "snowflake...; its credentials from dlt's configuration or environment) instead of "
        "the SQLite file; needs the dlt extra (default: off)",
    )
    command.add_argument(
        "--dataset",
        default="tiime",
        metavar="NAME",
        help="with --to: the dataset (schema) to load into (default: tiime)",
    )
    command.add_argument(
        "--full",
        action="store_true",
        help="read every client's contacts again, not only those of new or changed clients "
        "(default: off)",
    )


def _progress(company_id: int, resource: str, count: int) -> None:
    sys.stderr.write(f"\r\x1b[Ktiime: sync {company_id}: {resource} {count}")
    sys.stderr.flush()


def sync_(session: Session, args: argparse.Namespace) -> int:
    import sqlite3

    from ...sync import SchemaError, SyncBusyError, TableChanges, sync
    from .._bookkeeping import select_companies
    from .._errors import CommandError

    client = session.client()
    companies = select_companies(client, args.company, args.all_companies)
    if args.to:
        return _load(session, args, [c.id for c in companies])
    on_terminal = sys.stderr.isatty()
    try:
        summary = sync(
            client,
            args.db,
            [c.id for c in companies],
            full=args.full,
            progress=_progress if on_terminal else None,
        )
    except (SyncBusyError, SchemaError, sqlite3.Error) as exc:
        raise CommandError(f"{args.db}: {exc}") from None
    finally:
        if on_terminal:
            sys.stderr.write("\r\x1b[K")
    if session.output.fmt == "json":
        session.output.one(summary.as_dict())
        return EXIT_OK
    session.output.many(summary.tables.values(), kind=TableChanges, columns=COLUMNS)
    return EXIT_OK


def _load(session: Session, args: argparse.Namespace, company_ids: list[int]) -> int:
    """``--to DESTINATION``: the dlt source run by a pipeline named ``tiime``."""
    from .._errors import CommandError, missing_extra

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
        raise CommandError(f"dlt, destination {args.to}: {exc}") from None
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
