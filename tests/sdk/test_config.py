"""Where settings come from: arguments, then TIIME_* variables, then the stored login."""

from __future__ import annotations

import json
import stat
import time
from pathlib import Path
from typing import Any

import pytest

from tiime import AsyncTiimeClient, AuthenticationError, ConfigurationError, TiimeClient
from tiime._config import (
    StoredLogin,
    delete_login,
    load_login,
    login_path,
    save_company,
    save_login,
    stored_company,
)
from tiime._constants import DEFAULT_BASE_URL
from tiime._secrets import Secret, Token

from ._support import FakeTiime, run

NOTHING = {"company_id": None, "email": None, "password": None, "base_url": None, "auth_url": None}


def bearer(request: Any) -> str:
    return request.headers["Authorization"].removeprefix("Bearer ")


def set_env(monkeypatch: pytest.MonkeyPatch, **values: Any) -> None:
    for name, value in values.items():
        monkeypatch.setenv(f"TIIME_{name.upper()}", str(value))


def store(fake: FakeTiime, **changes: Any) -> StoredLogin:
    settings: dict[str, Any] = {
        "base_url": fake.base_url,
        "auth_url": fake.auth_url,
        "token": Token(Secret("stored-access"), expires_at=time.time() + 3600),
        "email": fake.email,
        "company_id": fake.company_id,
        **changes,
    }
    login = StoredLogin(**settings)
    save_login(login)
    return login


