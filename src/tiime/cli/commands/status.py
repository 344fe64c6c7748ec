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
    """The figures of :func:`tiime.status.gather`, and the company's name (``GET
    companies/{cid}``, asked beside them)."""
    from concurrent.futures import ThreadPoolExecutor

    from .._progress import progress
    from .._status import gather, named, show

    if args.company or args.all_companies:
        return _companies(session, args)
    client = session.client()
    with progress(_("Gathering the company's figures...")), ThreadPoolExecutor(1) as pool:
        company = pool.submit(client.company.get)
        summary = gather(client)
        name = company.result().name
    if session.output.fmt == "table":
        show(summary, session.output.out, company_name=name)
    else:
        session.output.one(named(summary, name))
    return EXIT_OK


def _companies(session: Session, args: argparse.Namespace) -> int:
    """``--company A,B`` or ``--all-companies``: each company's figures, gathered at once in
    one event loop; a company that fails is one line on stderr, the others are shown, each
    under its name."""
    from .._bookkeeping import Company, select_companies_async
    from .._loop import run
    from .._progress import progress
    from .._status import NamedStatus, Status, gather_companies, named, show

    async def main() -> tuple[list[Company], list[Status | None]]:
        async with session.async_client() as client:
            companies = await select_companies_async(client, args.company, args.all_companies)
            return companies, await gather_companies(client, companies)

    with progress(_("Gathering the company's figures...")):
        companies, found = run(main)
    summaries = [
        (summary, company.name)
        for summary, company in zip(found, companies, strict=True)
        if summary is not None
    ]
    if session.output.fmt == "table":
        for n, (summary, name) in enumerate(summaries):
            if n:
                session.output.out.write("\n")
            show(summary, session.output.out, company_name=name)
    else:
        rows = [named(summary, name) for summary, name in summaries]
        session.output.many(rows, kind=NamedStatus, columns=())
    return EXIT_RUNTIME if len(summaries) < len(found) else EXIT_OK
