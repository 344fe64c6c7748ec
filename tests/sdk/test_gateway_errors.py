"""A write that is not replayed, answered 502 or 504 by a gateway: the server behind it may
have made it. AmbiguousGatewayError says so, and is still the ServerError it was."""

from __future__ import annotations

from typing import Any

import pytest

from tiime import AmbiguousGatewayError, AmbiguousWriteError, ServerError

from ._support import FakeTiime, run


@pytest.mark.parametrize("status", [502, 504])
async def test_a_create_answered_by_a_gateway_may_have_been_made(
    client: Any, fake: FakeTiime, status: int
) -> None:
    fake.queue(status)

    with pytest.raises(AmbiguousGatewayError) as caught:
        await run(client.clients.create(name="Passerelle"))

    exc = caught.value
    assert isinstance(exc, ServerError)  # existing except clauses still catch it
    assert isinstance(exc, AmbiguousWriteError)
    assert exc.status == status
    assert exc.method == "POST"
    assert "may have been made" in exc.message
    assert exc.record_type == "client"
    assert len(fake.api_requests) == 1  # never replayed
    assert await run(exc.find_created()) is None  # the fake made nothing: safe to retry


@pytest.mark.parametrize("status", [500, 503])
async def test_a_create_refused_by_the_server_itself_stays_a_server_error(
    client: Any, fake: FakeTiime, status: int
) -> None:
    fake.queue(status)

    with pytest.raises(ServerError) as caught:
        await run(client.clients.create(name="Refusé"))

    assert not isinstance(caught.value, AmbiguousWriteError)


async def test_a_replayed_write_answered_by_a_gateway_stays_a_server_error(
    client: Any, fake: FakeTiime
) -> None:
    fake.queue(502, 502, 502)

    with pytest.raises(ServerError) as caught:
        await run(client.invoices.delete(5))

    assert not isinstance(caught.value, AmbiguousWriteError)
    assert len(fake.api_requests) == 3
