"""The dashboard's JSON answers: the overview and the yearly review, as typed structs.

Amounts are :class:`~decimal.Decimal`, written as JSON numbers digit for digit; dates in
ISO 8601. :mod:`.figures` computes them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import msgspec

__all__ = [
    "Account",
    "BankFigures",
    "Biggest",
    "ClientFigures",
    "CompanyInfo",
    "GlobalFigures",
    "InvoiceFigures",
    "Month",
    "MonthNet",
    "Named",
    "Overview",
    "QuotationFigures",
    "RevenueMonth",
    "Review",
    "Stats",
    "Treasury",
    "Unpaid",
]


class Month(msgspec.Struct, kw_only=True):
    """One month's transactions: inflows and outflows both as positive amounts."""

    month: str
    inflows: Decimal
    outflows: Decimal


class RevenueMonth(msgspec.Struct, kw_only=True):
    """One month's revenue of the non-draft invoices emitted in it."""

    month: str
    revenue_ttc: Decimal
    revenue_ht: Decimal


class Account(msgspec.Struct, kw_only=True):
    """An enabled bank account and its balance."""

    id: int
    name: str | None
    bank: str | None
    balance: Decimal | None
    currency: str | None
    balance_date: date | None
    iban: str | None


class Treasury(msgspec.Struct, kw_only=True):
    """The enabled accounts and the sum of their balances."""

    total_balance: Decimal
    accounts: list[Account]


class Unpaid(msgspec.Struct, kw_only=True):
    """A sent invoice not paid yet; ``days_late`` is 0 until its due date has passed."""

    id: int
    number: str | None
    client: str | None
    amount: Decimal | None
    due_date: date | None
    emission_date: date | None
    days_late: int


class InvoiceFigures(msgspec.Struct, kw_only=True):
    drafts: int
    unpaid_count: int
    unpaid_total: Decimal
    unpaid: list[Unpaid]


class QuotationFigures(msgspec.Struct, kw_only=True):
    pending_count: int
    pending_total: Decimal


class BankFigures(msgspec.Struct, kw_only=True):
    unimputed_count: int


class ClientFigures(msgspec.Struct, kw_only=True):
    total: int


class GlobalFigures(msgspec.Struct, kw_only=True):
    """Totals over every invoice and transaction; ``total_outflows`` is negative."""

    total_invoices: int
    total_revenue_ttc: Decimal
    total_revenue_ht: Decimal
    total_transactions: int
    total_inflows: Decimal
    total_outflows: Decimal
    net_cashflow: Decimal
    monthly: list[Month]
    monthly_revenue: list[RevenueMonth]


class Overview(msgspec.Struct, kw_only=True):
    """``GET /api/company/{id}/overview``."""

    company_id: int
    treasury: Treasury
    invoices: InvoiceFigures
    quotations: QuotationFigures
    bank: BankFigures
    clients: ClientFigures
    global_: GlobalFigures = msgspec.field(name="global")


class Named(msgspec.Struct, kw_only=True):
    """A client or an expense and its total."""

    name: str
    amount: Decimal


class Biggest(msgspec.Struct, kw_only=True):
    amount: Decimal
    client_name: str | None
    number: str | None
    date: date | None


class MonthNet(msgspec.Struct, kw_only=True):
    month: str
    net: Decimal
    inflows: Decimal
    outflows: Decimal


class Stats(msgspec.Struct, kw_only=True):
    """The review's figures over a year, or over all time."""

    revenue_ttc: Decimal
    revenue_ht: Decimal
    invoices_count: int
    avg_invoice: Decimal
    biggest_invoice: Biggest | None
    top_clients: list[Named]
    top_expenses: list[Named]
    monthly: list[Month]
    best_month: MonthNet | None
    worst_month: MonthNet | None
    total_inflows: Decimal
    total_outflows: Decimal
    inflow_outflow_ratio: Decimal
    transactions_count: int


class CompanyInfo(msgspec.Struct, kw_only=True):
    """Who the review is of: a company (or all of them), since when, for how many years."""

    name: str
    registration_date: date | None
    years_active: int


class Review(msgspec.Struct, kw_only=True):
    """``GET /api/company/{id}/wrapped`` and ``GET /api/wrapped``."""

    company: CompanyInfo
    available_years: list[int]
    all_time: Stats
    years: dict[str, Stats]
