"""``tiime status`` as a person reads it; the figures are :mod:`tiime.status`'s."""

from __future__ import annotations

from decimal import Decimal
from typing import TextIO

from ..status import AccountLine, InvoiceCounts, Status, gather

__all__ = ["AccountLine", "InvoiceCounts", "Status", "gather", "show"]


def _money(amount: Decimal | None, currency: str | None) -> str:
    if amount is None:
        return "-"
    text = f"{amount:,.2f}".replace(",", "\u202f").replace(".", ",")
    return f"{text} €" if currency in (None, "EUR") else f"{text} {currency}"


def show(status: Status, out: TextIO, *, company_name: str | None = None) -> None:
    """The summary as a person reads it on a terminal, under the company's name and id."""
    company = f"{company_name} ({status.company_id})" if company_name else status.company_id
    lines = [f"Company {company}", "", "Bank balances:"]
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
