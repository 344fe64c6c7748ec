"""Logging in, reusing and renewing the token, re-authenticating on 401, and one login under
concurrency."""

from __future__ import annotations

import asyncio
import base64
import json
import threading
import time
import types
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

import tiime._secrets
from tiime import AsyncTiimeClient, AuthenticationError, TiimeClient

from ._support import WRONG_PASSWORD, FakeTiime, run


def bearer(request: httpx.Request) -> str:
    return request.headers["Authorization"].removeprefix("Bearer ")


def make_jwt(claims: dict[str, Any]) -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'RS256', 'typ': 'JWT'})}.{part(claims)}.c2lnbmF0dXJl"


async def test_one_login_for_many_calls(client: Any, fake: FakeTiime) -> None:
    for _ in range(3):
        await run(client.clients.get(100001))
    await run(client.clients.list())
    await run(client.list_companies())

    assert len(fake.logins) == 1
    tokens = {bearer(r) for r in fake.api_requests}
    assert tokens == {fake.issued[0]}
    assert client.token is not None
    assert client.token.access_token.reveal() == fake.issued[0]


async def test_401_logs_in_again_and_retries_once(client: Any, fake: FakeTiime) -> None:
    await run(client.clients.get(100001))
    fake.tokens.clear()  # the server forgets the token (revoked, server restart...)

    result = await run(client.clients.get(100002))

    assert result.id == 100002
    assert len(fake.logins) == 2
    first, refused, retried = fake.api_requests
    assert bearer(first) == bearer(refused) == fake.issued[0]
    assert bearer(retried) == fake.issued[1]
    assert retried.url == refused.url


async def test_401_on_the_first_call_logs_in_once_more(client: Any, fake: FakeTiime) -> None:
    fake.queue(401)

    result = await run(client.clients.get(100001))

    assert result.id == 100001
    assert len(fake.logins) == 2
    assert len(fake.api_requests) == 2


async def test_a_second_401_is_an_authentication_error_without_loop(
    client: Any, fake: FakeTiime
) -> None:
    fake.api = lambda request: httpx.Response(
        401, json={"error": 401, "error_description": "Jeton refusé"}
    )

    with pytest.raises(AuthenticationError, match="Jeton refusé") as caught:
        await run(client.clients.get(1))

    assert caught.value.status == 401
    assert len(fake.logins) == 2
    assert len(fake.api_requests) == 2
    assert [bearer(r) for r in fake.api_requests] == fake.issued[:2]


async def test_a_token_expiring_within_a_minute_is_renewed(client: Any, fake: FakeTiime) -> None:
    fake.expires_in = 30  # less than the one-minute margin: never fresh enough to reuse

    for _ in range(3):
        await run(client.clients.get(100001))

    assert len(fake.logins) == 3
    assert [bearer(r) for r in fake.api_requests] == fake.issued
    assert all(json.loads(r.content)["grant_type"] == "password" for r in fake.logins)


async def test_a_token_with_time_left_is_reused(client: Any, fake: FakeTiime) -> None:
    fake.expires_in = 120

    await run(client.clients.get(100001))
    await run(client.clients.get(100001))

    assert len(fake.logins) == 1


@pytest.mark.parametrize(("later", "logins"), [(29, 1), (31, 2)])
async def test_the_renewal_margin_is_one_minute(
    client: Any, fake: FakeTiime, monkeypatch: pytest.MonkeyPatch, later: float, logins: int
) -> None:
    fake.expires_in = 90
    await run(client.clients.get(100001))
    now = time.time()
    monkeypatch.setattr(tiime._secrets, "time", types.SimpleNamespace(time=lambda: now + later))

    await run(client.clients.get(100001))

    assert len(fake.logins) == logins


async def test_an_expiring_token_is_renewed_with_the_refresh_token(
    client: Any, fake: FakeTiime
) -> None:
    fake.expires_in = 30
    fake.issue_refresh_token = True

    await run(client.clients.get(100001))
    await run(client.clients.get(100001))

    first, second = fake.logins
    assert json.loads(first.content)["grant_type"] == "password"
    refresh_body = json.loads(second.content)
    assert refresh_body == {
        "grant_type": "refresh_token",
        "client_id": "iEbsbe3o66gcTBfGRa012kj1Rb6vjAND",
        "refresh_token": fake.issued[1],  # issued: access 1, refresh 1, access 2, ...
    }
    assert "password" not in refresh_body
    assert bearer(fake.api_requests[1]) == fake.issued[2]


async def test_a_refused_refresh_token_falls_back_to_the_password(
    client: Any, fake: FakeTiime
) -> None:
    fake.expires_in = 30
    fake.issue_refresh_token = True
    await run(client.clients.get(100001))
    fake.refresh_tokens.clear()

    await run(client.clients.get(100001))

    grants = [json.loads(r.content)["grant_type"] for r in fake.logins]
    assert grants == ["password", "refresh_token", "password"]
    assert len(fake.api_requests) == 2


async def test_a_given_access_token_means_no_login(make_client: Any, fake: FakeTiime) -> None:
    fake.tokens.add("my-own-token")
    client = make_client(email=None, password=None, access_token="my-own-token")

    await run(client.clients.get(100001))
    await run(client.clients.list())

    assert fake.logins == []
    assert [bearer(r) for r in fake.api_requests] == ["my-own-token", "my-own-token"]


async def test_a_given_jwt_gives_its_email_and_expiry(make_client: Any, fake: FakeTiime) -> None:
    exp = int(time.time()) + 3600
    token = make_jwt({"exp": exp, "tiime/userEmail": "from.jwt@example.com"})
    fake.tokens.add(token)
    client = make_client(email=None, password=None, access_token=token)

    await run(client.clients.get(100001))

    assert client.email == "from.jwt@example.com"
    assert client.token.expires_at == exp
    assert fake.logins == []


