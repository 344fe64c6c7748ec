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
