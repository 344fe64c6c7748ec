"""``tiime clients list|get|create|search|contacts``: the company's clients."""

from __future__ import annotations

import argparse

from ...i18n import N_, _
from .._errors import EXIT_OK, UsageError
from .._parser import Registrar, add_id, add_limit, positive_int

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .._session import Session

COLUMNS = ("id", "name", "email", "city", "postal_code", "siren_or_siret", "archived")
CONTACT_COLUMNS = ("id", "firstname", "lastname", "email", "phone", "job")
NOT_FOUND = N_("`tiime clients list` shows the clients' ids")


def register(registrar: Registrar) -> None:
    group = registrar.group("clients")

    listing = group.command("list", _("the company's clients"), list_)
    state = listing.add_mutually_exclusive_group()
    state.add_argument(
        "--archived",
        dest="archived",
        action="store_const",
        const=True,
        help=_("archived clients only (default: all clients)"),
    )
    state.add_argument(
        "--active",
        dest="archived",
        action="store_const",
        const=False,
        help=_("active clients only (default: all clients)"),
    )
    add_limit(listing)

    add_id(group.command("get", _("one client"), get, not_found=NOT_FOUND), _("the client's id"))

    create = group.command("create", _("create a client"), create_)
    create.add_argument("--name", required=True, help=_("the client's name (required)"))
    for flag, help in (
        ("--email", N_("the client's e-mail address (default: none)")),
        ("--phone", N_("the client's phone number (default: none)")),
        ("--address", N_("the client's street address (default: none)")),
        ("--postal-code", N_("the client's postal code (default: none)")),
        ("--city", N_("the client's city (default: none)")),
    ):
        create.add_argument(flag, help=_(help))
    create.add_argument(
        "--country-id",
        type=positive_int,
        help=_("Tiime's country id, France is 75 (default: none)"),
    )
    create.add_argument(
        "--siret", help=_("SIRET (14 digits) or SIREN (9 digits), spaces allowed (default: none)")
    )
    kind = create.add_mutually_exclusive_group()
    kind.add_argument(
        "--professional",
        dest="professional",
        action="store_const",
        const=True,
        help=_("a business (default: the server's choice)"),
    )
    kind.add_argument(
        "--individual",
        "--no-professional",  # the reference CLI's spelling
        dest="professional",
        action="store_const",
        const=False,
        help=_("a private person (default: the server's choice)"),
    )

    search = group.command("search", _("clients whose name matches TEXT"), search_)
    search.add_argument(
        "text", nargs="*", metavar="TEXT", help=_("words to look for, searched together")
    )
    search.add_argument(
        "--query",
        metavar="TEXT",
        help=_("the same words, as the reference CLI takes them (default: none)"),
    )
    add_limit(search)

    add_id(
        group.command("contacts", _("a client's contacts"), contacts, not_found=NOT_FOUND),
        _("the client's id"),
    )


def list_(session: Session, args: argparse.Namespace) -> int:
    from ...types import Client
    from .._listing import limited, page_size, read_ahead
    from .._progress import until_first

    client = session.client()
    clients = client.clients.iter(archived=args.archived, page_size=page_size(args.limit))
    shown = until_first(read_ahead(limited(clients, args.limit)), _("Fetching clients..."))
    session.output.many(shown, kind=Client, columns=COLUMNS)
    return EXIT_OK


def get(session: Session, args: argparse.Namespace) -> int:
    session.output.one(session.client().clients.get(args.id))
    return EXIT_OK


def create_(session: Session, args: argparse.Namespace) -> int:
    created = session.client().clients.create(
        name=args.name,
        email=args.email,
        phone=args.phone,
        address=args.address,
        postal_code=args.postal_code,
        city=args.city,
        country_id=args.country_id,
        siren_or_siret=args.siret,
        professional=args.professional,
    )
    session.output.one(created)
    return EXIT_OK


def search_(session: Session, args: argparse.Namespace) -> int:
    from ...types import Client
    from .._listing import limited
    from .._progress import progress

    text = " ".join([*args.text, *([args.query] if args.query else [])])
    if not text.strip():
        raise UsageError(_("the following arguments are required: TEXT (or --query TEXT)"))
    client = session.client()
    with progress(_("Searching clients for {text!r}...").format(text=text)):
        found = client.clients.search(text)
    session.output.many(limited(found, args.limit), kind=Client, columns=COLUMNS)
    return EXIT_OK


def contacts(session: Session, args: argparse.Namespace) -> int:
    from ...types import Contact

    found = session.client().clients.contacts(args.id)
    session.output.many(found, kind=Contact, columns=CONTACT_COLUMNS)
    return EXIT_OK
