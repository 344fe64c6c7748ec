"""Context managers and closing: the client closes its own httpx client, never the caller's."""

from __future__ import annotations

import httpx

from tiime import AsyncTiimeClient, TiimeClient

from ._support import FakeTiime


def options(fake: FakeTiime) -> dict[str, object]:
    return {
        "company_id": fake.company_id,
        "email": fake.email,
        "password": fake.password,
        "base_url": fake.base_url,
        "auth_url": fake.auth_url,
    }


def test_with_closes_its_own_http_client() -> None:
    with TiimeClient(access_token="t", company_id=1) as client:
        own = client._http
        assert isinstance(own, httpx.Client)
        assert not own.is_closed

    assert own.is_closed


def test_with_does_not_close_the_callers_http_client() -> None:
    fake = FakeTiime()
    http = httpx.Client(transport=fake.transport("sync"))
    try:
        with TiimeClient(http_client=http, **options(fake)) as client:
            assert client.clients.get(100001).id == 100001

        assert not http.is_closed
        # The caller can go on using it.
        assert http.get(fake.base_url + "/companies").status_code == 401
    finally:
        http.close()


def test_close_closes_its_own_http_client_only() -> None:
    client = TiimeClient(access_token="t", company_id=1)
    client.close()
    assert client._http.is_closed

    http = httpx.Client(transport=FakeTiime().transport("sync"))
    try:
        other = TiimeClient(http_client=http, access_token="t", company_id=1)
        other.close()
        assert not http.is_closed
    finally:
        http.close()


def test_enter_returns_the_client() -> None:
    client = TiimeClient(access_token="t", company_id=1)
    with client as entered:
        assert entered is client


async def test_async_with_closes_its_own_http_client() -> None:
    async with AsyncTiimeClient(access_token="t", company_id=1) as client:
        own = client._http
        assert isinstance(own, httpx.AsyncClient)
        assert not own.is_closed

    assert own.is_closed


async def test_async_with_does_not_close_the_callers_http_client() -> None:
    fake = FakeTiime()
    async with httpx.AsyncClient(transport=fake.transport("async")) as http:
        async with AsyncTiimeClient(http_client=http, **options(fake)) as client:
            assert (await client.clients.get(100001)).id == 100001

        assert not http.is_closed
        assert (await http.get(fake.base_url + "/companies")).status_code == 401


async def test_aclose_and_close_close_the_own_http_client() -> None:
    first = AsyncTiimeClient(access_token="t", company_id=1)
    await first.aclose()
    assert first._http.is_closed

    second = AsyncTiimeClient(access_token="t", company_id=1)
    await second.close()
    assert second._http.is_closed


async def test_aclose_leaves_the_callers_http_client_open() -> None:
    async with httpx.AsyncClient(transport=FakeTiime().transport("async")) as http:
        client = AsyncTiimeClient(http_client=http, access_token="t", company_id=1)
        await client.aclose()
        assert not http.is_closed


async def test_async_enter_returns_the_client() -> None:
    client = AsyncTiimeClient(access_token="t", company_id=1)
    async with client as entered:
        assert entered is client
