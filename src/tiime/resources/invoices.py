"""Invoices: ``companies/{company_id}/invoices``.

Lines go through the exact line computation of :mod:`tiime.resources._lines` (decimal
amounts, ``line_amount`` rounded to the cent, lines numbered 1..n); "today" is the date
in France (Europe/Paris).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from .. import _constants as C
from .._exceptions import ValidationError
from .._pagination import RangePager
from .._request import APIRequest, Chain, CreatedLookup, Operation
from .._resource import (
    APIResource,
    AsyncAPIResource,
    AsyncRawAPIResource,
    AsyncStreamingAPIResource,
    SyncAPIResource,
    SyncRawAPIResource,
    SyncStreamingAPIResource,
    endpoint,
    paginated,
    view,
)
from .._response import NOTHING, BytesReader
from .._today import today
from .._validation import (
    check_amount,
    check_limit,
    check_name,
    check_page_size,
    check_query,
    check_text,
)
from ..types import Invoice, InvoiceLine, InvoiceLineInput, InvoicesPage, RecipientInput
from ._created import LOOKBACK, check_since, newest_match, now
from ._lines import check_document_date, matches_billing, prepare_lines, send_body
from ._page import page_request

__all__ = ["INVOICE_STATUSES", "AsyncInvoices", "Invoices"]

InvoiceList = list[Invoice]

INVOICE_STATUSES = ("draft", "saved", "sent", "paid")
# What create() may ask for: a draft, or a saved (numbered) invoice.
CREATE_STATUSES = ("draft", "saved")
MAX_PAGE_SIZE = 1000
PDF_READER = BytesReader(C.PDF)


def check_status(value: Any, allowed: Sequence[str] = INVOICE_STATUSES) -> str | None:
    """An optional invoice status, one of ``allowed``."""
    if value is None:
        return None
    if value not in allowed:
        raise ValidationError(f"status must be one of {', '.join(allowed)}, got {value!r}")
    return str(value)


def _flag(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(f"{name} must be True or False, not {type(value).__name__}")
    return value


def _client_fields(client_id: int | None, client_name: str | None) -> dict[str, Any]:
    if client_id is not None and client_name is not None:
        raise ValidationError("give client_id or client_name, not both")
    if client_id is not None:
        return {"client": {"id": APIResource._id(client_id, "client_id")}}
    if client_name is not None:
        return {"client_name": check_name(client_name, "client_name")}
    return {}


def copy_lines(
    source_lines: Sequence[InvoiceLine] | None, quantity: Decimal | None = None
) -> list[dict[str, Any]]:
    """The lines of an invoice or quotation read back, as lines to send again: description,
    quantity (or ``quantity`` for every line if given), unit amount, VAT, unit, category,
    article and the discount (amount or percentage, and its description), computed again."""
    lines: list[dict[str, Any]] = []
    for line in source_lines or []:
        copied: dict[str, Any] = {
            "description": line.description,
            "quantity": line.quantity if quantity is None else quantity,
            "unit_amount": line.unit_amount,
            "vat_type": {"code": line.vat_type.code} if line.vat_type else None,
            "invoicing_unit": (
                {"id": line.invoicing_unit.id, "code": line.invoicing_unit.code}
                if line.invoicing_unit
                else None
            ),
            "invoicing_category_type": line.invoicing_category_type,
            "article": {"id": line.article.id} if line.article else None,
            "discount_description": line.discount_description or None,
            "discount_amount": line.discount_amount,
            "discount_percentage": line.discount_percentage,
        }
        lines.append({key: value for key, value in copied.items() if value is not None})
    return prepare_lines(lines, "source lines", allow_negative=True)


def duplicate_body(
    source: Invoice, emission_date: str, quantity: Decimal | None, title: str | None = None
) -> dict[str, Any]:
    """The create body copying ``source``: client, title (or ``title``) and lines, as a draft."""
    title = source.title if title is None else title
    return {
        "client": {"id": source.client_id} if source.client_id else None,
        "emission_date": emission_date,
        "title": title,
        "title_enabled": bool(title),
        "lines": copy_lines(source.lines, quantity),
        "status": "draft",
    }


def matches_invoice(invoice: Invoice, sent: Mapping[str, Any]) -> bool:
    """Whether ``invoice`` is what the create body ``sent`` makes: the same emission and
    due dates, status, client, title and lines (see :func:`._lines.matches_billing`)."""
    for key, value in (("emission_date", invoice.emission_date), ("due_date", invoice.due_date)):
        if sent.get(key) is not None and (value is None or value.isoformat() != sent[key]):
            return False
    if invoice.status is not None and invoice.status != (sent.get("status") or "draft"):
        return False
    return matches_billing(
        sent,
        client_id=invoice.client_id,
        client_name=invoice.client_name,
        title=invoice.title,
        lines=invoice.lines,
        total=invoice.total_excluding_taxes,
    )


def _invoice_params(status: Any, sorts: Any) -> dict[str, str]:
    params = {"sorts": check_query(sorts, "sorts")}
    checked = check_status(status)
    if checked is not None:
        params["status"] = checked
    return params


def invoice_listing(resource: APIResource, status: Any, sorts: Any) -> Any:
    """The page requests of ``GET companies/{cid}/invoices?sorts=...&status=...``."""
    params = _invoice_params(status, sorts)
    path = resource._company_path("invoices")

    def request(range_header: str) -> APIRequest[list[Invoice]]:
        return APIRequest.get(path, list[Invoice], params=params, headers={"Range": range_header})

    return request


def find_created_invoice(
    resource: APIResource, sent: Mapping[str, Any]
) -> Operation[Invoice | None]:
    """The newest of the newest 100 invoices of the status sent that ``sent`` makes."""
    status = sent.get("status") or "draft"
    listing = RangePager(
        invoice_listing(resource, status, "invoice_number:desc"), LOOKBACK, limit=LOOKBACK
    )
    return newest_match(listing, lambda invoice: matches_invoice(invoice, sent))


def created_invoice_lookup(resource: APIResource, body: Mapping[str, Any]) -> CreatedLookup:
    """How to look for the invoice ``body`` creates (by ``resource``'s client), should the
    answer be lost: invoices' own creates and a quotation's ``invoice``."""
    since = now()
    return CreatedLookup("invoice", body, since, lambda: find_created_invoice(resource, body))


class _InvoicesCalls(APIResource):
    """The invoices calls, written once for the sync, async, raw and streaming variants."""

    def _listing(self, status: Any, sorts: Any) -> Any:
        return invoice_listing(self, status, sorts)

    @endpoint
    def list(
        self,
        *,
        status: str | None = None,
        sorts: str = "invoice_number:desc",
        limit: int | None = None,
    ) -> Operation[InvoiceList]:
        """Every invoice of the company: ``GET companies/{cid}/invoices?sorts=...&status=...``.

        ``sorts`` first (default ``invoice_number:desc``), then ``status`` (``draft``,
        ``saved``, ``sent`` or ``paid``; left out when ``None``); ``Range: items=0-*``, the
        following pages fetched by the pagination rule (see :mod:`tiime._pagination`);
        ``limit`` stops after that many. Returns ``list[Invoice]``.
        """
        return RangePager(self._listing(status, sorts), limit=check_limit(limit))

    @paginated
    def iter(
        self,
        *,
        status: str | None = None,
        sorts: str = "invoice_number:desc",
        page_size: int = 100,
        limit: int | None = None,
    ) -> RangePager[Invoice]:
        """Iterate over the invoices page by page (``Range: items=START-END``), the query
        as :meth:`list`'s. Memory stays flat however many there are."""
        page_size = check_page_size(page_size, MAX_PAGE_SIZE)
        return RangePager(self._listing(status, sorts), page_size, limit=check_limit(limit))

    @endpoint
    def list_page(
        self,
        *,
        page: int = 1,
        page_size: int = 25,
        status: str | None = None,
        sorts: str = "invoice_number:desc",
    ) -> Operation[InvoicesPage]:
        """One page of invoices: the request of :meth:`list` for page ``page`` (from 1) of
        ``page_size`` (``Range: items=START-END``, END inclusive: page 2 of 25 is
        ``items=25-49``), and no other. Returns an :class:`InvoicesPage`: ``.items``, and
        ``.total``, the invoices the listing holds (the ``Content-Range`` TOTAL; ``None``
        when the server does not say). A read: retried on a network failure or a 5xx."""
        return page_request(
            self._company_path("invoices"),
            InvoiceList,
            InvoicesPage,
            page=page,
            page_size=page_size,
            max_page_size=MAX_PAGE_SIZE,
            params=_invoice_params(status, sorts),
        )

    @endpoint
    def get(self, invoice_id: int) -> Operation[Invoice]:
        """One invoice: ``GET companies/{cid}/invoices/{invoice_id}``; an :class:`Invoice`."""
        invoice_id = self._id(invoice_id, "invoice_id")
        return APIRequest.get(self._company_path("invoices", invoice_id), Invoice)

    @endpoint
    def create(
        self,
        *,
        lines: Sequence[InvoiceLineInput],
        emission_date: date | str | None = None,
        client_id: int | None = None,
        client_name: str | None = None,
        title: str | None = None,
        status: str | None = None,
        due_date: date | str | None = None,
        free_field: str | None = None,
        extra: dict[str, Any] | None = None,
        credit: bool = False,
    ) -> Operation[Invoice]:
        """Create an invoice: ``POST companies/{cid}/invoices``. Returns the new :class:`Invoice`.

        The body, in this order: ``client: {id}`` (or ``client_name``), ``emission_date``
        (default: today in France), ``due_date``, ``title``, ``lines`` (computed: see
        :mod:`tiime.resources._lines`), ``status`` (``draft`` or ``saved``, which numbers
        it), ``free_field`` + ``free_field_enabled: true``, then ``extra`` (other keys of
        :class:`~tiime.types.InvoiceCreateParams`, as given; ``due_date_mode`` must be a
        string). Absent arguments are left out. Dates go up to 9998-12-31 (the due date
        must exist). Never replayed once it may have reached the server (no duplicate
        invoice): if the answer is lost, :class:`~tiime.AmbiguousWriteError` is raised,
        whose ``find_created()`` tells whether the invoice was made (see
        :meth:`find_created`).

        A negative quantity or unit amount, or lines summing to less than zero, are
        refused before sending unless ``credit=True`` (a credit note, or discount lines).
        """
        body: dict[str, Any] = _client_fields(client_id, client_name)
        body["emission_date"] = check_document_date(
            today() if emission_date is None else emission_date, "emission_date"
        )
        if due_date is not None:
            body["due_date"] = check_document_date(due_date, "due_date")
        if title is not None:
            body["title"] = check_text(title, "title", one_line=True)
        body["lines"] = prepare_lines(lines, allow_negative=_flag(credit, "credit"))
        checked = check_status(status, CREATE_STATUSES)
        if checked is not None:
            body["status"] = checked
        if free_field is not None:
            body["free_field"] = check_text(free_field, "free_field")
            body["free_field_enabled"] = True
        for key, value in (extra or {}).items():
            if key in body or key in ("lines", "client", "client_name"):
                raise ValidationError(f"extra: {key!r} is an argument of create(); pass it so")
            if key == "due_date_mode":
                value = check_text(value, "extra['due_date_mode']", one_line=True, max_length=50)
            body[key] = value
        return APIRequest.post(
            self._company_path("invoices"), Invoice, json=body, created=self._created(body)
        )

    @endpoint
    def update(
        self,
        invoice_id: int,
        *,
        title: str | None = None,
        status: str | None = None,
        emission_date: date | str | None = None,
        due_date: date | str | None = None,
        free_field: str | None = None,
        lines: Sequence[InvoiceLineInput] | None = None,
        credit: bool = False,
    ) -> Operation[Invoice]:
        """Change an invoice: ``PUT companies/{cid}/invoices/{invoice_id}`` with only the
        fields given, in this order: ``title``, ``status``, ``emission_date``, ``due_date``,
        ``free_field`` + ``free_field_enabled: true``, ``lines`` (computed as on create).
        Returns the :class:`Invoice`.

        Replay: a PUT that sets fields to values leaves the same invoice when sent twice,
        so it is retried after a failure, **unless it changes the status**: a status
        change is a transition (``saved`` gives the invoice its number), and whether the
        real service takes the same transition twice is unknown: a replay of one that
        went through may be refused, reporting a failure for a change that was made.
        Those are sent once (``replay_safe=False``). Negative lines: as on :meth:`create`
        (``credit``).
        """
        invoice_id = self._id(invoice_id, "invoice_id")
        allow_negative = _flag(credit, "credit")
        body: dict[str, Any] = {}
        if title is not None:
            body["title"] = check_text(title, "title", one_line=True)
        checked = check_status(status)
        if checked is not None:
            body["status"] = checked
        if emission_date is not None:
            body["emission_date"] = check_document_date(emission_date, "emission_date")
        if due_date is not None:
            body["due_date"] = check_document_date(due_date, "due_date")
        if free_field is not None:
            body["free_field"] = check_text(free_field, "free_field")
            body["free_field_enabled"] = True
        if lines is not None:
            body["lines"] = prepare_lines(lines, allow_negative=allow_negative)
        if not body:
            raise ValidationError("nothing to update: give at least one field")
        return APIRequest.put(
            self._company_path("invoices", invoice_id),
            Invoice,
            json=body,
            replay_safe="status" not in body,
        )

    @endpoint
    def send(
        self,
        invoice_id: int,
        *,
        recipients: Sequence[str | RecipientInput],
        subject: str | None = None,
        message: str | None = None,
    ) -> Operation[None]:
        """E-mail the invoice: ``POST companies/{cid}/invoices/{invoice_id}/send`` with
        ``{"recipients": [{"email": ...}], "subject"?, "message"?}``; answered 204, returns
        ``None``. Never replayed: an invoice must not be e-mailed twice."""
        invoice_id = self._id(invoice_id, "invoice_id")
        return APIRequest.post(
            self._company_path("invoices", invoice_id, "send"),
            NOTHING,
            json=send_body(recipients, subject, message),
        )

    @endpoint
    def download_pdf(self, invoice_id: int) -> Operation[bytes]:
        """The invoice as a PDF: ``GET companies/{cid}/invoices/{invoice_id}/pdf`` with
        ``Accept: application/pdf``; returns the bytes. For a file without holding it in
        memory: ``with client.invoices.with_streaming_response.download_pdf(id) as r:
        r.write_to_file(path)``."""
        invoice_id = self._id(invoice_id, "invoice_id")
        return APIRequest.get(self._company_path("invoices", invoice_id, "pdf"), PDF_READER)

    @endpoint
    def delete(self, invoice_id: int) -> Operation[None]:
        """Delete a draft: ``DELETE companies/{cid}/invoices/{invoice_id}``; returns ``None``.

        Only drafts can be deleted (the server refuses the others)."""
        invoice_id = self._id(invoice_id, "invoice_id")
        return APIRequest.delete(self._company_path("invoices", invoice_id), NOTHING)

    @endpoint
    def duplicate(
        self,
        invoice_id: int,
        *,
        emission_date: date | str | None = None,
        quantity: Decimal | int | float | str | None = None,
        title: str | None = None,
    ) -> Operation[Invoice]:
        """A new draft copying an invoice: ``GET .../invoices/{invoice_id}``, then
        ``POST .../invoices`` with, in order, ``client: {id}`` (or null), ``emission_date``
        (default: today in France), ``title`` (the source's, or ``title`` if given),
        ``title_enabled``, the lines (description, quantity, or ``quantity`` for every line
        if given, unit amount, VAT, unit, category, article, discount; computed again) and
        ``status: "draft"``. Nothing else is copied. Returns the new :class:`Invoice`. The
        POST is never replayed."""
        invoice_id = self._id(invoice_id, "invoice_id")
        new_title = None if title is None else check_text(title, "title", one_line=True)
        day = check_document_date(
            today() if emission_date is None else emission_date, "emission_date"
        )
        amount = None if quantity is None else check_amount(quantity, "quantity")
        path = self._company_path("invoices")

        def copy(source: Invoice) -> APIRequest[Invoice]:
            body = duplicate_body(source, day, amount, new_title)
            return APIRequest.post(path, Invoice, json=body, created=self._created(body))

        return Chain(APIRequest.get(self._company_path("invoices", invoice_id), Invoice), copy)

    @endpoint
    def find_created(
        self, sent: Mapping[str, Any], *, since: datetime
    ) -> Operation[Invoice | None]:
        """The invoice a create made, when its answer was lost
        (:class:`~tiime.AmbiguousWriteError`: ``exc.find_created()`` calls this with
        ``exc.sent`` and ``exc.since``), or ``None`` if there is none.

        ``sent`` is the create body as sent; ``since`` when the call was made. Sends
        ``GET companies/{cid}/invoices?sorts=invoice_number:desc&status=STATUS`` (the
        status sent, ``draft`` by default: a new invoice is among the newest of its
        status) for the newest 100, and returns the newest whose dates, status, client,
        title, lines and total are those sent. ``None``: no such invoice now, the create
        can be sent again (after a timeout, give the server a moment first).
        """
        if not isinstance(sent, Mapping):
            raise ValidationError("sent must be the create body (a dict), as exc.sent holds it")
        return self._find_created(sent, check_since(since))

    def _find_created(self, sent: Mapping[str, Any], since: datetime) -> Operation[Invoice | None]:
        return find_created_invoice(self, sent)

    def _created(self, body: Mapping[str, Any]) -> CreatedLookup:
        """How to look for the invoice ``body`` creates, should the answer be lost."""
        return created_invoice_lookup(self, body)


class InvoicesWithRawResponse(_InvoicesCalls, SyncRawAPIResource):
    """``client.invoices.with_raw_response``."""


class AsyncInvoicesWithRawResponse(_InvoicesCalls, AsyncRawAPIResource):
    """``client.invoices.with_raw_response`` of the async client."""


class InvoicesWithStreamingResponse(_InvoicesCalls, SyncStreamingAPIResource):
    """``client.invoices.with_streaming_response``: ``download_pdf`` streamed."""


class AsyncInvoicesWithStreamingResponse(_InvoicesCalls, AsyncStreamingAPIResource):
    """``client.invoices.with_streaming_response`` of the async client."""


class Invoices(_InvoicesCalls, SyncAPIResource):
    """``client.invoices`` of :class:`~tiime.TiimeClient`."""

    with_raw_response = view(InvoicesWithRawResponse)
    with_streaming_response = view(InvoicesWithStreamingResponse)


class AsyncInvoices(_InvoicesCalls, AsyncAPIResource):
    """``client.invoices`` of :class:`~tiime.AsyncTiimeClient`: the same calls, awaited."""

    with_raw_response = view(AsyncInvoicesWithRawResponse)
    with_streaming_response = view(AsyncInvoicesWithStreamingResponse)
