"""``client.bank_accounts``: what goes on the wire and what comes back, on the sandbox."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tiime import NotFoundError, ValidationError
from tiime.types import AccountBalance, BankAccount

from .._support import APP_HEADERS, Env, run


def accounts_path(env: Env, *rest: object) -> str:
    return "/".join([f"/v1/companies/{env.company_id}/bank_accounts", *map(str, rest)])


async def test_list_sends_no_query_and_no_range(client: Any, env: Env) -> None:
    accounts = await run(client.bank_accounts.list())

    (request,) = env.api_requests
    assert request.method == "GET"
    assert request.url.path == accounts_path(env)
    assert request.url.query == b""
    assert "Range" not in request.headers
    assert request.headers["Accept"] == "application/json"
    assert all(request.headers[name] == value for name, value in APP_HEADERS.items())
    assert len(accounts) == 3
    assert all(isinstance(a, BankAccount) for a in accounts)
    assert all(a.iban and a.iban.startswith("FR76") for a in accounts)
    assert all(isinstance(a.balance_amount, Decimal) for a in accounts)


@pytest.mark.parametrize(("enabled", "word"), [(True, "true"), (False, "false")])
async def test_list_enabled_filter(client: Any, env: Env, enabled: bool, word: str) -> None:
    accounts = await run(client.bank_accounts.list(enabled=enabled))

    (request,) = env.api_requests
    assert request.url.query == f"enabled={word}".encode()
    assert accounts
    assert all(a.enabled is enabled for a in accounts)


async def test_get_one_account(client: Any, env: Env) -> None:
    first = (await run(client.bank_accounts.list()))[0]
    env.requests.clear()

    account = await run(client.bank_accounts.get(first.id))

    (request,) = env.api_requests
    assert request.method == "GET"
    assert request.url.path == accounts_path(env, first.id)
    assert account == first


async def test_get_unknown_account_is_not_found(client: Any) -> None:
    with pytest.raises(NotFoundError, match="Compte bancaire introuvable"):
        await run(client.bank_accounts.get(1))


async def test_get_refuses_a_bad_id_before_sending(client: Any, env: Env) -> None:
    with pytest.raises(ValidationError):
        await run(client.bank_accounts.get("12"))
    assert env.api_requests == []


async def test_balance_maps_the_enabled_accounts(client: Any, env: Env) -> None:
    balances = await run(client.bank_accounts.balance())

    (request,) = env.api_requests
    assert request.url.path == accounts_path(env)
    assert request.url.query == b"enabled=true"
    enabled = await run(client.bank_accounts.list(enabled=True))
    assert balances == [
        AccountBalance(name=a.name, balance_amount=a.balance_amount, currency=a.balance_currency)
        for a in enabled
    ]
    assert all(isinstance(b.balance_amount, Decimal) for b in balances)


async def test_balance_equals_the_sum_of_the_transactions(client: Any) -> None:
    accounts = await run(client.bank_accounts.list())
    transactions = await run(client.bank_transactions.list(hide_refused=True))

    for account in accounts:
        own = [t.amount for t in transactions if t.bank_account.id == account.id]
        assert account.balance_amount == sum(own, Decimal(0))
