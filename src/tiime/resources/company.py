"""The company the client acts on (``companies/{company_id}``), and the user's companies."""

from __future__ import annotations

from collections.abc import Sequence

from .. import _constants as C
from .._exceptions import ValidationError
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
from .._validation import check_text
from ..types import AccountingPeriod, Company, JSONValue

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

    @endpoint
    def users(self) -> Operation[JSONValue]:
        """The company's users: ``GET companies/{cid}/users``.

        Untyped in the reference: returns the answer's JSON as it came, as plain Python
        values (a list of users, usually; any shape is returned, never refused).
        """
        return APIRequest.get(self._company_path("users"), JSONValue)

    @endpoint
    def app_config(self) -> Operation[JSONValue]:
        """The company's app configuration: ``GET companies/{cid}/app_config``.

        Untyped in the reference: returns the answer's JSON as it came, as plain Python
        values (a ``dict``, usually; any shape is returned, never refused).
        """
        return APIRequest.get(self._company_path("app_config"), JSONValue)

    @endpoint
    def accounting_period(self, range_year: int = 1) -> Operation[AccountingPeriod]:
        """The current accounting period:
        ``GET companies/{cid}/accounting_period/current?range_year=N``.

        ``range_year`` is a positive integer (1 by default, as the reference sends).
        Returns an :class:`AccountingPeriod`.
        """
        range_year = self._id(range_year, "range_year")
        return APIRequest.get(
            self._company_path("accounting_period", "current"),
            AccountingPeriod,
            params={"range_year": str(range_year)},
        )

    @endpoint
    def tiles(self, keys: Sequence[str]) -> Operation[JSONValue]:
        """The dashboard tiles named: ``GET companies/{cid}/tiles?keys=K1,K2``.

        ``keys`` is a non-empty sequence of tile names (``"receipts_count"``,
        ``"bank_balance"``...), sent joined with ``,``; a name may not hold a comma.
        Untyped in the reference: returns the answer's JSON as it came, as plain Python
        values (a ``dict`` by tile name, usually; any shape is returned, never refused).
        """
        if isinstance(keys, str) or not isinstance(keys, Sequence):
            raise ValidationError(f"keys must be a list of tile names, not {type(keys).__name__}")
        names = [str(check_text(key, "keys", required=True, one_line=True)) for key in keys]
        if not names:
            raise ValidationError("keys must name at least one tile")
        if any("," in name for name in names):
            raise ValidationError("a tile name in keys may not hold a comma")
        return APIRequest.get(
            self._company_path("tiles"), JSONValue, params={"keys": ",".join(names)}
        )

    @endpoint
    def dashboard_blocks(self, display_group: str = "monitoring") -> Operation[JSONValue]:
        """The dashboard's blocks of a group:
        ``GET companies/{cid}/dashboard_blocks?sorts=rank:asc&display_group=GROUP``.

        Untyped in the reference (its ``DashboardBlock`` type, ``{id, type, rank,
        display_group}``, is unused): returns the answer's JSON as it came, as plain Python
        values (a list of blocks, usually; any shape is returned, never refused).
        """
        group = check_text(display_group, "display_group", required=True, one_line=True)
        return APIRequest.get(
            self._company_path("dashboard_blocks"),
            JSONValue,
            params={"sorts": "rank:asc", "display_group": str(group)},
        )


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