async def test_an_expired_given_token_without_credentials_says_so(
    make_client: Any, fake: FakeTiime
) -> None:
    token = make_jwt({"exp": int(time.time()) - 10})
    client = make_client(email=None, password=None, access_token=token)

    with pytest.raises(AuthenticationError, match="no credentials"):
        await run(client.clients.get(100001))

    assert fake.requests == []


async def test_a_refused_given_token_without_credentials_fails_once(
    make_client: Any, fake: FakeTiime
) -> None:
    client = make_client(email=None, password=None, access_token="revoked")

    with pytest.raises(AuthenticationError):
        await run(client.clients.get(100001))

    assert fake.logins == []
    assert len(fake.api_requests) == 1


async def test_a_refused_given_token_with_credentials_logs_in(
    make_client: Any, fake: FakeTiime
) -> None:
    client = make_client(access_token="revoked")  # email and password given too

    result = await run(client.clients.get(100001))

    assert result.id == 100001
    assert len(fake.logins) == 1
    assert [bearer(r) for r in fake.api_requests] == ["revoked", fake.issued[0]]


@pytest.mark.parametrize("status", [401, 403])
async def test_wrong_credentials(make_client: Any, fake: FakeTiime, status: int) -> None:
    fake.auth = lambda request: httpx.Response(status, json=WRONG_PASSWORD)
    client = make_client()

    with pytest.raises(AuthenticationError) as caught:
        await run(client.clients.list())

    assert "Wrong email or password." in caught.value.message
    assert "Wrong email or password." in str(caught.value)
    assert caught.value.status == status
    assert caught.value.method == "POST"
    assert caught.value.endpoint == fake.auth_url
    assert caught.value.details == WRONG_PASSWORD
    assert "company_id" not in str(caught.value)  # not the API's 403 advice
    assert len(fake.logins) == 1  # a refused login is not retried
    assert fake.api_requests == []


async def test_login_now(client: Any, fake: FakeTiime) -> None:
    token = await run(client.login())

    assert len(fake.logins) == 1
    assert fake.api_requests == []
    assert token.access_token.reveal() == fake.issued[0]
    assert client.token is token
    assert client.auth_url == fake.auth_url

    await run(client.clients.get(100001))

    assert len(fake.logins) == 1
    assert bearer(fake.api_requests[0]) == fake.issued[0]


async def test_login_now_with_wrong_credentials(make_client: Any, fake: FakeTiime) -> None:
    client = make_client(password="nope")

    with pytest.raises(AuthenticationError, match="Wrong email or password"):
        await run(client.login())

    assert client.token is None
    assert fake.api_requests == []


# -- one login under concurrency ------------------------------------------------------------


def test_twenty_threads_share_one_login() -> None:
    fake = FakeTiime()
    fake.token_delay = 0.05  # a slow token endpoint widens the race
    barrier = threading.Barrier(20)
    with (
        httpx.Client(transport=fake.transport("sync")) as http,
        TiimeClient(
            http_client=http,
            company_id=fake.company_id,
            email=fake.email,
            password=fake.password,
            base_url=fake.base_url,
            auth_url=fake.auth_url,
        ) as client,
    ):

        def call(_: int) -> Any:
            barrier.wait()
            return client.clients.get(100001)

        with ThreadPoolExecutor(max_workers=20) as pool:
            results = list(pool.map(call, range(20)))

    assert [r.id for r in results] == [100001] * 20
    assert len(fake.logins) == 1
    assert len(fake.api_requests) == 20
    assert {bearer(r) for r in fake.api_requests} == {fake.issued[0]}


def test_twenty_threads_after_a_revoked_token_log_in_once_more() -> None:
    fake = FakeTiime()
    with (
        httpx.Client(transport=fake.transport("sync")) as http,
        TiimeClient(
            http_client=http,
            company_id=fake.company_id,
            email=fake.email,
            password=fake.password,
            base_url=fake.base_url,
            auth_url=fake.auth_url,
        ) as client,
    ):
        client.clients.get(100001)
        fake.tokens.clear()
        fake.token_delay = 0.05
        barrier = threading.Barrier(20)

        def call(_: int) -> Any:
            barrier.wait()
            return client.clients.get(100001)

        with ThreadPoolExecutor(max_workers=20) as pool:
            results = list(pool.map(call, range(20)))

    assert len(results) == 20
    assert len(fake.logins) == 2


async def test_twenty_coroutines_share_one_login() -> None:
    fake = FakeTiime()
    fake.token_delay = 0.05
    async with (
        httpx.AsyncClient(transport=fake.transport("async")) as http,
        AsyncTiimeClient(
            http_client=http,
            company_id=fake.company_id,
            email=fake.email,
            password=fake.password,
            base_url=fake.base_url,
            auth_url=fake.auth_url,
        ) as client,
    ):
        results = await asyncio.gather(*(client.clients.get(100001) for _ in range(20)))

    assert [r.id for r in results] == [100001] * 20
    assert len(fake.logins) == 1
    assert len(fake.api_requests) == 20


async def test_twenty_coroutines_after_a_revoked_token_log_in_once_more() -> None:
    fake = FakeTiime()
    async with (
        httpx.AsyncClient(transport=fake.transport("async")) as http,
        AsyncTiimeClient(
            http_client=http,
            company_id=fake.company_id,
            email=fake.email,
            password=fake.password,
            base_url=fake.base_url,
            auth_url=fake.auth_url,
        ) as client,
    ):
        await client.clients.get(100001)
        fake.tokens.clear()
        fake.token_delay = 0.05
        results = await asyncio.gather(*(client.clients.get(100001) for _ in range(20)))

    assert len(results) == 20
    assert len(fake.logins) == 2
