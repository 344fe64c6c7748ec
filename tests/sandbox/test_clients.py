"""GET clients: list, filters, search, one client, contacts (read-only, on the seed)."""

from __future__ import annotations

import re

import httpx
import pytest

from tiime.sandbox import SECOND_COMPANY_ID, Sandbox

from .conftest import TIMELINE_V2

CLIENT_FIELDS = {
    "id",
    "name",
    "slug",
    "address",
    "address_complement",
    "postal_code",
    "city",
    "country",
    "country_code",
    "email",
    "phone",
    "siren_or_siret",
    "siret",
    "siren",
    "intracom_vat_number",
    "archived",
    "archived_at",
    "professional",
    "color",
    "acronym",
    "note",
    "bic",
    "iban",
    "invoicing_use_email",
}
LIST_FIELDS = CLIENT_FIELDS | {
    "payment_status",
    "balance_including_taxes",
    "billed_including_taxes",
    "billed_excluding_taxes",
}


def _list(
    http: httpx.Client, url: str, auth: dict[str, str], **params: str
) -> list[dict[str, object]]:
    response = http.get(url, headers=auth, params=params)
    assert response.status_code == 200, response.text
    items = response.json()
    assert isinstance(items, list)
    return items


def test_list_returns_every_client_by_ascending_id(
    http: httpx.Client, clients_url: str, auth: dict[str, str]
) -> None:
    clients = _list(http, clients_url, auth)

    assert len(clients) == 36
    ids = [client["id"] for client in clients]
    assert ids == sorted(ids)
    assert len(set(ids)) == 36


def test_list_items_have_the_reference_fields_plus_the_list_ones(
    http: httpx.Client, clients_url: str, auth: dict[str, str]
) -> None:
    for client in _list(http, clients_url, auth):
        assert set(client) == LIST_FIELDS
        assert client["payment_status"] in ("paid", "late", "pending", None)
        for amount in ("balance_including_taxes", "billed_including_taxes"):
            assert isinstance(client[amount], (int, float))


def test_archived_filter_splits_the_list(
    http: httpx.Client, clients_url: str, auth: dict[str, str]
) -> None:
    archived = _list(http, clients_url, auth, archived="true")
    active = _list(http, clients_url, auth, archived="false")

    assert archived
    assert active
    assert all(client["archived"] is True for client in archived)
    assert all(client["archived"] is False for client in active)
    assert len(archived) + len(active) == 36
    for client in archived:
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", str(client["archived_at"]))
    assert all(client["archived_at"] is None for client in active)


@pytest.mark.parametrize("value", ["yes", "1", "True", ""])
def test_archived_filter_only_takes_true_or_false(
    http: httpx.Client, clients_url: str, auth: dict[str, str], value: str
) -> None:
    response = http.get(clients_url, headers=auth, params={"archived": value})

    assert response.status_code == 400
    body = response.json()
    assert body["error"] == 400
    assert body["error_code"] == "bad_request"
    assert "archived" in body["error_description"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("societe", {"Société Générale de Plomberie", "Société Nouvelle des Eaux"}),
        ("SOCIÉTÉ GÉNÉRALE", {"Société Générale de Plomberie"}),
        ("helene", {"Boulangerie Hélène", "Hélène Dubois"}),
        ("oeuf", {"L'Œuf et la Poule"}),
        ("  café   des ", {"Café des Arts"}),
        ("zzz-nothing", set()),
    ],
)
def test_search_ignores_case_and_accents(
    http: httpx.Client, clients_url: str, auth: dict[str, str], query: str, expected: set[str]
) -> None:
    found = _list(http, clients_url, auth, search=query)

    assert {client["name"] for client in found} == expected


def test_search_combines_with_archived(
    http: httpx.Client, clients_url: str, auth: dict[str, str]
) -> None:
    everything = _list(http, clients_url, auth, search="e")
    archived = _list(http, clients_url, auth, search="e", archived="true")

    assert archived
    assert {c["id"] for c in archived} == {c["id"] for c in everything if c["archived"]}


def test_empty_search_lists_everything(
    http: httpx.Client, clients_url: str, auth: dict[str, str]
) -> None:
    assert len(_list(http, clients_url, auth, search="")) == 36


