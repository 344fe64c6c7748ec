"""The two clients: :class:`TiimeClient` (blocking) and :class:`AsyncTiimeClient` (asyncio/trio).

Their resources are listed once, in :class:`_Resources`: adding a resource is one line there.
"""

from __future__ import annotations

from ._base_client import AsyncAPIClient, SyncAPIClient
from ._resource import endpoint, resource
from .resources.bank_accounts import AsyncBankAccounts, BankAccounts
from .resources.bank_transactions import AsyncBankTransactions, BankTransactions
from .resources.clients import AsyncClients, Clients
from .resources.company import AsyncCompanyResource, CompanyResource, list_companies
from .resources.documents import AsyncDocuments, Documents
from .resources.expense_reports import AsyncExpenseReports, ExpenseReports
from .resources.invoices import AsyncInvoices, Invoices
from .resources.labels import AsyncLabels, Labels
from .resources.quotations import AsyncQuotations, Quotations
from .resources.users import AsyncUsers, Users

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
    - ``timeout``: seconds (or an :class:`httpx.Timeout`) that bound each attempt of a call
      as a whole (connect, send, the whole answer); default 30 s, 10 s to connect.
    - ``max_retries``: retries of a failed call (default 2); see the README for the rules.
    - ``http_client``: an httpx client of your own (proxies, custom TLS).
    - ``transport`` (async client only): ``"httpx"`` (default) or ``"aiohttp"``, httpx's
      requests sent over an aiohttp pool, several times faster with many calls at once
      (asyncio only; ``pip install "tiime[aiohttp]"``). Same errors, deadlines and retries.

    ``with_options(company_id=..., timeout=..., max_retries=...)`` gives a client with other
    options sharing this one's connection pool and login.
"""


class _Resources:
    """The resources of both clients, one line each."""

    bank_accounts = resource(BankAccounts, AsyncBankAccounts)
    bank_transactions = resource(BankTransactions, AsyncBankTransactions)
    clients = resource(Clients, AsyncClients)
    company = resource(CompanyResource, AsyncCompanyResource)
    labels = resource(Labels, AsyncLabels)
    users = resource(Users, AsyncUsers)
    documents = resource(Documents, AsyncDocuments)
    expense_reports = resource(ExpenseReports, AsyncExpenseReports)
    invoices = resource(Invoices, AsyncInvoices)
    quotations = resource(Quotations, AsyncQuotations)

    list_companies = endpoint(list_companies)


class TiimeClient(_Resources, SyncAPIClient):
    __doc__ = (
        """A client of the Tiime API: ``TiimeClient(company_id=..., email=..., password=...)``.

    Use it as a context manager, or call :meth:`close` when done.
"""
        + _OPTIONS_DOC
    )


class AsyncTiimeClient(_Resources, AsyncAPIClient):
    __doc__ = (
        """The async client: the same calls as :class:`TiimeClient`, as coroutines.

    Use it with ``async with``, or await :meth:`aclose` when done.
"""
        + _OPTIONS_DOC
    )
