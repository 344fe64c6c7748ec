"""Fixtures: sandboxes served on loopback, and plain httpx clients to talk to them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tiime.sandbox import Sandbox

CLIENT_ID = "iEbsbe3o66gcTBfGRa012kj1Rb6vjAND"
AUDIENCE = "https://chronos/"
TIMELINE_V2 = "application/vnd.tiime.timeline.v2+json"
COMPANIES_V2 = "application/vnd.tiime.companies.v2+json"

OTHER_EMAIL = "autre@tiime.test"
OTHER_PASSWORD = "autre-mot-de-passe"


def password_grant(sb: Sandbox, **overrides: Any) -> dict[str, Any]:
    """The body of a password grant for the demo user, with ``overrides`` applied."""
    body: dict[str, Any] = {
        "grant_type": "password",
        "client_id": CLIENT_ID,
        "audience": AUDIENCE,
        "scope": "openid email",
        "username": sb.email,
        "password": sb.password,
    }
    body.update(overrides)
    return {key: value for key, value in body.items() if value is not None}


@pytest.fixture(scope="session")
def demo() -> Iterator[Sandbox]:
    """The default sandbox (36 demo clients), on a temporary database.

    Tests may add users and companies to it but never clients to the demo company: those
    that create clients use their own sandbox, so that counts here stay those of the seed.
    """
    with Sandbox() as sb:
        yield sb


@pytest.fixture(scope="session")
def other_company(demo: Sandbox) -> int:
    """The id of a second user's own company, holding four clients."""
    return demo.add_user(OTHER_EMAIL, OTHER_PASSWORD, "Boutique Éphémère", clients=4)


@pytest.fixture(scope="session")
def http() -> Iterator[httpx.Client]:
    """A plain httpx client, not the SDK: the sandbox is tested on its own."""
    with httpx.Client(timeout=10.0) as client:
        yield client


@pytest.fixture(scope="session")
def token(demo: Sandbox, http: httpx.Client) -> str:
    """An access token of the demo user, obtained by logging in."""
    response = http.post(demo.auth_url, json=password_grant(demo))
    assert response.status_code == 200
    return str(response.json()["access_token"])


@pytest.fixture(scope="session")
def auth(token: str) -> dict[str, str]:
    """The Authorization header of the demo user."""
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="session")
def clients_url(demo: Sandbox) -> str:
    """The demo company's clients URL."""
    return f"{demo.base_url}/companies/{demo.company_id}/clients"
