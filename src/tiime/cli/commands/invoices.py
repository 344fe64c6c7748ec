"""``tiime invoices list|get|create|update|duplicate|send|pdf|delete``: the company's invoices."""

from __future__ import annotations

import argparse
import os

from ...i18n import N_, _
from .._errors import EXIT_OK, CommandError, UsageError
from .._parser import Registrar, add_id, add_limit, add_page, day_range, sorts
from . import _billing
from .invoices_overdue import register_overdue

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .._session import Session

# What a table shows, by importance: the last ones are left out on a narrow terminal.
COLUMNS = (
    "id",
    "compiled_number",
    "emission_date",
    "total_including_taxes",
    "status",
    "client_name",
    "due_date",
    "total_excluding_taxes",
)
TOTALS = ("total_including_taxes", "total_excluding_taxes")
STATUSES = ("draft", "saved", "sent", "paid")
NOT_FOUND = N_("`tiime invoices list` shows the invoices' ids")
PAYMENT_CONDITION = (
    "En cas de retard de paiement, une pénalité de 3 fois le taux d'intérêt légal sera "
    "appliquée, à laquelle s'ajoutera une indemnité forfaitaire pour frais de recouvrement "
    "de 40€."
)


def register(registrar: Registrar) -> None:
    group = registrar.group("invoices")

    listing = group.command("list", _("the company's invoices, every page"), list_)
    listing.add_argument(
        "--status",
        choices=STATUSES,
        action="append",
        help=_(
            "only invoices of this status; repeat for several (one is asked of the API, "
            "several are filtered here; default: all)"
        ),
    )
    _billing.add_client_flag(listing)
    listing.add_argument(
        "--from", dest="since", metavar="DATE", help=_("emitted on or after DATE (default: any)")
    )
    listing.add_argument(
        "--to", dest="until", metavar="DATE", help=_("emitted on or before DATE (default: any)")
    )
    listing.add_argument(
        "--sort",
        default="invoice_number:desc",
        type=sorts("invoice_number", "emission_date", "due_date", "total_including_taxes", "id"),
        help=_(
            "FIELD:asc|desc, FIELD one of invoice_number, emission_date, due_date, "
            "total_including_taxes, id (default: invoice_number:desc)"
        ),
    )
    listing.add_argument(
        "--all",
        action="store_true",
        help=_(
            "kept for scripts of the TypeScript CLI: every page is always listed (default: "
            "all pages; --limit to stop early)"
        ),
    )
    add_page(listing, _("invoices"))
    add_limit(listing)

    add_id(group.command("get", _("one invoice"), get, not_found=NOT_FOUND), _("the invoice's id"))

    create = group.command(
        "create", _("create an invoice (a draft unless --status saved)"), create_
    )
    _billing.add_line_flags(create)
    create.add_argument(
        "--date", help=_("the emission date, YYYY-MM-DD (default: today in France)")
    )
    create.add_argument("--due-date", help=_("the due date, YYYY-MM-DD (default: 30 days later)"))
    create.add_argument("--free-field", help=_("a free text shown on the invoice (default: none)"))
    create.add_argument(
        "--status",
        choices=("draft", "saved"),
        help=_("draft, or saved: numbered, no longer editable (default: draft)"),
    )

    update = group.command(
        "update", _("change a draft, or an invoice's status"), update_, not_found=NOT_FOUND
    )
    add_id(update, _("the invoice's id"))
    update.add_argument("--title", help=_("the new title (default: unchanged)"))
    update.add_argument(
        "--status",
        choices=STATUSES,
        help=_("the new status: saved numbers a draft; then sent, paid (default: unchanged)"),
    )
    update.add_argument("--date", help=_("the new emission date, YYYY-MM-DD (default: unchanged)"))
    update.add_argument("--due-date", help=_("the new due date, YYYY-MM-DD (default: unchanged)"))
    update.add_argument("--free-field", help=_("the new free text (default: unchanged)"))
    update.add_argument(
        "--lines",
        metavar="JSON",
        help=_(
            'a draft\'s new lines, all of them: \'[{"description": ..., "quantity": 2, '
            '"unit_price": 450, "unit": "day", "vat": "normal"}]\' (default: unchanged)'
        ),
    )
    _billing.add_credit_flag(update)

    duplicate = group.command(
        "duplicate",
        _("a new draft copying an invoice's client, title and lines"),
        duplicate_,
        not_found=NOT_FOUND,
    )
    add_id(duplicate, _("the id of the invoice to copy"))
    duplicate.add_argument("--date", help=_("the copy's emission date (default: today in France)"))
    duplicate.add_argument(
        "--quantity", help=_("one quantity for every line of the copy (default: the source's)")
    )
    duplicate.add_argument("--title", help=_("the copy's title (default: the source's)"))

    send = group.command(
        "send", _("e-mail an invoice (saved or later)"), send_, not_found=NOT_FOUND
    )
    add_id(send, _("the invoice's id"))
    _billing.add_send_flags(send, client_default=True)

    pdf = group.command("pdf", _("download an invoice as PDF"), pdf_, not_found=NOT_FOUND)
    add_id(pdf, _("the invoice's id"))
    _billing.add_pdf_flags(pdf, _("facture-NUMBER.pdf (the id for a draft)"))

    register_overdue(group)

    delete = group.command("delete", _("delete a draft invoice"), delete_, not_found=NOT_FOUND)
    add_id(delete, _("the draft's id"))
    delete.add_argument(
        "--yes", "-y", action="store_true", help=_("do not ask for confirmation (default: ask)")
    )


