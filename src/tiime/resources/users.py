"""The logged-in user: ``users/me`` and what hangs from it (not company-scoped)."""

from __future__ import annotations

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
from ..types import JSONValue, User

__all__ = ["AsyncUsers", "Users"]


class _UsersCalls(APIResource):
    """The users calls, written once for the sync, async and raw variants."""

    @endpoint
    def me(self) -> Operation[User]:
        """The user logged in: ``GET users/me``. Returns a :class:`User`.

        Needs no company id (``active_company`` is the id of the user's active company).
        """
        return APIRequest.get("users/me", User)

    @endpoint
    def legal_informations(self) -> Operation[JSONValue]:
        """The user's legal information: ``GET users/me/legal_informations``.

        Untyped in the reference: returns the answer's JSON as it came, as plain Python
        values (a ``dict``, usually; any shape is returned, never refused).
        """
        return APIRequest.get("users/me/legal_informations", JSONValue)

    @endpoint
    def settings(self, company_id: int | None = None) -> Operation[JSONValue]:
        """The user's settings in a company: ``GET users/me/companies/{company_id}/settings``.

        ``company_id`` defaults to the client's company. Untyped in the reference: returns
        the answer's JSON as it came, as plain Python values (a ``dict``, usually; any
        shape is returned, never refused).
        """
        if company_id is None:
            company_id = self._client.require_company()
        company_id = self._id(company_id, "company_id")
        return APIRequest.get(f"users/me/companies/{company_id}/settings", JSONValue)


class UsersWithRawResponse(_UsersCalls, SyncRawAPIResource):
    """``client.users.with_raw_response``."""


class AsyncUsersWithRawResponse(_UsersCalls, AsyncRawAPIResource):
    """``client.users.with_raw_response`` of the async client."""


class Users(_UsersCalls, SyncAPIResource):
    """``client.users`` of :class:`~tiime.TiimeClient`: the user logged in."""

    with_raw_response = view(UsersWithRawResponse)


class AsyncUsers(_UsersCalls, AsyncAPIResource):
    """``client.users`` of :class:`~tiime.AsyncTiimeClient`: the same calls, awaited."""

    with_raw_response = view(AsyncUsersWithRawResponse)
