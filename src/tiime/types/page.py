"""One page of a listing asked with ``Range: items=START-END``: its items and the list's
size (the ``Content-Range`` TOTAL), as ``list_page()`` of the invoices and the documents
return it."""

from __future__ import annotations

from ._base import Model
from .document import Document
from .invoice import Invoice


class InvoicesPage(Model):
    """Page ``page`` (from 1) of ``page_size`` invoices; ``total``: how many the listing
    holds, ``None`` when the server does not say (``Content-Range: items 0-24/*``)."""

    items: list[Invoice]
    page: int
    page_size: int
    total: int | None = None


class DocumentsPage(Model):
    """Page ``page`` (from 1) of ``page_size`` documents; ``total`` as
    :class:`InvoicesPage`'s."""

    items: list[Document]
    page: int
    page_size: int
    total: int | None = None
