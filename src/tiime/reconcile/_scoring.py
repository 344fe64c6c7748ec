"""How a bank transaction and an invoice, or a receipt, are scored as a pair (0 to 100),
with the reasons in words. Pure functions over the SDK's models: no request.

An invoice and a client payment (a credit):

* the amount paid is the invoice's total including taxes, to the cent: 50 (else see part
  payments below);
* the payment is dated from the emission date to 120 days after it: 10 if by the due
  date (or 30 days after emission when it has none), 5 when later; before the emission
  date (3 days of slack): no pair;
* the client's name is in the wording (accents and case ignored; every word of 3 letters
  or more, or the whole name): 20;
* the invoice's number (``F-2025-0042``) is in the wording: 20.

A part payment (a credit less than the invoice's total) is a pair only when the invoice's
number is in the wording: 35 for the amount, then the same points for the date, the
client's name and the number (at most 85: a part payment the wording names by number and
client, on time, or late, reaches the default threshold of 80; one naming the client but
not the number is never proposed, as it could be of any of the client's invoices).

A receipt and a card payment or debit (a debit of the receipt's amount):

* the amount, to the cent: 50 (else no pair);
* the dates: 30 the same day, 5 fewer a day apart, none past 5 days; more than 10 days
  apart: no pair;
* the supplier's name in the wording (a word of 3 letters or more): 20.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from decimal import Decimal

from ..types import BankTransaction, Document, Invoice

__all__ = ["fold", "score_document", "score_invoice", "score_part_payment"]

_WORD = re.compile(r"[a-z0-9]+")
PAYMENT_WINDOW = timedelta(days=120)
RECEIPT_WINDOW = 10


def fold(text: str | None) -> str:
    """Lower case, without accents, words separated by one space."""
    if not text:
        return ""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(_WORD.findall(ascii_text.casefold()))


def _words(text: str | None) -> list[str]:
    return [word for word in fold(text).split() if len(word) >= 3]


def name_in(name: str | None, wording: str) -> bool:
    """Whether ``name`` (folded) is in the folded ``wording``: whole, or every word of 3
    letters or more."""
    folded = fold(name)
    if not folded:
        return False
    if folded in wording:
        return True
    words = _words(name)
    present = set(wording.split())
    return bool(words) and all(word in present for word in words)


def score_invoice(
    transaction: BankTransaction, invoice: Invoice, wording: str
) -> tuple[int, list[str]]:
    """The score of the pair and its reasons; ``(0, [])`` when it is no pair.
    ``wording`` is the transaction's folded wording (folded once by the caller)."""
    if (
        transaction.amount is None
        or invoice.total_including_taxes is None
        or transaction.amount != invoice.total_including_taxes
        or transaction.transaction_date is None
        or invoice.emission_date is None
    ):
        return 0, []
    return _score_payment(transaction, invoice, wording, 50, [f"amount {transaction.amount}"])


def score_part_payment(
    transaction: BankTransaction, invoice: Invoice, wording: str
) -> tuple[int, list[str]]:
    """The score of a credit paying part of ``invoice`` (less than its total), and its
    reasons (``part payment 400.00 of 1200.00, 800.00 remaining`` first); ``(0, [])``
    when no pair: not less than the total, or the invoice's number not in the wording."""
    total, amount = invoice.total_including_taxes, transaction.amount
    number = fold(invoice.compiled_number)
    if (
        amount is None
        or total is None
        or not 0 < amount < total
        or not number
        or f" {number} " not in f" {wording} "
        or transaction.transaction_date is None
        or invoice.emission_date is None
    ):
        return 0, []
    reason = f"part payment {amount:.2f} of {total:.2f}, {total - amount:.2f} remaining"
    return _score_payment(transaction, invoice, wording, 35, [reason])


def _score_payment(
    transaction: BankTransaction, invoice: Invoice, wording: str, score: int, reasons: list[str]
) -> tuple[int, list[str]]:
    """The points of a payment's date, client and number, added to the amount's."""
    paid, emitted = transaction.transaction_date, invoice.emission_date
    assert paid is not None  # checked by the callers
    assert emitted is not None
    if paid < emitted - timedelta(days=3) or paid > emitted + PAYMENT_WINDOW:
        return 0, []
    due = invoice.due_date or emitted + timedelta(days=30)
    if paid <= due:
        score += 10
        reasons.append(f"paid {(paid - emitted).days} days after emission")
    else:
        score += 5
        reasons.append(f"paid {(paid - due).days} days late")
    if name_in(invoice.client_name, wording):
        score += 20
        reasons.append(f"client {invoice.client_name!r} in the wording")
    number = fold(invoice.compiled_number)
    if number and number in wording:
        score += 20
        reasons.append(f"number {invoice.compiled_number} in the wording")
    return score, reasons


def document_amount(document: Document) -> Decimal | None:
    return document.metadata.amount if document.metadata else None


def document_date(document: Document) -> date | None:
    if document.metadata and document.metadata.date:
        return document.metadata.date
    return document.created_at.date() if document.created_at else None


def score_document(
    transaction: BankTransaction, document: Document, wording: str
) -> tuple[int, list[str]]:
    """The score of a debit and a receipt, and its reasons; ``(0, [])`` when no pair."""
    amount, day = document_amount(document), document_date(document)
    if (
        transaction.amount is None
        or amount is None
        or -transaction.amount != abs(amount)
        or transaction.transaction_date is None
        or day is None
    ):
        return 0, []
    apart = abs((transaction.transaction_date - day).days)
    if apart > RECEIPT_WINDOW:
        return 0, []
    score, reasons = 50, [f"amount {abs(amount)}"]
    if apart <= 5:
        score += 30 - 5 * apart
        reasons.append("same day" if apart == 0 else f"{apart} days apart")
    else:
        reasons.append(f"{apart} days apart")
    supplier = document.metadata.supplier_name if document.metadata else None
    words = _words(supplier)
    if words and any(word in wording.split() for word in words):
        score += 20
        reasons.append(f"supplier {supplier!r} in the wording")
    return score, reasons
