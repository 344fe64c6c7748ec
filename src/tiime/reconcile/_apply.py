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
    ``failed`` (``error`` says why), ``unknown`` (the write may have been made: check
    before running again) or ``not_sent`` (after an unknown outcome, the rest is left)."""

    kind: str
    transaction_id: int
    target_id: int
    status: str
    error: str | None = None


def _apply_one(client: TiimeClient, proposal: Proposal) -> str:
    if proposal.kind == "document":
        matched = [
            m.document.id
            for m in client.bank_transactions.matchings(proposal.transaction_id)
            if m.document is not None
        ]
        if proposal.target_id in matched:
            return "already"
        client.bank_transactions.match_documents(
            proposal.transaction_id, [*matched, proposal.target_id]
        )
        return "applied"
    invoice = client.invoices.get(proposal.target_id)
    if invoice.status == "paid":
        return "already"
    client.invoices.update(proposal.target_id, status="paid")
    return "applied"


def apply(client: TiimeClient, proposals: Sequence[Proposal]) -> list[Applied]:
    """Apply each proposal, in order, and say what became of it.

    A document: ``GET .../bank_transactions/{id}/matchings``, then ``PUT
    .../document_matchings`` with the documents already matched and this one (the PUT
    states the whole set: replayed safely). An invoice: ``GET .../invoices/{id}``, then
    ``PUT .../invoices/{id}`` with ``{"status": "paid"}`` unless it is paid already (a
    status move: sent once). A refused write is reported and the next one sent; after a
    write whose outcome is unknown (:class:`~tiime.AmbiguousWriteError`) nothing more is
    sent (``not_sent``)."""
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
                row.status = _apply_one(client, proposal)
            except E.AmbiguousWriteError as exc:
                row.status, row.error, stopped = "unknown", str(exc), True
            except E.TiimeError as exc:
                row.status, row.error = "failed", str(exc)
        results.append(row)
    return results
