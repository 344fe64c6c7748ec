"""POST /oauth/token: the Auth0 password and refresh_token grants."""

from __future__ import annotations

import time

import httpx
import jwt
import pytest

from tiime.sandbox import Sandbox

from .conftest import CLIENT_ID, password_grant


def test_password_grant_answers_a_bearer_token(demo: Sandbox, http: httpx.Client) -> None:
    response = http.post(demo.auth_url, json=password_grant(demo))

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"access_token", "expires_in", "token_type"}
    assert body["expires_in"] == 7200
    assert body["token_type"] == "Bearer"


def test_access_token_claims(demo: Sandbox, http: httpx.Client) -> None:
    before = int(time.time())
    body = http.post(demo.auth_url, json=password_grant(demo)).json()

    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert claims["tiime/userEmail"] == demo.email
    assert claims["sub"].startswith("auth0|")
    assert before <= claims["iat"] <= int(time.time())
    assert claims["exp"] - claims["iat"] == 7200
    assert jwt.get_unverified_header(body["access_token"])["alg"] == "HS256"


def test_offline_access_adds_a_refresh_token(demo: Sandbox, http: httpx.Client) -> None:
    body = http.post(
        demo.auth_url, json=password_grant(demo, scope="openid email offline_access")
    ).json()

    assert isinstance(body["refresh_token"], str)
    assert len(body["refresh_token"]) >= 32


def test_refresh_grant_gives_a_working_access_token(demo: Sandbox, http: httpx.Client) -> None:
    refresh_token = http.post(
        demo.auth_url, json=password_grant(demo, scope="openid email offline_access")
    ).json()["refresh_token"]

    response = http.post(
        demo.auth_url,
        json={
            "grant_type": "refresh_token",
            "client_id": CLIENT_ID,
            "refresh_token": refresh_token,
        },
    )

    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 7200
    me = http.get(
        f"{demo.base_url}/users/me", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert me.status_code == 200
    assert me.json()["email"] == demo.email


def test_form_encoded_body_is_accepted(demo: Sandbox, http: httpx.Client) -> None:
    response = http.post(demo.auth_url, data=password_grant(demo))

    assert response.status_code == 200
    assert "access_token" in response.json()


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("demo@tiime.test", "wrong"),
        ("nobody@tiime.test", "sandbox-demo"),
    ],
)
def test_wrong_credentials(demo: Sandbox, http: httpx.Client, username: str, password: str) -> None:
    response = http.post(
        demo.auth_url, json=password_grant(demo, username=username, password=password)
    )

    assert response.status_code == 403
    assert response.json() == {
        "error": "invalid_grant",
        "error_description": "Wrong email or password.",
    }


def test_email_is_case_insensitive(demo: Sandbox, http: httpx.Client) -> None:
    response = http.post(demo.auth_url, json=password_grant(demo, username="DEMO@Tiime.Test"))

    assert response.status_code == 200


@pytest.mark.parametrize("missing", ["grant_type", "client_id", "username", "password"])
def test_missing_field_is_an_invalid_request(
    demo: Sandbox, http: httpx.Client, missing: str
) -> None:
    response = http.post(demo.auth_url, json=password_grant(demo, **{missing: None}))

    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_request"
    assert missing in body["error_description"]


@pytest.mark.parametrize("content", [b"not json", b"[1, 2]", b"\xff\xfe"])
def test_malformed_body_is_an_invalid_request(
    demo: Sandbox, http: httpx.Client, content: bytes
) -> None:
    response = http.post(
        demo.auth_url, content=content, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_unknown_grant_type(demo: Sandbox, http: httpx.Client) -> None:
    response = http.post(demo.auth_url, json=password_grant(demo, grant_type="client_credentials"))

    assert response.status_code == 400
    assert response.json() == {
        "error": "unsupported_grant_type",
        "error_description": "Unsupported grant type: client_credentials",
    }


def test_unknown_client_id(demo: Sandbox, http: httpx.Client) -> None:
    response = http.post(demo.auth_url, json=password_grant(demo, client_id="someone-else"))

    assert response.status_code == 401
    assert response.json()["error"] == "access_denied"


def test_unknown_audience(demo: Sandbox, http: httpx.Client) -> None:
    response = http.post(demo.auth_url, json=password_grant(demo, audience="https://elsewhere/"))

    assert response.status_code == 403
    assert response.json()["error"] == "access_denied"


@pytest.mark.parametrize("refresh_token", ["made-up", ""])
def test_bad_refresh_token(demo: Sandbox, http: httpx.Client, refresh_token: str) -> None:
    response = http.post(
        demo.auth_url,
        json={
            "grant_type": "refresh_token",
            "client_id": CLIENT_ID,
            "refresh_token": refresh_token,
        },
    )

    if refresh_token:
        assert response.status_code == 403
        assert response.json() == {
            "error": "invalid_grant",
            "error_description": "Unknown or invalid refresh token.",
        }
    else:
        assert response.status_code == 400
        assert response.json()["error"] == "invalid_request"


def test_token_endpoint_only_takes_post(demo: Sandbox, http: httpx.Client) -> None:
    response = http.get(demo.auth_url)

    assert response.status_code == 405
    assert response.json()["error"] == 405
