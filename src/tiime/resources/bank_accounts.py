"""Bank accounts: ``companies/{company_id}/bank_accounts``."""

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
from .._response import MappedReader
from .._validation import check_bool
from ..types import AccountBalance, BankAccount

__all__ = ["AsyncBankAccounts", "BankAccounts"]

# Module-level names, since the `list` method shadows the builtin inside the class.
BankAccountList = list[BankAccount]
BalanceList = list[AccountBalance]


def _balances(accounts: BankAccountList) -> BalanceList:
    return [
        AccountBalance(
            name=account.name,
            balance_amount=account.balance_amount,
            currency=account.balance_currency,
        )
        for account in accounts
    ]


class _BankAccountsCalls(APIResource):
    """The bank account calls, written once for the sync, async and raw variants."""

    @endpoint
    def list(self, *, enabled: bool | None = None) -> Operation[BankAccountList]:
        """The company's bank accounts: ``GET companies/{cid}/bank_accounts``.

        ``enabled=True`` or ``False`` adds ``?enabled=true|false``; ``None`` (the default)
        sends no query. No Range: the answer is the whole list. Returns ``list[BankAccount]``.
        A read: retried on a network failure or a 5xx.
        """
        enabled = check_bool(enabled, "enabled")
        params = {} if enabled is None else {"enabled": "true" if enabled else "false"}
        return APIRequest.get(self._company_path("bank_accounts"), BankAccountList, params=params)

    @endpoint
    def get(self, bank_account_id: int) -> Operation[BankAccount]:
        """One bank account: ``GET companies/{cid}/bank_accounts/{id}``. Returns a
        :class:`BankAccount`; :class:`~tiime.NotFoundError` if the company has no such one.
        A read: retried on a network failure or a 5xx."""
        bank_account_id = self._id(bank_account_id, "bank_account_id")
        return APIRequest.get(self._company_path("bank_accounts", bank_account_id), BankAccount)

    @endpoint
    def balance(self) -> Operation[BalanceList]:
        """The balance of each enabled account: ``GET companies/{cid}/bank_accounts?enabled=true``.

        Returns one :class:`AccountBalance` (``name``, ``balance_amount`` as ``Decimal``,
        ``currency``) per account, in the server's order: no sum, no conversion. A read:
        retried on a network failure or a 5xx.
        """
        return APIRequest.get(
            self._company_path("bank_accounts"),
            MappedReader(BankAccountList, _balances),
            params={"enabled": "true"},
        )


class BankAccountsWithRawResponse(_BankAccountsCalls, SyncRawAPIResource):
    """``client.bank_accounts.with_raw_response``."""


class AsyncBankAccountsWithRawResponse(_BankAccountsCalls, AsyncRawAPIResource):
    """``client.bank_accounts.with_raw_response`` of the async client."""


class BankAccounts(_BankAccountsCalls, SyncAPIResource):
    """``client.bank_accounts`` of :class:`~tiime.TiimeClient`."""

    with_raw_response = view(BankAccountsWithRawResponse)


class AsyncBankAccounts(_BankAccountsCalls, AsyncAPIResource):
    """``client.bank_accounts`` of :class:`~tiime.AsyncTiimeClient`: the same calls, awaited."""

    with_raw_response = view(AsyncBankAccountsWithRawResponse)
