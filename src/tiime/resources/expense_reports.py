"""Expense reports: ``companies/{company_id}/expense_reports``."""

from __future__ import annotations

import datetime
from typing import Any

from .._pagination import RangePager
from .._request import APIRequest, Operation
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

__all__ = ["AsyncExpenseReports", "ExpenseReports"]

ExpenseReportList = list[ExpenseReport]
MAX_PAGE_SIZE = 1000


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
        """One expense report: ``GET companies/{cid}/expense_reports/{expense_report_id}``.

        Returns an :class:`ExpenseReport` (the server sends its ``total_amount`` only in
        lists, which ask for it). Raises :class:`~tiime.NotFoundError` if there is none.
        """
        expense_report_id = self._id(expense_report_id, "expense_report_id")
        return APIRequest.get(
            self._company_path("expense_reports", expense_report_id), ExpenseReport
        )

    @endpoint
    def create(
        self, name: str, *, date: datetime.date | str | None = None
    ) -> Operation[ExpenseReport]:
        """Create an expense report: ``POST companies/{cid}/expense_reports`` with
        ``{"name": NAME, "metadata": {"date": "YYYY-MM-DD"}}``, ``metadata`` only when a
        ``date`` (a :class:`datetime.date` or ISO text) is given. Returns the new
        :class:`ExpenseReport`. Bad input raises :class:`~tiime.ValidationError` before
        anything is sent; the create is never replayed once it may have reached the server.
        """
        body: dict[str, Any] = {"name": check_name(name, "name")}
        if date is not None:
            body["metadata"] = {"date": check_date(date, "date")}
        return APIRequest.post(self._company_path("expense_reports"), ExpenseReport, json=body)


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
