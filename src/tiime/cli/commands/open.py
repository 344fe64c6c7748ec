"""``tiime open [SECTION]``: the Tiime web app's page of a section, for the current company."""

from __future__ import annotations

import argparse
import os
import sys

from ...i18n import _
from .._errors import EXIT_OK
from .._parser import Registrar

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .._session import Session

WEB_APP = "https://apps.tiime.fr"
# Each section's path under https://apps.tiime.fr/companies/{cid}.
SECTIONS = {
    "invoices": "/invoicing/invoices",
    "quotations": "/invoicing/quotations",
    "clients": "/invoicing/clients",
    "bank": "/bank",
    "documents": "/documents",
    "expenses": "/expense-reports",
}


def register(registrar: Registrar) -> None:
    parser = registrar.command(
        "open",
        open_,
        description=(
            _(
                "Print the Tiime web app's URL of SECTION for the current company (the app's "
                "home without SECTION), and open it in the browser when run on a terminal of a "
                "desktop session."
            )
        ),
        output=False,
    )
    parser.add_argument(
        "section",
        nargs="?",
        choices=tuple(SECTIONS),
        metavar="SECTION",
        help=_("one of {value} (default: the app's home page)").format(value=", ".join(SECTIONS)),
    )
    parser.add_argument(
        "--no-browser",
        action="store_true",
        help=_("only print the URL, never open a browser (default: open one on a desktop)"),
    )


def url_of(section: str | None, company_id: int | None) -> str:
    """The web app's URL of ``section`` for the company (the home page without one)."""
    if section is None:
        return WEB_APP
    return f"{WEB_APP}/companies/{company_id}{SECTIONS[section]}"


def _desktop() -> bool:
    """Whether a browser can be shown: stdout is a terminal on a graphical session."""
    if not sys.stdout.isatty():
        return False
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _local_api(session: Session) -> str | None:
    """The API's address when it is not the real service but one on this machine (the
    sandbox: ``--sandbox``, or ``TIIME_BASE_URL`` on a loopback address), else ``None``."""
    if session.sandbox:
        return _("the sandbox")
    from ipaddress import ip_address
    from urllib.parse import urlsplit

    from ..._config import base_url_in_effect

    url = base_url_in_effect()
    host = (urlsplit(url).hostname or "").lower()
    try:
        loopback = host == "localhost" or ip_address(host).is_loopback
    except ValueError:
        loopback = False
    return _("the sandbox at {url}").format(url=url) if loopback else None


def open_(session: Session, args: argparse.Namespace) -> int:
    local = _local_api(session)
    if local is not None:
        from .._errors import CommandError

        raise CommandError(
            _(
                "{api} has no web app: `tiime open` shows the pages of the real service "
                "({url}); the sandbox's data is read with the other commands"
            ).format(api=local, url=WEB_APP)
        )
    company_id = None if args.section is None else session.client().require_company()
    url = url_of(args.section, company_id)
    sys.stdout.write(url + "\n")
    sys.stdout.flush()
    if not args.no_browser and _desktop():
        import webbrowser

        if not webbrowser.open(url):
            sys.stderr.write(_("tiime: no browser could be started; open the URL above.") + "\n")
    return EXIT_OK
