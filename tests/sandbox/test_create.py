"""POST clients: creation, derived fields and server-side validation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from tiime.sandbox import Sandbox

from .test_clients import CLIENT_FIELDS


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    """A sandbox of its own, since these tests add clients."""
    with Sandbox(clients=3) as sb:
        yield sb


@pytest.fixture(scope="module")
def url(sandbox: Sandbox) -> str:
    return f"{sandbox.base_url}/companies/{sandbox.company_id}/clients"


@pytest.fixture(scope="module")
def headers(sandbox: Sandbox) -> dict[str, str]:
    return {"Authorization": f"Bearer {sandbox.issue_token()}"}


def _create(http: httpx.Client, url: str, headers: dict[str, str], body: Any) -> httpx.Response:
    return http.post(url, headers=headers, json=body)


def test_create_with_a_siret(http: httpx.Client, url: str, headers: dict[str, str]) -> None:
    response = _create(
        http,
        url,
        headers,
        {
            "name": "ACME CORP",
            "email": "contact@acme.example",
            "siren_or_siret": "12345678200010",
            "address": "1 rue de Rivoli",
            "postal_code": "75001",
            "city": "Paris",
            "country_id": 75,
            "professional": True,
        },
    )

    assert response.status_code == 201
    assert response.headers["content-type"] == "application/json"
    client = response.json()
    assert set(client) == CLIENT_FIELDS
    assert response.headers["location"].endswith(f"/clients/{client['id']}")
    expected = {
        "name": "ACME CORP",
        "slug": "acme-corp",
        "address": "1 rue de Rivoli",
        "address_complement": None,
        "postal_code": "75001",
        "city": "Paris",
        "country": {"id": 75, "name": "France", "code": "FR"},
        "country_code": "FR",
        "email": "contact@acme.example",
        "phone": None,
        "siren_or_siret": "12345678200010",
        "siret": "12345678200010",
        "siren": "123456782",
        "intracom_vat_number": "FR11123456782",
        "archived": False,
        "archived_at": None,
        "professional": True,
        "acronym": "AC",
        "note": None,
        "bic": None,
        "iban": None,
        "invoicing_use_email": False,
    }
    assert {key: client[key] for key in expected} == expected
    assert re.fullmatch(r"#[0-9A-F]{6}", client["color"])


def test_created_client_can_be_read_listed_and_searched(
    http: httpx.Client, url: str, headers: dict[str, str]
) -> None:
    created = _create(http, url, headers, {"name": "Pâtisserie Élégance"}).json()

    fetched = http.get(f"{url}/{created['id']}", headers=headers)
    listed = http.get(url, headers=headers).json()
    found = http.get(url, headers=headers, params={"search": "ELEGANCE"}).json()

    assert fetched.status_code == 200
    assert fetched.json() == created
    assert listed[-1]["id"] == created["id"]
    assert [client["id"] for client in found] == [created["id"]]


def test_minimal_create_gets_defaults(
    http: httpx.Client, url: str, headers: dict[str, str]
) -> None:
    client = _create(http, url, headers, {"name": "  Jeanne d'Arc  "}).json()

    assert client["name"] == "Jeanne d'Arc"
    assert client["slug"] == "jeanne-d-arc"
    assert client["acronym"] == "JD"
    assert client["country"] == {"id": 75, "name": "France", "code": "FR"}
    assert client["professional"] is False
    assert client["siren_or_siret"] is None
    assert client["siren"] is None
    assert client["intracom_vat_number"] is None


def test_create_with_a_siren_only(http: httpx.Client, url: str, headers: dict[str, str]) -> None:
    client = _create(http, url, headers, {"name": "Lumière SA", "siren_or_siret": "732829320"})
    body = client.json()

    assert client.status_code == 201
    assert body["siren_or_siret"] == "732829320"
    assert body["siren"] == "732829320"
    assert body["siret"] is None
    assert body["professional"] is True
    assert body["intracom_vat_number"] == "FR44732829320"


def test_create_abroad(http: httpx.Client, url: str, headers: dict[str, str]) -> None:
    body = _create(http, url, headers, {"name": "Gaufres de Liège", "country_id": 21}).json()

    assert body["country"] == {"id": 21, "name": "Belgique", "code": "BE"}
    assert body["country_code"] == "BE"


def test_unknown_fields_are_ignored(http: httpx.Client, url: str, headers: dict[str, str]) -> None:
    response = _create(http, url, headers, {"name": "Ignoré SARL", "id": 1, "foo": [1, 2]})

    assert response.status_code == 201
    assert response.json()["id"] != 1


@pytest.mark.parametrize(
    "content",
    [b"", b"not json", b"\xff", b'{"name": "\xff"}', b"[]", b'"name"', b"null", b"[" * 100_000],
)
def test_body_that_is_not_a_json_object_is_a_bad_request(
    http: httpx.Client, url: str, headers: dict[str, str], content: bytes
) -> None:
    response = http.post(
        url, headers={**headers, "Content-Type": "application/json"}, content=content
    )

    assert response.status_code == 400
    body = response.json()
    assert body["error"] == 400
    assert body["error_code"] == "bad_request"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": None}, "name"),
        ({"name": "   "}, "name"),
        ({"name": 42}, "name"),
        ({"name": "x" * 256}, "name"),
        ({"name": "A", "email": "pas-une-adresse"}, "email"),
        ({"name": "A", "email": "a@b"}, "email"),
        ({"name": "A", "email": 3}, "email"),
        ({"name": "A", "phone": ["01"]}, "phone"),
        ({"name": "A", "city": True}, "city"),
        ({"name": "A", "postal_code": 75001}, "postal_code"),
        ({"name": "A", "siren_or_siret": "123456789"}, "siren_or_siret"),
        ({"name": "A", "siren_or_siret": "12345678200011"}, "siren_or_siret"),
        ({"name": "A", "siren_or_siret": "1234567820"}, "siren_or_siret"),
        ({"name": "A", "siren_or_siret": "ABCDEFGHI"}, "siren_or_siret"),
        ({"name": "A", "siren_or_siret": 732829320}, "siren_or_siret"),
        ({"name": "A", "country_id": 9999}, "country_id"),
        ({"name": "A", "country_id": "75"}, "country_id"),
        ({"name": "A", "country_id": True}, "country_id"),
        ({"name": "A", "country_id": 99999999999999999999999}, "country_id"),
        ({"name": "A", "professional": "yes"}, "professional"),
    ],
)
def test_invalid_field_is_named(
    http: httpx.Client, url: str, headers: dict[str, str], body: dict[str, Any], field: str
) -> None:
    before = len(http.get(url, headers=headers).json())

    response = _create(http, url, headers, body)

    assert response.status_code == 422
    error = response.json()
    assert error["error"] == 422
    assert error["error_code"] == "validation_error"
    assert error["error_description"].startswith(f"{field} : ")
    assert set(error["errors"]) == {field}
    assert len(http.get(url, headers=headers).json()) == before


def test_every_invalid_field_is_named(
    http: httpx.Client, url: str, headers: dict[str, str]
) -> None:
    response = _create(http, url, headers, {"email": "nope", "country_id": 0})

    assert response.status_code == 422
    error = response.json()
    assert set(error["errors"]) == {"name", "email", "country_id"}
    for field in ("name", "email", "country_id"):
        assert field in error["error_description"]


def test_siren_or_siret_spaces_are_removed(
    http: httpx.Client, url: str, headers: dict[str, str]
) -> None:
    body = _create(http, url, headers, {"name": "Espace", "siren_or_siret": "732 829 320 00074"})

    assert body.status_code == 201
    assert body.json()["siret"] == "73282932000074"


def test_blank_optional_texts_become_null(
    http: httpx.Client, url: str, headers: dict[str, str]
) -> None:
    body = _create(http, url, headers, {"name": "Vide", "email": "", "phone": "  "}).json()

    assert body["email"] is None
    assert body["phone"] is None


def test_body_too_large(http: httpx.Client, url: str, headers: dict[str, str]) -> None:
    response = _create(http, url, headers, {"name": "x" * (1024 * 1024)})

    assert response.status_code == 413
    assert response.json()["error_code"] == "payload_too_large"


def test_create_needs_a_token(http: httpx.Client, url: str) -> None:
    assert http.post(url, json={"name": "Anonyme"}).status_code == 401


def test_concurrent_creates_and_lists(sandbox: Sandbox, url: str, headers: dict[str, str]) -> None:
    with httpx.Client() as http:
        before = len(http.get(url, headers=headers).json())

    def work(worker: int) -> list[int]:
        ids: list[int] = []
        with httpx.Client() as http:
            for n in range(5):
                created = _create(http, url, headers, {"name": f"Parallèle {worker}-{n}"})
                assert created.status_code == 201
                ids.append(created.json()["id"])
                page = http.get(url, headers={**headers, "Range": "items=0-4"})
                assert page.status_code == 206
                total = int(page.headers["content-range"].rsplit("/", 1)[1])
                assert total >= before
        return ids

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = [client_id for chunk in pool.map(work, range(8)) for client_id in chunk]

    assert len(set(ids)) == 40
    with httpx.Client() as http:
        assert len(http.get(url, headers=headers).json()) == before + 40
