"""Quotations: the answer (:class:`Quotation`) and the request bodies."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal, TypedDict

from ._base import DateInput, Model
from ._dates import Date
from .invoice import Invoice, InvoiceLine, InvoiceLineInput, InvoiceSendParams
from .ref import NamedRef, RefInput

__all__ = ["Quotation", "QuotationCreateParams", "QuotationSendParams"]


class Quotation(Model):
    """A quotation (``GET companies/{cid}/quotations``, ``.../quotations/{id}``).

    Statuses named by the reference: ``draft``, ``saved``, ``accepted``, ``declined``.
    ``invoices`` comes with ``expand=invoices``. The reference CLI also reads
    ``compiled_number``, ``client_name``, ``emission_date`` and the ``total_*`` fields,
    which its types do not declare; ``title`` and ``lines`` are those sent on creation.
    """

    id: int
    quotation_number: str | None = None
    compiled_number: str | None = None
    date: Date | None = None
    emission_date: Date | None = None
    status: str | None = None
    title: str | None = None
    client: NamedRef | None = None
    client_name: str | None = None
    amount_excluding_taxes: Decimal | None = None
    amount_including_taxes: Decimal | None = None
    total_excluding_taxes: Decimal | None = None
    total_including_taxes: Decimal | None = None
    lines: list[InvoiceLine] | None = None
    invoices: list[Invoice] | None = None


class _QuotationCreateRequired(TypedDict):
    date: DateInput
    lines: list[InvoiceLineInput]


class QuotationCreateParams(_QuotationCreateRequired, total=False):
    """The body of ``POST companies/{cid}/quotations``: a date and lines, the rest optional."""

    client: RefInput | None
    client_name: str
    title: str | None
    status: Literal["draft", "saved"]


QuotationSendParams = InvoiceSendParams
"""The body of ``POST .../quotations/{id}/send``: the same as an invoice's."""
