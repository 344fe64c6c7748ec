"""``tiime sql "SELECT ..."``: a query on the mirror made by ``tiime sync``."""

from __future__ import annotations

import argparse

from ...i18n import _
from .._errors import EXIT_OK
from .._parser import Registrar
from .sync import add_db

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .._session import Session


def register(registrar: Registrar) -> None:
    command = registrar.command(
        "sql",
        sql_,
        description=_(
            "Run one SQL query on the mirror (read-only) and print its rows in the output "
            "format (table on a terminal, JSON when piped, CSV). Tables and views: `tiime "
            'sql "SELECT name, type FROM sqlite_master"`.'
        ),
    )
    command.add_argument(
        "query", metavar="SQL", help=_('the query, e.g. "SELECT * FROM unpaid_invoices"')
    )
    add_db(command)


def sql_(session: Session, args: argparse.Namespace) -> int:
    from ...sync.query import QueryError, run_query
    from .._errors import CommandError

    try:
        result = run_query(args.db, args.query)
        session.output.many(result, kind=result.row_type, columns=result.columns)
    except QueryError as exc:
        raise CommandError(f"{args.db}: {exc}") from None
    return EXIT_OK