def list_(session: Session, args: argparse.Namespace) -> int:
    from ...types import Invoice
    from .._listing import limited, one_page, page_note, page_size, read_ahead
    from .._progress import until_first

    statuses = sorted(set(args.status or ()))
    since, until = day_range(args.since, args.until)
    paged = None if args.all else one_page(args)
    if paged is not None:
        if len(statuses) > 1 or args.client is not None or since or until:
            raise UsageError(
                _(
                    "--page gives one page as the API lists it: not with --client, --from, "
                    "--to or several --status"
                )
            )
        page = session.client().invoices.list_page(
            page=paged[0],
            page_size=paged[1],
            status=statuses[0] if statuses else None,
            sorts=args.sort,
        )
        page_note(page, _("invoices"))
        shown = limited(page.items, args.limit)
        session.output.many(shown, kind=Invoice, columns=COLUMNS, totals=TOTALS)
        return EXIT_OK
    client_id = None if args.client is None else _billing.resolve_client(session, args.client)
    local = len(statuses) > 1 or client_id is not None or since or until
    invoices = session.client().invoices.iter(
        status=statuses[0] if len(statuses) == 1 else None,
        sorts=args.sort,
        page_size=page_size(None if local else args.limit),
    )
    kept = invoices
    if local:
        kept = (
            invoice
            for invoice in invoices
            if (not statuses or invoice.status in statuses)
            and (client_id is None or invoice.client_id == client_id)
            and (
                since is None
                or (invoice.emission_date is not None and invoice.emission_date >= since)
            )
            and (
                until is None
                or (invoice.emission_date is not None and invoice.emission_date <= until)
            )
        )
    shown = until_first(read_ahead(limited(kept, args.limit)), _("Fetching invoices..."))
    session.output.many(shown, kind=Invoice, columns=COLUMNS, totals=TOTALS)
    return EXIT_OK


def get(session: Session, args: argparse.Namespace) -> int:
    session.output.one(session.client().invoices.get(args.id))
    return EXIT_OK


def _defaults(fields: dict[str, Any]) -> dict[str, Any]:
    """The reference CLI's template fields, so that the invoice looks like the app's."""
    extra: dict[str, Any] = {
        "template": "advanced",
        "due_date_mode": "thirty_days",
        "title_enabled": fields.get("title") is not None,
        "discount_enabled": False,
        "bank_detail_enabled": True,
        "payment_condition_enabled": True,
        "payment_condition": PAYMENT_CONDITION,
        "text_lines": [],
    }
    if fields.get("free_field") is None:
        extra["free_field_enabled"] = False
    return extra


