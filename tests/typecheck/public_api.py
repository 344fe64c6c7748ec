"""Checked by mypy (`make typecheck`), never run: the public API's types, as an editor sees them.

If the descriptors that turn one builder into sync, async and raw methods lost a signature
or a return type, these assertions would fail the type check.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

from typing_extensions import assert_type

from tiime import AsyncTiimeClient, RawResponse, TiimeClient
from tiime.types import Client, Company, Contact


def sync_calls(client: TiimeClient) -> None:
    assert_type(client.clients.list(archived=False), list[Client])
    assert_type(client.clients.get(100), Client)
    assert_type(client.clients.create(name="ACME", professional=True), Client)
    assert_type(client.clients.search("acme"), list[Client])
    assert_type(client.clients.contacts(100), list[Contact])
    assert_type(client.clients.iter(page_size=50), Iterator[Client])
    assert_type(client.list_companies(), list[Company])
    assert_type(client.company.get(), Company)
    assert_type(client.with_options(company_id=2).clients.get(1), Client)
    assert_type(client.clients.with_raw_response.get(100), RawResponse[Client])
    assert_type(client.clients.with_raw_response.list(), RawResponse[list[Client]])
    client.clients.create(nam="ACME")  # type: ignore[call-arg]
    client.clients.get("100")  # type: ignore[arg-type]


async def async_calls(client: AsyncTiimeClient) -> None:
    assert_type(await client.clients.list(), list[Client])
    assert_type(await client.clients.get(100), Client)
    assert_type(await client.clients.create(name="ACME"), Client)
    assert_type(await client.clients.search("acme"), list[Client])
    assert_type(await client.clients.contacts(100), list[Contact])
    assert_type(client.clients.iter(), AsyncIterator[Client])
    assert_type(await client.list_companies(), list[Company])
    assert_type(await client.clients.with_raw_response.get(100), RawResponse[Client])
