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

import msgspec

from .. import _exceptions as E
from ..i18n import _
from ..status import AccountLine, InvoiceCounts, Status, gather, gather_async
from ._errors import describe

if TYPE_CHECKING:
    from .._client import AsyncTiimeClient
    from ._bookkeeping import Company

__all__ = [
    "AccountLine",
    "InvoiceCounts",
    "NamedStatus",
    "Status",
    "gather",
    "gather_companies",
    "named",
    "show",
]

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
                    _("tiime: company {id} ({name}): {error}").format(
                        id=company.id, name=company.name, error=describe(error)
                    )
                    + "\n"
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
    """``1 517,80 €`` in French, ``€1,517.80`` in English; ``-`` when unknown."""
    if amount is None:
        return "-"
    from ..i18n.formatting import format_money

    return format_money(amount, currency or "EUR")


class NamedStatus(msgspec.Struct, kw_only=True):
    """A company's figures under its name: what ``status`` prints in JSON, CSV and XLSX."""

    company_id: int
    company_name: str | None
    bank_accounts: list[AccountLine]
    invoices: InvoiceCounts
    pending_quotations: int
    total_clients: int
    unimputed_transactions: int


def named(status: Status, company_name: str | None) -> NamedStatus:
    """``status`` with its company's name."""
    return NamedStatus(company_name=company_name, **msgspec.structs.asdict(status))


def show(status: Status, out: TextIO, *, company_name: str | None = None) -> None:
    """The summary as a person reads it on a terminal, in the reader's language, under the
    company's name and id."""
    company = (
        _("{name} ({id})").format(name=company_name, id=status.company_id)
        if company_name
        else str(status.company_id)
    )
    lines = [_("Company {id}").format(id=company), "", _("Bank balances:")]
    width = max((len(a.name or "") for a in status.bank_accounts), default=0)
    lines += [
        f"  {a.name or '':<{width}}  {_money(a.balance, a.currency):>16}"
        for a in status.bank_accounts
    ] or ["  " + _("(no enabled account)")]
    figures = [
        (_("Draft invoices"), status.invoices.drafts),
        (_("Invoices awaiting payment"), status.invoices.unpaid),
        (_("Pending quotations"), status.pending_quotations),
        (_("Transactions to impute"), status.unimputed_transactions),
        (_("Clients"), status.total_clients),
    ]
    names = [_("{name}:").format(name=name) for name, _value in figures]
    width = max(27, *(len(name) + 1 for name in names))
    lines.append("")
    lines += [
        f"{name:<{width}}{value:>6}" for name, (_name, value) in zip(names, figures, strict=True)
    ]
    out.write("\n".join(lines) + "\n")
    out.flush()
