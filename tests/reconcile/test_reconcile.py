"""``tiime.reconcile`` on the demo company: the pairs the seed planted are found (client
payments of invoices, card payments of receipts), nothing else above the threshold; the
books read in a few listings; applying matches and marks paid, once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import httpx
import msgspec
import pytest

from tiime import AsyncTiimeClient, TiimeClient
from tiime.reconcile import (
    DEFAULT_MIN_SCORE,
    Books,
    apply,
    gaps,
    load_books,
    load_books_async,
    propose,
)
from tiime.reconcile._scoring import fold
from tiime.sandbox import Sandbox


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as sb:
        yield sb


@pytest.fixture(scope="module")
def requests() -> list[httpx.Request]:
    return []


@pytest.fixture(scope="module")
def client(sandbox: Sandbox, requests: list[httpx.Request]) -> Iterator[TiimeClient]:
    http = httpx.Client(event_hooks={"request": [requests.append]}, timeout=30)
    with (
        http,
        TiimeClient(
            base_url=sandbox.base_url,
            auth_url=sandbox.auth_url,
            email=sandbox.email,
            password=sandbox.password,
            company_id=sandbox.company_id,
            http_client=http,
        ) as tiime,
    ):
        yield tiime


@pytest.fixture(scope="module")
def books(client: TiimeClient, requests: list[httpx.Request]) -> Books:
    client.company.get()  # log in first: the listings are counted alone
    requests.clear()
    return load_books(client)


def planted_payments(sandbox: Sandbox, *, partial: bool | None = None) -> set[tuple[int, int]]:
    """(transaction, invoice): the client payments the seed made of invoices, in full
    (``partial=False``: the invoice is paid), in part (``True``: it is still sent), or
    both (``None``)."""
    rows = sandbox.db.all(
        "SELECT t.id, t.invoice_id, t.amount_cents < i.total_incl_cents AS part "
        "FROM bank_transactions t JOIN invoices i ON i.id = t.invoice_id "
        "WHERE t.company_id = ?",
        (sandbox.company_id,),
    )
    return {
        (row["id"], row["invoice_id"])
        for row in rows
        if partial is None or bool(row["part"]) == partial
    }


def planted_receipts(sandbox: Sandbox) -> set[tuple[int, int]]:
    """(transaction, document): the card payments the seed made of receipts, worded
    ``CB SUPPLIER DD/MM``, of the receipt's amount, dated 0 to 2 days after it."""
    receipts = sandbox.db.all(
        "SELECT id, metadata_date, metadata_amount_cents, supplier_name FROM documents "
        "WHERE company_id = ? AND type = 'receipt' AND metadata_amount_cents > 0",
        (sandbox.company_id,),
    )
    cards = sandbox.db.all(
        "SELECT id, wording, amount_cents, transaction_date FROM bank_transactions "
        "WHERE company_id = ? AND operation_type = 'card'",
        (sandbox.company_id,),
    )
    pairs = set()
    for receipt in receipts:
        day = date.fromisoformat(receipt["metadata_date"])
        for card in cards:
            paid = date.fromisoformat(card["transaction_date"])
            if (
                card["amount_cents"] == -receipt["metadata_amount_cents"]
                and card["wording"].startswith(f"CB {fold(receipt['supplier_name']).upper()} ")
                and timedelta(0) <= paid - day <= timedelta(days=2)
            ):
                pairs.add((card["id"], receipt["id"]))
    return pairs


def test_the_books_are_three_listings_not_a_request_per_transaction(
    books: Books, requests: list[httpx.Request]
) -> None:
    assert len(books.transactions) > 500
    paths = sorted({request.url.path.rsplit("/", 1)[-1] for request in requests})
    assert paths == ["bank_transactions", "documents", "invoices"]
    assert len(requests) <= 6  # a page of 1,000 each, and the pages' rule's last look


def test_the_seeded_pairs_are_found_and_no_others(sandbox: Sandbox, books: Books) -> None:
    proposals = propose(books)
    found_payments = {(p.transaction_id, p.target_id) for p in proposals if p.kind == "invoice"}
    found_receipts = {(p.transaction_id, p.target_id) for p in proposals if p.kind == "document"}
    payments, receipts = planted_payments(sandbox), planted_receipts(sandbox)

    # The year's invoices are paid into the bank (the seeded invoices run up to its end).
    assert len(planted_payments(sandbox, partial=False)) == 94
    assert len(planted_payments(sandbox, partial=True)) == 6
    assert len(payments) == 100
    assert len(receipts) == 20
    # Precision and recall 1.0 at the default threshold, on both kinds.
    assert found_payments == payments
    assert found_receipts == receipts
    for proposal in proposals:
        assert proposal.score >= DEFAULT_MIN_SCORE
        assert proposal.reasons.startswith("part payment " if proposal.partial else "amount ")


