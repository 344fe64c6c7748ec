"""``tiime status``: the company at a glance."""

from __future__ import annotations

import argparse

from ...i18n import _
from .._errors import EXIT_OK, EXIT_RUNTIME
from .._parser import Registrar
from .bank import add_companies

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .._session import Session


def register(registrar: Registrar) -> None:
    status_ = registrar.command(
        "status",
        status,
    )
    add_companies(status_)


def status(session: Session, args: argparse.Namespace) -> int:
    from .._progress import progress
    from .._status import gather, show

    if args.company or args.all_companies:
        return _companies(session, args)
    client = session.client()
    with progress(_("Gathering the company's figures...")):
        summary = gather(client)
    if session.output.fmt == "table":
        show(summary, session.output.out)
    else:
        session.output.one(summary)
    return EXIT_OK


def _companies(session: Session, args: argparse.Namespace) -> int:
    """``--company A,B`` or ``--all-companies``: each company's figures, gathered at once in
    one event loop; a company that fails is one line on stderr, the others are shown."""
    from .._bookkeeping import select_companies_async
    from .._loop import run
    from .._progress import progress
    from .._status import Status, gather_companies, show

    async def main() -> list[Status | None]:
        async with session.async_client() as client:
            companies = await select_companies_async(client, args.company, args.all_companies)
            return await gather_companies(client, companies)

    with progress(_("Gathering the company's figures...")):
        found = run(main)
    summaries = [summary for summary in found if summary is not None]
    if session.output.fmt == "table":
        for n, summary in enumerate(summaries):
            if n:
                session.output.out.write("\n")
            show(summary, session.output.out)
    else:
        session.output.many(summaries, kind=Status, columns=())
    return EXIT_RUNTIME if len(summaries) < len(found) else EXIT_OK
