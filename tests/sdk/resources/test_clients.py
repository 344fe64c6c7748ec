"""What every call puts on the wire, and the happy paths, against the mock AND the sandbox.

Each test runs four times: {mock, sandbox} x {sync, async}. The assertions are made on the
requests the client sent (recorded by the mock, or by a recording transport in front of
real loopback HTTP for the sandbox), so the mock and the sandbox cannot drift apart.
"""

from __future__ import annotations

import json
import logging
import math
import uuid
from typing import Any

import pytest

import tiime
from tiime import AuthenticationError, NotFoundError
from tiime.types import Client, Company, Contact

from .._support import APP_HEADERS, COMPANIES_V2, TIMELINE_V2, Env, collect, run

pytestmark = pytest.mark.parametrize("backend", ["mock", "sandbox"])


def clients_path(env: Env, *rest: object) -> str:
    return "/".join([f"/v1/companies/{env.company_id}/clients", *map(str, rest)])


def only_api_request(env: Env) -> Any:
    assert len(env.api_requests) == 1, [str(r.url) for r in env.api_requests]
    return env.api_requests[0]


def unique_name(prefix: str = "Wire test") -> str:
    return f"{prefix} {uuid.uuid4().hex[:10]}"


async def an_existing_client_id(client: Any, env: Env) -> int:
    clients = await run(client.clients.list())
    env.requests.clear()
    return clients[0].id


async def test_list_sends_no_archived_param_by_default(client: Any, env: Env) -> None:
    result = await run(client.clients.list())

    request = only_api_request(env)
    assert request.method == "GET"
    assert str(request.url).startswith(env.base_url + "/")
    assert request.url.path == clients_path(env)
    assert request.url.query == b""
    assert request.headers["Accept"] == TIMELINE_V2
    assert request.headers["Range"] == "items=0-*"
    assert request.content == b""
    assert result
    assert all(isinstance(c, Client) for c in result)


@pytest.mark.parametrize(("archived", "word"), [(False, "false"), (True, "true")])
async def test_list_archived_filter(client: Any, env: Env, archived: bool, word: str) -> None:
    result = await run(client.clients.list(archived=archived))

    request = only_api_request(env)
    assert request.method == "GET"
    assert request.url.path == clients_path(env)
    assert request.url.query == f"archived={word}".encode()
    assert request.headers["Accept"] == TIMELINE_V2
    assert request.headers["Range"] == "items=0-*"
    assert result, "the backend should hold clients of both kinds"
    assert all(c.archived is archived for c in result)


async def test_archived_filters_partition_the_list(client: Any) -> None:
    everyone = {c.id for c in await run(client.clients.list())}
    archived = {c.id for c in await run(client.clients.list(archived=True))}
    active = {c.id for c in await run(client.clients.list(archived=False))}

    assert archived
    assert active
    assert not archived & active
    assert archived | active == everyone


async def test_search_sends_search_param(client: Any, env: Env) -> None:
    await run(client.clients.search("acme"))

    request = only_api_request(env)
    assert request.method == "GET"
    assert request.url.path == clients_path(env)
    assert dict(request.url.params) == {"search": "acme"}
    assert request.headers["Accept"] == TIMELINE_V2
    assert request.headers["Range"] == "items=0-*"


async def test_search_text_is_encoded(client: Any, env: Env) -> None:
    await run(client.clients.search("Dupont & Fils=1 é/?"))

    request = only_api_request(env)
    assert request.url.path == clients_path(env)
    assert dict(request.url.params) == {"search": "Dupont & Fils=1 é/?"}


async def test_get_sends_plain_json_accept(client: Any, env: Env) -> None:
    client_id = await an_existing_client_id(client, env)

    result = await run(client.clients.get(client_id))

    request = only_api_request(env)
    assert request.method == "GET"
    assert request.url.path == clients_path(env, client_id)
    assert request.url.query == b""
    assert request.headers["Accept"] == "application/json"
    assert "Range" not in request.headers
    assert "Content-Type" not in request.headers
    assert request.content == b""
    assert isinstance(result, Client)
    assert result.id == client_id


async def test_get_of_a_missing_client_is_not_found(client: Any, env: Env) -> None:
    with pytest.raises(NotFoundError) as caught:
        await run(client.clients.get(100))

    request = only_api_request(env)
    assert request.url.path == clients_path(env, 100)
    error = caught.value
    assert error.status == 404
    assert error.method == "GET"
    assert error.endpoint is not None
    assert error.endpoint.endswith(clients_path(env, 100))
    assert isinstance(error.details, dict)
    assert error.details["error_description"] in error.message


