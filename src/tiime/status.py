"""A company at a glance: the figures of ``tiime status`` and of the MCP server's ``status``
tool, one set of rules for both.

Six listings asked at once, each counted over every page: the enabled bank accounts and their
balances, draft invoices, invoices sent and not paid yet, quotations still waiting for the
client's answer (neither accepted nor declined), clients, and transactions left to impute.
A count is the ``Content-Range`` TOTAL of a one-item first page where the server gives one,
else every page counted.

:func:`gather` runs them in threads over a :class:`~tiime.TiimeClient` (``tiime status``);
:func:`gather_async` as tasks over an :class:`~tiime.AsyncTiimeClient` (the MCP server, and
``tiime status --all-companies``). It uses the SDK through its public surface only.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Awaitable, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import msgspec

from ._pagination import parse_content_range

if TYPE_CHECKING:
    from ._client import AsyncTiimeClient, TiimeClient
    from ._response import RawResponse
    from .types import BankAccount

__all__ = ["AccountLine", "InvoiceCounts", "Status", "gather", "gather_async"]

# Quotations no longer waiting for the client's answer.
ANSWERED = frozenset({"accepted", "declined"})


class AccountLine(msgspec.Struct, kw_only=True):
    """An enabled account's balance."""

    name: str | None
    balance: Decimal | None
    currency: str | None


class InvoiceCounts(msgspec.Struct, kw_only=True):
    """Invoices still drafts, and invoices sent and not paid yet."""

    drafts: int
    unpaid: int


class Status(msgspec.Struct, kw_only=True):
    """A company at a glance; every count is over all pages."""

    company_id: int
    bank_accounts: list[AccountLine]
    invoices: InvoiceCounts
    pending_quotations: int
    total_clients: int
    unimputed_transactions: int


def _pending(quotation: Any) -> bool:
    return quotation.status not in ANSWERED


def _total(response: RawResponse[Any]) -> int | None:
    content_range = parse_content_range(response.headers.get("content-range"))
    return None if content_range is None else content_range[2]


def _status(company_id: int, done: dict[str, Any]) -> Status:
    accounts: list[BankAccount] = done["accounts"]
    return Status(
        company_id=company_id,
        bank_accounts=[
            AccountLine(name=a.name, balance=a.balance_amount, currency=a.balance_currency)
            for a in accounts
        ],
        invoices=InvoiceCounts(drafts=done["drafts"], unpaid=done["unpaid"]),
        pending_quotations=done["pending"],
        total_clients=done["clients"],
        unimputed_transactions=done["unimputed"],
    )


def count(first: Callable[[], RawResponse[Any]], every: Callable[[], Iterable[Any]]) -> int:
    """How many items a listing holds: the TOTAL of its first page (one item asked), else
    the items of every page counted."""
    total = _total(first())
    return total if total is not None else sum(1 for _ in every())


def gather(client: TiimeClient) -> Status:
    """The figures of ``client``'s company, asked at once (six listings in threads over one
    connection pool)."""
    invoices, raw_invoices = client.invoices, client.invoices.with_raw_response
    bank = client.bank_transactions
    jobs: dict[str, Callable[[], Any]] = {
        "accounts": lambda: client.bank_accounts.list(enabled=True),
        "drafts": lambda: count(
            lambda: raw_invoices.list(status="draft", limit=1),
            lambda: invoices.iter(status="draft", page_size=1000),
        ),
        "unpaid": lambda: count(
            lambda: raw_invoices.list(status="sent", limit=1),
            lambda: invoices.iter(status="sent", page_size=1000),
        ),
        "pending": lambda: sum(1 for q in client.quotations.iter(page_size=1000) if _pending(q)),
        "clients": lambda: count(
            lambda: client.clients.with_raw_response.list(limit=1),
            lambda: client.clients.iter(page_size=1000),
        ),
        "unimputed": lambda: count(
            lambda: bank.with_raw_response.unimputed(limit=1), bank.unimputed
        ),
    }
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        futures = {name: pool.submit(job) for name, job in jobs.items()}
        done = {name: future.result() for name, future in futures.items()}
    return _status(client.require_company(), done)


async def count_async(
    first: Callable[[], Awaitable[RawResponse[Any]]],
    every: Callable[[], AsyncIterable[Any] | Awaitable[list[Any]]],
) -> int:
    """:func:`count` on the async client."""
    total = _total(await first())
    if total is not None:
        return total
    items = every()
    if isinstance(items, AsyncIterable):
        return sum([1 async for _ in items])
    return len(await items)


async def gather_async(client: AsyncTiimeClient) -> Status:
    """The figures of ``client``'s company, its six listings asked at once (as tasks)."""
    import anyio

    invoices, raw_invoices = client.invoices, client.invoices.with_raw_response
    bank = client.bank_transactions

    async def pending() -> int:
        return sum([1 async for q in client.quotations.iter(page_size=1000) if _pending(q)])

    jobs: dict[str, Callable[[], Awaitable[Any]]] = {
        "accounts": lambda: client.bank_accounts.list(enabled=True),
        "drafts": lambda: count_async(
            lambda: raw_invoices.list(status="draft", limit=1),
            lambda: invoices.iter(status="draft", page_size=1000),
        ),
        "unpaid": lambda: count_async(
            lambda: raw_invoices.list(status="sent", limit=1),
            lambda: invoices.iter(status="sent", page_size=1000),
        ),
        "pending": pending,
        "clients": lambda: count_async(
            lambda: client.clients.with_raw_response.list(limit=1),
            lambda: client.clients.iter(page_size=1000),
        ),
        "unimputed": lambda: count_async(
            lambda: bank.with_raw_response.unimputed(limit=1), bank.unimputed
        ),
    }
    done: dict[str, Any] = {}

    async def run(name: str, job: Callable[[], Awaitable[Any]]) -> None:
        done[name] = await job()

    async with anyio.create_task_group() as group:
        for name, job in jobs.items():
            group.start_soon(run, name, job)
    return _status(client.require_company(), done)
