"""The figures of ``tiime status`` (same counts, same rules), gathered with the async client:
six listings at once, each counted over every page.

The command line's version (``tiime.cli._status``) runs them in threads on the blocking
client; the package does not import the command line, so the rules are written here too,
and a test checks that both give the same figures.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import anyio
import msgspec

from .._pagination import parse_content_range

if TYPE_CHECKING:
    from collections.abc import AsyncIterable

    from .._client import AsyncTiimeClient

__all__ = ["Figures", "status_of"]

# Quotations no longer waiting for the client's answer.
_ANSWERED = {"accepted", "declined"}


class AccountLine(msgspec.Struct, kw_only=True):
    name: str | None
    balance: Decimal | None
    currency: str | None


class InvoiceCounts(msgspec.Struct, kw_only=True):
    drafts: int
    unpaid: int


class Figures(msgspec.Struct, kw_only=True):
    """A company at a glance; every count is over all pages."""

    company_id: int
    bank_accounts: list[AccountLine]
    invoices: InvoiceCounts
    pending_quotations: int
    total_clients: int
    unimputed_transactions: int


async def _count(first: Callable[[], Awaitable[Any]], every: Callable[[], Any]) -> int:
    """The ``Content-Range`` TOTAL of a one-item first page, else every page counted."""
    response = await first()
    content_range = parse_content_range(response.headers.get("content-range"))
    if content_range is not None and content_range[2] is not None:
        return int(content_range[2])
    items = every()
    if hasattr(items, "__aiter__"):
        return await _count_async(items)
    return len(await items)


async def _count_async(items: AsyncIterable[Any], keep: Callable[[Any], bool] | None = None) -> int:
    return sum([1 async for item in items if keep is None or keep(item)])


async def status_of(client: AsyncTiimeClient) -> Figures:
    """The figures of ``client``'s company, its six listings asked at once."""
    invoices, quotations = client.invoices, client.quotations
    raw_invoices = invoices.with_raw_response
    jobs: dict[str, Callable[[], Awaitable[Any]]] = {
        "accounts": lambda: client.bank_accounts.list(enabled=True),
        "drafts": lambda: _count(
            lambda: raw_invoices.list(status="draft", limit=1),
            lambda: invoices.iter(status="draft", page_size=1000),
        ),
        "unpaid": lambda: _count(
            lambda: raw_invoices.list(status="sent", limit=1),
            lambda: invoices.iter(status="sent", page_size=1000),
        ),
        "pending": lambda: _count_async(
            quotations.iter(page_size=1000), lambda q: q.status not in _ANSWERED
        ),
        "clients": lambda: _count(
            lambda: client.clients.with_raw_response.list(limit=1),
            lambda: client.clients.iter(page_size=1000),
        ),
        "unimputed": lambda: _count(
            lambda: client.bank_transactions.with_raw_response.unimputed(limit=1),
            client.bank_transactions.unimputed,
        ),
    }
    done: dict[str, Any] = {}

    async def run(name: str, job: Callable[[], Awaitable[Any]]) -> None:
        done[name] = await job()

    async with anyio.create_task_group() as group:
        for name, job in jobs.items():
            group.start_soon(run, name, job)
    return Figures(
        company_id=client.require_company(),
        bank_accounts=[
            AccountLine(name=a.name, balance=a.balance_amount, currency=a.balance_currency)
            for a in done["accounts"]
        ],
        invoices=InvoiceCounts(drafts=done["drafts"], unpaid=done["unpaid"]),
        pending_quotations=done["pending"],
        total_clients=done["clients"],
        unimputed_transactions=done["unimputed"],
    )
