"""Input refused before anything is sent: each rule, with proof that no request (not even a
login) went out. For the async client the error comes when the call is awaited."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tiime import AsyncTiimeClient, TiimeClient, ValidationError

from ._support import FakeTiime, collect, run

BAD_IDS = ["1/../../users/me", "5", True, False, 0, -3, 1.5, None, [1]]


@pytest.mark.parametrize("bad", BAD_IDS, ids=repr)
@pytest.mark.parametrize("method", ["get", "contacts"])
async def test_bad_client_ids(client: Any, fake: FakeTiime, method: str, bad: Any) -> None:
    with pytest.raises(ValidationError, match="client_id"):
        await run(getattr(client.clients, method)(bad))

    assert fake.requests == []


async def test_the_async_error_comes_when_awaited() -> None:
    fake = FakeTiime()
    async with (
        httpx.AsyncClient(transport=fake.transport("async")) as http,
        AsyncTiimeClient(http_client=http, access_token="t", company_id=1) as client,
    ):
        pending = client.clients.get("5")  # nothing raised yet: a coroutine
        creating = client.clients.create(name="")

        with pytest.raises(ValidationError):
            await pending
        with pytest.raises(ValidationError):
            await creating

    assert fake.requests == []


async def test_create_without_name_is_a_type_error(client: Any, fake: FakeTiime) -> None:
    with pytest.raises(TypeError, match="name"):
        await run(client.clients.create(email="a@b.example"))

    assert fake.requests == []


async def test_create_with_an_unknown_field_is_a_type_error(client: Any, fake: FakeTiime) -> None:
    with pytest.raises(TypeError, match="foo"):
        await run(client.clients.create(name="x", foo=1))

    assert fake.requests == []


async def test_create_takes_keywords_only(client: Any, fake: FakeTiime) -> None:
    with pytest.raises(TypeError):
        await run(client.clients.create("x"))

    assert fake.requests == []


@pytest.mark.parametrize(
    ("fields", "mentioned"),
    [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": None}, "name"),
        ({"name": 42}, "name"),
        ({"name": "x", "email": "not-an-email"}, "email"),
        ({"name": "x", "email": "two@@example.com"}, "email"),
        ({"name": "x", "email": "spaces in@example.com"}, "email"),
        ({"name": "x", "siren_or_siret": "123456789"}, "SIREN"),  # bad checksum
        ({"name": "x", "siren_or_siret": "1234"}, "siren_or_siret"),
        ({"name": "x", "siren_or_siret": "12345678200011"}, "SIRET"),  # bad checksum
        ({"name": "x", "siren_or_siret": "ABCDEFGHI"}, "siren_or_siret"),
        ({"name": "x", "country_id": 0}, "country_id"),
        ({"name": "x", "country_id": "75"}, "country_id"),
        ({"name": "x", "professional": "yes"}, "professional"),
        ({"name": "x", "phone": 612345678}, "phone"),
    ],
    ids=repr,
)
async def test_create_refuses_bad_fields(
    client: Any, fake: FakeTiime, fields: dict[str, Any], mentioned: str
) -> None:
    with pytest.raises(ValidationError, match=mentioned):
        await run(client.clients.create(**fields))

    assert fake.requests == []


@pytest.mark.parametrize(
    ("given", "sent"),
    [
        ("123 456 782", "123456782"),
        ("123456782", "123456782"),
        ("123 456 782 00010", "12345678200010"),
        ("  12345678200010 ", "12345678200010"),
    ],
)
async def test_valid_siren_or_siret_is_sent_as_digits(
    client: Any, fake: FakeTiime, given: str, sent: str
) -> None:
    await run(client.clients.create(name="x", siren_or_siret=given))

    (request,) = fake.api_requests
    assert json.loads(request.content)["siren_or_siret"] == sent


async def test_name_and_email_are_sent_trimmed(client: Any, fake: FakeTiime) -> None:
    await run(client.clients.create(name="  Acme  ", email=" a@acme.example "))

    (request,) = fake.api_requests
    assert json.loads(request.content) == {"name": "Acme", "email": "a@acme.example"}


@pytest.mark.parametrize("query", ["", "   ", None, 3])
async def test_search_refuses_blank_queries(client: Any, fake: FakeTiime, query: Any) -> None:
    with pytest.raises(ValidationError, match="query"):
        await run(client.clients.search(query))

    assert fake.requests == []


@pytest.mark.parametrize("archived", ["false", 0, 1, "yes"])
async def test_archived_must_be_a_bool(client: Any, fake: FakeTiime, archived: Any) -> None:
    with pytest.raises(ValidationError, match="archived"):
        await run(client.clients.list(archived=archived))
    with pytest.raises(ValidationError, match="archived"):
        await collect(client.clients.iter(archived=archived))

    assert fake.requests == []


@pytest.mark.parametrize("page_size", [0, -1, 1001, 2.5, "10", True])
async def test_iter_refuses_bad_page_sizes(client: Any, fake: FakeTiime, page_size: Any) -> None:
    with pytest.raises(ValidationError, match="page_size"):
        await collect(client.clients.iter(page_size=page_size))

    assert fake.requests == []


@pytest.mark.parametrize("bad", [0, -1, True, "12", 1.0], ids=repr)
@pytest.mark.parametrize("cls", [TiimeClient, AsyncTiimeClient])
def test_constructor_refuses_bad_company_ids(cls: type[Any], bad: Any) -> None:
    with pytest.raises(ValidationError, match="company_id"):
        cls(company_id=bad, access_token="t")


@pytest.mark.parametrize("bad", [0, "1", True])
async def test_with_options_refuses_bad_company_ids(client: Any, fake: FakeTiime, bad: Any) -> None:
    with pytest.raises(ValidationError, match="company_id"):
        client.with_options(company_id=bad)

    assert fake.requests == []


@pytest.mark.parametrize(
    "field",
    ["name", "email", "phone", "address", "postal_code", "city"],
)
async def test_a_lone_surrogate_in_any_text_field_is_refused(
    client: Any, fake: FakeTiime, field: str
) -> None:
    values = {"name": "Client"}
    values[field] = "x\ud800" if field != "email" else "a\ud800@b.fr"

    with pytest.raises(ValidationError, match=field):
        await run(client.clients.create(**values))

    assert fake.requests == []


@pytest.mark.parametrize(
    "name",
    ["\u200b", "\u200b \u200b\ufeff", "Ab\x00c", "Ab\r\nc", "Ab\nc", "\x1b[31mRouge", "A\u2028B"],
    ids=["zwsp", "invisible mix", "NUL", "CRLF", "LF", "escape", "line separator"],
)
async def test_invisible_or_control_names_are_refused(
    client: Any, fake: FakeTiime, name: str
) -> None:
    with pytest.raises(ValidationError, match="name"):
        await run(client.clients.create(name=name))

    assert fake.requests == []


@pytest.mark.parametrize("query", ["x\ud800", "é" * 65536, "\u200b", "a\nb"], ids=repr)
async def test_bad_searches_are_refused_before_sending(
    client: Any, fake: FakeTiime, query: str
) -> None:
    with pytest.raises(ValidationError, match="query"):
        await run(client.clients.search(query))

    assert fake.requests == []


async def test_a_long_address_is_refused(client: Any, fake: FakeTiime) -> None:
    with pytest.raises(ValidationError, match="too long"):
        await run(client.clients.create(name="A", address="x" * 20_000))

    assert fake.requests == []


@pytest.mark.parametrize("bad", [0, -1, True, "10"], ids=repr)
async def test_bad_limits_are_refused(client: Any, fake: FakeTiime, bad: Any) -> None:
    with pytest.raises(ValidationError, match="limit"):
        await run(client.clients.list(limit=bad))

    assert fake.requests == []


@pytest.mark.parametrize("cls", [TiimeClient, AsyncTiimeClient])
@pytest.mark.parametrize(
    ("option", "value"),
    [("base_url", "http://[::1/v1"), ("auth_url", "::not a url::"), ("base_url", "ftp://x/v1")],
)
def test_unusable_urls_are_configuration_errors(cls: type[Any], option: str, value: str) -> None:
    from tiime import ConfigurationError

    with pytest.raises(ConfigurationError, match=option):
        cls(access_token="t", company_id=1, **{option: value})
