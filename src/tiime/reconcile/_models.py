"""What reconciliation returns: proposals and gaps, as typed (msgspec) objects."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from ..types._base import Model
from ..types._dates import Date

__all__ = ["Gap", "Proposal"]


class Proposal(Model, kw_only=True):
    """A bank transaction paired with an invoice (a client's payment) or a document (a
    receipt of a debit), scored from 0 to 100 and explained (``reasons``).

    An invoice pair is ``partial`` when the payment is less than the invoice's total (a
    part payment: applying it leaves the invoice unpaid); ``remaining`` is what the
    invoice still owes after it (``0.00`` for a full payment; ``None`` for a document)."""

    kind: Literal["invoice", "document"]
    transaction_id: int
    transaction_date: Date | None = None
    wording: str | None = None
    amount: Decimal | None = None
    target_id: int
    target: str | None = None
    target_date: Date | None = None
    score: int
    reasons: str = ""
    partial: bool = False
    remaining: Decimal | None = None


class Gap(Model, kw_only=True):
    """A line of the month-end gap lists: ``kind`` is ``payment_without_invoice``,
    ``invoice_without_payment`` or ``card_expense_without_receipt``; ``id`` the
    transaction's or the invoice's; ``remaining``, for an invoice, what it still owes
    (its total less the part payments proposed)."""

    kind: str
    id: int
    date: Date | None = None
    label: str | None = None
    amount: Decimal | None = None
    remaining: Decimal | None = None
