"""``tiime quotations list|get|create|update|accept|decline|invoice|send|pdf``: the
company's quotations, and the invoices made from them."""

from __future__ import annotations

import argparse
import os

from ...i18n import N_, _
from .._errors import EXIT_OK, UsageError
from .._parser import Registrar, add_id, add_limit
from . import _billing

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .._session import Session

# What a table shows, by importance: the last ones are left out on a narrow terminal.
COLUMNS = (
    "id",
    "quotation_number",
    "date",
    "amount_including_taxes",
    "status",
    "client_name",
    "amount_excluding_taxes",
)
NOT_FOUND = N_("`tiime quotations list` shows the quotations' ids")


def register(registrar: Registrar) -> None:
    group = registrar.group("quotations")

    listing = group.command("list", _("the company's quotations, every page"), list_)
    add_limit(listing)

    add_id(
        group.command("get", _("one quotation, with its invoices"), get, not_found=NOT_FOUND),
        _("the quotation's id"),
    )

    create = group.command(
        "create", _("create a quotation (a draft unless --status saved)"), create_
    )
    _billing.add_line_flags(create)
    create.add_argument(
        "--date", help=_("the quotation's date, YYYY-MM-DD (default: today in France)")
    )
    create.add_argument(
        "--status", choices=("draft", "saved"), help=_("draft, or saved: numbered (default: draft)")
    )

    update = group.command(
        "update",
        _("change a draft or saved quotation, or its status"),
        update_,
        not_found=NOT_FOUND,
    )
    add_id(update, _("the quotation's id"))
    update.add_argument("--title", help=_("the new title (default: unchanged)"))
    update.add_argument("--date", help=_("the new date, YYYY-MM-DD (default: unchanged)"))
    _billing.add_client_flag(update)
    update.add_argument(
        "--lines",
        metavar="JSON",
        help=_("the new lines, all of them, as for create --lines (default: unchanged)"),
    )
    update.add_argument(
        "--status",
        choices=("saved", "accepted", "declined"),
        help=_("saved numbers a draft; then accepted or declined (default: unchanged)"),
    )
    _billing.add_credit_flag(update)

    for name, verb, help in (
        ("accept", "accepted", N_("mark a saved quotation accepted by the client")),
        ("decline", "declined", N_("mark a saved quotation declined by the client")),
    ):
        move = group.command(
            name,
            _(help),
            move_,
            not_found=NOT_FOUND,
        )
        add_id(move, _("the quotation's id"))
        move.set_defaults(move=verb)

    invoice = group.command(
        "invoice",
        _("a draft invoice made from a saved or accepted quotation (linked, lines copied)"),
        invoice_,
        not_found=NOT_FOUND,
    )
    add_id(invoice, _("the quotation's id"))
    invoice.add_argument(
        "--date", help=_("the invoice's emission date, YYYY-MM-DD (default: today in France)")
    )

    send = group.command(
        "send", _("e-mail a quotation (saved or later)"), send_, not_found=NOT_FOUND
    )
    add_id(send, _("the quotation's id"))
    _billing.add_send_flags(send)

    pdf = group.command("pdf", _("download a quotation as PDF"), pdf_, not_found=NOT_FOUND)
    add_id(pdf, _("the quotation's id"))
    _billing.add_pdf_flags(pdf, _("devis-NUMBER.pdf (the id for a draft)"))


def list_(session: Session, args: argparse.Namespace) -> int:
    from ...types import Quotation
    from .._listing import limited, page_size, read_ahead
    from .._progress import until_first

    quotations = session.client().quotations.iter(page_size=page_size(args.limit))
    shown = until_first(read_ahead(limited(quotations, args.limit)), _("Fetching quotations..."))
    session.output.many(shown, kind=Quotation, columns=COLUMNS)
    return EXIT_OK


def get(session: Session, args: argparse.Namespace) -> int:
    session.output.one(session.client().quotations.get(args.id))
    return EXIT_OK


def create_(session: Session, args: argparse.Namespace) -> int:
    fields = _billing.document_fields(args)
    if fields.get("status") not in (None, "draft", "saved"):
        raise UsageError(
            _("status must be draft or saved, not {fields!r}").format(fields=fields["status"])
        )
    if "client" in fields:
        fields["client_id"] = _billing.resolve_client(session, fields.pop("client"))
    kwargs: dict[str, Any] = {
        "lines": fields["lines"],
        "date": fields.get("date"),
        "client_id": fields.get("client_id"),
        "client_name": fields.get("client_name"),
        "title": fields.get("title"),
        "status": fields.get("status"),
        "credit": args.credit,
    }
    client = session.client()
    if args.dry_run:
        from ...resources.quotations import _QuotationsCalls

        return _billing.dry_run(session, _QuotationsCalls, "create", client.quotations, **kwargs)
    session.output.one(client.quotations.create(**kwargs))
    return EXIT_OK


def update_(session: Session, args: argparse.Namespace) -> int:
    client_id = None if args.client is None else _billing.resolve_client(session, args.client)
    updated = session.client().quotations.update(
        args.id,
        title=args.title,
        date=args.date,
        client_id=client_id,
        lines=_billing.optional_lines(args.lines),
        status=args.status,
        credit=args.credit,
    )
    session.output.one(updated)
    return EXIT_OK


def move_(session: Session, args: argparse.Namespace) -> int:
    quotations = session.client().quotations
    moved = quotations.accept(args.id) if args.move == "accepted" else quotations.decline(args.id)
    session.output.one(moved)
    return EXIT_OK


def invoice_(session: Session, args: argparse.Namespace) -> int:
    session.output.one(session.client().quotations.invoice(args.id, emission_date=args.date))
    return EXIT_OK


def send_(session: Session, args: argparse.Namespace) -> int:
    session.client().quotations.send(
        args.id, recipients=args.email, subject=args.subject, message=args.message
    )
    session.output.one({"status": "sent", "id": args.id, "email": ", ".join(args.email)})
    return EXIT_OK


def pdf_(session: Session, args: argparse.Namespace) -> int:
    quotations = session.client().quotations
    name = ""
    if args.output is None or os.path.isdir(args.output):  # the default name, maybe in DIR
        number = quotations.get(args.id).quotation_number
        name = f"devis-{number or args.id}.pdf"
    return _billing.write_pdf(session, args, quotations.with_streaming_response.download_pdf, name)
