"""The books of a period, read in a few listings (never one request per transaction), and
the proposals and gaps computed from them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..types import BankTransaction, Document, Invoice
from ._models import Gap, Proposal
from ._scoring import (
    PAYMENT_WINDOW,
    document_amount,
    document_date,
    fold,
    score_document,
    score_invoice,
    score_part_payment,
)

if TYPE_CHECKING:
    from .._client import AsyncTiimeClient, TiimeClient

__all__ = ["DEFAULT_MIN_SCORE", "Books", "gaps", "load_books", "load_books_async", "propose"]

# Chosen by measurement: on the demo company every planted pair (part payments included)
# scores 80 or more and every chance pair less than 75 (tests/reconcile); on 10,000
# transactions, 5,000 invoices and 3,000 documents (benchmarks/bench_reconcile.py: 1,499
# planted pairs, 226 of them part payments) precision is 0.995 at 70 and 0.999 at 80,
# recall 0.999 at both (0.849 at 90).
DEFAULT_MIN_SCORE = 80
_UNPAID = ("saved", "sent")


@dataclass
class Books:
    """A period's transactions, and the invoices and documents they may pair with."""

    transactions: list[BankTransaction]
    invoices: list[Invoice]
    documents: list[Document]
    since: date | None = None
    until: date | None = None
    requests: int = field(default=0)


def _in(day: date | None, since: date | None, until: date | None) -> bool:
    return day is not None and (since is None or day >= since) and (until is None or day <= until)


def load_books(
    client: TiimeClient, *, since: date | None = None, until: date | None = None
) -> Books:
    """Read the period's books with three listings, every page: ``GET
    companies/{cid}/bank_transactions`` (``transaction_date_start``/``_end`` from
    ``since``/``until``, refused ones left out), ``GET .../invoices`` (those emitted
    from 120 days before ``since`` on: a payment comes up to 120 days after its invoice)
    and ``GET .../documents`` (those dated within 10 days of the period), pages of 1,000."""
    transactions = list(
        client.bank_transactions.iter(
            hide_refused=True, from_date=since, to_date=until, page_size=1000
        )
    )
    invoices = list(client.invoices.iter(page_size=1000))
    documents = list(client.documents.iter(page_size=1000))
    return _period(transactions, invoices, documents, since, until)


async def load_books_async(
    client: AsyncTiimeClient, *, since: date | None = None, until: date | None = None
) -> Books:
    """:func:`load_books` with the async client: the same three listings, sent at once."""
    import asyncio

    async def every(pager: Any) -> list[Any]:
        return [item async for item in pager]

    transactions, invoices, documents = await asyncio.gather(
        every(
            client.bank_transactions.iter(
                hide_refused=True, from_date=since, to_date=until, page_size=1000
            )
        ),
        every(client.invoices.iter(page_size=1000)),
        every(client.documents.iter(page_size=1000)),
    )
    return _period(transactions, invoices, documents, since, until)


def _period(
    transactions: list[BankTransaction],
    invoices: list[Invoice],
    documents: list[Document],
    since: date | None,
    until: date | None,
) -> Books:
    """The books of the period from the three listings: numbered invoices emitted from
    120 days before ``since``, documents dated within 10 days of the period."""
    first = None if since is None else since - PAYMENT_WINDOW
    margin = timedelta(days=10)
    return Books(
        transactions,
        [
            invoice
            for invoice in invoices
            if invoice.status != "draft" and _in(invoice.emission_date, first, until)
        ],
        [
            document
            for document in documents
            if _in(
                document_date(document),
                None if since is None else since - margin,
                None if until is None else until + margin,
            )
        ],
        since,
        until,
    )


def _cents(amount: Decimal | None) -> int | None:
    return None if amount is None else int((abs(amount) * 100).to_integral_value())


def _candidates(
    books: Books,
) -> Iterable[tuple[int, BankTransaction, str, int, str, Invoice | Document]]:
    """Every scored pair: (score, transaction, kind, target id, reasons, target)."""
    invoices: dict[int | None, list[Invoice]] = defaultdict(list)
    for invoice in books.invoices:
        invoices[_cents(invoice.total_including_taxes)].append(invoice)
    numbered: dict[str, list[Invoice]] = defaultdict(list)
    for invoice in books.invoices:
        if invoice.compiled_number:
            numbered[fold(invoice.compiled_number)].append(invoice)
    longest = max((len(number.split()) for number in numbered), default=0)
    documents: dict[int | None, list[Document]] = defaultdict(list)
    for document in books.documents:
        documents[_cents(document_amount(document))].append(document)
    for transaction in books.transactions:
        if transaction.amount is None or transaction.amount == 0:
            continue
        wording = fold(transaction.wording)
        cents = _cents(transaction.amount)
        if transaction.amount > 0:
            for invoice in invoices.get(cents, ()):
                score, reasons = score_invoice(transaction, invoice, wording)
                if score:
                    yield score, transaction, "invoice", invoice.id, "; ".join(reasons), invoice
            for invoice in _named_in(wording, numbered, longest):
                score, reasons = score_part_payment(transaction, invoice, wording)
                if score:
                    yield score, transaction, "invoice", invoice.id, "; ".join(reasons), invoice
        else:
            for document in documents.get(cents, ()):
                score, reasons = score_document(transaction, document, wording)
                if score:
                    yield score, transaction, "document", document.id, "; ".join(reasons), document


