"""Month-end reconciliation over the SDK: pair bank transactions with the invoices they
pay and the receipts of the debits, scored and explained, and list the gaps.

::

    from tiime import TiimeClient
    from tiime.reconcile import load_books, propose, gaps, apply

    with TiimeClient() as client:
        books = load_books(client, since=date(2026, 1, 1), until=date(2026, 1, 31))
        proposals = propose(books, min_score=80)   # no request: computed from the books
        missing = gaps(books, proposals)
        apply(client, proposals)                   # match the receipts, mark invoices paid
                                                   # (part payments: left unpaid)

Overdue invoices (:func:`overdue_invoices`) and the French reminder about each
(:func:`reminder_text`, :class:`ReminderLedger`: never twice the same day) are here too.

Reading the books takes three listings (transactions, invoices, documents), whatever the
number of transactions; scoring is in :mod:`tiime.reconcile._scoring`.
"""

from __future__ import annotations

from ._apply import Applied, apply
from ._books import DEFAULT_MIN_SCORE, Books, gaps, load_books, load_books_async, propose
from ._models import Gap, Proposal
from ._overdue import OverdueInvoice, ReminderLedger, overdue_invoices, reminder_text

__all__ = [
    "DEFAULT_MIN_SCORE",
    "Applied",
    "Books",
    "Gap",
    "OverdueInvoice",
    "Proposal",
    "ReminderLedger",
    "apply",
    "gaps",
    "load_books",
    "load_books_async",
    "overdue_invoices",
    "propose",
    "reminder_text",
]