async def test_create_sends_exactly_the_given_fields(client: Any, env: Env) -> None:
    name = unique_name()
    result = await run(
        client.clients.create(
            name=name,
            email="billing@acme.example",
            phone="+33 1 23 45 67 89",
            address="1 rue de Rivoli",
            postal_code="75001",
            city="Paris",
            country_id=75,
            siren_or_siret="123 456 782 00010",
            professional=True,
        )
    )

    request = only_api_request(env)
    assert request.method == "POST"
    assert request.url.path == clients_path(env)
    assert request.url.query == b""
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Accept"] == "application/json"
    assert json.loads(request.content) == {
        "name": name,
        "email": "billing@acme.example",
        "phone": "+33 1 23 45 67 89",
        "address": "1 rue de Rivoli",
        "postal_code": "75001",
        "city": "Paris",
        "country_id": 75,
        "siren_or_siret": "12345678200010",
        "professional": True,
    }
    assert isinstance(result, Client)
    assert result.id is not None
    assert result.name == name


async def test_create_leaves_absent_fields_out(client: Any, env: Env) -> None:
    name = unique_name()
    await run(client.clients.create(name=name, professional=False))

    request = only_api_request(env)
    assert json.loads(request.content) == {"name": name, "professional": False}


async def test_create_sends_a_valid_siren_as_digits(client: Any, env: Env) -> None:
    await run(client.clients.create(name=unique_name(), siren_or_siret="123 456 782"))

    assert json.loads(only_api_request(env).content)["siren_or_siret"] == "123456782"


async def test_contacts_path(client: Any, env: Env) -> None:
    client_id = await an_existing_client_id(client, env)

    result = await run(client.clients.contacts(client_id))

    request = only_api_request(env)
    assert request.method == "GET"
    assert request.url.path == clients_path(env, client_id, "contacts")
    assert request.headers["Accept"] == "application/json"
    assert isinstance(result, list)
    assert all(isinstance(c, Contact) for c in result)


async def test_list_companies_needs_no_company(make_client: Any, env: Env) -> None:
    client = make_client(company_id=None)

    companies = await run(client.list_companies())

    request = only_api_request(env)
    assert request.method == "GET"
    assert request.url.path == "/v1/companies"
    assert request.url.query == b""
    assert request.headers["Accept"] == COMPANIES_V2
    assert request.headers["Range"] == "items=0-101"
    assert all(isinstance(c, Company) for c in companies)
    assert env.company_id in {c.id for c in companies}


async def test_company_get_and_with_options_company_id(make_client: Any, env: Env) -> None:
    client = make_client(company_id=None)

    company = await run(client.with_options(company_id=env.company_id).company.get())

    request = only_api_request(env)
    assert request.method == "GET"
    assert request.url.path == f"/v1/companies/{env.company_id}"
    assert request.headers["Accept"] == "application/json"
    assert isinstance(company, Company)
    assert company.id == env.company_id
    assert len(env.logins) == 1


async def test_every_api_call_carries_app_headers_token_and_user_agent(
    client: Any, env: Env
) -> None:
    client_id = (await run(client.clients.list()))[0].id
    await run(client.clients.get(client_id))
    await run(client.clients.search("a"))
    await run(client.clients.contacts(client_id))
    await run(client.clients.create(name=unique_name()))
    await run(client.list_companies())
    await collect(client.clients.iter(page_size=50))

    token = client.token.access_token.reveal()
    assert len(env.api_requests) >= 7
    for request in env.api_requests:
        for name, value in APP_HEADERS.items():
            assert request.headers[name] == value, (name, request.url)
        assert request.headers["Authorization"] == f"Bearer {token}"
        assert f"tiime-python/{tiime.__version__}" in request.headers["User-Agent"]


async def test_login_request(client: Any, env: Env) -> None:
    await run(client.clients.list())

    assert len(env.logins) == 1
    login = env.logins[0]
    assert login.method == "POST"
    assert str(login.url) == env.auth_url
    assert login.headers["Content-Type"] == "application/json"
    assert "Authorization" not in login.headers
    body = json.loads(login.content)
    assert set(body) == {"grant_type", "client_id", "audience", "scope", "username", "password"}
    assert body["grant_type"] == "password"
    assert body["client_id"] == "iEbsbe3o66gcTBfGRa012kj1Rb6vjAND"
    assert body["audience"] == "https://chronos/"
    assert {"openid", "email"} <= set(body["scope"].split())
    assert body["username"] == env.email
    assert body["password"] == env.password


