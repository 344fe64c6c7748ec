"""client.company against the sandbox, sync and async."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tiime import ValidationError
from tiime.types import AccountingPeriod, Company, VatSystem

from .._support import Env, run


def _only(env: Env) -> Any:
    assert len(env.api_requests) == 1, [str(r.url) for r in env.api_requests]
    return env.api_requests[0]


def _path(env: Env, *rest: str) -> str:
    return "/".join([f"/v1/companies/{env.company_id}", *rest])


async def test_get_carries_the_vat_fields(client: Any, env: Env) -> None:
    company = await run(client.company.get())

    assert _only(env).url.path == _path(env)
    assert isinstance(company, Company)
    assert isinstance(company.vat_system, VatSystem)
    assert company.vat_system.label == "Réel normal mensuel"
    assert company.intracom_vat_number
    assert company.tax_regime == "IS"
    assert isinstance(company.registration_date, date)


async def test_users_is_plain_json(client: Any, env: Env) -> None:
    users = await run(client.company.users())

    assert _only(env).url.path == _path(env, "users")
    assert isinstance(users, list)
    assert users[0]["email"] == env.email


async def test_app_config_is_plain_json(client: Any, env: Env) -> None:
    config = await run(client.company.app_config())

    assert _only(env).url.path == _path(env, "app_config")
    assert config["currency"] == "EUR"


@pytest.mark.parametrize("range_year", [1, 2])
async def test_accounting_period(client: Any, env: Env, range_year: int) -> None:
    period = await run(client.company.accounting_period(range_year))

    request = _only(env)
    assert request.url.path == _path(env, "accounting_period", "current")
    assert request.url.query == f"range_year={range_year}".encode()
    assert isinstance(period, AccountingPeriod)
    assert period.start_date is not None
    assert period.end_date is not None
    assert period.start_date < period.end_date


async def test_accounting_period_sends_range_year_1_by_default(client: Any, env: Env) -> None:
    await run(client.company.accounting_period())

    assert _only(env).url.query == b"range_year=1"


async def test_tiles_joins_the_keys(client: Any, env: Env) -> None:
    tiles = await run(client.company.tiles(["receipts_count", "clients_count"]))

    request = _only(env)
    assert request.url.path == _path(env, "tiles")
    assert request.url.query == b"keys=receipts_count%2Cclients_count"
    assert list(tiles) == ["receipts_count", "clients_count"]


@pytest.mark.parametrize("keys", [[], "receipts_count", ["a,b"], [""], [None], ["x\ny"]])
async def test_bad_tile_keys_are_refused_before_sending(client: Any, env: Env, keys: Any) -> None:
    with pytest.raises(ValidationError, match="keys"):
        await run(client.company.tiles(keys))
    assert env.api_requests == []


async def test_dashboard_blocks(client: Any, env: Env) -> None:
    blocks = await run(client.company.dashboard_blocks())

    request = _only(env)
    assert request.url.path == _path(env, "dashboard_blocks")
    assert request.url.query == b"sorts=rank%3Aasc&display_group=monitoring"
    assert blocks
    assert {block["display_group"] for block in blocks} == {"monitoring"}


async def test_dashboard_blocks_of_another_group(client: Any, env: Env) -> None:
    blocks = await run(client.company.dashboard_blocks("accounting"))

    assert _only(env).url.query == b"sorts=rank%3Aasc&display_group=accounting"
    assert {block["display_group"] for block in blocks} == {"accounting"}


@pytest.mark.parametrize("bad", [0, "1", True])
async def test_a_bad_range_year_is_refused(client: Any, env: Env, bad: Any) -> None:
    with pytest.raises(ValidationError, match="range_year"):
        await run(client.company.accounting_period(bad))
    assert env.api_requests == []
