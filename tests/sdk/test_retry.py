"""Retry rules: what is retried, how many times, after how long. Sleeps are recorded, not slept."""

from __future__ import annotations

import email.utils
import itertools
import json
import time
from typing import Any

import httpx
import pytest

from tiime import (
    AmbiguousWriteError,
    AmbiguousWriteTimeoutError,
    APIConnectionError,
    APITimeoutError,
    RateLimitError,
    ServerError,
)
from tiime._constants import MAX_RETRY_AFTER

from ._support import FakeTiime, error, run


async def test_get_is_retried_on_503_then_succeeds(
    client: Any, fake: FakeTiime, sleeps: list[float]
) -> None:
    fake.queue(503)

    result = await run(client.clients.get(100001))

    assert result.id == 100001
    assert len(fake.api_requests) == 2
    assert len(sleeps) == 1
    assert len(fake.logins) == 1  # a retry does not log in again


@pytest.mark.parametrize("status", [408, 429, 500, 502, 504])
async def test_get_is_retried_on_transient_statuses(
    client: Any, fake: FakeTiime, status: int
) -> None:
    fake.queue(status, status)

    result = await run(client.clients.list())

    assert result
    assert len(fake.api_requests) == 3


@pytest.mark.parametrize("failure", [httpx.ConnectError, httpx.ReadError, httpx.ReadTimeout])
async def test_get_is_retried_on_network_failures(
    client: Any, fake: FakeTiime, sleeps: list[float], failure: type[Exception]
) -> None:
    fake.queue(failure)

    result = await run(client.clients.get(100001))

    assert result.id == 100001
    assert len(fake.api_requests) == 2
    assert len(sleeps) == 1


async def test_get_gives_up_after_max_retries(
    client: Any, fake: FakeTiime, sleeps: list[float]
) -> None:
    fake.queue(httpx.ConnectError, httpx.ConnectError, httpx.ConnectError, httpx.ConnectError)

    with pytest.raises(APIConnectionError):
        await run(client.clients.get(1))

    assert len(fake.api_requests) == 3  # default max_retries=2
    assert len(sleeps) == 2


@pytest.mark.parametrize(("status", "cls"), [(500, ServerError), (503, ServerError)])
async def test_create_is_not_retried_on_server_errors(
    client: Any, fake: FakeTiime, sleeps: list[float], status: int, cls: type[Exception]
) -> None:
    fake.queue(status, status, status)

    with pytest.raises(cls):
        await run(client.clients.create(name="Only once"))

    assert len(fake.api_requests) == 1
    assert sleeps == []


@pytest.mark.parametrize("failure", [httpx.ReadTimeout, httpx.ReadError, httpx.WriteTimeout])
async def test_create_is_not_retried_once_it_may_have_been_sent(
    client: Any, fake: FakeTiime, sleeps: list[float], failure: type[Exception]
) -> None:
    fake.queue(failure, failure, failure)

    with pytest.raises(APIConnectionError) as caught:
        await run(client.clients.create(name="Only once"))

    # The create may have been made: said so, with the exception still an APIConnectionError.
    assert isinstance(caught.value, AmbiguousWriteError)
    if issubclass(failure, httpx.TimeoutException):
        assert isinstance(caught.value, APITimeoutError)
        assert type(caught.value) is AmbiguousWriteTimeoutError
    assert len(fake.api_requests) == 1
    assert sleeps == []


@pytest.mark.parametrize("failure", [httpx.ConnectError, httpx.ConnectTimeout])
async def test_create_is_retried_when_the_connection_was_not_opened(
    client: Any, fake: FakeTiime, failure: type[Exception]
) -> None:
    fake.queue(failure)

    created = await run(client.clients.create(name="Sent once", city="Lyon"))

    assert created.name == "Sent once"
    posts = fake.api_requests
    assert len(posts) == 2
    assert [r.method for r in posts] == ["POST", "POST"]
    assert (
        json.loads(posts[0].content)
        == json.loads(posts[1].content)
        == {
            "name": "Sent once",
            "city": "Lyon",
        }
    )
    assert sum(c["name"] == "Sent once" for c in fake.clients.values()) == 1


async def test_retry_after_seconds_is_honoured(
    client: Any, fake: FakeTiime, sleeps: list[float]
) -> None:
    fake.queue(error(429, "slow down", **{"Retry-After": "3"}))

    await run(client.clients.list())

    assert sleeps == [3.0]
    assert len(fake.api_requests) == 2


async def test_retry_after_on_503_is_honoured(
    client: Any, fake: FakeTiime, sleeps: list[float]
) -> None:
    fake.queue(error(503, "maintenance", **{"Retry-After": "7"}))

    await run(client.clients.get(100001))

    assert sleeps == [7.0]


async def test_retry_after_http_date_is_honoured(
    client: Any, fake: FakeTiime, sleeps: list[float]
) -> None:
    when = email.utils.formatdate(time.time() + 8, usegmt=True)
    fake.queue(error(429, "slow down", **{"Retry-After": when}))

    await run(client.clients.list())

    assert len(sleeps) == 1
    assert 6 <= sleeps[0] <= 9


async def test_retry_after_in_the_past_means_now(
    client: Any, fake: FakeTiime, sleeps: list[float]
) -> None:
    when = email.utils.formatdate(time.time() - 100, usegmt=True)
    fake.queue(error(429, "slow down", **{"Retry-After": when}))

    await run(client.clients.list())

    assert sleeps == [0.0]


