from __future__ import annotations

from decimal import Decimal
from typing import TypedDict

from ._base import DateInput, Model
from ._dates import Date, DateTime

__all__ = [
    "ExpenseReport",
    "ExpenseReportCreateParams",
    "ExpenseReportMetadata",
    "ExpenseReportMetadataInput",
]


class ExpenseReportMetadata(Model):
    """An expense report's ``metadata``: its date."""

    date: Date | None = None


class ExpenseReport(Model):
    """An expense report (``GET companies/{cid}/expense_reports``, ``.../{id}``).

    ``title`` and ``created_at`` are read by the reference CLI but not declared by its
    types; ``total_amount`` comes with ``expand=total_amount``.
    """

    id: int
    name: str | None = None
    title: str | None = None
    status: str | None = None
    total_amount: Decimal | None = None
    metadata: ExpenseReportMetadata | None = None
    created_at: DateTime | None = None


class ExpenseReportMetadataInput(TypedDict, total=False):
    """``{"date": "2024-03-31"}``."""

    date: DateInput


class _ExpenseReportCreateRequired(TypedDict):
    name: str


class ExpenseReportCreateParams(_ExpenseReportCreateRequired, total=False):
    """The body of ``POST companies/{cid}/expense_reports``: a name, and maybe a date."""

    metadata: ExpenseReportMetadataInput
