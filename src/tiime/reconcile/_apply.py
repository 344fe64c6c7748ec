"""Applying reviewed proposals: a receipt matched to its debit, an invoice marked paid."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .. import _exceptions as E
from ..types._base import Model
from ._models import Proposal

if TYPE_CHECKING:
    from .._client import TiimeClient

__all__ = ["Applied", "apply"]


class Applied(Model, kw_only=True):
    """What became of a proposal: ``status`` is ``applied``, ``already`` (nothing to do),
    ``partial`` (a part payment: nothing sent, the invoice left unpaid; ``note`` says
    what it still owes),
    ``failed`` (``error`` says why), ``unknown`` (the write may have been made: check
    before running again) or ``not_sent`` (after an unknown outcome, the rest is left)."""

    kind: str
    transaction_id: int
    target_id: int
    status: str
    error: str | None = None
    note: str | None = None


def _apply_one(client: TiimeClient, proposal: Proposal) -> tuple[str, str | None]:
    if proposal.kind == "document":
        matched = [
            m.document.id
            for m in client.bank_transactions.matchings(proposal.transaction_id)
            if m.document is not None
        ]
        if proposal.target_id in matched:
            return "already", None
        client.bank_transactions.match_documents(
            proposal.transaction_id, [*matched, proposal.target_id]
        )
        return "applied", None
    invoice = client.invoices.get(proposal.target_id)
    if invoice.status == "paid":
        return "already", None
    amount = proposal.amount
    if amount is None:  # a pair read from a reviewed file: the transaction says
        amount = client.bank_transactions.get(proposal.transaction_id).amount
    total = invoice.total_including_taxes
    if amount is not None and total is not None and amount < total:
        left = "" if proposal.remaining is None else f", {proposal.remaining:.2f} remaining"
        note = f"part payment {amount:.2f} of {total:.2f}{left}: invoice {invoice.id} left unpaid"
        return "partial", note
    client.invoices.update(proposal.target_id, status="paid")
    return "applied", None


def apply(client: TiimeClient, proposals: Sequence[Proposal]) -> list[Applied]:
    """Apply each proposal, in order, and say what became of it.

    A document: ``GET .../bank_transactions/{id}/matchings``, then ``PUT
    .../document_matchings`` with the documents already matched and this one (the PUT
    states the whole set: replayed safely). An invoice: ``GET .../invoices/{id}``, then
    ``PUT .../invoices/{id}`` with ``{"status": "paid"}`` unless it is paid already (a
    status move: sent once). A part payment (the transaction's amount, read with ``GET
    .../bank_transactions/{id}`` when the proposal does not carry it, less than the
    invoice's total) sends nothing: the invoice stays unpaid (``partial``, the note says
    the payment, the total and what the proposal says remains), as the API has no call
    that records a payment against an invoice short of marking it paid. A refused write
    is reported and the next one sent; after a write whose outcome is unknown
    (:class:`~tiime.AmbiguousWriteError`) nothing more is sent (``not_sent``)."""
    results: list[Applied] = []
    stopped = False
    for proposal in proposals:
        row = Applied(
            kind=proposal.kind,
            transaction_id=proposal.transaction_id,
            target_id=proposal.target_id,
            status="not_sent",
        )
        if not stopped:
            try:
                row.status, row.note = _apply_one(client, proposal)
            except E.AmbiguousWriteError as exc:
                row.status, row.error, stopped = "unknown", str(exc), True
            except E.TiimeError as exc:
                row.status, row.error = "failed", str(exc)
        results.append(row)
    return results