async def test_no_secret_in_the_logs_of_a_real_exchange(
    client: Any, env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    # With the sandbox, httpx's real transport and httpcore log too.
    for name in ("tiime", "httpx", "httpcore"):
        caplog.set_level(logging.DEBUG, logger=name)

    await run(client.clients.list())
    with pytest.raises(NotFoundError):
        await run(client.clients.get(100))

    assert "/clients" in caplog.text
    if env.kind == "sandbox":
        assert "receive_response_headers" in caplog.text  # httpcore's lines were captured
    token = client.token.access_token.reveal()
    assert token not in caplog.text
    assert env.password not in caplog.text
    assert "Bearer" not in caplog.text
    assert token not in repr(client)
    assert token not in repr(client.token)


async def test_wrong_password_is_an_authentication_error(make_client: Any, env: Env) -> None:
    client = make_client(password="not the password")

    with pytest.raises(AuthenticationError) as caught:
        await run(client.clients.list())

    assert "Wrong email or password." in str(caught.value)
    assert caught.value.status in (401, 403)
    assert len(env.logins) == 1
    assert env.api_requests == []


async def test_create_get_search_contacts(client: Any, env: Env) -> None:
    name = unique_name("Happy Path Zebulon")
    created = await run(
        client.clients.create(name=name, email="zeb@example.com", siren_or_siret="123456782")
    )
    assert created.name == name
    assert created.id is not None

    fetched = await run(client.clients.get(created.id))
    assert fetched.id == created.id
    assert fetched.name == name
    assert fetched.email == "zeb@example.com"
    assert fetched.archived is False

    found = await run(client.clients.search(name))
    assert [c.id for c in found] == [created.id]

    contacts = await run(client.clients.contacts(created.id))
    assert contacts == []

    listed = {c.id for c in await run(client.clients.list(archived=False))}
    assert created.id in listed
    assert created.id not in {c.id for c in await run(client.clients.list(archived=True))}


async def test_non_ascii_fields_round_trip(client: Any, env: Env) -> None:
    name = unique_name("Société Générale — Ünïcödé « test »")
    created = await run(client.clients.create(name=name, city="Saint-Étienne"))

    body = json.loads(only_api_request(env).content.decode("utf-8"))
    assert body == {"name": name, "city": "Saint-Étienne"}
    fetched = await run(client.clients.get(created.id))
    assert (fetched.name, fetched.city) == (name, "Saint-Étienne")
    assert [c.id for c in await run(client.clients.search(name))] == [created.id]


@pytest.mark.parametrize("page_size", [1, 5, 7])
async def test_iter_pages_through_every_client_once(client: Any, env: Env, page_size: int) -> None:
    everyone = [c.id for c in await run(client.clients.list())]
    env.requests.clear()

    ids = [c.id for c in await collect(client.clients.iter(page_size=page_size))]

    assert len(ids) == len(set(ids))
    assert sorted(ids) == sorted(everyone)
    ranges = [r.headers["Range"] for r in env.api_requests]
    # After the first page, each starts at the item read last (how a shifted list is seen).
    expected = [f"items=0-{page_size - 1}"] + [
        f"items={i - 1}-{i + page_size - 1}"
        for i in range(page_size, len(ranges) * page_size, page_size)
    ]
    assert ranges == expected
    assert len(ranges) <= math.ceil(len(everyone) / page_size) + 1
    assert all(r.headers["Accept"] == TIMELINE_V2 for r in env.api_requests)


async def test_iter_archived_filter(client: Any, env: Env) -> None:
    archived = [c.id for c in await run(client.clients.list(archived=True))]
    env.requests.clear()

    ids = [c.id for c in await collect(client.clients.iter(archived=True, page_size=2))]

    assert ids == archived
    assert all(dict(r.url.params) == {"archived": "true"} for r in env.api_requests)


async def test_raw_response_of_get(client: Any, env: Env) -> None:
    client_id = await an_existing_client_id(client, env)

    raw = await run(client.clients.with_raw_response.get(client_id))

    assert raw.status_code == 200
    assert raw.method == "GET"
    assert raw.url.endswith(clients_path(env, client_id))
    assert "json" in raw.headers["content-type"]
    assert raw.json()["id"] == client_id
    assert raw.parse().id == client_id
