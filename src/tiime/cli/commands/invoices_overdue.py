"""``tiime invoices overdue`` and ``tiime invoices remind``: the invoices unpaid past their
due date (days late, totals per client), and a French reminder about each, previewed
unless ``--apply``, never sent twice to one invoice on the same day (a ledger in the
config directory, ``reminders.json``). Standard library only at the top."""

from __future__ import annotations

import argparse
import sys

from ...i18n import N_, _
from .._errors import EXIT_OK, EXIT_RUNTIME, CommandError, UsageError
from .._parser import add_yes, positive_int

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..._client import TiimeClient
    from ...reconcile import OverdueInvoice
    from .._parser import Group
    from .._session import Session

OVERDUE_COLUMNS = (
    "company_id",
    "id",
    "compiled_number",
    "client_name",
    "due_date",
    "days_late",
    "amount",
)
REMIND_COLUMNS = ("id", "compiled_number", "email", "status", "subject", "message")
NOT_FOUND = N_("`tiime invoices overdue` shows the overdue invoices' ids")


def register_overdue(group: Group) -> None:
    """``overdue`` and ``remind`` in the ``invoices`` group."""
    overdue = group.command(
        "overdue",
        _("invoices unpaid past their due date: days late, amount, client; a total per client"),
        overdue_,
    )
    overdue.add_argument(
        "--all-companies", action="store_true", help=_("every company of the user (default: off)")
    )

    remind = group.command(
        "remind",
        _(
            "e-mail a reminder (in French) about an overdue invoice to its client: a "
            "preview unless --apply, never twice to one invoice on the same day"
        ),
        remind_,
        not_found=NOT_FOUND,
    )
    which = remind.add_mutually_exclusive_group(required=True)
    which.add_argument("id", nargs="?", type=positive_int, help=_("the invoice's id"))
    which.add_argument(
        "--overdue",
        action="store_true",
        help=_("every overdue invoice of the company (required: this or ID)"),
    )
    remind.add_argument(
        "--apply", action="store_true", help=_("send the reminders (default: a preview)")
    )
    add_yes(remind)


def _overdue_of(client: TiimeClient, company_id: int) -> list[OverdueInvoice]:
    """Two listings (``status=saved`` and ``status=sent``), filtered by due date."""
    from ..._today import today
    from ...reconcile import overdue_invoices

    unpaid = [
        invoice
        for status in ("saved", "sent")
        for invoice in client.invoices.iter(status=status, page_size=1000)
    ]
    return overdue_invoices(unpaid, today(), company_id=company_id)


def _with_totals(found: list[OverdueInvoice]) -> list[dict[str, Any]]:
    """The invoices, then a ``TOTAL`` line per company and client (count, sum, most days
    late)."""
    from decimal import Decimal

    rows: list[dict[str, Any]] = [item.to_dict() for item in found]
    totals: dict[tuple[Any, Any], list[OverdueInvoice]] = {}
    for item in found:
        totals.setdefault((item.company_id, item.client_name), []).append(item)
    for (company_id, client_name), items in sorted(
        totals.items(), key=lambda entry: (entry[0][0] or 0, entry[0][1] or "")
    ):
        amount = sum((item.amount or Decimal(0) for item in items), Decimal(0))
        rows.append(
            {
                "company_id": company_id,
                "id": None,
                "compiled_number": f"TOTAL ({len(items)})",
                "client_name": client_name,
                "due_date": None,
                "days_late": max(item.days_late for item in items),
                "amount": float(amount),
            }
        )
    return rows


def overdue_(session: Session, args: argparse.Namespace) -> int:
    from .._bookkeeping import select_companies

    client = session.client()
    found: list[OverdueInvoice] = []
    for company in select_companies(client, None, args.all_companies):
        scoped = client.with_options(company_id=company.id)
        found.extend(_overdue_of(scoped, company.id))
    from ...reconcile import OverdueInvoice

    session.output.many(_with_totals(found), kind=OverdueInvoice, columns=OVERDUE_COLUMNS)
    return EXIT_OK


def remind_(session: Session, args: argparse.Namespace) -> int:
    from ... import _exceptions as E
    from ..._config import login_path
    from ..._today import today
    from ...reconcile._overdue import Reminder, ReminderLedger, overdue_invoices, reminder_text
    from .._confirm import confirm, require_terminal
    from .._errors import describe

    if args.apply:
        require_terminal(_("send reminders"), yes=args.yes)
    client = session.client()
    company_id = client.require_company()
    day = today()
    if args.overdue:
        targets = _overdue_of(client, company_id)
    else:
        invoice = client.invoices.get(args.id)
        targets = overdue_invoices([invoice], day, company_id=company_id)
        if not targets:
            raise UsageError(
                _(
                    "invoice {id} is not overdue (status {status}, due {due_date}): no reminder"
                ).format(id=args.id, status=invoice.status, due_date=invoice.due_date)
            )
    company_name = client.company.get().name
    if args.apply and targets:
        question = _(
            "E-mail a reminder about {n} overdue invoices to their clients ({company})?"
        ).format(n=len(targets), company=company_name)
        if not confirm(_("send reminders"), question, yes=args.yes):
            raise CommandError(_("nothing sent: no reminder (not confirmed)"))
    ledger = ReminderLedger(login_path().with_name("reminders.json"))
    emails: dict[int, str | None] = {}
    rows: list[dict[str, Any]] = []
    failed = stopped = False
    for item in targets:
        subject, message = reminder_text(item, company_name)
        if item.client_id is not None and item.client_id not in emails:
            emails[item.client_id] = client.clients.get(item.client_id).email
        email = emails.get(item.client_id) if item.client_id is not None else None
        key = ReminderLedger.key(str(client.base_url), company_id, item.id)
        row: dict[str, Any] = {
            "id": item.id,
            "compiled_number": item.compiled_number,
            "email": email,
            "subject": subject,
            "message": message,
        }
        rows.append(row)
        if email is None:
            row["status"] = "no e-mail on file"
            continue
        if ledger.sent_on(key) == day.isoformat():
            row["status"] = "already reminded today"
            continue
        if not args.apply:
            row["status"] = "preview"
            continue
        if stopped:
            row["status"] = "not sent"
            continue
        if not ledger.claim(key, day):
            row["status"] = "already reminded today"
            continue
        try:
            client.invoices.send(item.id, recipients=[email], subject=subject, message=message)
        except E.AmbiguousWriteError:
            row["status"] = "unknown: may have been sent (kept in the ledger: not resent today)"
            failed = stopped = True
            continue
        except E.TiimeError as exc:
            ledger.settle(key, day, sent=False)
            row["status"] = f"failed: {describe(exc)}"
            failed = True
            continue
        ledger.settle(key, day, sent=True)
        row["status"] = "sent"
    session.output.many(rows, kind=Reminder, columns=REMIND_COLUMNS)
    if not args.apply and any(row["status"] == "preview" for row in rows):
        sys.stderr.write(
            _("Preview: nothing sent. Run again with --apply to send the reminders.") + "\n"
        )
    return EXIT_RUNTIME if failed else EXIT_OK
