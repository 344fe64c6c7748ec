"""The company the client acts on (``companies/{company_id}``), and the user's companies."""

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
    view,
)
from ..types import Company

__all__ = ["AsyncCompanyResource", "CompanyResource", "list_companies"]


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


class _CompanyCalls(APIResource):
    """The calls on the client's company; another company: ``client.with_options(company_id=)``."""

    @endpoint
    def get(self) -> Operation[Company]:
        """The company's details: ``GET companies/{cid}``. Returns a :class:`Company`."""
        return APIRequest.get(self._company_path(), Company)


class CompanyWithRawResponse(_CompanyCalls, SyncRawAPIResource):
    """``client.company.with_raw_response``: the same calls, returning a RawResponse."""


class AsyncCompanyWithRawResponse(_CompanyCalls, AsyncRawAPIResource):
    """``client.company.with_raw_response`` of the async client."""


class CompanyResource(_CompanyCalls, SyncAPIResource):
    """``client.company``: the company the client acts on."""

    with_raw_response = view(CompanyWithRawResponse)


class AsyncCompanyResource(_CompanyCalls, AsyncAPIResource):
    """``client.company`` of :class:`~tiime.AsyncTiimeClient`: the same calls, awaited."""

    with_raw_response = view(AsyncCompanyWithRawResponse)
