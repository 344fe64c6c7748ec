"""``tiime status`` as a person reads it; the figures are :mod:`tiime.status`'s."""

from __future__ import annotations

from decimal import Decimal
from typing import TextIO

from ..i18n import _
from ..status import AccountLine, InvoiceCounts, Status, gather

__all__ = ["AccountLine", "InvoiceCounts", "Status", "gather", "show"]


def _money(amount: Decimal | None, currency: str | None) -> str:
    """``1 517,80 €`` in French, ``€1,517.80`` in English; ``-`` when unknown."""
    if amount is None:
        return "-"
    from ..i18n.formatting import format_money

    return format_money(amount, currency or "EUR")


def show(status: Status, out: TextIO) -> None:
    """The summary as a person reads it on a terminal, in the reader's language."""
    lines = [_("Company {id}").format(id=status.company_id), "", _("Bank balances:")]
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
