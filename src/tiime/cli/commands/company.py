"""``tiime company list|get|use|vat|me``: the companies, the one commands act on, the user."""

from __future__ import annotations

import argparse
import sys

from ...i18n import N_, _
from .._errors import EXIT_OK, UsageError
from .._parser import Registrar, add_id

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .._session import Session

COLUMNS = ("id", "name", "siren", "legal_form", "city")
NOT_FOUND = N_("`tiime company list` shows the companies you can use")


def register(registrar: Registrar) -> None:
    group = registrar.group("company")
    group.command("list", _("the companies this user can act on"), list_)
    add_id(
        group.command("get", _("a company's details"), get, not_found=NOT_FOUND),
        _("the company's id"),
        required=False,
    )
    add_id(
        group.command("use", _("act on this company from now on"), use, not_found=NOT_FOUND),
        _("the company's id (`tiime company list` shows them)"),
    )
    add_id(
        group.command(
            "vat", _("a company's VAT number, VAT system and tax regime"), vat, not_found=NOT_FOUND
        ),
        _("the company's id"),
        required=False,
    )
    group.command("me", _("the user logged in"), me)


def list_(session: Session, args: argparse.Namespace) -> int:
    from ...types import Company

    companies = session.client().list_companies()
    session.output.many(companies, kind=Company, columns=COLUMNS)
    return EXIT_OK


def get(session: Session, args: argparse.Namespace) -> int:
    client = session.client()
    if args.id is not None:
        client = client.with_options(company_id=args.id)
    session.output.one(client.company.get())
    return EXIT_OK


def vat(session: Session, args: argparse.Namespace) -> int:
    from ...types import VatSystem

    client = session.client()
    if args.id is not None:
        client = client.with_options(company_id=args.id)
    company = client.company.get()
    system = company.vat_system
    session.output.one(
        {
            "name": company.name,
            "vat_number": company.intracom_vat_number,
            # Both shapes of the answer: an object with a label, or a bare code.
            "vat_system": system.label if isinstance(system, VatSystem) else system,
            "tax_regime": company.tax_regime,
        }
    )
    return EXIT_OK


def me(session: Session, args: argparse.Namespace) -> int:
    session.output.one(session.client().users.me())
    return EXIT_OK


def use(session: Session, args: argparse.Namespace) -> int:
    from ..._config import save_company

    if session.sandbox:
        raise UsageError(_("in sandbox mode the company is the demo company"))
    client = session.client()  # any credentials: the stored login, or TIIME_* variables
    # Checks that it exists and that this user may act on it.
    company = client.with_options(company_id=args.id).company.get()
    save_company(client.base_url, args.id)
    sys.stderr.write(
        _("Now using company {id} ({name}) on {base_url}.").format(
            id=args.id, name=company.name, base_url=client.base_url
        )
        + "\n"
    )
    return EXIT_OK