def _named_in(wording: str, numbered: dict[str, list[Invoice]], longest: int) -> Iterable[Invoice]:
    """The invoices whose (folded) number is a run of whole words of the ``wording``."""
    words = wording.split()
    for start in range(len(words)):
        for end in range(start + 1, min(start + longest, len(words)) + 1):
            yield from numbered.get(" ".join(words[start:end]), ())


def propose(books: Books, *, min_score: int = DEFAULT_MIN_SCORE) -> list[Proposal]:
    """The pairs scoring ``min_score`` or more, each transaction in one pair at most and
    each invoice or document too (the best first, ties to the nearest date), ordered by
    transaction date then id. An invoice may take several part payments (``partial``),
    as long as they add up to less than its total, and no full payment then; an invoice
    pair's ``remaining`` is what the invoice still owes once the payments proposed up to
    it are counted. No request: ``books`` holds what was read."""
    scored = sorted(
        _candidates(books),
        key=lambda item: (-item[0], item[1].transaction_date or date.min, item[1].id, item[3]),
    )
    used_transactions: set[int] = set()
    used_targets: set[tuple[str, int]] = set()
    owed: dict[int, Decimal] = {}  # invoices with part payments: what they still owe
    proposals = []
    for score, transaction, kind, target_id, reasons, target in scored:
        if score < min_score:
            break
        if transaction.id in used_transactions or (kind, target_id) in used_targets:
            continue
        name: str | None
        remaining: Decimal | None = None
        partial = False
        if isinstance(target, Invoice):
            total, paid = target.total_including_taxes, transaction.amount
            assert total is not None  # scored: known
            assert paid is not None
            partial = paid < total
            if partial:
                left = owed.get(target_id, total)
                if paid >= left:
                    continue
                owed[target_id] = remaining = left - paid
            elif target_id in owed:
                continue
            else:
                remaining = Decimal("0.00")
            number = target.compiled_number or f"invoice {target.id}"
            name, day = f"{number} {target.client_name or ''}".strip(), target.emission_date
        else:
            supplier = target.metadata.supplier_name if target.metadata else None
            name, day = supplier or target.name, document_date(target)
        used_transactions.add(transaction.id)
        if not partial:
            used_targets.add((kind, target_id))
        proposals.append(
            Proposal(
                kind="invoice" if kind == "invoice" else "document",
                transaction_id=transaction.id,
                transaction_date=transaction.transaction_date,
                wording=transaction.wording,
                amount=transaction.amount,
                target_id=target_id,
                target=name,
                target_date=day,
                score=score,
                reasons=reasons,
                partial=partial,
                remaining=remaining,
            )
        )
    proposals.sort(key=lambda p: (p.transaction_date or date.min, p.transaction_id))
    return proposals


def gaps(books: Books, proposals: Sequence[Proposal]) -> list[Gap]:
    """What the month end asks about, from ``books`` and the ``proposals`` kept:

    * ``payment_without_invoice``: a credit of the period (transfers and other incomes)
      paired with no invoice;
    * ``invoice_without_payment``: an invoice emitted in the period, saved or sent (not
      paid), paired with no payment, or only with part payments: ``remaining`` is what
      it still owes (its total less the part payments proposed);
    * ``card_expense_without_receipt``: a card debit of the period with no document
      matched (``count_documents`` 0) and none proposed.
    """
    paired = {(p.kind, p.target_id) for p in proposals if not p.partial}
    part_paid: dict[int, Decimal] = defaultdict(Decimal)
    for proposal in proposals:
        if proposal.partial and proposal.amount is not None:
            part_paid[proposal.target_id] += proposal.amount
    paid_transactions = {p.transaction_id for p in proposals if p.kind == "invoice"}
    receipted = {p.transaction_id for p in proposals if p.kind == "document"}
    found: list[Gap] = []
    for transaction in books.transactions:
        amount = transaction.amount
        if amount is None:
            continue
        if (
            amount > 0
            and transaction.id not in paid_transactions
            and not transaction.count_invoices
        ):
            found.append(_gap("payment_without_invoice", transaction))
        if (
            amount < 0
            and transaction.operation_type == "card"
            and not transaction.count_documents
            and transaction.id not in receipted
        ):
            found.append(_gap("card_expense_without_receipt", transaction))
    for invoice in books.invoices:
        total = invoice.total_including_taxes
        if (
            invoice.status in _UNPAID
            and ("invoice", invoice.id) not in paired
            and _in(invoice.emission_date, books.since, books.until)
        ):
            found.append(
                Gap(
                    kind="invoice_without_payment",
                    id=invoice.id,
                    date=invoice.emission_date,
                    label=f"{invoice.compiled_number or ''} {invoice.client_name or ''}".strip(),
                    amount=total,
                    remaining=None if total is None else total - part_paid[invoice.id],
                )
            )
    found.sort(key=lambda gap: (gap.kind, gap.date or date.min, gap.id))
    return found


def _gap(kind: str, transaction: BankTransaction) -> Gap:
    return Gap(
        kind=kind,
        id=transaction.id,
        date=transaction.transaction_date,
        label=transaction.wording,
        amount=transaction.amount,
    )
