"""The two clients: :class:`TiimeClient` (blocking) and :class:`AsyncTiimeClient` (asyncio/trio)."""

from __future__ import annotations

from functools import cached_property

from ._base_client import AsyncAPIClient, SyncAPIClient
from ._resource import endpoint
from .resources.clients import AsyncClients, Clients
from .resources.companies import AsyncCompanies, Companies, list_companies

__all__ = ["AsyncTiimeClient", "TiimeClient"]

_OPTIONS_DOC = """
    Options (keyword-only; each falls back to its environment variable, then to the
    stored login written by ``tiime auth login``):

    - ``company_id`` (``TIIME_COMPANY_ID``): the company calls act on.
    - ``email``, ``password`` (``TIIME_EMAIL``, ``TIIME_PASSWORD``): log in with the
      Auth0 password grant; the token is renewed as needed.
    - ``access_token`` (``TIIME_ACCESS_TOKEN``): a token you already have.
    - ``base_url`` (``TIIME_BASE_URL``), ``auth_url`` (``TIIME_AUTH_URL``): the API and
      token endpoint (default: the real service; point them at the sandbox to test).
    - ``timeout``: seconds (or an :class:`httpx.Timeout`); default 30 s, 10 s to connect.
    - ``max_retries``: retries of a failed call (default 2); see the README for the rules.
    - ``http_client``: an httpx client of your own (proxies, custom TLS).
"""


class TiimeClient(SyncAPIClient):
    __doc__ = (
        """A client of the Tiime API: ``TiimeClient(company_id=..., email=..., password=...)``.

    Use it as a context manager, or call :meth:`close` when done.
"""
        + _OPTIONS_DOC
    )

    list_companies = endpoint(list_companies)

    @cached_property
    def clients(self) -> Clients:
        """Clients (customers) of the company."""
        return Clients(self)

    @cached_property
    def companies(self) -> Companies:
        """The user's companies."""
        return Companies(self)


class AsyncTiimeClient(AsyncAPIClient):
    __doc__ = (
        """The async client: the same calls as :class:`TiimeClient`, as coroutines.

    Use it with ``async with``, or await :meth:`aclose` when done.
"""
        + _OPTIONS_DOC
    )

    list_companies = endpoint(list_companies)

    @cached_property
    def clients(self) -> AsyncClients:
        """Clients (customers) of the company."""
        return AsyncClients(self)

    @cached_property
    def companies(self) -> AsyncCompanies:
        """The user's companies."""
        return AsyncCompanies(self)
