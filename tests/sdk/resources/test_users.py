"""client.users against the sandbox, sync and async."""

from __future__ import annotations

from typing import Any

import pytest

from tiime import ValidationError
from tiime.types import Address, User

from .._support import Env, run


def _only(env: Env) -> Any:
    assert len(env.api_requests) == 1, [str(r.url) for r in env.api_requests]
    return env.api_requests[0]


async def test_me_is_the_user_logged_in(client: Any, env: Env) -> None:
    me = await run(client.users.me())

    request = _only(env)
    assert request.method == "GET"
    assert request.url.path == "/v1/users/me"
    assert request.url.query == b""
    assert isinstance(me, User)
    assert me.email == env.email
    assert me.active_company == env.company_id
    assert isinstance(me.address, Address)
    assert me.roles


async def test_me_needs_no_company(make_client: Any, env: Env) -> None:
    client = make_client(company_id=None)
    me = await run(client.users.me())

    assert me.email == env.email


async def test_legal_informations_is_plain_json(client: Any, env: Env) -> None:
    info = await run(client.users.legal_informations())

    assert _only(env).url.path == "/v1/users/me/legal_informations"
    assert isinstance(info, dict)
    assert info["lastname"]


async def test_settings_default_to_the_client_s_company(client: Any, env: Env) -> None:
    settings = await run(client.users.settings())

    assert _only(env).url.path == f"/v1/users/me/companies/{env.company_id}/settings"
    assert isinstance(settings, dict)
    assert settings["company_id"] == env.company_id


async def test_settings_of_a_company_given(client: Any, env: Env) -> None:
    await run(client.users.settings(env.company_id))

    assert _only(env).url.path == f"/v1/users/me/companies/{env.company_id}/settings"


@pytest.mark.parametrize("bad", [0, -1, "12", True, 1.5])
async def test_a_bad_company_id_is_refused_before_sending(client: Any, env: Env, bad: Any) -> None:
    with pytest.raises(ValidationError, match="company_id"):
        await run(client.users.settings(bad))
    assert env.api_requests == []
