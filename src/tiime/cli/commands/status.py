"""``tiime status``: the company at a glance."""

from __future__ import annotations

import argparse

from ...i18n import _
from .._errors import EXIT_OK
from .._parser import Registrar

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .._session import Session


def register(registrar: Registrar) -> None:
    registrar.command(
        "status",
        status,
    )


def status(session: Session, args: argparse.Namespace) -> int:
    from .._progress import progress
    from .._status import gather, show

    client = session.client()
    with progress(_("Gathering the company's figures...")):
        summary = gather(client)
    if session.output.fmt == "table":
        show(summary, session.output.out)
    else:
        session.output.one(summary)
    return EXIT_OK
