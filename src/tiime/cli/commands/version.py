"""``tiime version``: the version of tiime and of the Python running it (JSON when asked,
as the reference CLI's ``version`` command; ``tiime --version`` prints the line alone)."""

from __future__ import annotations

import argparse
import platform

from ..._version import __version__
from ...i18n import _
from .._errors import EXIT_OK
from .._parser import Registrar

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .._session import Session


def register(registrar: Registrar) -> None:
    parser = registrar.command("version", version, output=False, connection=False)
    parser.add_argument(
        "--format",
        choices=("table", "json"),
        default=argparse.SUPPRESS,
        help=_(
            "json: an object of the versions; table: one line "
            "(default: table on a terminal, json when piped)"
        ),
    )


def version(session: Session, args: argparse.Namespace) -> int:
    if session.output.fmt == "table":
        session.output.out.write(
            _("tiime {version} (Python {value})").format(
                version=__version__, value=platform.python_version()
            )
            + "\n"
        )
    else:
        session.output.one({"version": __version__, "python": platform.python_version()})
    return EXIT_OK
