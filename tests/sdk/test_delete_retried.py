"""A DELETE retried after an attempt that may have gone through ends in success when the
thing is gone: its 404 means "already deleted". A 404 to the first attempt stays a 404."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tiime import NotFoundError

from ._support import FakeTiime, run

# Attempts that may have been acted on by the server before their answer was lost.
MAY_HAVE_GONE_THROUGH: list[Any] = [httpx.ReadTimeout, httpx.ReadError, httpx.RemoteProtocolError]


@pytest.mark.parametrize("first", [*MAY_HAVE_GONE_THROUGH, 502, 503, 504])
async def test_a_404_to_a_retry_after_an_attempt_that_may_have_deleted_is_a_success(
    client: Any, fake: FakeTiime, sleeps: list[float], first: Any
) -> None:
    fake.queue(first, 404)

    assert await run(client.invoices.delete(5)) is None

    deletes = [r for r in fake.api_requests if r.method == "DELETE"]
    assert len(deletes) == 2
    assert len(sleeps) == 1


async def test_the_raw_answer_of_an_already_deleted_thing_parses_as_done(
    client: Any, fake: FakeTiime
) -> None:
    fake.queue(httpx.ReadError, 404)

    raw = await run(client.invoices.with_raw_response.delete(5))

    assert raw.status_code == 404  # the server's answer, as it came
    assert raw.parse() is None


async def test_a_404_to_the_first_attempt_is_not_found(client: Any, fake: FakeTiime) -> None:
    fake.queue(404)

    with pytest.raises(NotFoundError):
        await run(client.invoices.delete(5))

    assert len(fake.api_requests) == 1


@pytest.mark.parametrize("first", [httpx.ConnectError, httpx.ConnectTimeout, 429, 408])
async def test_a_404_after_attempts_that_did_nothing_is_not_found(
    client: Any, fake: FakeTiime, first: Any
) -> None:
    # The first attempt never reached the server (or was refused unread): the 404 is real.
    fake.queue(first, 404)

    with pytest.raises(NotFoundError):
        await run(client.invoices.delete(5))

    assert len(fake.api_requests) == 2


async def test_a_404_to_a_retried_read_is_still_not_found(client: Any, fake: FakeTiime) -> None:
    fake.queue(httpx.ReadTimeout, 404)

    with pytest.raises(NotFoundError):
        await run(client.invoices.get(5))
