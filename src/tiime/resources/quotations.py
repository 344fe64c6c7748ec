"""Quotations: ``companies/{company_id}/quotations``.

Lines go through the same exact computation as invoices'
(:mod:`tiime.resources._lines`); "today" is the date in France (Europe/Paris).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

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
from .._response import NOTHING
from .._today import today
from .._validation import check_limit, check_page_size, check_text
from ..types import Invoice, InvoiceLineInput, Quotation, RecipientInput
from ._created import LOOKBACK, check_since, newest_match, now
from ._lines import check_document_date, matches_billing, prepare_lines, send_body
from .invoices import (
    CREATE_STATUSES,
    PDF_READER,
    _client_fields,
    _flag,
    check_status,
    copy_lines,
    created_invoice_lookup,
)

__all__ = ["AsyncQuotations", "Quotations"]

QuotationList = list[Quotation]

MAX_PAGE_SIZE = 1000
_EXPAND = {"expand": "invoices"}
QUOTATION_STATUSES = ("draft", "saved", "accepted", "declined")


def matches_quotation(quotation: Quotation, sent: Mapping[str, Any]) -> bool:
    """Whether ``quotation`` is what the create body ``sent`` makes: the same date,
    status, client, title and lines (see :func:`._lines.matches_billing`)."""
    day = quotation.date or quotation.emission_date
    if sent.get("date") is not None and (day is None or day.isoformat() != sent["date"]):
        return False
    if quotation.status is not None and quotation.status != (sent.get("status") or "draft"):
        return False
    return matches_billing(
        sent,
        client_id=quotation.client.id if quotation.client else None,
        client_name=quotation.client_name or (quotation.client.name if quotation.client else None),
        title=quotation.title,
        lines=quotation.lines,
        total=quotation.total_excluding_taxes,
    )


def invoice_body(source: Quotation, emission_date: str) -> dict[str, Any]:
    """The create body of the draft invoice made from ``source``, linked to it."""
    client_id = source.client.id if source.client else None
    body: dict[str, Any] = (
        {"client": {"id": client_id}}
        if client_id is not None
        else ({"client_name": source.client_name} if source.client_name else {})
    )
    body["quotation"] = {"id": source.id}
    body["emission_date"] = emission_date
    body["title"] = source.title
    body["title_enabled"] = bool(source.title)
    body["lines"] = copy_lines(source.lines)
    body["status"] = "draft"
    return body


class _QuotationsCalls(APIResource):
    """The quotations calls, written once for the sync, async, raw and streaming variants."""

    def _listing(self) -> Any:
        path = self._company_path("quotations")

        def request(range_header: str) -> APIRequest[list[Quotation]]:
            return APIRequest.get(
                path, list[Quotation], params=_EXPAND, headers={"Range": range_header}
            )

        return request

    @endpoint
    def list(self, *, limit: int | None = None) -> Operation[QuotationList]:
        """Every quotation, with the invoices made from each:
        ``GET companies/{cid}/quotations?expand=invoices``, ``Range: items=0-*`` and the
        following pages by the pagination rule; ``limit`` stops after that many. Returns
        ``list[Quotation]``."""
        return RangePager(self._listing(), limit=check_limit(limit))

    @paginated
    def iter(self, *, page_size: int = 100, limit: int | None = None) -> RangePager[Quotation]:
        """Iterate over the quotations page by page (``Range: items=START-END``,
        ``expand=invoices``). Memory stays flat however many there are."""
        page_size = check_page_size(page_size, MAX_PAGE_SIZE)
        return RangePager(self._listing(), page_size, limit=check_limit(limit))

    @endpoint
    def get(self, quotation_id: int) -> Operation[Quotation]:
        """One quotation: ``GET companies/{cid}/quotations/{quotation_id}``."""
        quotation_id = self._id(quotation_id, "quotation_id")
        return APIRequest.get(self._company_path("quotations", quotation_id), Quotation)

    @endpoint
    def create(
        self,
        *,
        lines: Sequence[InvoiceLineInput],
        date: date | str | None = None,
        client_id: int | None = None,
        client_name: str | None = None,
        title: str | None = None,
        status: str | None = None,
        credit: bool = False,
    ) -> Operation[Quotation]:
        """Create a quotation: ``POST companies/{cid}/quotations``. Returns the :class:`Quotation`.

        The body, in this order: ``client: {id}`` (or ``client_name``), ``date`` (default:
        today in France), ``title``, ``status`` (``draft`` or ``saved``), ``lines`` (computed
        as invoices' are), as in the reference's example; absent arguments left out.
        Never replayed once it may have reached the server: if the answer is lost,
        :class:`~tiime.AmbiguousWriteError` is raised, whose ``find_created()`` tells
        whether the quotation was made (see :meth:`find_created`). Negative lines are
        refused unless ``credit=True`` (discount lines), as on invoices.
        """
        body: dict[str, Any] = _client_fields(client_id, client_name)
        body["date"] = check_document_date(today() if date is None else date, "date")
        if title is not None:
            body["title"] = check_text(title, "title", one_line=True)
        checked = check_status(status, CREATE_STATUSES)
        if checked is not None:
            body["status"] = checked
        body["lines"] = prepare_lines(lines, allow_negative=_flag(credit, "credit"))
        return APIRequest.post(
            self._company_path("quotations"), Quotation, json=body, created=self._created(body)
        )

    @endpoint
    def update(
        self,
        quotation_id: int,
        *,
        title: str | None = None,
        date: date | str | None = None,
        client_id: int | None = None,
        client_name: str | None = None,
        lines: Sequence[InvoiceLineInput] | None = None,
        status: str | None = None,
        credit: bool = False,
    ) -> Operation[Quotation]:
        """Change a quotation: ``PATCH companies/{cid}/quotations/{quotation_id}`` with only
        the fields given, in this order: ``client: {id}`` (or ``client_name``), ``date``,
        ``title``, ``lines`` (computed as on create), ``status``. Returns the
        :class:`Quotation`.

        The reference does not document this call; the method and path are those the
        public Ruby client (``opus-codium/ruby-tiime``) sends to change a quotation's
        status. The sandbox takes edits on a draft or saved quotation and the moves
        draft -> saved (numbered), saved -> accepted or declined (409 otherwise).
        A PATCH that only sets fields is retried after a failure (sending it twice leaves
        the same quotation); one that moves the status is sent once.
        """
        quotation_id = self._id(quotation_id, "quotation_id")
        body: dict[str, Any] = _client_fields(client_id, client_name)
        if date is not None:
            body["date"] = check_document_date(date, "date")
        if title is not None:
            body["title"] = check_text(title, "title", one_line=True)
        if lines is not None:
            body["lines"] = prepare_lines(lines, allow_negative=_flag(credit, "credit"))
        checked = check_status(status, QUOTATION_STATUSES)
        if checked is not None:
            body["status"] = checked
        if not body:
            raise ValidationError("nothing to update: give at least one field")
        return APIRequest.patch(
            self._company_path("quotations", quotation_id),
            Quotation,
            json=body,
            replay_safe="status" not in body,
        )

    @endpoint
    def accept(self, quotation_id: int) -> Operation[Quotation]:
        """Mark a saved quotation accepted by the client: ``PATCH
        companies/{cid}/quotations/{quotation_id}`` with ``{"status": "accepted"}`` (the
        Ruby client's call). Returns the :class:`Quotation`. Sent once."""
        return self._move(quotation_id, "accepted")

    @endpoint
    def decline(self, quotation_id: int) -> Operation[Quotation]:
        """Mark a saved quotation declined: ``PATCH companies/{cid}/quotations/{quotation_id}``
        with ``{"status": "declined"}``. Returns the :class:`Quotation`. Sent once."""
        return self._move(quotation_id, "declined")

    def _move(self, quotation_id: int, status: str) -> APIRequest[Quotation]:
        quotation_id = self._id(quotation_id, "quotation_id")
        return APIRequest.patch(
            self._company_path("quotations", quotation_id), Quotation, json={"status": status}
        )

    @endpoint
    def invoice(
        self, quotation_id: int, *, emission_date: date | str | None = None
    ) -> Operation[Invoice]:
        """A draft invoice made from a quotation: ``GET .../quotations/{quotation_id}``, then
        ``POST companies/{cid}/invoices`` with, in order, ``client: {id}`` (or
        ``client_name``), ``quotation: {id}`` (the link: the quotation's ``invoices``
        lists it with ``expand=invoices``), ``emission_date`` (default: today in France),
        ``title``, ``title_enabled``, the quotation's lines copied exactly (description,
        quantity, unit amount, VAT, unit, category, article, discount) and
        ``status: "draft"``. Returns the new :class:`Invoice`.

        The quotation's status is not changed (:meth:`accept` does that). The sandbox
        refuses to invoice a draft or declined quotation (422 on ``quotation``). The POST
        is never replayed; a lost answer raises :class:`~tiime.AmbiguousWriteError` whose
        ``find_created()`` looks for the draft.
        """
        quotation_id = self._id(quotation_id, "quotation_id")
        day = check_document_date(
            today() if emission_date is None else emission_date, "emission_date"
        )
        path = self._company_path("invoices")

        def make(source: Quotation) -> APIRequest[Invoice]:
            body = invoice_body(source, day)
            return APIRequest.post(
                path, Invoice, json=body, created=created_invoice_lookup(self, body)
            )

        return Chain(
            APIRequest.get(self._company_path("quotations", quotation_id), Quotation), make
        )

    @endpoint
    def send(
        self,
        quotation_id: int,
        *,
        recipients: Sequence[str | RecipientInput],
        subject: str | None = None,
        message: str | None = None,
    ) -> Operation[None]:
        """E-mail the quotation: ``POST companies/{cid}/quotations/{quotation_id}/send``
        with ``{"recipients": [{"email": ...}], "subject"?, "message"?}``; answered 204,
        returns ``None``. Never replayed."""
        quotation_id = self._id(quotation_id, "quotation_id")
        return APIRequest.post(
            self._company_path("quotations", quotation_id, "send"),
            NOTHING,
            json=send_body(recipients, subject, message),
        )

    @endpoint
    def download_pdf(self, quotation_id: int) -> Operation[bytes]:
        """The quotation as a PDF: ``GET companies/{cid}/quotations/{quotation_id}/pdf``
        with ``Accept: application/pdf``; returns the bytes (streamed to a file with
        ``with_streaming_response.download_pdf(id)`` and ``write_to_file``)."""
        quotation_id = self._id(quotation_id, "quotation_id")
        return APIRequest.get(self._company_path("quotations", quotation_id, "pdf"), PDF_READER)

    @endpoint
    def find_created(
        self, sent: Mapping[str, Any], *, since: datetime
    ) -> Operation[Quotation | None]:
        """The quotation a create made, when its answer was lost
        (:class:`~tiime.AmbiguousWriteError`: ``exc.find_created()`` calls this with
        ``exc.sent`` and ``exc.since``), or ``None`` if there is none.

        Sends ``GET companies/{cid}/quotations?expand=invoices`` for the newest 100 and
        returns the newest whose date, status, client, title, lines and total are those
        of ``sent`` (the create body as sent). ``None``: no such quotation now, the create
        can be sent again (after a timeout, give the server a moment first).
        """
        if not isinstance(sent, Mapping):
            raise ValidationError("sent must be the create body (a dict), as exc.sent holds it")
        return self._find_created(sent, check_since(since))

    def _find_created(
        self, sent: Mapping[str, Any], since: datetime
    ) -> Operation[Quotation | None]:
        listing = RangePager(self._listing(), LOOKBACK, limit=LOOKBACK)
        return newest_match(listing, lambda quotation: matches_quotation(quotation, sent))

    def _created(self, body: Mapping[str, Any]) -> CreatedLookup:
        """How to look for the quotation ``body`` creates, should the answer be lost."""
        since = now()
        return CreatedLookup("quotation", body, since, lambda: self._find_created(body, since))


class QuotationsWithRawResponse(_QuotationsCalls, SyncRawAPIResource):
    """``client.quotations.with_raw_response``."""


class AsyncQuotationsWithRawResponse(_QuotationsCalls, AsyncRawAPIResource):
    """``client.quotations.with_raw_response`` of the async client."""


class QuotationsWithStreamingResponse(_QuotationsCalls, SyncStreamingAPIResource):
    """``client.quotations.with_streaming_response``: ``download_pdf`` streamed."""


class AsyncQuotationsWithStreamingResponse(_QuotationsCalls, AsyncStreamingAPIResource):
    """``client.quotations.with_streaming_response`` of the async client."""


class Quotations(_QuotationsCalls, SyncAPIResource):
    """``client.quotations`` of :class:`~tiime.TiimeClient`."""

    with_raw_response = view(QuotationsWithRawResponse)
    with_streaming_response = view(QuotationsWithStreamingResponse)


class AsyncQuotations(_QuotationsCalls, AsyncAPIResource):
    """``client.quotations`` of :class:`~tiime.AsyncTiimeClient`: the same calls, awaited."""

    with_raw_response = view(AsyncQuotationsWithRawResponse)
    with_streaming_response = view(AsyncQuotationsWithStreamingResponse)