def create_(session: Session, args: argparse.Namespace) -> int:
    fields = _billing.document_fields(args)
    unknown_status = fields.get("status") not in (None, "draft", "saved")
    if unknown_status:
        raise UsageError(
            _("status must be draft or saved, not {fields!r}").format(fields=fields["status"])
        )
    if "client" in fields:
        fields["client_id"] = _billing.resolve_client(session, fields.pop("client"))
    kwargs: dict[str, Any] = {
        "lines": fields["lines"],
        "emission_date": fields.get("date"),
        "client_id": fields.get("client_id"),
        "client_name": fields.get("client_name"),
        "title": fields.get("title"),
        "status": fields.get("status"),
        "due_date": fields.get("due_date"),
        "free_field": fields.get("free_field"),
        "extra": _defaults(fields),
        "credit": args.credit,
    }
    client = session.client()
    if args.dry_run:
        from ...resources.invoices import _InvoicesCalls

        return _billing.dry_run(session, _InvoicesCalls, "create", client.invoices, **kwargs)
    session.output.one(client.invoices.create(**kwargs))
    return EXIT_OK


def update_(session: Session, args: argparse.Namespace) -> int:
    updated = session.client().invoices.update(
        args.id,
        title=args.title,
        status=args.status,
        emission_date=args.date,
        due_date=args.due_date,
        free_field=args.free_field,
        lines=_billing.optional_lines(args.lines),
        credit=args.credit,
    )
    session.output.one(updated)
    return EXIT_OK


def duplicate_(session: Session, args: argparse.Namespace) -> int:
    copy = session.client().invoices.duplicate(
        args.id, emission_date=args.date, quantity=args.quantity, title=args.title
    )
    session.output.one(copy)
    return EXIT_OK


def send_(session: Session, args: argparse.Namespace) -> int:
    invoices = session.client().invoices
    emails, source = args.email, "--email"
    if not emails:
        emails, source = _client_email(session, args.id)
    invoices.send(args.id, recipients=emails, subject=args.subject, message=args.message)
    session.output.one(
        {"status": "sent", "id": args.id, "email": ", ".join(emails), "email_from": source}
    )
    return EXIT_OK


def _client_email(session: Session, invoice_id: int) -> tuple[list[str], str]:
    """The e-mail on file of the invoice's client, and where it came from; an error naming
    what to give when there is none."""
    invoice = session.client().invoices.get(invoice_id)
    if invoice.client_id is None:
        raise UsageError(
            _(
                "invoice {invoice_id} has no client on file to take an e-mail from: give --email"
            ).format(invoice_id=invoice_id)
        )
    client = session.client().clients.get(invoice.client_id)
    if not client.email:
        raise UsageError(
            _("client {id} ({name}) has no e-mail on file: give --email").format(
                id=client.id, name=client.name
            )
        )
    return [client.email], f"client {client.id} ({client.name}) e-mail on file"


def describe_invoice(invoice: Any) -> str:
    """What a prompt says of an invoice: ``sent, 1,200.00 TTC, client ACME``."""
    from .._table import money

    parts = [invoice.status or _("status unknown")]
    if invoice.total_including_taxes is not None:
        parts.append(_("{amount} TTC").format(amount=money(invoice.total_including_taxes)))
    parts.append(
        _("client {name}").format(name=invoice.client_name)
        if invoice.client_name
        else _("no client")
    )
    return ", ".join(parts)


def pdf_(session: Session, args: argparse.Namespace) -> int:
    invoices = session.client().invoices
    name = ""
    if args.output is None or os.path.isdir(args.output):  # the default name, maybe in DIR
        number = invoices.get(args.id).compiled_number
        name = f"facture-{number or args.id}.pdf"
    return _billing.write_pdf(session, args, invoices.with_streaming_response.download_pdf, name)


def delete_(session: Session, args: argparse.Namespace) -> int:
    if not args.yes:
        from .._confirm import ask, require_terminal

        require_terminal(_("delete"), yes=args.yes)  # before any call
        invoice = session.client().invoices.get(args.id)
        what = _("invoice {number}").format(number=invoice.compiled_number or args.id)
        question = _("Delete {what} ({description})?").format(
            what=what, description=describe_invoice(invoice)
        )
        if not ask(question):
            raise CommandError(_("nothing deleted: {what} kept (not confirmed)").format(what=what))
    session.client().invoices.delete(args.id)
    session.output.one({"status": "deleted", "id": args.id})
    return EXIT_OK
