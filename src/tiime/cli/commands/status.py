"""``tiime status``: the company at a glance."""

from __future__ import annotations

import argparse

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
    """The figures of :func:`tiime.status.gather`, and the company's name (``GET
    companies/{cid}``, asked beside them)."""
    from concurrent.futures import ThreadPoolExecutor

    from .._progress import progress
    from .._status import gather, show

    client = session.client()
    with progress("Gathering the company's figures..."), ThreadPoolExecutor(1) as pool:
        company = pool.submit(client.company.get)
        summary = gather(client)
        name = company.result().name
    if session.output.fmt == "table":
        show(summary, session.output.out, company_name=name)
    else:
        fields = {field: getattr(summary, field) for field in summary.__struct_fields__}
        session.output.one({"company_id": summary.company_id, "company_name": name, **fields})
    return EXIT_OK