def test_content_type_follows_the_accept_header(
    http: httpx.Client, clients_url: str, auth: dict[str, str]
) -> None:
    vendor = http.get(clients_url, headers={**auth, "Accept": TIMELINE_V2})
    plain = http.get(clients_url, headers={**auth, "Accept": "application/json"})
    searched = http.get(
        clients_url, headers={**auth, "Accept": TIMELINE_V2}, params={"search": "café"}
    )

    assert vendor.headers["content-type"] == TIMELINE_V2
    assert searched.headers["content-type"] == TIMELINE_V2
    assert plain.headers["content-type"] == "application/json"
    assert vendor.json() == plain.json()


def test_get_one_client_has_exactly_the_reference_fields(
    http: httpx.Client, clients_url: str, auth: dict[str, str]
) -> None:
    listed = _list(http, clients_url, auth)[0]

    response = http.get(f"{clients_url}/{listed['id']}", headers=auth)

    assert response.status_code == 200
    client = response.json()
    assert set(client) == CLIENT_FIELDS
    assert client == {key: listed[key] for key in CLIENT_FIELDS}


def test_seeded_client_fields_are_consistent(
    http: httpx.Client, clients_url: str, auth: dict[str, str]
) -> None:
    for client in _list(http, clients_url, auth):
        assert re.fullmatch(r"#[0-9A-F]{6}", str(client["color"]))
        assert re.fullmatch(r"[A-Z]{2}", str(client["acronym"]))
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", str(client["slug"]))
        country = client["country"]
        assert isinstance(country, dict)
        assert set(country) == {"id", "name", "code"}
        assert client["country_code"] == country["code"]
        siret = client["siret"]
        if siret is not None:
            assert client["siren_or_siret"] == siret
            assert client["siren"] == str(siret)[:9]
            siren = int(str(siret)[:9])
            key = (12 + 3 * (siren % 97)) % 97
            assert client["intracom_vat_number"] == f"FR{key:02d}{siren:09d}"
        else:
            assert client["intracom_vat_number"] is None


def test_unknown_client_is_not_found(
    http: httpx.Client, clients_url: str, auth: dict[str, str]
) -> None:
    for client_id in ("1", "99999999", "99999999999999999999999"):
        response = http.get(f"{clients_url}/{client_id}", headers=auth)
        assert response.status_code == 404
        assert response.json() == {
            "error": 404,
            "error_code": "not_found",
            "error_description": "Client introuvable",
        }


def test_contacts_of_a_client(
    demo: Sandbox, http: httpx.Client, clients_url: str, auth: dict[str, str]
) -> None:
    first = _list(http, clients_url, auth)[0]

    response = http.get(f"{clients_url}/{first['id']}/contacts", headers=auth)

    assert response.status_code == 200
    contacts = response.json()
    assert contacts
    for contact in contacts:
        assert set(contact) == {
            "id",
            "firstname",
            "lastname",
            "email",
            "phone",
            "job",
            "invoicing_use_email",
        }


def test_client_without_contacts_has_an_empty_list(
    http: httpx.Client, clients_url: str, auth: dict[str, str]
) -> None:
    individual = next(c for c in _list(http, clients_url, auth) if not c["professional"])

    response = http.get(f"{clients_url}/{individual['id']}/contacts", headers=auth)

    assert response.status_code == 200
    assert response.json() == []


def test_companies(demo: Sandbox, http: httpx.Client, auth: dict[str, str]) -> None:
    from .conftest import COMPANIES_V2

    response = http.get(
        f"{demo.base_url}/companies",
        headers={**auth, "Accept": COMPANIES_V2, "Range": "items=0-101"},
    )

    assert response.status_code == 200
    assert response.headers["content-type"] == COMPANIES_V2
    assert response.headers["content-range"] == "items 0-1/2"  # the demo user's two
    company, second = response.json()
    assert company["id"] == demo.company_id
    assert second["id"] == SECOND_COMPANY_ID
    for field in ("name", "siren", "legal_form", "city", "postal_code", "country"):
        assert company[field]
    one = http.get(f"{demo.base_url}/companies/{demo.company_id}", headers=auth)
    assert one.status_code == 200
    assert one.json() == company
