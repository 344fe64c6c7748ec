"""Who may call the API: bearer tokens (401) and company membership (403/404)."""

from __future__ import annotations

import time

import httpx
import jwt
import pytest

from tiime.sandbox import SECOND_COMPANY_ID, Sandbox

from .conftest import OTHER_EMAIL, password_grant


def _assert_error(response: httpx.Response, status: int, code: str) -> str:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"error", "error_code", "error_description"}
    assert body["error"] == status
    assert body["error_code"] == code
    assert isinstance(body["error_description"], str)
    return str(body["error_description"])


# The reference's User fields (users/me is tested in full in test_users.py).
USER_FIELDS = {
    "id",
    "firstname",
    "lastname",
    "email",
    "phone",
    "civility",
    "status",
    "roles",
    "active_company",
    "director",
    "has_wallet_access",
    "has_business_account",
    "address",
    "created_at",
    "acronym",
}


def _me(sb: Sandbox, http: httpx.Client, headers: dict[str, str]) -> httpx.Response:
    return http.get(f"{sb.base_url}/users/me", headers=headers)


def test_users_me(demo: Sandbox, http: httpx.Client, auth: dict[str, str]) -> None:
    response = _me(demo, http, auth)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == USER_FIELDS
    assert body["email"] == demo.email
    assert body["active_company"] == demo.company_id


def test_missing_invalid_and_expired_tokens_are_told_apart(
    demo: Sandbox, http: httpx.Client
) -> None:
    missing = _assert_error(_me(demo, http, {}), 401, "unauthorized")
    malformed = _assert_error(_me(demo, http, {"Authorization": "Token abc"}), 401, "unauthorized")
    invalid = _assert_error(
        _me(demo, http, {"Authorization": "Bearer not.a.jwt"}), 401, "unauthorized"
    )
    expired_token = demo.issue_token(expires_in=-1)
    expired = _assert_error(
        _me(demo, http, {"Authorization": f"Bearer {expired_token}"}), 401, "unauthorized"
    )

    assert len({missing, malformed, invalid, expired}) == 4
    assert "expir" in expired


def test_unauthorized_answers_carry_a_bearer_challenge(demo: Sandbox, http: httpx.Client) -> None:
    assert _me(demo, http, {}).headers["www-authenticate"].startswith("Bearer")


def test_token_signed_with_another_key_is_refused(demo: Sandbox, http: httpx.Client) -> None:
    genuine = jwt.decode(demo.issue_token(), options={"verify_signature": False})
    forged = jwt.encode(genuine, "another-secret-of-at-least-32-bytes!", algorithm="HS256")

    _assert_error(_me(demo, http, {"Authorization": f"Bearer {forged}"}), 401, "unauthorized")


def test_unsigned_token_is_refused(demo: Sandbox, http: httpx.Client) -> None:
    claims = jwt.decode(demo.issue_token(), options={"verify_signature": False})
    unsigned = jwt.encode(claims, None, algorithm="none")

    _assert_error(_me(demo, http, {"Authorization": f"Bearer {unsigned}"}), 401, "unauthorized")


def test_issued_token_works(demo: Sandbox, http: httpx.Client) -> None:
    headers = {"Authorization": f"Bearer {demo.issue_token()}"}

    assert _me(demo, http, headers).status_code == 200


def test_token_expires_after_token_ttl(http: httpx.Client) -> None:
    with Sandbox(clients=0, token_ttl=1) as sb:
        body = http.post(sb.auth_url, json=password_grant(sb)).json()
        assert body["expires_in"] == 1
        headers = {"Authorization": f"Bearer {body['access_token']}"}
        assert _me(sb, http, headers).status_code == 200

        expires_at = jwt.decode(body["access_token"], options={"verify_signature": False})["exp"]
        time.sleep(max(0.0, expires_at - time.time()) + 0.05)

        description = _assert_error(_me(sb, http, headers), 401, "unauthorized")
        assert "expir" in description


def test_company_of_another_user_is_forbidden(
    demo: Sandbox, http: httpx.Client, auth: dict[str, str], other_company: int
) -> None:
    base = f"{demo.base_url}/companies/{other_company}"
    other_clients = http.get(
        f"{base}/clients", headers={"Authorization": f"Bearer {demo.issue_token(OTHER_EMAIL)}"}
    ).json()
    assert len(other_clients) == 4
    other_id = other_clients[0]["id"]

    for url in (base, f"{base}/clients", f"{base}/clients/{other_id}"):
        response = http.get(url, headers=auth)
        _assert_error(response, 403, "forbidden")
        assert other_clients[0]["name"] not in response.text
    response = http.post(f"{base}/clients", headers=auth, json={"name": "Intrus"})
    _assert_error(response, 403, "forbidden")


def test_client_of_another_company_is_not_found_through_ones_own(
    demo: Sandbox, http: httpx.Client, auth: dict[str, str], other_company: int
) -> None:
    other_headers = {"Authorization": f"Bearer {demo.issue_token(OTHER_EMAIL)}"}
    other_id = http.get(
        f"{demo.base_url}/companies/{other_company}/clients", headers=other_headers
    ).json()[0]["id"]
    own = f"{demo.base_url}/companies/{demo.company_id}/clients/{other_id}"

    description = _assert_error(http.get(own, headers=auth), 404, "not_found")
    assert description == "Client introuvable"
    _assert_error(http.get(f"{own}/contacts", headers=auth), 404, "not_found")


def test_each_user_lists_only_their_companies(
    demo: Sandbox, http: httpx.Client, auth: dict[str, str], other_company: int
) -> None:
    mine = http.get(f"{demo.base_url}/companies", headers=auth).json()
    theirs = http.get(
        f"{demo.base_url}/companies",
        headers={"Authorization": f"Bearer {demo.issue_token(OTHER_EMAIL)}"},
    ).json()

    assert [company["id"] for company in mine] == [demo.company_id, SECOND_COMPANY_ID]
    assert [company["id"] for company in theirs] == [other_company]


@pytest.mark.parametrize("company_id", ["999", "99999999999999999999999"])
def test_unknown_company_is_not_found(
    demo: Sandbox, http: httpx.Client, auth: dict[str, str], company_id: str
) -> None:
    for suffix in ("", "/clients", "/clients/100101", "/clients/100101/contacts"):
        response = http.get(f"{demo.base_url}/companies/{company_id}{suffix}", headers=auth)
        _assert_error(response, 404, "not_found")


def test_auth_is_checked_before_the_company(demo: Sandbox, http: httpx.Client) -> None:
    _assert_error(http.get(f"{demo.base_url}/companies/999/clients"), 401, "unauthorized")


@pytest.mark.parametrize(
    "path", ["/v1/nope", "/v1/companies/abc", "/v1/companies/", "/nope", "/v1/users/me/extra"]
)
def test_unknown_path_is_not_found(
    demo: Sandbox, http: httpx.Client, auth: dict[str, str], path: str
) -> None:
    _assert_error(http.get(f"{demo.url}{path}", headers=auth), 404, "not_found")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("DELETE", "/v1/users/me"),
        ("PUT", "/v1/companies/12345/clients"),
        ("PATCH", "/v1/companies/12345/clients/100101"),
        ("POST", "/v1/companies/12345/clients/100101/contacts"),
    ],
)
def test_wrong_method_is_not_allowed(
    demo: Sandbox, http: httpx.Client, auth: dict[str, str], method: str, path: str
) -> None:
    response = http.request(method, f"{demo.url}{path}", headers=auth)

    _assert_error(response, 405, "method_not_allowed")
    assert "GET" in response.headers["allow"]
