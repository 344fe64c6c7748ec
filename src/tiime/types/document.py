from __future__ import annotations

from decimal import Decimal
from typing import Any

from ._base import Model
from ._dates import Date, DateTime

__all__ = [
    "Document",
    "DocumentCategory",
    "DocumentMetadata",
    "MatchableDocument",
    "MatchableDocumentTag",
]


class DocumentMetadata(Model):
    """What was read from a document: its date, amount and supplier; its wording and VAT
    amount when they were set (``documents.update``)."""

    date: Date | None = None
    amount: Decimal | None = None
    supplier_name: str | None = None
    wording: str | None = None
    vat_amount: Decimal | None = None


class Document(Model):
    """A document (receipt, invoice...) of ``GET companies/{cid}/documents``.

    ``mime_type``, ``ocr_status`` and ``payment_status`` are read by the reference CLI but
    not declared by its types.
    """

    id: int
    name: str | None = None
    type: str | None = None
    source: str | None = None
    mime_type: str | None = None
    created_at: DateTime | None = None
    metadata: DocumentMetadata | None = None
    file_family: str | None = None
    preview_available: bool | None = None
    ocr_status: str | None = None
    payment_status: str | None = None


class DocumentCategory(Model):
    """A document category (``GET companies/{cid}/document_categories``).

    ``identifier``, ``owner`` and ``editable`` are read by the reference CLI but not
    declared by its types; ``owner``'s form is unknown, so it is kept as the JSON gave it.
    """

    id: int
    name: str | None = None
    code: str | None = None
    count: int | None = None
    identifier: str | None = None
    owner: Any = None
    editable: bool | None = None


class MatchableDocumentTag(Model):
    """A tag of a matchable document: ``{"id", "name", "type", "amount"}``."""

    id: int
    name: str | None = None
    type: str | None = None
    amount: Decimal | None = None


class MatchableDocument(Model):
    """A document a transaction can be matched with (``documents?matchable=true``).

    Unlike :class:`Document`'s, its ``metadata`` is a **list** of :class:`DocumentMetadata`.
    """

    id: int
    name: str | None = None
    type: str | None = None
    mime_type: str | None = None
    created_at: DateTime | None = None
    metadata: list[DocumentMetadata] | None = None
    tags: list[MatchableDocumentTag] | None = None