async def test_environment_is_used_when_arguments_are_absent(
    make_client: Any, fake: FakeTiime, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_env(
        monkeypatch,
        company_id=fake.company_id,
        email=fake.email,
        password=fake.password,
        base_url=fake.base_url,
        auth_url=fake.auth_url,
    )
    client = make_client(**NOTHING)

    await run(client.clients.get(100001))

    (login,) = fake.logins
    body = json.loads(login.content)
    assert (body["username"], body["password"]) == (fake.email, fake.password)
    (request,) = fake.api_requests
    assert str(request.url) == f"{fake.base_url}/companies/{fake.company_id}/clients/100001"
    assert client.company_id == fake.company_id


async def test_arguments_win_over_environment(
    make_client: Any, fake: FakeTiime, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_env(
        monkeypatch,
        company_id=999,
        email="env@example.com",
        password="env-password",
        base_url="https://env.invalid/v1",
        auth_url="https://env.invalid/oauth/token",
    )
    client = make_client()  # the fake's values, as arguments

    await run(client.clients.get(100001))

    (login,) = fake.logins  # went to the argument's auth_url
    body = json.loads(login.content)
    assert (body["username"], body["password"]) == (fake.email, fake.password)
    (request,) = fake.api_requests
    assert str(request.url) == f"{fake.base_url}/companies/{fake.company_id}/clients/100001"


async def test_access_token_from_environment(
    make_client: Any, fake: FakeTiime, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_env(monkeypatch, access_token="env-token-abc")
    fake.tokens.add("env-token-abc")
    client = make_client(email=None, password=None)

    await run(client.clients.get(100001))

    assert fake.logins == []
    assert [bearer(r) for r in fake.api_requests] == ["env-token-abc"]


async def test_access_token_argument_wins_over_environment(
    make_client: Any, fake: FakeTiime, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_env(monkeypatch, access_token="env-token-abc")
    fake.tokens.add("arg-token-def")
    client = make_client(email=None, password=None, access_token="arg-token-def")

    await run(client.clients.get(100001))

    assert [bearer(r) for r in fake.api_requests] == ["arg-token-def"]


@pytest.mark.parametrize("value", ["abc", "0", "-5", "1.5"])
@pytest.mark.parametrize("cls", [TiimeClient, AsyncTiimeClient])
def test_a_bad_company_id_in_the_environment(
    monkeypatch: pytest.MonkeyPatch, cls: type[Any], value: str
) -> None:
    set_env(monkeypatch, company_id=value)

    with pytest.raises(ConfigurationError, match="TIIME_COMPANY_ID"):
        cls(access_token="t")


async def test_a_trailing_slash_on_base_url_is_ignored(make_client: Any, fake: FakeTiime) -> None:
    client = make_client(base_url=fake.base_url + "/")

    await run(client.clients.get(100001))

    (request,) = fake.api_requests
    assert request.url.path == f"/v1/companies/{fake.company_id}/clients/100001"


async def test_default_timeouts_are_sent_with_every_request(
    make_client: Any, fake: FakeTiime
) -> None:
    client = make_client()

    await run(client.clients.get(100001))

    for request in fake.requests:  # the login too
        assert request.extensions["timeout"] == {
            "connect": 10.0,
            "read": 30.0,
            "write": 30.0,
            "pool": 30.0,
        }


async def test_timeout_option(make_client: Any, fake: FakeTiime) -> None:
    client = make_client(timeout=2.5)

    await run(client.clients.get(100001))

    for request in fake.requests:
        assert request.extensions["timeout"] == dict.fromkeys(
            ("connect", "read", "write", "pool"), 2.5
        )


# -- the stored login -------------------------------------------------------------------------


def test_save_login_writes_an_owner_only_file_without_password(
    fake: FakeTiime, config_dir: Path
) -> None:
    store(fake, token=Token(Secret("stored-access"), refresh_token=Secret("stored-refresh")))

    path = login_path()
    assert path == config_dir / "login.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data = json.loads(path.read_text())
    assert data["version"] == 2
    entry = data["hosts"][fake.base_url]  # one login per API base URL
    assert "password" not in entry
    assert fake.password not in path.read_text()
    assert entry["access_token"] == "stored-access"
    assert entry["refresh_token"] == "stored-refresh"
    loaded = load_login(fake.base_url)
    assert loaded is not None
    assert loaded.token.access_token.reveal() == "stored-access"
    assert loaded.company_id == fake.company_id


async def test_the_stored_login_is_used_without_credentials(
    make_client: Any, fake: FakeTiime
) -> None:
    store(fake)
    fake.tokens.add("stored-access")
    client = make_client(**{**NOTHING, "base_url": fake.base_url})

    await run(client.clients.get(100001))

    assert client.company_id == fake.company_id
    assert fake.logins == []
    (request,) = fake.api_requests
    assert bearer(request) == "stored-access"
    assert request.url.path == f"/v1/companies/{fake.company_id}/clients/100001"


async def test_an_expired_stored_token_without_refresh_token_asks_to_log_in(
    make_client: Any, fake: FakeTiime
) -> None:
    store(fake, token=Token(Secret("expired"), expires_at=time.time() - 1, refresh_token=None))
    client = make_client(**{**NOTHING, "base_url": fake.base_url})

    # No password in the stored login: an expired token cannot be renewed, and nothing is sent.
    with pytest.raises(AuthenticationError, match="tiime auth login"):
        await run(client.clients.get(100001))

    assert fake.requests == []


async def test_company_id_from_environment_wins_over_the_stored_one(
    make_client: Any, fake: FakeTiime, monkeypatch: pytest.MonkeyPatch
) -> None:
    store(fake, company_id=1)
    set_env(monkeypatch, company_id=fake.company_id)
    fake.tokens.add("stored-access")

    client = make_client(**{**NOTHING, "base_url": fake.base_url})

    assert client.company_id == fake.company_id


async def test_credentials_win_over_the_stored_login(make_client: Any, fake: FakeTiime) -> None:
    store(fake)

    client = make_client()
    await run(client.clients.get(100001))

    assert len(fake.logins) == 1
    assert bearer(fake.api_requests[0]) == fake.issued[0]


async def test_a_refreshed_token_is_written_back(make_client: Any, fake: FakeTiime) -> None:
    fake.refresh_tokens.add("stored-refresh")
    store(
        fake,
        token=Token(
            Secret("stale-access"),
            expires_at=time.time() - 10,
            refresh_token=Secret("stored-refresh"),
        ),
    )
    client = make_client(**{**NOTHING, "base_url": fake.base_url})

    await run(client.clients.get(100001))

    (login,) = fake.logins
    assert str(login.url) == fake.auth_url  # the stored login's token endpoint
    assert json.loads(login.content)["grant_type"] == "refresh_token"
    assert json.loads(login.content)["refresh_token"] == "stored-refresh"
    saved = load_login(fake.base_url)
    assert saved is not None
    assert saved.token.access_token.reveal() == fake.issued[0]
    assert saved.token.refresh_token is not None
    assert saved.token.refresh_token.reveal() == "stored-refresh"  # kept when not rotated
    assert saved.token.expires_at is not None
    assert saved.token.expires_at > time.time() + 3600
    assert saved.company_id == fake.company_id
    assert saved.email == fake.email
    assert stat.S_IMODE(login_path().stat().st_mode) == 0o600
    assert fake.password not in login_path().read_text()


async def test_a_refused_stored_token_is_refreshed_and_the_call_retried(
    make_client: Any, fake: FakeTiime
) -> None:
    fake.refresh_tokens.add("stored-refresh")
    store(fake, token=Token(Secret("revoked-access"), refresh_token=Secret("stored-refresh")))
    client = make_client(**{**NOTHING, "base_url": fake.base_url})

    result = await run(client.clients.get(100001))

    assert result.id == 100001
    assert [bearer(r) for r in fake.api_requests] == ["revoked-access", fake.issued[0]]
    saved = load_login(fake.base_url)
    assert saved is not None
    assert saved.token.access_token.reveal() == fake.issued[0]


async def test_a_stored_login_for_another_api_is_ignored(make_client: Any, fake: FakeTiime) -> None:
    store(fake, base_url="https://another.tiime.test/v1")

    with pytest.raises(ConfigurationError, match="tiime auth login"):
        make_client(**{**NOTHING, "base_url": fake.base_url})

    assert fake.requests == []


def test_an_unreadable_stored_login_is_ignored(config_dir: Path) -> None:
    (config_dir / "login.json").write_text("{not json")

    assert load_login(DEFAULT_BASE_URL) is None
    with pytest.raises(ConfigurationError):
        TiimeClient()


@pytest.mark.parametrize("bad", [True, 0, -5, "12345"])
def test_a_hand_edited_company_id_that_is_not_an_id_is_ignored(config_dir: Path, bad: Any) -> None:
    (config_dir / "login.json").write_text(
        json.dumps(
            {
                "version": 1,
                "base_url": "https://chronos-api.tiime-apps.com/v1",
                "auth_url": "https://auth0.tiime.fr/oauth/token",
                "access_token": "stored-access",
                "company_id": bad,
            }
        )
    )
    login = load_login(DEFAULT_BASE_URL)  # the version 1 file (one login) is still read
    assert login is not None
    assert login.company_id is None


async def test_a_refused_stored_refresh_token_asks_to_log_in_again(
    make_client: Any, fake: FakeTiime
) -> None:
    # The fake knows no refresh token: the stored one is refused, and there is no password.
    store(
        fake,
        token=Token(
            Secret("stale"), expires_at=time.time() - 10, refresh_token=Secret("refresh-secret-xyz")
        ),
    )
    client = make_client(**{**NOTHING, "base_url": fake.base_url})

    with pytest.raises(AuthenticationError, match="tiime auth login") as caught:
        await run(client.clients.get(100001))

    assert fake.api_requests == []
    assert "refresh-secret-xyz" not in str(caught.value)


# -- logins per API base URL, and the company choice -------------------------------------------


def test_logins_for_two_apis_are_kept_side_by_side(
    config_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TIIME_CONFIG_DIR", str(config_dir / "new"))  # made by the first save
    token = Token(Secret("sandbox-access"), expires_at=time.time() + 3600)
    save_login(StoredLogin("http://127.0.0.1:8787/v1", "http://127.0.0.1:8787/oauth/token", token))
    save_login(
        StoredLogin(DEFAULT_BASE_URL, "https://auth0.tiime.fr/oauth/token", Token(Secret("real")))
    )

    sandbox = load_login("http://127.0.0.1:8787/v1/")  # a trailing slash is the same API
    real = load_login(DEFAULT_BASE_URL)
    assert sandbox is not None
    assert real is not None
    assert sandbox.token.access_token.reveal() == "sandbox-access"
    assert real.token.access_token.reveal() == "real"
    assert delete_login(DEFAULT_BASE_URL)
    assert load_login(DEFAULT_BASE_URL) is None
    assert load_login("http://127.0.0.1:8787/v1") is not None
    assert stat.S_IMODE(login_path().stat().st_mode) == 0o600
    assert stat.S_IMODE(login_path().parent.stat().st_mode) == 0o700


def test_a_login_for_another_api_is_named(config_dir: Path) -> None:
    save_login(StoredLogin("http://127.0.0.1:8787/v1", "http://x/oauth/token", Token(Secret("t"))))

    with pytest.raises(ConfigurationError) as caught:
        TiimeClient()

    message = str(caught.value)
    assert f"logged in to http://127.0.0.1:8787/v1, not to {DEFAULT_BASE_URL}" in message
    assert "TIIME_BASE_URL" in message
    assert "tiime auth login" in message


def test_the_stored_company_is_used_with_credentials_from_the_environment(
    config_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_company(DEFAULT_BASE_URL, 4242)
    set_env(monkeypatch, email="a@b.test", password="pw")

    assert TiimeClient().company_id == 4242
    assert TiimeClient(company_id=7).company_id == 7  # the argument first
    set_env(monkeypatch, company_id=99)
    assert TiimeClient().company_id == 99  # then TIIME_COMPANY_ID
    assert TiimeClient(base_url="http://127.0.0.1:1/v1").company_id == 99
    monkeypatch.delenv("TIIME_COMPANY_ID")
    # A company chosen for one API is not used on another.
    assert TiimeClient(base_url="http://127.0.0.1:1/v1").company_id is None


def test_choosing_a_company_keeps_the_login(config_dir: Path) -> None:
    token = Token(Secret("kept"), expires_at=time.time() + 3600)
    save_login(StoredLogin(DEFAULT_BASE_URL, "https://auth0.tiime.fr/oauth/token", token))

    save_company(DEFAULT_BASE_URL, 12)

    login = load_login(DEFAULT_BASE_URL)
    assert login is not None
    assert login.token.access_token.reveal() == "kept"
    assert login.company_id == 12
    assert stored_company(DEFAULT_BASE_URL) == 12
    assert TiimeClient().company_id == 12


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("base_url", "http://[::1/v1"),
        ("auth_url", "::not a url::"),
        ("base_url", "chronos-api.tiime-apps.com/v1"),
        ("base_url", "http://host:70000/v1"),
    ],
)
def test_malformed_urls_are_configuration_errors(
    config_dir: Path, monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    with pytest.raises(ConfigurationError, match=f"{name}="):
        TiimeClient(access_token="t", **{name: value})
    monkeypatch.setenv(f"TIIME_{name.upper()}", value)
    with pytest.raises(ConfigurationError, match=f"TIIME_{name.upper()}"):
        TiimeClient(access_token="t")