async def test_an_unreadable_retry_after_falls_back_to_backoff(
    client: Any, fake: FakeTiime, sleeps: list[float]
) -> None:
    fake.queue(error(503, "down", **{"Retry-After": "soon"}))

    await run(client.clients.list())

    assert len(sleeps) == 1
    assert 0.25 <= sleeps[0] <= 0.5  # the first backoff step


async def test_an_unreasonable_retry_after_is_not_waited_for(
    client: Any, fake: FakeTiime, sleeps: list[float]
) -> None:
    fake.queue(error(429, "come back tomorrow", **{"Retry-After": "86400"}))

    with pytest.raises(RateLimitError, match="come back tomorrow"):
        await run(client.clients.list())

    assert sleeps == []
    assert len(fake.api_requests) == 1


async def test_a_retry_after_past_the_cap_raises_at_once_with_retry_after(
    client: Any, fake: FakeTiime, sleeps: list[float]
) -> None:
    # A 503 with Retry-After: 59 once blocked a GET for 118 s (two waits of 59 s).
    fake.queue(error(503, "maintenance", **{"Retry-After": "59"}))

    with pytest.raises(ServerError) as caught:
        await run(client.clients.get(100001))

    assert sleeps == []
    assert len(fake.api_requests) == 1
    assert caught.value.retry_after == 59.0
    assert caught.value.status == 503


async def test_the_retry_after_cap_is_waited_for_in_full(
    client: Any, fake: FakeTiime, sleeps: list[float]
) -> None:
    fake.queue(error(503, "maintenance", **{"Retry-After": str(int(MAX_RETRY_AFTER))}))

    await run(client.clients.get(100001))

    assert sleeps == [MAX_RETRY_AFTER]


async def test_max_retries_zero_means_one_attempt(
    make_client: Any, fake: FakeTiime, sleeps: list[float]
) -> None:
    client = make_client(max_retries=0)
    fake.queue(503, 503)

    with pytest.raises(ServerError):
        await run(client.clients.get(1))

    assert len(fake.api_requests) == 1
    assert sleeps == []


async def test_max_retries_counts_retries(
    make_client: Any, fake: FakeTiime, sleeps: list[float]
) -> None:
    client = make_client(max_retries=4)
    fake.api = lambda request: error(503, "down")

    with pytest.raises(ServerError):
        await run(client.clients.get(1))

    assert len(fake.api_requests) == 5
    assert len(sleeps) == 4


@pytest.mark.parametrize("bad", [-1, 1.5, "2", True])
def test_max_retries_must_be_a_non_negative_int(bad: Any) -> None:
    from tiime import ConfigurationError, TiimeClient

    with pytest.raises(ConfigurationError, match="max_retries"):
        TiimeClient(access_token="t", max_retries=bad)


async def test_backoff_grows_and_jitter_stays_in_bounds(
    make_client: Any, fake: FakeTiime, sleeps: list[float]
) -> None:
    client = make_client(max_retries=6)
    fake.api = lambda request: error(503, "down")

    with pytest.raises(ServerError):
        await run(client.clients.get(1))

    bases = [0.5, 1, 2, 4, 8, 8]  # 0.5 * 2**n, capped at 8 s
    assert len(sleeps) == len(bases)
    for slept, base in zip(sleeps, bases, strict=True):
        assert base / 2 <= slept <= base
    # While the base doubles, each sleep is at least the one before (the ranges touch).
    assert all(a <= b for a, b in itertools.pairwise(sleeps[:5]))
    assert sleeps[4] > sleeps[0]


@pytest.mark.parametrize(("draw", "factor"), [(0.0, 0.5), (0.999999, 1.0)])
async def test_jitter_bounds_exactly(
    make_client: Any,
    fake: FakeTiime,
    sleeps: list[float],
    monkeypatch: pytest.MonkeyPatch,
    draw: float,
    factor: float,
) -> None:
    monkeypatch.setattr("tiime._retry.random.random", lambda: draw)
    client = make_client(max_retries=3)
    fake.api = lambda request: error(502, "down")

    with pytest.raises(ServerError):
        await run(client.clients.get(1))

    assert sleeps == pytest.approx([0.5 * factor, 1.0 * factor, 2.0 * factor], rel=1e-5)


async def test_the_login_is_retried_on_503(
    client: Any, fake: FakeTiime, sleeps: list[float]
) -> None:
    answers = [httpx.Response(503, json={"error": "temporarily_unavailable"})]
    fake.auth = lambda request: answers.pop() if answers else fake.token_endpoint(request)

    result = await run(client.clients.get(100001))

    assert result.id == 100001
    assert len(fake.logins) == 2
    assert len(sleeps) == 1


async def test_a_token_endpoint_failure_is_a_server_error(
    client: Any, fake: FakeTiime, sleeps: list[float]
) -> None:
    fake.auth = lambda request: httpx.Response(500, json={"error_description": "Auth0 down"})

    with pytest.raises(ServerError, match="Auth0 down") as caught:
        await run(client.clients.get(1))

    assert caught.value.endpoint == fake.auth_url
    assert len(fake.logins) == 3  # a login is safe to repeat
    assert fake.api_requests == []
