"""Expense reports: ``companies/{company_id}/expense_reports``."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from .._exceptions import ValidationError
from .._pagination import RangePager
from .._request import APIRequest, CreatedLookup, Operation
from .._resource import (
    APIResource,
    AsyncAPIResource,
    AsyncRawAPIResource,
    SyncAPIResource,
    SyncRawAPIResource,
    endpoint,
    paginated,
    view,
)
from .._validation import check_date, check_limit, check_name, check_page_size
from ..types import ExpenseReport
from ._created import LOOKBACK, check_since, created_since, newest_match, now

__all__ = ["AsyncExpenseReports", "ExpenseReports"]

ExpenseReportList = list[ExpenseReport]
MAX_PAGE_SIZE = 1000


def matches_expense_report(
    report: ExpenseReport, sent: Mapping[str, Any], since: datetime.datetime
) -> bool:
    """Whether ``report`` is what the create body ``sent`` makes, made since ``since``:
    the same name, and date when one was sent."""
    if report.name != sent.get("name") or not created_since(report.created_at, since):
        return False
    metadata = sent.get("metadata")
    day = metadata.get("date") if isinstance(metadata, Mapping) else None
    if day is None:
        return True
    sent_day = report.metadata.date if report.metadata else None
    return sent_day is not None and sent_day.isoformat() == day


class _ExpenseReportsCalls(APIResource):
    """The expense report calls, written once for the sync, async and raw variants."""

    def _listing(self, sorts: Any) -> Any:
        path = self._company_path("expense_reports")
        params = {"expand": "total_amount", "sorts": check_name(sorts, "sorts")}

        def request(range_header: str) -> APIRequest[list[ExpenseReport]]:
            return APIRequest.get(
                path, ExpenseReportList, params=params, headers={"Range": range_header}
            )

        return request

    @endpoint
    def list(
        self, *, sorts: str = "metadata.date:desc", limit: int | None = None
    ) -> Operation[ExpenseReportList]:
        """List the expense reports with their totals, all pages:
        ``GET companies/{cid}/expense_reports?expand=total_amount&sorts=SORTS`` (default
        ``metadata.date:desc``), ``Range: items=0-*`` and the pages that follow (see
        :mod:`tiime._pagination`); ``limit`` stops after that many. Returns
        ``list[ExpenseReport]``."""
        return RangePager(self._listing(sorts), limit=check_limit(limit))

    @paginated
    def iter(
        self,
        *,
        sorts: str = "metadata.date:desc",
        page_size: int = 100,
        limit: int | None = None,
    ) -> RangePager[ExpenseReport]:
        """Iterate over the expense reports page by page (``Range: items=START-END``),
        with the query of :meth:`list`; stops after ``limit`` if given."""
        page_size = check_page_size(page_size, MAX_PAGE_SIZE)
        return RangePager(self._listing(sorts), page_size, limit=check_limit(limit))

    @endpoint
    def get(self, expense_report_id: int) -> Operation[ExpenseReport]:
        """One expense report:
        ``GET companies/{cid}/expense_reports/{expense_report_id}?expand=total_amount``.

        Returns an :class:`ExpenseReport`, with its ``total_amount`` when the server
        expands it as it does for lists (``None`` otherwise). Raises
        :class:`~tiime.NotFoundError` if there is none.
        """
        expense_report_id = self._id(expense_report_id, "expense_report_id")
        return APIRequest.get(
            self._company_path("expense_reports", expense_report_id),
            ExpenseReport,
            params={"expand": "total_amount"},
        )

    @endpoint
    def create(
        self, name: str, *, date: datetime.date | str | None = None
    ) -> Operation[ExpenseReport]:
        """Create an expense report: ``POST companies/{cid}/expense_reports`` with
        ``{"name": NAME, "metadata": {"date": "YYYY-MM-DD"}}``, ``metadata`` only when a
        ``date`` (a :class:`datetime.date` or ISO text) is given. Returns the new
        :class:`ExpenseReport`. Bad input raises :class:`~tiime.ValidationError` before
        anything is sent; the create is never replayed once it may have reached the server
        (if the answer is lost, :class:`~tiime.AmbiguousWriteError` is raised, whose
        ``find_created()`` tells whether the report was made: see :meth:`find_created`).
        """
        body: dict[str, Any] = {"name": check_name(name, "name")}
        if date is not None:
            body["metadata"] = {"date": check_date(date, "date")}
        return APIRequest.post(
            self._company_path("expense_reports"),
            ExpenseReport,
            json=body,
            created=self._created(body),
        )

    @endpoint
    def find_created(
        self, sent: Mapping[str, Any], *, since: datetime.datetime
    ) -> Operation[ExpenseReport | None]:
        """The expense report a create made, when its answer was lost
        (:class:`~tiime.AmbiguousWriteError`: ``exc.find_created()`` calls this with
        ``exc.sent`` and ``exc.since``), or ``None`` if there is none.

        Sends ``GET companies/{cid}/expense_reports?expand=total_amount&sorts=created_at:desc``
        for the newest 100 and returns the newest with the name (and date) of ``sent``
        (the create body as sent) made since ``since`` (see :mod:`._created`). ``None``:
        no such report now, the create can be sent again (after a timeout, give the
        server a moment first).
        """
        if not isinstance(sent, Mapping):
            raise ValidationError("sent must be the create body (a dict), as exc.sent holds it")
        return self._find_created(sent, check_since(since))

    def _find_created(
        self, sent: Mapping[str, Any], since: datetime.datetime
    ) -> Operation[ExpenseReport | None]:
        listing = RangePager(self._listing("created_at:desc"), LOOKBACK, limit=LOOKBACK)
        return newest_match(listing, lambda report: matches_expense_report(report, sent, since))

    def _created(self, body: Mapping[str, Any]) -> CreatedLookup:
        """How to look for the report ``body`` creates, should the answer be lost."""
        since = now()
        return CreatedLookup("expense report", body, since, lambda: self._find_created(body, since))


class ExpenseReportsWithRawResponse(_ExpenseReportsCalls, SyncRawAPIResource):
    """``client.expense_reports.with_raw_response``."""


class AsyncExpenseReportsWithRawResponse(_ExpenseReportsCalls, AsyncRawAPIResource):
    """``client.expense_reports.with_raw_response`` of the async client."""


class ExpenseReports(_ExpenseReportsCalls, SyncAPIResource):
    """``client.expense_reports`` of :class:`~tiime.TiimeClient`."""

    with_raw_response = view(ExpenseReportsWithRawResponse)


class AsyncExpenseReports(_ExpenseReportsCalls, AsyncAPIResource):
    """``client.expense_reports`` of :class:`~tiime.AsyncTiimeClient`: the same calls, awaited."""

    with_raw_response = view(AsyncExpenseReportsWithRawResponse)
