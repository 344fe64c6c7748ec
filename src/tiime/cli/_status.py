"""``tiime status`` as a person reads it; the figures are :mod:`tiime.status`'s.

One company: :func:`~tiime.status.gather`'s six listings in threads (importing an event
loop and aiohttp would cost more than they save). Several (``--company A,B``,
``--all-companies``): :func:`gather_companies`, in one event loop on the async client.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, TextIO

from .. import _exceptions as E
from ..status import AccountLine, InvoiceCounts, Status, gather, gather_async
from ._errors import describe

if TYPE_CHECKING:
    from .._client import AsyncTiimeClient
    from ._bookkeeping import Company

__all__ = ["AccountLine", "InvoiceCounts", "Status", "gather", "gather_companies", "show"]

# Companies gathered at once: six listings each (as many requests, more for long listings).
COMPANIES_AT_ONCE = 4


def _sdk_error(exc: BaseException) -> E.TiimeError | None:
    """The SDK error ``exc`` is, or the first of its group when every error in it is one
    (the six listings run in an anyio task group, which raises groups); else ``None``."""
    if isinstance(exc, E.TiimeError):
        return exc
    inner = getattr(exc, "exceptions", None)
    if not inner:
        return None
    found = [_sdk_error(one) for one in inner]
    return found[0] if all(found) else None


async def gather_companies(
    client: AsyncTiimeClient, companies: Sequence[Company]
) -> list[Status | None]:
    """Each company's figures, in ``companies``' order, :data:`COMPANIES_AT_ONCE` at a
    time; ``None`` for a company whose figures could not be read (one line on stderr)."""
    limit = asyncio.Semaphore(COMPANIES_AT_ONCE)

    async def one(company: Company) -> Status | None:
        async with limit:
            try:
                return await gather_async(client.with_options(company_id=company.id))
            except Exception as exc:
                error = _sdk_error(exc)
                if error is None:
                    raise
                sys.stderr.write(
                    f"tiime: company {company.id} ({company.name}): {describe(error)}\n"
                )
                return None

    tasks = [asyncio.ensure_future(one(company)) for company in companies]
    try:
        return list(await asyncio.gather(*tasks))
    finally:  # a failure (or Ctrl-C) cancels the others
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def _money(amount: Decimal | None, currency: str | None) -> str:
    if amount is None:
        return "-"
    text = f"{amount:,.2f}".replace(",", "\u202f").replace(".", ",")
    return f"{text} €" if currency in (None, "EUR") else f"{text} {currency}"


def show(status: Status, out: TextIO) -> None:
    """The summary as a person reads it on a terminal."""
    lines = [f"Company {status.company_id}", "", "Bank balances:"]
    width = max((len(a.name or "") for a in status.bank_accounts), default=0)
    lines += [
        f"  {a.name or '':<{width}}  {_money(a.balance, a.currency):>16}"
        for a in status.bank_accounts
    ] or ["  (no enabled account)"]
    figures = [
        ("Draft invoices", status.invoices.drafts),
        ("Invoices awaiting payment", status.invoices.unpaid),
        ("Pending quotations", status.pending_quotations),
        ("Transactions to impute", status.unimputed_transactions),
        ("Clients", status.total_clients),
    ]
    lines.append("")
    lines += [f"{name + ':':<27}{value:>6}" for name, value in figures]
    out.write("\n".join(lines) + "\n")
    out.flush()
