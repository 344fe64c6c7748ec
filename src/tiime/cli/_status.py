"""The figures of ``tiime status``, gathered in parallel and counted over every page."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TextIO

import msgspec

from .._pagination import parse_content_range

if TYPE_CHECKING:
    from .._client import TiimeClient
    from .._response import RawResponse

__all__ = ["AccountLine", "InvoiceCounts", "Status", "gather", "show"]

# Quotations no longer waiting for the client's answer.
_ANSWERED = {"accepted", "declined"}


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
    """``tiime status``: every count is over all pages."""

    company_id: int
    bank_accounts: list[AccountLine]
    invoices: InvoiceCounts
    pending_quotations: int
    total_clients: int
    unimputed_transactions: int


def count(first: Callable[[], RawResponse[Any]], every: Callable[[], Iterable[Any]]) -> int:
    """How many items a listing holds: the ``Content-Range`` TOTAL of its first page
    (one item asked), else the items of every page counted."""
    response = first()
    content_range = parse_content_range(response.headers.get("content-range"))
    if content_range is not None and content_range[2] is not None:
        return content_range[2]
    return sum(1 for _ in every())


def gather(client: TiimeClient) -> Status:
    """The figures, asked at once (six listings in parallel over one connection pool)."""
    invoices, quotations = client.invoices, client.quotations
    jobs: dict[str, Callable[[], Any]] = {
        "accounts": lambda: client.bank_accounts.list(enabled=True),
        "drafts": lambda: count(
            lambda: invoices.with_raw_response.list(status="draft", limit=1),
            lambda: invoices.iter(status="draft", page_size=1000),
        ),
        "unpaid": lambda: count(
            lambda: invoices.with_raw_response.list(status="sent", limit=1),
            lambda: invoices.iter(status="sent", page_size=1000),
        ),
        "pending": lambda: sum(
            1 for q in quotations.iter(page_size=1000) if q.status not in _ANSWERED
        ),
        "clients": lambda: count(
            lambda: client.clients.with_raw_response.list(limit=1),
            lambda: client.clients.iter(page_size=1000),
        ),
        "unimputed": lambda: count(
            lambda: client.bank_transactions.with_raw_response.unimputed(limit=1),
            client.bank_transactions.unimputed,
        ),
    }
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        futures = {name: pool.submit(job) for name, job in jobs.items()}
        done = {name: future.result() for name, future in futures.items()}
    return Status(
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
