"""Companies: ``companies`` (the user's companies) and ``companies/{company_id}``."""

from __future__ import annotations

from .. import _constants as C
from .._request import APIRequest, Operation
from .._resource import (
    APIResource,
    AsyncAPIResource,
    AsyncRawAPIResource,
    SyncAPIResource,
    SyncRawAPIResource,
    endpoint,
    raw_view,
)
from ..types import Company

__all__ = ["AsyncCompanies", "Companies", "list_companies"]


def list_companies(_owner: object) -> Operation[list[Company]]:
    """The companies this user can act on: ``GET companies``. Returns ``list[Company]``.

    Sent with the companies v2 media type and ``Range: items=0-101``; it needs no
    company id, so it is the way to find one.
    """
    return APIRequest.get(
        "companies",
        list[Company],
        headers={"Accept": C.COMPANIES_V2, "Range": "items=0-101"},
    )


class _CompaniesCalls(APIResource):
    list = endpoint(list_companies)

    @endpoint
    def get(self, company_id: int | None = None) -> Operation[Company]:
        """One company's details: ``GET companies/{company_id}`` (default: the configured one)."""
        cid = (
            self._client.require_company()
            if company_id is None
            else self._id(company_id, "company_id")
        )
        return APIRequest.get(f"companies/{cid}", Company)


class CompaniesWithRawResponse(_CompaniesCalls, SyncRawAPIResource):
    """``client.companies.with_raw_response``."""


class AsyncCompaniesWithRawResponse(_CompaniesCalls, AsyncRawAPIResource):
    """``client.companies.with_raw_response`` of the async client."""


class Companies(_CompaniesCalls, SyncAPIResource):
    """``client.companies`` of :class:`~tiime.TiimeClient`."""

    with_raw_response = raw_view(CompaniesWithRawResponse)


class AsyncCompanies(_CompaniesCalls, AsyncAPIResource):
    """``client.companies`` of :class:`~tiime.AsyncTiimeClient`: the same calls, awaited."""

    with_raw_response = raw_view(AsyncCompaniesWithRawResponse)