def test_part_payments_are_proposed_as_partial_with_what_remains(
    sandbox: Sandbox, books: Books
) -> None:
    part = planted_payments(sandbox, partial=True)
    proposals = {(p.transaction_id, p.target_id): p for p in propose(books)}
    invoices = {invoice.id: invoice for invoice in books.invoices}
    late = 0
    for pair in part:
        proposal = proposals[pair]
        invoice = invoices[proposal.target_id]
        assert invoice.status == "sent"
        assert proposal.partial
        assert proposal.amount is not None
        assert invoice.total_including_taxes is not None
        assert proposal.remaining == invoice.total_including_taxes - proposal.amount > 0
        assert proposal.reasons.startswith(
            f"part payment {proposal.amount:.2f} of {invoice.total_including_taxes:.2f}, "
            f"{proposal.remaining:.2f} remaining; "
        )
        late += " days late" in proposal.reasons
    assert late >= 1  # some part payments are late, and still found
    full = [p for p in proposals.values() if p.kind == "invoice" and not p.partial]
    assert full
    assert all(p.remaining == 0 for p in full)


def test_below_the_threshold_lie_only_chance_pairs(sandbox: Sandbox, books: Books) -> None:
    """What the threshold was chosen on: every planted pair scores 80 or more; the pairs
    that only share an amount (and a date window) score less than the default."""
    planted = planted_payments(sandbox) | planted_receipts(sandbox)
    everything = propose(books, min_score=1)
    chance = [p for p in everything if (p.transaction_id, p.target_id) not in planted]
    assert min(p.score for p in everything if (p.transaction_id, p.target_id) in planted) >= 80
    assert all(p.score < DEFAULT_MIN_SCORE for p in chance)


def test_gaps_list_what_is_left_with_their_amounts(books: Books) -> None:
    proposals = propose(books)
    found = gaps(books, proposals)
    kinds = {gap.kind for gap in found}
    assert kinds == {
        "payment_without_invoice",
        "invoice_without_payment",
        "card_expense_without_receipt",
    }
    paired = {p.transaction_id for p in proposals}
    assert not any(gap.id in paired for gap in found if gap.kind != "invoice_without_payment")
    part_paid = {p.target_id: p for p in proposals if p.partial}
    for gap in found:
        assert isinstance(gap.amount, Decimal)
        if gap.kind == "invoice_without_payment":
            # What the invoice still owes: its total, less a part payment proposed.
            paid = part_paid[gap.id].amount if gap.id in part_paid else 0
            assert gap.remaining == gap.amount - paid  # type: ignore[operator]
        if gap.kind == "card_expense_without_receipt":
            assert gap.amount < 0
        else:
            assert gap.amount > 0


def test_apply_matches_the_receipts_and_marks_the_invoices_paid_once(
    client: TiimeClient, books: Books
) -> None:
    proposals = [p for p in propose(books) if not p.partial][:6]
    first = apply(client, proposals)
    assert {row.status for row in first} <= {"applied", "already"}
    for proposal in proposals:
        if proposal.kind == "document":
            matched = client.bank_transactions.matchings(proposal.transaction_id)
            assert proposal.target_id in [m.document.id for m in matched if m.document]
        else:
            assert client.invoices.get(proposal.target_id).status == "paid"
    again = apply(client, proposals)
    assert [row.status for row in again] == ["already"] * len(proposals)


def test_apply_leaves_a_part_paid_invoice_unpaid(
    client: TiimeClient, books: Books, requests: list[httpx.Request]
) -> None:
    partial = [p for p in propose(books) if p.partial][:2]
    assert partial
    # As reviewed from a file: the transaction's amount is read, not taken on trust.
    from_file = [msgspec.structs.replace(p, amount=None, remaining=None) for p in partial[1:]]
    requests.clear()
    results = apply(client, [*partial[:1], *from_file])
    assert [row.status for row in results] == ["partial"] * len(partial)
    first = partial[0]
    total = first.amount + first.remaining  # type: ignore[operator]
    assert results[0].note == (
        f"part payment {first.amount:.2f} of {total:.2f}, {first.remaining:.2f} remaining: "
        f"invoice {first.target_id} left unpaid"
    )
    assert {request.method for request in requests} == {"GET"}  # nothing written
    for proposal in partial:
        assert client.invoices.get(proposal.target_id).status == "sent"


async def test_the_async_books_are_the_same(sandbox: Sandbox, books: Books) -> None:
    async with AsyncTiimeClient(
        base_url=sandbox.base_url,
        auth_url=sandbox.auth_url,
        email=sandbox.email,
        password=sandbox.password,
        company_id=sandbox.company_id,
    ) as client:
        read = await load_books_async(client, since=date(2026, 3, 1), until=date(2026, 3, 31))
    march = [
        t for t in books.transactions if date(2026, 3, 1) <= t.transaction_date <= date(2026, 3, 31)
    ]  # type: ignore[operator]
    assert [t.id for t in read.transactions] == [t.id for t in march]
    assert {p.transaction_id for p in propose(read)} == {
        p.transaction_id for p in propose(books) if p.transaction_id in {t.id for t in march}
    }
