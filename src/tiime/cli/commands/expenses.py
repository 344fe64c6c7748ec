"""``tiime expenses list|get|create``: expense reports."""

from __future__ import annotations

import argparse

from ...i18n import N_, _
from .._errors import EXIT_OK
from .._parser import Registrar, add_id, add_limit

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .._session import Session

COLUMNS = ("id", "metadata.date", "total_amount", "status", "name", "created_at")
NOT_FOUND = N_("`tiime expenses list` shows the expense reports' ids")


def register(registrar: Registrar) -> None:
    group = registrar.group("expenses")

    listing = group.command("list", _("the expense reports with their totals"), list_)
    listing.add_argument(
        "--sort",
        default="metadata.date:desc",
        help=_("sort order, FIELD:asc|desc (default: %(default)s)"),
    )
    add_limit(listing)

    add_id(
        group.command("get", _("one expense report"), get, not_found=NOT_FOUND),
        _("the report's id"),
    )

    create = group.command("create", _("create an expense report"), create_)
    create.add_argument("--name", required=True, help=_("the report's name (required)"))
    create.add_argument("--date", help=_("its date, YYYY-MM-DD (default: none)"))


def list_(session: Session, args: argparse.Namespace) -> int:
    from ...types import ExpenseReport
    from .._listing import limited, page_size, read_ahead
    from .._progress import until_first

    client = session.client()
    reports = client.expense_reports.iter(sorts=args.sort, page_size=page_size(args.limit))
    shown = until_first(read_ahead(limited(reports, args.limit)), _("Fetching expense reports..."))
    session.output.many(shown, kind=ExpenseReport, columns=COLUMNS)
    return EXIT_OK


def get(session: Session, args: argparse.Namespace) -> int:
    session.output.one(session.client().expense_reports.get(args.id))
    return EXIT_OK


def create_(session: Session, args: argparse.Namespace) -> int:
    session.output.one(session.client().expense_reports.create(args.name, date=args.date))
    return EXIT_OK
