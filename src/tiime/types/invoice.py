"""Invoices: the answers (:class:`Invoice`, :class:`InvoiceLine`...) and the request bodies.

The request bodies are ``TypedDict`` s, so that an editor completes their keys and a type
checker checks them; amounts in them may be ``Decimal``, ``int`` or ``float``, dates a
``date`` or ``YYYY-MM-DD`` text.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal, TypedDict

from ._base import AmountInput, DateInput, Model
from ._dates import Date
from .label import Tag
from .ref import Ref, RefInput

__all__ = [
    "Invoice",
    "InvoiceCreateParams",
    "InvoiceLine",
    "InvoiceLineInput",
    "InvoiceSendParams",
    "InvoicingUnit",
    "InvoicingUnitInput",
    "RecipientInput",
    "TextLineInput",
    "TotalsPerVatType",
    "VatType",
    "VatTypeInput",
]


# The small structs of lines are not tracked by the garbage collector (gc=False): they hold
# only scalars and each other, so they cannot be part of a reference cycle, and a listing of
# 10,000 invoices (25,000 lines) decodes about a quarter faster without the collector's passes.


class VatType(Model, gc=False):
    """A line's VAT rate by its code: ``normal``, ``reduced``, ``super_reduced``, ``none``..."""

    code: str | None = None


class InvoicingUnit(Model, gc=False):
    """A line's unit: ``{"id": 3, "code": "day"}`` (1 unit, 2 hour, 3 day, 4 package...)."""

    id: int
    code: str | None = None


class InvoiceLine(Model, gc=False):
    """A line of an invoice or quotation; ``line_amount`` is ``quantity * unit_amount``."""

    id: int | None = None
    description: str | None = None
    quantity: Decimal | None = None
    unit_amount: Decimal | None = None
    line_amount: Decimal | None = None
    vat_type: VatType | None = None
    invoicing_unit: InvoicingUnit | None = None
    invoicing_category_type: str | None = None
    article: Ref | None = None
    sequence: int | None = None
    discount_description: str | None = None
    discount_amount: Decimal | None = None
    discount_percentage: Decimal | None = None


class TotalsPerVatType(Model, gc=False):
    """An invoice's totals for one VAT code (the values of ``totals_per_vat_type``)."""

    total_excluding_taxes: Decimal | None = None
    vat_amount: Decimal | None = None


class Invoice(Model):
    """An invoice (``GET companies/{cid}/invoices``, ``.../invoices/{id}``).

    Statuses named by the reference: ``draft``, ``saved``, ``sent``, ``paid``.
    ``totals_per_vat_type`` maps a VAT code (``"normal"``...) to its totals.
    """

    id: int
    client_id: int | None = None
    client_name: str | None = None
    compiled_number: str | None = None
    number: int | None = None
    emission_date: Date | None = None
    due_date: Date | None = None
    status: str | None = None
    title: str | None = None
    template: str | None = None
    type: str | None = None
    color: str | None = None
    total_excluding_taxes: Decimal | None = None
    total_including_taxes: Decimal | None = None
    totals_per_vat_type: dict[str, TotalsPerVatType] | None = None
    lines: list[InvoiceLine] | None = None
    tags: list[Tag] | None = None


class VatTypeInput(TypedDict):
    """``{"code": "normal"}``."""

    code: str


class InvoicingUnitInput(TypedDict):
    """``{"id": 3, "code": "day"}``."""

    id: int
    code: str


class _InvoiceLineRequired(TypedDict):
    description: str
    quantity: AmountInput
    unit_amount: AmountInput
    vat_type: VatTypeInput


class InvoiceLineInput(_InvoiceLineRequired, total=False):
    """A line to send: description, quantity, unit amount and VAT code (``normal`` 20 %,
    ``intermediate`` 10 %, ``reduced`` 5.5 %, ``super_reduced`` 2.1 %, ``none``), the rest
    optional. The SDK computes ``line_amount`` and numbers ``sequence`` (see
    :mod:`tiime.resources._lines`); give a discount as an amount or a percentage."""

    invoicing_unit: InvoicingUnitInput | None
    invoicing_category_type: str
    article: RefInput | None
    sequence: int
    line_amount: AmountInput
    discount_description: str
    discount_amount: AmountInput | None
    discount_percentage: AmountInput | None


class TextLineInput(TypedDict):
    """A free text line of an invoice: ``{"text": "..."}``."""

    text: str


class _InvoiceCreateRequired(TypedDict):
    emission_date: DateInput
    lines: list[InvoiceLineInput]


class InvoiceCreateParams(_InvoiceCreateRequired, total=False):
    """The body of ``POST companies/{cid}/invoices``: a date and lines, the rest optional.

    Name the client by ``client`` (``{"id": 101}``) or by ``client_name`` and its address.
    """

    client: RefInput | None
    client_name: str
    client_address: str
    client_postal_code: str
    client_city: str
    client_country_code: str
    client_siren_or_siret: str | None
    client_siren_or_siret_enabled: bool
    client_intracom_vat_number: str | None
    client_intracom_vat_number_enabled: bool
    due_date: DateInput
    due_date_mode: str
    title: str | None
    title_enabled: bool
    text_lines: list[TextLineInput]
    status: Literal["draft", "saved"]
    template: str
    free_field: str
    free_field_enabled: bool
    discount_enabled: bool
    bank_detail_enabled: bool
    payment_condition_enabled: bool
    payment_condition: str
    iban: str
    bic: str


class RecipientInput(TypedDict):
    """``{"email": "x@y.fr"}``."""

    email: str


class _SendRequired(TypedDict):
    recipients: list[RecipientInput]


class InvoiceSendParams(_SendRequired, total=False):
    """The body of ``POST .../invoices/{id}/send`` (and of a quotation's)."""

    subject: str
    message: str
