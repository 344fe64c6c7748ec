"""``tiime company list|get|use|vat|me``: the companies, the one commands act on, the user."""

from __future__ import annotations

import argparse
import sys

from ...i18n import N_, _
from .._errors import EXIT_OK, UsageError
from .._parser import Registrar, add_id, no_files, positive_int

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..._client import TiimeClient
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
    chooser = group.command("use", _("act on this company from now on"), use, not_found=NOT_FOUND)
    positional = chooser.add_argument(
        "company",
        nargs="?",
        type=_id_or_name,
        metavar="ID|NAME",
        help=_("the company's id, or its whole name in any case (`tiime company list` shows them)"),
    )
    option = chooser.add_argument(
        "--id",
        dest="id_option",
        type=positive_int,
        metavar="ID",
        help=_("the company's id, given as an option (default: the positional ID|NAME)"),
    )
    positional.completer = option.completer = no_files  # type: ignore[attr-defined]
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
    option = getattr(args, "id", None)  # --id ID, merged by the dispatcher
    if args.company is None and option is None:
        args.command_parser.error(_("the following arguments are required: ID|NAME (or --id ID)"))
    client = session.client()  # any credentials: the stored login, or TIIME_* variables
    company_id = _company_id(client, args.company, option)
    # Checks that it exists and that this user may act on it.
    company = client.with_options(company_id=company_id).company.get()
    save_company(client.base_url, company_id)
    sys.stderr.write(
        _("Now using company {id} ({name}) on {base_url}.").format(
            id=company_id, name=company.name, base_url=client.base_url
        )
        + "\n"
    )
    return EXIT_OK


def _id_or_name(text: str) -> int | str:
    """An argparse type: a company's id (a positive integer) or its name (any other text)."""
    name = " ".join(text.split())
    if not name:
        raise argparse.ArgumentTypeError(_("a company's id or name, not an empty text"))
    return positive_int(name) if name.lstrip("+-").isdigit() else name


def _company_id(client: TiimeClient, given: int | str | None, option: int | None) -> int:
    """The id of ``company use``'s company: ``--id``, or the positional id, or the one
    of the user's companies whose name is the positional text (whole, ignoring case)."""
    if given is not None and option is not None and given != option:
        raise UsageError(
            _("two different companies: {given} and --id {option}").format(
                given=given, option=option
            )
        )
    if not isinstance(given, str):
        number = option if given is None else given
        assert number is not None
        return number
    from .._bookkeeping import company_named

    return company_named(client.list_companies(), given).id
