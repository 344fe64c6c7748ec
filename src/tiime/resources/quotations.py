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
from .._request import APIRequest, CreatedLookup, Operation
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
from ..types import InvoiceLineInput, Quotation, RecipientInput
from ._created import LOOKBACK, check_since, newest_match, now
from ._lines import check_document_date, matches_billing, prepare_lines, send_body
from .invoices import CREATE_STATUSES, PDF_READER, _client_fields, check_status

__all__ = ["AsyncQuotations", "Quotations"]

QuotationList = list[Quotation]

MAX_PAGE_SIZE = 1000
_EXPAND = {"expand": "invoices"}


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
    ) -> Operation[Quotation]:
        """Create a quotation: ``POST companies/{cid}/quotations``. Returns the :class:`Quotation`.

        The body, in this order: ``client: {id}`` (or ``client_name``), ``date`` (default:
        today in France), ``title``, ``status`` (``draft`` or ``saved``), ``lines`` (computed
        as invoices' are), as in the reference's example; absent arguments left out.
        Never replayed once it may have reached the server: if the answer is lost,
        :class:`~tiime.AmbiguousWriteError` is raised, whose ``find_created()`` tells
        whether the quotation was made (see :meth:`find_created`).
        """
        body: dict[str, Any] = _client_fields(client_id, client_name)
        body["date"] = check_document_date(today() if date is None else date, "date")
        if title is not None:
            body["title"] = check_text(title, "title", one_line=True)
        checked = check_status(status, CREATE_STATUSES)
        if checked is not None:
            body["status"] = checked
        body["lines"] = prepare_lines(lines)
        return APIRequest.post(
            self._company_path("quotations"), Quotation, json=body, created=self._created(body)
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
