"""The dashboard's figures computed again, independently, from the SDK's full listings.

Written the plain way (whole lists, one comprehension per figure), with no code of
``tiime.dashboard``: the app's answers are checked against these.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal
from typing import Any

from tiime import TiimeClient
from tiime.types import BankTransaction, Invoice

ZERO = Decimal(0)


def tx_date(t: BankTransaction) -> date | None:
    return t.transaction_date or t.realization_date


def listings(client: TiimeClient) -> dict[str, Any]:
    """Every item of each listing the figures need (``list()``: all pages)."""
    return {
        "accounts": client.bank_accounts.list(enabled=True),
        "invoices": client.invoices.list(),
        "transactions": client.bank_transactions.list(),
        "quotations": client.quotations.list(),
        "clients": client.clients.list(),
        "unimputed": client.bank_transactions.unimputed(),
    }


def monthly(transactions: list[BankTransaction]) -> list[dict[str, Any]]:
    months: dict[str, list[Decimal]] = {}
    for t in transactions:
        when = tx_date(t)
        if when is None or t.amount is None:
            continue
        flows = months.setdefault(when.strftime("%Y-%m"), [ZERO, ZERO])
        if t.amount > 0:
            flows[0] += t.amount
        else:
            flows[1] += abs(t.amount)
    return [{"month": m, "inflows": i, "outflows": o} for m, (i, o) in sorted(months.items())]


def overview(data: dict[str, Any], today: date) -> dict[str, Any]:
    """The overview's figures from :func:`listings`."""
    invoices: list[Invoice] = data["invoices"]
    transactions: list[BankTransaction] = data["transactions"]
    sent = [i for i in invoices if i.status == "sent"]
    issued = [i for i in invoices if i.status != "draft"]
    pending = [q for q in data["quotations"] if q.status not in ("accepted", "declined")]
    amounts = [t.amount for t in transactions if t.amount is not None]
    return {
        "total_balance": sum((a.balance_amount or ZERO for a in data["accounts"]), ZERO),
        "accounts": len(data["accounts"]),
        "drafts": len(invoices) - len(issued),
        "unpaid_count": len(sent),
        "unpaid_total": sum((i.total_including_taxes or ZERO for i in sent), ZERO),
        "days_late": {i.id: max(0, (today - i.due_date).days) if i.due_date else 0 for i in sent},
        "pending_count": len(pending),
        "pending_total": sum(
            (q.amount_including_taxes or q.total_including_taxes or ZERO for q in pending), ZERO
        ),
        "unimputed_count": len(data["unimputed"]),
        "clients_total": len(data["clients"]),
        "total_invoices": len(invoices),
        "total_revenue_ttc": sum((i.total_including_taxes or ZERO for i in issued), ZERO),
        "total_revenue_ht": sum((i.total_excluding_taxes or ZERO for i in issued), ZERO),
        "total_transactions": len(transactions),
        "total_inflows": sum((a for a in amounts if a > 0), ZERO),
        "total_outflows": sum((a for a in amounts if a < 0), ZERO),
        "monthly": monthly(transactions)[-12:],
    }


def expense(t: BankTransaction) -> str:
    if t.imputations and t.imputations[0].label and t.imputations[0].label.name:
        return t.imputations[0].label.name
    text = (t.wording or t.original_wording or "Other").strip().lower()
    for prefix in ("carte ", "vir ", "prlv ", "chq ", "ret dab "):
        if text.startswith(prefix):
            return text[len(prefix) :].strip()
    return text


def stats(invoices: list[Invoice], transactions: list[BankTransaction]) -> dict[str, Any]:
    """The review's figures over these (non-draft) invoices and transactions."""
    revenue = sum((i.total_including_taxes or ZERO for i in invoices), ZERO)
    clients: Counter[str] = Counter()
    for i in invoices:
        clients[i.client_name or "No client"] += i.total_including_taxes or ZERO
    expenses: Counter[str] = Counter()
    for t in transactions:
        if t.amount is not None and t.amount < 0:
            expenses[expense(t)] += -t.amount
    months = monthly(transactions)
    nets = [m["inflows"] - m["outflows"] for m in months]
    amounts = [t.amount for t in transactions if t.amount is not None]
    biggest = max((i.total_including_taxes or ZERO for i in invoices), default=None)
    return {
        "revenue_ttc": revenue,
        "revenue_ht": sum((i.total_excluding_taxes or ZERO for i in invoices), ZERO),
        "invoices_count": len(invoices),
        "biggest": biggest,
        "top_clients": sorted(clients.values(), reverse=True)[:5],
        "top_expenses": sorted(expenses.values(), reverse=True)[:5],
        "monthly": months,
        "best_net": max(nets, default=None),
        "worst_net": min(nets, default=None),
        "total_inflows": sum((a for a in amounts if a > 0), ZERO),
        "total_outflows": -sum((a for a in amounts if a < 0), ZERO),
        "transactions_count": len(transactions),
    }


def review(invoices: list[Invoice], transactions: list[BankTransaction]) -> dict[str, Any]:
    """``{"all_time": stats, "years": {"YYYY": stats}}`` over non-draft invoices."""
    issued = [i for i in invoices if i.status != "draft"]
    years = {i.emission_date.year for i in issued if i.emission_date}
    years |= {d.year for d in map(tx_date, transactions) if d}
    return {
        "available_years": sorted(years, reverse=True),
        "all_time": stats(issued, transactions),
        "years": {
            str(y): stats(
                [i for i in issued if i.emission_date and i.emission_date.year == y],
                [t for t in transactions if (d := tx_date(t)) and d.year == y],
            )
            for y in years
        },
    }
