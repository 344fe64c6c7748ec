"""``tiime dashboard``: the books on a local web page (overview and yearly review)."""

from __future__ import annotations

import argparse
import sys

from ...i18n import _
from .._errors import EXIT_OK, CommandError, UsageError
from .._parser import Registrar, port

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .._session import Session


def register(registrar: Registrar) -> None:
    parser = registrar.command(
        "dashboard",
        dashboard,
        description=(
            _(
                "Serve a web page on 127.0.0.1 showing each company's treasury, unpaid "
                "invoices, pending quotations, transactions to impute and monthly cash flows, "
                "and a yearly review. Prints the URL to open (it carries a random access token) "
                "and opens it on a desktop; stops on Ctrl-C. Reads only: nothing is written. "
                "With --verbose, the requests it makes to the API are shown on stderr."
            )
        ),
        output=False,
    )
    parser.add_argument(
        "--port",
        type=lambda text: port(text) if text != "0" else 0,
        default=3141,
        help=_("the TCP port to listen on; 0 picks a free one (default: 3141)"),
    )
    parser.add_argument(
        "--open",
        action=argparse.BooleanOptionalAction,
        default=None,
        help=_("open the page in the browser (default: on a desktop terminal only)"),
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--company",
        metavar="ID|NAME",
        help=_("the company shown first, by id or name (default: the current company)"),
    )
    which.add_argument(
        "--all-companies",
        action="store_true",
        help=_("show every company of the user first (default: the current company)"),
    )
    parser.add_argument(
        "--review",
        action="store_true",
        help=_("open the yearly review rather than the overview (default: the overview)"),
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help=_("the address to listen on (default: 127.0.0.1)"),
    )
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help=_(
            "allow listening on a non-loopback address (default: loopback only); anyone who "
            "reaches it with the URL can read the books"
        ),
    )


def _first_company(session: Session, args: argparse.Namespace) -> int | str | None:
    """The company the page shows first: ``"all"``, an id, or ``None`` (the page's first).

    Asks the API once before serving: a missing or refused login fails here, in one line.
    """
    from .._bookkeeping import select_companies

    client = session.client()
    known = client.list_companies()
    if args.all_companies:
        return "all"
    if args.company:
        if "," in args.company:
            raise UsageError(_("--company takes one company (or use --all-companies)"))
        [company] = select_companies(client, args.company, False)
        return company.id
    configured = client.company_id
    return configured if configured is not None else (known[0].id if known else None)


def dashboard(session: Session, args: argparse.Namespace) -> int:
    try:
        from ...dashboard.server import DashboardError, listen, serve
    except ImportError as exc:
        from .._errors import missing_extra

        raise missing_extra("dashboard", exc.name or "starlette/uvicorn") from None
    from .._bookkeeping import today
    from .open import _desktop

    try:  # first, so that a busy port fails before anything starts
        sock = listen(args.host, args.port, allow_remote=args.allow_remote)
    except DashboardError as exc:
        raise CommandError(str(exc)) from None
    try:
        first = _first_company(session, args)
        client, close = session.open_async_client()
    except BaseException:
        sock.close()
        raise

    want_browser = args.open if args.open is not None else _desktop()

    def open_browser(url: str) -> None:
        if want_browser:
            import webbrowser

            if not webbrowser.open(url):
                sys.stderr.write(
                    _("tiime: no browser could be started; open the URL above.") + "\n"
                )

    serve(
        client,
        sock,
        close=close,
        today=today,
        default_company=first,
        page="/wrapped" if args.review else "/",
        on_ready=open_browser,
    )
    return EXIT_OK
