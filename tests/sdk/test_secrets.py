"""No password or token in any repr, str, log line or error."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

from tiime import TiimeError
from tiime._config import StoredLogin
from tiime._secrets import Secret, Token

from ._support import FakeTiime, error, run

LOGGERS = ("tiime", "httpx", "httpcore")


def assert_no_secret(text: str, secrets: list[str]) -> None:
    for secret in secrets:
        assert secret not in text


async def test_no_secret_anywhere(
    make_client: Any, fake: FakeTiime, caplog: pytest.LogCaptureFixture
) -> None:
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    fake.issue_refresh_token = True
    client = make_client()
    raised: list[TiimeError] = []

    await run(client.clients.list())  # login
    fake.queue(503)  # a retry, logged
    await run(client.clients.get(100001))
    fake.tokens.clear()  # a 401, a re-login (refresh grant), logged
    await run(client.clients.search("Client"))
    fake.queue(error(404, "Client introuvable"))
    try:
        await run(client.clients.get(100))
    except TiimeError as exc:
        raised.append(exc)
    fake.queue(httpx.ConnectError, httpx.ConnectError, httpx.ConnectError)
    try:
        await run(client.clients.get(100))
    except TiimeError as exc:
        raised.append(exc)
    wrong = make_client(password="an-obviously-wrong-passw0rd")
    try:
        await run(wrong.clients.list())
    except TiimeError as exc:
        raised.append(exc)

    secrets = [fake.password, "an-obviously-wrong-passw0rd", *fake.issued]
    assert len(fake.issued) == 4  # two access tokens, two refresh tokens
    assert len(raised) == 3
    # The logs are not empty: the checks below look at real lines.
    assert "retrying" in caplog.text
    assert "/clients" in caplog.text
    assert "401" in caplog.text
    assert_no_secret(caplog.text, secrets)
    assert "Bearer" not in caplog.text
    assert "authorization" not in caplog.text.lower()
    for record in caplog.records:
        assert_no_secret(repr(record.args), secrets)
    for text in (
        repr(client),
        str(client),
        repr(client.token),
        str(client.token),
        repr(client.token.access_token),
        repr(client.token.refresh_token),
        repr(client.clients),
        repr(client.clients.with_raw_response),
        repr(client.company),
        repr(client._config),
        repr(wrong),
    ):
        assert_no_secret(text, secrets)
    for exc in raised:
        assert_no_secret(str(exc), secrets)
        assert_no_secret(repr(exc), secrets)
        assert_no_secret(repr(exc.details), secrets)
    assert "Wrong email or password." in str(raised[-1])


def test_secret_and_token_hide_themselves() -> None:
    secret = Secret("hunter2-hunter2")
    token = Token(Secret("eyJ.access.sig"), expires_at=1.0, refresh_token=Secret("rt-123456"))

    assert secret.reveal() == "hunter2-hunter2"
    for text in (repr(secret), str(secret), f"{secret}", repr(token), str(token)):
        assert "hunter2" not in text
        assert "eyJ.access.sig" not in text
        assert "rt-123456" not in text
    assert "**" in repr(secret)


def test_stored_login_repr_hides_tokens() -> None:
    login = StoredLogin(
        base_url="https://api.tiime.test/v1",
        auth_url="https://auth.tiime.test/oauth/token",
        token=Token(Secret("stored-access-xyz"), refresh_token=Secret("stored-refresh-xyz")),
        email="jane@example.com",
        company_id=1,
    )

    assert "stored-access-xyz" not in repr(login)
    assert "stored-refresh-xyz" not in repr(login)
    assert "jane@example.com" in repr(login)


async def test_a_given_access_token_is_not_in_reprs_or_logs(
    make_client: Any, fake: FakeTiime, caplog: pytest.LogCaptureFixture
) -> None:
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    fake.tokens.add("given-token-0123456789")
    client = make_client(email=None, password=None, access_token="given-token-0123456789")
    fake.queue(500)

    await run(client.clients.get(100001))

    assert "retrying" in caplog.text
    assert "given-token-0123456789" not in caplog.text
    assert "given-token-0123456789" not in repr(client)
    assert "given-token-0123456789" not in repr(client.token)
