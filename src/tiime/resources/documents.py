"""Documents (receipts, purchase invoices...): ``companies/{company_id}/documents``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
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
from .._validation import (
    check_amount,
    check_bool,
    check_date,
    check_limit,
    check_name,
    check_page_size,
    check_query,
    check_text,
)
from ..types import (
    AmountInput,
    Document,
    DocumentCategory,
    DocumentsPage,
    JSONValue,
    MatchableDocument,
)
from ._created import LOOKBACK, check_since, created_since, newest_match, now
from ._page import page_request
from ._upload import FileInput, upload_content, upload_size

__all__ = ["AsyncDocuments", "Documents", "FileInput", "created_document_lookup"]

DocumentList = list[Document]
CategoryList = list[DocumentCategory]
MatchableList = list[MatchableDocument]

DOCUMENTS_V2 = "application/vnd.tiime.documents.v2+json"
DOCUMENTS_V3 = "application/vnd.tiime.documents.v3+json"
_LIST_ACCEPT = (
    f"{DOCUMENTS_V2},application/vnd.tiime.docs.query+json,"
    "application/vnd.tiime.docs.imputation+json"
)
_MATCHABLE_ACCEPT = f"{DOCUMENTS_V3},application/vnd.tiime.docs.imputation+json"
_EXPAND = "file_family,preview_available"
MAX_PAGE_SIZE = 1000


def _types_param(types: Any) -> str | None:
    if types is None:
        return None
    if isinstance(types, str):
        text = check_text(types, "types", one_line=True)
    elif isinstance(types, Sequence) and all(isinstance(kind, str) for kind in types):
        text = ",".join(check_name(kind, "types") for kind in types)
    else:
        raise ValidationError("types must be a string or a list of strings")
    return text.strip() if text and text.strip() else None


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _ruby_date(iso: str) -> str:
    """``2026-01-05`` as the Ruby client writes a date, ``Mon Jan 05 2026`` (English,
    whatever the locale)."""
    day = date.fromisoformat(iso)
    return f"{_DAYS[day.weekday()]} {_MONTHS[day.month - 1]} {day.day:02d} {day.year}"


def matches_document(document: Document, sent: Mapping[str, Any], since: datetime) -> bool:
    """Whether ``document`` is the upload described by ``sent`` (``filename``, ``type``),
    made since ``since``: the same name, and category when one was sent. (The API's
    documents do not give their size.)"""
    if document.name != sent.get("filename") or not created_since(document.created_at, since):
        return False
    return sent.get("type") is None or document.type == sent["type"]


class _DocumentsCalls(APIResource):
    """The documents calls, written once for the sync, async, raw and streaming variants."""

    def _listing(self, params: dict[str, str], accept: str, into: Any) -> Any:
        path = self._company_path("documents")

        def request(range_header: str) -> APIRequest[Any]:
            return APIRequest.get(
                path, into, params=params, headers={"Accept": accept, "Range": range_header}
            )

        return request

    @staticmethod
    def _list_params(types: Any, source: Any, sorts: Any, accountable: Any) -> dict[str, str]:
        params = {
            "sorts": check_name(sorts, "sorts"),
            "expand": _EXPAND,
        }
        kinds = _types_param(types)
        if kinds is not None:
            params["types"] = kinds
        text = check_text(source, "source", one_line=True)
        if text is not None and text.strip():
            params["source"] = text.strip()
        flag = check_bool(accountable, "accountable")
        if flag is not None:
            params["accountable"] = "true" if flag else "false"
        return params

    @endpoint
    def list(
        self,
        *,
        types: str | Sequence[str] | None = None,
        source: str | None = None,
        sorts: str = "created_at:desc",
        accountable: bool | None = None,
        limit: int | None = None,
    ) -> Operation[DocumentList]:
        """List the company's documents, all pages: ``GET companies/{cid}/documents``.

        The query is ``sorts`` (default ``created_at:desc``), ``expand=file_family,
        preview_available``, then ``types`` (a category identifier such as ``receipt``, or
        several, sent comma-separated), ``source`` and ``accountable`` when given; ``Accept``
        is the documents v2, docs query and docs imputation media types; ``Range:
        items=0-*``, the pages that follow fetched as :mod:`tiime._pagination` says.
        ``limit`` stops after that many documents. Returns ``list[Document]``.
        """
        params = self._list_params(types, source, sorts, accountable)
        return RangePager(
            self._listing(params, _LIST_ACCEPT, DocumentList), limit=check_limit(limit)
        )

    @paginated
    def iter(
        self,
        *,
        types: str | Sequence[str] | None = None,
        source: str | None = None,
        sorts: str = "created_at:desc",
        accountable: bool | None = None,
        page_size: int = 100,
        limit: int | None = None,
    ) -> RangePager[Document]:
        """Iterate over the documents page by page (``Range: items=START-END``), with the
        query of :meth:`list`; stops after ``limit`` documents if given. Sync: an
        iterator; async: an async iterator."""
        params = self._list_params(types, source, sorts, accountable)
        page_size = check_page_size(page_size, MAX_PAGE_SIZE)
        return RangePager(
            self._listing(params, _LIST_ACCEPT, DocumentList),
            page_size,
            limit=check_limit(limit),
        )

    @endpoint
    def list_page(
        self,
        *,
        page: int = 1,
        page_size: int = 25,
        types: str | Sequence[str] | None = None,
        source: str | None = None,
        sorts: str = "created_at:desc",
        accountable: bool | None = None,
    ) -> Operation[DocumentsPage]:
        """One page of documents: the request of :meth:`list` for page ``page`` (from 1) of
        ``page_size`` (``Range: items=START-END``, END inclusive: page 2 of 25 is
        ``items=25-49``), and no other. Returns a :class:`DocumentsPage`: ``.items``, and
        ``.total``, the documents the listing holds (the ``Content-Range`` TOTAL; ``None``
        when the server does not say). A read: retried on a network failure or a 5xx."""
        return page_request(
            self._company_path("documents"),
            DocumentList,
            DocumentsPage,
            page=page,
            page_size=page_size,
            max_page_size=MAX_PAGE_SIZE,
            params=self._list_params(types, source, sorts, accountable),
            headers={"Accept": _LIST_ACCEPT},
        )

    @endpoint
    def categories(self) -> Operation[CategoryList]:
        """The document categories and their counts: ``GET companies/{cid}/
        document_categories`` with the documents v3 media type. Returns
        ``list[DocumentCategory]``."""
        return APIRequest.get(
            self._company_path("document_categories"),
            CategoryList,
            headers={"Accept": DOCUMENTS_V3},
        )

    @endpoint
    def get(self, document_id: int) -> Operation[Document]:
        """One document: ``GET companies/{cid}/documents/{document_id}``. Returns the
        :class:`Document`. Not in the reference: the path is the one the public Ruby
        client ``opus-codium/ruby-tiime`` reads (``Document.find``). A read: retried."""
        document_id = self._id(document_id, "document_id")
        return APIRequest.get(self._company_path("documents", document_id), Document)

    @endpoint
    def update(
        self,
        document_id: int,
        *,
        date: date | str | None = None,
        wording: str | None = None,
        amount: AmountInput | None = None,
        vat_amount: AmountInput | None = None,
    ) -> Operation[Document]:
        """Set a document's metadata (a receipt's date, wording, amount including taxes and
        VAT amount): ``PATCH companies/{cid}/documents/{document_id}`` with ``{"metadata":
        [...]}``, one entry per field given, in this order: ``{"key": "date", "type":
        "datetime", "value": "Mon Jan 05 2026"}``, ``{"key": "wording", "type": "string",
        "value": ...}``, ``{"key": "amount", "type": "amount", "value": {"currency":
        "EUR", "value": 12.5}}`` and the same for ``vat_amount``. Returns the
        :class:`Document`.

        Not in the reference: the call and its body are those of the public Ruby client
        ``opus-codium/ruby-tiime`` (``Document.update``, as its ``Receipt.upload`` sends it
        after an upload, the date written ``%a %b %d %Y`` in English). That client sends
        every entry; whether the service keeps an entry not sent is not known (the sandbox
        keeps it): give every field that matters. Amounts are exact (``Decimal``, ``int``,
        ``float`` through ``str``), at most cents. Bad input raises
        :class:`~tiime.ValidationError` before anything is sent. Sending the same values
        twice leaves the same document: retried after a failure.
        """
        document_id = self._id(document_id, "document_id")
        entries: list[dict[str, Any]] = []
        if date is not None:
            day = check_date(date, "date")
            entries.append({"key": "date", "type": "datetime", "value": _ruby_date(day)})
        if wording is not None:
            text = check_text(wording, "wording", one_line=True)
            entries.append({"key": "wording", "type": "string", "value": text})
        for key, value in (("amount", amount), ("vat_amount", vat_amount)):
            if value is not None:
                exact = check_amount(value, key)
                if exact != exact.quantize(Decimal("0.01")):
                    raise ValidationError(f"{key} has more than two decimals: {value!r}")
                money = {"currency": "EUR", "value": exact}
                entries.append({"key": key, "type": "amount", "value": money})
        if not entries:
            raise ValidationError("nothing to update: give date, wording, amount or vat_amount")
        return APIRequest.patch(
            self._company_path("documents", document_id),
            Document,
            json={"metadata": entries},
            replay_safe=True,
        )

    @endpoint
    def preview(self, document_id: int) -> Operation[JSONValue]:
        """A document's preview: ``GET companies/{cid}/documents/{document_id}/preview``.

        The answer's form is not documented: its JSON is returned as it came, as plain
        Python values (a ``dict`` or a ``list``...; any shape is returned, never refused).
        """
        document_id = self._id(document_id, "document_id")
        return APIRequest.get(self._company_path("documents", document_id, "preview"), JSONValue)

    @endpoint
    def upload(
        self, file: FileInput, *, filename: str | None = None, type: str | None = None
    ) -> Operation[Document]:
        """Upload a document: ``POST companies/{cid}/documents``. Returns the :class:`Document`.

        ``file`` is a path, the bytes, or a binary file object. The body is multipart: the
        part ``file`` (with the file name, ``Content-Type: application/octet-stream``),
        then a text part ``type`` (a category identifier such as ``receipt``) when given
        and not empty. The file name is ``filename``, else the path's (or the file
        object's) base name; it is required for bytes and unnamed file objects. A path or
        file object is streamed as it is sent, never read whole into memory: a regular
        file as it was when the call was made (with a ``Content-Length``), a pipe, a
        ``/proc`` file or any stream of unknown length chunked (see
        :mod:`tiime.resources._upload`). Bad input
        (a missing file, text mode, no name) raises :class:`~tiime.ValidationError` before
        anything is sent. The upload is never replayed once it may have reached the
        server, so a failure cannot upload it twice; if the answer is lost,
        :class:`~tiime.AmbiguousWriteError` is raised, whose ``find_created()`` tells
        whether the document was made (see :meth:`find_created`). The client's timeout
        (30 s by default) bounds the whole call, the upload included: for a large file on
        a slow link, use ``client.with_options(timeout=600).documents.upload(...)``.
        """
        name, content = upload_content(file, filename)
        parts: list[Any] = [("file", (name, content, "application/octet-stream"))]
        kind = check_text(type, "type", one_line=True)
        category = kind.strip() if kind is not None and kind.strip() else None
        if category is not None:
            parts.append(("type", (None, category)))
        sent = {"filename": name, "size": upload_size(content), "type": category}
        return APIRequest.post(
            self._company_path("documents"), Document, files=parts, created=self._created(sent)
        )

    @endpoint
    def find_created(
        self, sent: Mapping[str, Any], *, since: datetime
    ) -> Operation[Document | None]:
        """The document an upload made, when its answer was lost
        (:class:`~tiime.AmbiguousWriteError`: ``exc.find_created()`` calls this with
        ``exc.sent`` and ``exc.since``), or ``None`` if there is none.

        ``sent`` names the upload: ``{"filename": ..., "type": ...}`` (``type`` may be
        ``None``). Sends ``GET companies/{cid}/documents?sorts=created_at:desc&...`` (with
        ``types=TYPE`` when a type was sent) for the newest 100 and returns the newest
        with that file name (and category) made since ``since`` (see :mod:`._created`).
        ``None``: no such document now, the upload can be sent again (after a timeout,
        give the server a moment first).
        """
        if not isinstance(sent, Mapping) or not isinstance(sent.get("filename"), str):
            raise ValidationError("sent must name the upload: {'filename': ..., 'type': ...}")
        return self._find_created(sent, check_since(since))

    def _find_created(self, sent: Mapping[str, Any], since: datetime) -> Operation[Document | None]:
        params = self._list_params(sent.get("type"), None, "created_at:desc", None)
        listing = RangePager(
            self._listing(params, _LIST_ACCEPT, DocumentList), LOOKBACK, limit=LOOKBACK
        )
        return newest_match(listing, lambda document: matches_document(document, sent, since))

    def _created(self, sent: Mapping[str, Any]) -> CreatedLookup:
        """How to look for the document an upload makes, should the answer be lost."""
        since = now()
        return CreatedLookup("document", sent, since, lambda: self._find_created(sent, since))

    @endpoint
    def download(self, document_id: int) -> Operation[bytes]:
        """A document's file: ``GET companies/{cid}/documents/{document_id}/download`` with
        ``Accept: application/octet-stream``. Returns its bytes (read within the client's
        timeout). For a large file, use ``with_streaming_response.download(id)`` and
        ``write_to_file(path)``, which never holds the file in memory and whose body is not
        bounded by the timeout."""
        document_id = self._id(document_id, "document_id")
        return APIRequest.get(self._company_path("documents", document_id, "download"), bytes)

    @endpoint
    def search_matchable(self, query: str, *, limit: int | None = None) -> Operation[MatchableList]:
        """Documents a bank transaction can be matched with, whose name or supplier holds
        ``query``: ``GET companies/{cid}/documents?matchable=true&q=QUERY``, the documents
        v3 and docs imputation media types, all pages followed (``limit`` bounds them).
        Returns ``list[MatchableDocument]``."""
        params = {"matchable": "true", "q": check_query(query, "query")}
        return RangePager(
            self._listing(params, _MATCHABLE_ACCEPT, MatchableList), limit=check_limit(limit)
        )


def created_document_lookup(resource: APIResource, sent: Mapping[str, Any]) -> CreatedLookup:
    """How to look for the document a call of ``resource``'s client made (an upload, a
    receipt attached to a transaction), should its answer be lost: the documents'
    ``find_created`` with ``sent`` (``{"filename", "type"}``)."""
    return _DocumentsCalls(resource._client)._created(sent)


class DocumentsWithRawResponse(_DocumentsCalls, SyncRawAPIResource):
    """``client.documents.with_raw_response``."""


class AsyncDocumentsWithRawResponse(_DocumentsCalls, AsyncRawAPIResource):
    """``client.documents.with_raw_response`` of the async client."""


class DocumentsWithStreamingResponse(_DocumentsCalls, SyncStreamingAPIResource):
    """``client.documents.with_streaming_response``: ``with ...download(id) as response:
    response.write_to_file(path)``."""


class AsyncDocumentsWithStreamingResponse(_DocumentsCalls, AsyncStreamingAPIResource):
    """``client.documents.with_streaming_response`` of the async client (``async with``)."""


class Documents(_DocumentsCalls, SyncAPIResource):
    """``client.documents`` of :class:`~tiime.TiimeClient`."""

    with_raw_response = view(DocumentsWithRawResponse)
    with_streaming_response = view(DocumentsWithStreamingResponse)


class AsyncDocuments(_DocumentsCalls, AsyncAPIResource):
    """``client.documents`` of :class:`~tiime.AsyncTiimeClient`: the same calls, awaited."""

    with_raw_response = view(AsyncDocumentsWithRawResponse)
    with_streaming_response = view(AsyncDocumentsWithStreamingResponse)
