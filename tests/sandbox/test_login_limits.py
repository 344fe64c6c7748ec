"""Logging in: hashing off the event loop, one hash per attempt, failures limited."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from tiime.sandbox import Sandbox
from tiime.sandbox.resources import auth

from .conftest import password_grant

PATIENCE = 20.0  # a bound on waiting for the server, never an assertion on its speed


@pytest.fixture
def fresh() -> Iterator[Sandbox]:
    """A sandbox of its own: failed logins here do not count against the shared one."""
    with Sandbox(clients=0) as sb:
        yield sb


def test_hashing_a_password_does_not_stop_other_requests(
    fresh: Sandbox, http: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    hashing = threading.Event()
    real_check = auth.check_password

    def slow_check(password: str, stored: str) -> bool:
        hashing.set()
        release.wait(PATIENCE)
        return real_check(password, stored)

    monkeypatch.setattr(auth, "check_password", slow_check)
    results: list[int] = []
    login = threading.Thread(
        target=lambda: results.append(
            httpx.post(fresh.auth_url, json=password_grant(fresh), timeout=PATIENCE).status_code
        )
    )
    login.start()
    try:
        assert hashing.wait(PATIENCE)
        # The login is stuck in its hash: the server answers others all the same.
        response = http.get(f"{fresh.url}/", timeout=PATIENCE / 2)
        assert response.status_code == 200
    finally:
        release.set()
        login.join(PATIENCE)
    assert results == [200]


def _count_hashes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real: Callable[..., bytes] = hashlib.pbkdf2_hmac

    def counting(*args: Any, **kwargs: Any) -> bytes:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(hashlib, "pbkdf2_hmac", counting)
    return calls


@pytest.mark.parametrize("username", ["nobody@tiime.test", "demo@tiime.test"])
def test_a_wrong_login_costs_one_hash_whether_the_email_exists_or_not(
    fresh: Sandbox, http: httpx.Client, monkeypatch: pytest.MonkeyPatch, username: str
) -> None:
    calls = _count_hashes(monkeypatch)
    for attempt in range(1, 4):
        response = http.post(
            fresh.auth_url, json=password_grant(fresh, username=username, password="wrong")
        )
        assert response.status_code == 403
        assert len(calls) == attempt


def _expect_too_many(response: httpx.Response) -> None:
    assert response.status_code == 429
    body = response.json()
    assert body["error"] == "too_many_attempts"
    assert body["error_description"]
    assert 1 <= int(response.headers["retry-after"]) <= 60


def test_failed_logins_of_one_email_are_limited(fresh: Sandbox, http: httpx.Client) -> None:
    wrong = password_grant(fresh, password="wrong")
    for _ in range(10):
        assert http.post(fresh.auth_url, json=wrong).status_code == 403

    _expect_too_many(http.post(fresh.auth_url, json=wrong))
    # Even the right password waits: that is what stops guessing.
    _expect_too_many(http.post(fresh.auth_url, json=password_grant(fresh)))


def test_failed_logins_from_one_address_are_limited(fresh: Sandbox, http: httpx.Client) -> None:
    for n in range(10):
        guess = password_grant(fresh, username=f"guess{n}@tiime.test", password="x")
        assert http.post(fresh.auth_url, json=guess).status_code == 403

    _expect_too_many(
        http.post(fresh.auth_url, json=password_grant(fresh, username="new@tiime.test"))
    )
    # Tokens already given keep working.
    me = http.get(
        f"{fresh.base_url}/users/me",
        headers={"Authorization": f"Bearer {fresh.issue_token()}"},
    )
    assert me.status_code == 200


def test_successful_logins_are_not_limited(fresh: Sandbox, http: httpx.Client) -> None:
    for _ in range(15):
        assert http.post(fresh.auth_url, json=password_grant(fresh)).status_code == 200


def test_a_refused_login_is_answered_late_and_others_are_not(
    fresh: Sandbox, http: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    pauses: list[float] = []

    async def pause(seconds: float) -> None:
        pauses.append(seconds)

    monkeypatch.setattr(auth, "_pause_refusal", pause)
    wrong = password_grant(fresh, password="wrong")
    for _ in range(10):
        assert http.post(fresh.auth_url, json=wrong).status_code == 403
    assert pauses == []  # a wrong password is answered as soon as it is checked

    _expect_too_many(http.post(fresh.auth_url, json=wrong))
    _expect_too_many(http.post(fresh.auth_url, json=password_grant(fresh)))
    assert pauses == [auth.REFUSAL_DELAY] * 2
    assert auth.REFUSAL_DELAY >= 0.5  # enough to slow a flood to a trickle
