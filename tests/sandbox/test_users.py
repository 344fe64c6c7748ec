"""GET users/me, users/me/legal_informations and users/me/companies/{cid}/settings."""

from __future__ import annotations

import httpx

from tiime.sandbox import Sandbox


def test_me_is_the_token_s_user_with_a_profile(
    demo: Sandbox, http: httpx.Client, auth: dict[str, str]
) -> None:
    body = http.get(f"{demo.base_url}/users/me", headers=auth).json()
    assert body["firstname"] == "Camille"
    assert body["lastname"] == "Martin"
    assert body["acronym"] == "CM"
    assert body["director"] is True
    assert body["roles"] == ["ROLE_USER", "ROLE_COMPANY_ADMIN"]
    assert body["status"] == "active"
    address = body["address"]
    assert set(address) == {
        "street",
        "additional_information1",
        "additional_information2",
        "postal_code",
        "city",
        "country",
    }
    assert address["country"] == {"id": 75, "name": "France", "code": "FR"}
    assert body["phone"]


def test_a_user_without_profile_is_rendered_with_empty_fields(
    demo: Sandbox, http: httpx.Client, other_company: int
) -> None:
    token = demo.issue_token("autre@tiime.test")
    body = http.get(f"{demo.base_url}/users/me", headers={"Authorization": f"Bearer {token}"})
    assert body.status_code == 200
    me = body.json()
    assert me["active_company"] == other_company
    assert me["address"] is None
    assert me["roles"] == ["ROLE_USER"]
    assert me["director"] is False


def test_legal_informations_is_an_object(
    demo: Sandbox, http: httpx.Client, auth: dict[str, str]
) -> None:
    response = http.get(f"{demo.base_url}/users/me/legal_informations", headers=auth)
    assert response.status_code == 200
    body = response.json()
    assert body["lastname"] == "Martin"
    assert body["nationality"] == "française"


def test_settings_are_those_of_a_company_of_the_user(
    demo: Sandbox, http: httpx.Client, auth: dict[str, str], other_company: int
) -> None:
    url = f"{demo.base_url}/users/me/companies/{{}}/settings"
    mine = http.get(url.format(demo.company_id), headers=auth)
    assert mine.status_code == 200
    assert mine.json()["company_id"] == demo.company_id
    assert http.get(url.format(other_company), headers=auth).status_code == 403
    assert http.get(url.format(99999999), headers=auth).status_code == 404


def test_me_needs_a_token(demo: Sandbox, http: httpx.Client) -> None:
    for path in ("users/me", "users/me/legal_informations"):
        assert http.get(f"{demo.base_url}/{path}").status_code == 401
