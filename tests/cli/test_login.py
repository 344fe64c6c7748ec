"""``tiime auth ...`` and ``tiime company use`` against a sandbox served for the session.

``TIIME_BASE_URL``/``TIIME_AUTH_URL`` point at the sandbox; the credentials are given to
``auth login`` only, and every later command runs from the stored login.
"""

from __future__ import annotations

import datetime
import json
import stat
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from tiime.sandbox import SECOND_COMPANY_ID, Sandbox

from .conftest import OUTSIDER_EMAIL, OUTSIDER_PASSWORD, Isolation, Result

Cli = Callable[..., Result]

SEEDED_CLIENTS = 36


def stored(isolated: Isolation) -> dict[str, Any]:
    """The one entry of the stored logins' file (its ``hosts`` hold one base URL here)."""
    data = json.loads(isolated.login_file.read_text(encoding="utf-8"))
    assert data["version"] == 2
    ((_, entry),) = data["hosts"].items()
    assert isinstance(entry, dict)
    return entry


def rewrite(isolated: Isolation, entry: dict[str, Any]) -> None:
    """Replace the one entry of the stored logins' file (a hand edit)."""
    data = json.loads(isolated.login_file.read_text(encoding="utf-8"))
    ((url, _),) = data["hosts"].items()
    data["hosts"][url] = entry
    isolated.login_file.write_text(json.dumps(data), encoding="utf-8")


def test_login_stores_tokens_never_the_password(
    cli: Cli, live_env: Sandbox, isolated: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A user with one company (the demo user has two): the login chooses it.
    email, password = f"seule-{uuid.uuid4().hex[:8]}@tiime.test", "une-seule-entreprise"
    company_id = live_env.add_user(email, password, "Unique SARL", clients=1)
    monkeypatch.setenv("TIIME_EMAIL", email)
    monkeypatch.setenv("TIIME_PASSWORD", password)
    result = cli("auth", "login")
    assert result.code == 0, result.err
    assert result.out == ""
    assert f"Logged in to {live_env.base_url} as {email}" in result.err
    assert str(isolated.login_file) in result.err
    assert f"Company: {company_id}" in result.err  # the user's only company

    mode = stat.S_IMODE(isolated.login_file.stat().st_mode)
    assert mode == 0o600
    raw = isolated.login_file.read_text(encoding="utf-8")
    assert password not in raw
    data = stored(isolated)
    assert list(json.loads(raw)["hosts"]) == [live_env.base_url]  # stored for its API
    assert data["email"] == email
    assert data["auth_url"] == live_env.auth_url
    assert data["company_id"] == company_id
    assert isinstance(data["access_token"], str)
    assert data["access_token"].count(".") == 2  # a JWT
    assert isinstance(data["refresh_token"], str)
    assert isinstance(data["expires_at"], float)
    assert data["expires_at"] > time.time()
    # No token on the terminal either.
    assert data["access_token"] not in result.err
    assert data["refresh_token"] not in result.err


def test_commands_run_from_the_stored_login(
    cli: Cli, logged_in: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only TIIME_BASE_URL and TIIME_CONFIG_DIR: no e-mail, password, token or company.
    monkeypatch.delenv("TIIME_AUTH_URL")
    listed = cli("clients", "list")
    assert listed.code == 0, listed.err
    assert len(listed.json) >= SEEDED_CLIENTS
    assert listed.json[0]["name"] == "Société Générale de Plomberie"
    companies = cli("company", "list")  # the demo user's two companies
    assert [company["id"] for company in companies.json] == [
        logged_in.company_id,
        SECOND_COMPANY_ID,
    ]
    current = cli("company", "get")
    assert current.json["id"] == logged_in.company_id


def test_stored_login_is_for_its_own_api_only(
    cli: Cli, logged_in: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TIIME_BASE_URL", "http://127.0.0.1:9/v1")
    result = cli("clients", "list")
    assert result.code == 1
    # The login stored for the other API is named, with the two ways out.
    assert f"logged in to {logged_in.base_url}, not to http://127.0.0.1:9/v1" in result.error_line
    assert f"TIIME_BASE_URL={logged_in.base_url}" in result.error_line
    assert "tiime auth login" in result.error_line


def test_status_shows_email_company_and_expiry(
    cli: Cli, logged_in: Sandbox, isolated: Isolation
) -> None:
    result = cli("auth", "status")
    assert result.code == 0, result.err
    status = result.json
    assert status["email"] == logged_in.email
    assert status["company_id"] == logged_in.company_id
    assert status["base_url"] == logged_in.base_url
    assert status["refresh_token"] is True
    assert status["login_file"] == str(isolated.login_file)
    expires = datetime.datetime.fromisoformat(status["token_expires_at"])  # ISO 8601
    assert expires.tzinfo is not None
    assert expires.timestamp() == pytest.approx(stored(isolated)["expires_at"], abs=1)
    assert status["token_expired"] is False
    raw = isolated.login_file.read_text(encoding="utf-8")
    assert str(stored(isolated)["access_token"]) not in result.out
    assert logged_in.password not in raw + result.out + result.err

    table = cli("auth", "status", "--format", "table")
    assert table.code == 0
    assert logged_in.email in table.out
    assert str(logged_in.company_id) in table.out


def test_status_of_an_expired_login(cli: Cli, logged_in: Sandbox, isolated: Isolation) -> None:
    data = stored(isolated)
    data["expires_at"] = time.time() - 3600
    rewrite(isolated, data)
    result = cli("auth", "status")
    assert result.code == 0
    assert result.json["token_expired"] is True


def test_expired_token_is_renewed_and_stored(
    cli: Cli, logged_in: Sandbox, isolated: Isolation
) -> None:
    data = stored(isolated)
    expired = logged_in.issue_token(expires_in=-60)
    data["access_token"] = expired
    data["expires_at"] = time.time() - 60
    rewrite(isolated, data)

    result = cli("clients", "get", "100101")
    assert result.code == 0, result.err
    assert result.json["id"] == 100101
    renewed = stored(isolated)
    assert renewed["access_token"] != expired
    assert renewed["expires_at"] > time.time()
    assert renewed["refresh_token"] == data["refresh_token"]
    assert renewed["company_id"] == logged_in.company_id


def test_company_use_keeps_a_renewed_token(
    cli: Cli, logged_in: Sandbox, isolated: Isolation
) -> None:
    data = stored(isolated)
    expired = logged_in.issue_token(expires_in=-60)
    data["access_token"] = expired
    data["expires_at"] = time.time() - 60
    data["company_id"] = None
    rewrite(isolated, data)

    result = cli("company", "use", str(logged_in.company_id))
    assert result.code == 0, result.err
    after = stored(isolated)
    assert after["company_id"] == logged_in.company_id
    assert after["access_token"] != expired  # the token renewed on the way was kept
    assert after["expires_at"] > time.time()


def test_company_use(
    cli: Cli, logged_in: Sandbox, isolated: Isolation, outsider_company: int
) -> None:
    result = cli("company", "use", str(logged_in.company_id))
    assert result.code == 0, result.err
    assert f"Now using company {logged_in.company_id} (Atelier Martin Conseil)" in result.err
    assert stored(isolated)["company_id"] == logged_in.company_id

    refused = cli("company", "use", str(outsider_company))
    assert refused.code == 1
    assert "403" in refused.error_line
    assert "tiime company list" in refused.error_line
    assert stored(isolated)["company_id"] == logged_in.company_id  # unchanged

    missing = cli("company", "use", "999999")
    assert missing.code == 1
    assert missing.error_line
    assert stored(isolated)["company_id"] == logged_in.company_id


def test_company_use_needs_credentials(cli: Cli, live_env: Sandbox, isolated: Isolation) -> None:
    result = cli("company", "use", str(live_env.company_id))
    assert result.code == 1  # the same code as every other command without a login
    assert "tiime auth login" in result.error_line
    assert not isolated.login_file.exists()


def test_user_with_several_companies_chooses_one(
    cli: Cli, live_env: Sandbox, isolated: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    email, password = f"multi-{uuid.uuid4().hex[:8]}@tiime.test", "deux-entreprises"
    first = live_env.add_user(email, password, "Première SARL", clients=1)
    second = live_env.add_company(email, "Seconde SAS", clients=3)
    monkeypatch.setenv("TIIME_EMAIL", email)
    monkeypatch.setenv("TIIME_PASSWORD", password)
    login = cli("auth", "login")
    assert login.code == 0, login.err
    assert "tiime company use ID" in login.err
    assert stored(isolated)["company_id"] is None
    monkeypatch.delenv("TIIME_EMAIL")
    monkeypatch.delenv("TIIME_PASSWORD")

    no_company = cli("clients", "list")
    assert no_company.code == 1
    assert "company" in no_company.error_line

    companies = cli("company", "list")
    assert sorted(company["id"] for company in companies.json) == sorted([first, second])

    assert cli("company", "use", str(second)).code == 0
    listed = cli("clients", "list")
    assert listed.code == 0, listed.err
    assert len(listed.json) == 3
    assert cli("company", "get").json["name"] == "Seconde SAS"
    assert cli("auth", "status").json["company_id"] == second

    assert cli("company", "use", str(first)).code == 0
    assert len(cli("clients", "list").json) == 1


def test_login_with_a_chosen_company(
    cli: Cli, live_env: Sandbox, isolated: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TIIME_PASSWORD", live_env.password)
    result = cli(
        "auth", "login", "--email", live_env.email, "--company-id", str(live_env.company_id)
    )
    assert result.code == 0, result.err
    assert stored(isolated)["company_id"] == live_env.company_id
    assert stored(isolated)["email"] == live_env.email


def test_login_refuses_a_company_out_of_reach(
    cli: Cli,
    live_env: Sandbox,
    isolated: Isolation,
    monkeypatch: pytest.MonkeyPatch,
    outsider_company: int,
) -> None:
    monkeypatch.setenv("TIIME_PASSWORD", live_env.password)
    result = cli("auth", "login", "--email", live_env.email, "--company-id", str(outsider_company))
    assert result.code == 1
    assert result.error_line.startswith("tiime: error:")
    assert not isolated.login_file.exists()


def test_login_reads_the_password_from_stdin(
    cli: Cli, live_env: Sandbox, isolated: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TIIME_EMAIL", live_env.email)
    result = cli("auth", "login", stdin=f"{live_env.password}\n")
    assert result.code == 0, result.err
    assert isolated.login_file.exists()
    assert live_env.password not in isolated.login_file.read_text(encoding="utf-8")


def test_login_with_nothing_on_stdin(
    cli: Cli, live_env: Sandbox, isolated: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TIIME_EMAIL", live_env.email)
    result = cli("auth", "login", stdin="")
    assert result.code == 2
    assert "no password" in result.error_line
    assert not isolated.login_file.exists()


def test_login_without_an_email_when_not_on_a_terminal(
    cli: Cli, live_env: Sandbox, isolated: Isolation
) -> None:
    result = cli("auth", "login", stdin=f"{live_env.password}\n")
    assert result.code == 2
    assert "no e-mail" in result.error_line
    assert not isolated.login_file.exists()


@pytest.mark.parametrize(
    ("email", "password"),
    [("demo@tiime.test", "pas-le-bon"), ("personne@tiime.test", "sandbox-demo")],
)
def test_wrong_email_or_password(
    cli: Cli,
    live_env: Sandbox,
    isolated: Isolation,
    monkeypatch: pytest.MonkeyPatch,
    email: str,
    password: str,
) -> None:
    monkeypatch.setenv("TIIME_EMAIL", email)
    monkeypatch.setenv("TIIME_PASSWORD", password)
    result = cli("auth", "login")
    assert result.code == 1
    assert result.out == ""
    line = result.error_line
    assert line.startswith("tiime: error: wrong e-mail or password")
    assert 'server said: "Wrong email or password."' in line  # the server's words, quoted
    assert "log in again" not in line
    assert "company_id" not in result.error_line  # a refused login is not a company problem
    assert password not in result.err
    assert not isolated.login_file.exists()


def test_wrong_password_keeps_the_previous_login(
    cli: Cli, logged_in: Sandbox, isolated: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = isolated.login_file.read_bytes()
    monkeypatch.setenv("TIIME_EMAIL", logged_in.email)
    monkeypatch.setenv("TIIME_PASSWORD", "pas-le-bon")
    assert cli("auth", "login").code == 1
    assert isolated.login_file.read_bytes() == before


def test_other_user_logs_in_over_the_previous_login(
    cli: Cli,
    logged_in: Sandbox,
    isolated: Isolation,
    outsider_company: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TIIME_EMAIL", OUTSIDER_EMAIL)
    monkeypatch.setenv("TIIME_PASSWORD", OUTSIDER_PASSWORD)
    assert cli("auth", "login").code == 0
    monkeypatch.delenv("TIIME_EMAIL")
    monkeypatch.delenv("TIIME_PASSWORD")
    assert cli("auth", "status").json["email"] == OUTSIDER_EMAIL
    listed = cli("clients", "list")
    assert listed.code == 0, listed.err
    assert len(listed.json) == 2
    assert cli("company", "get").json["id"] == outsider_company


def test_logout_removes_the_stored_login(cli: Cli, logged_in: Sandbox, isolated: Isolation) -> None:
    assert isolated.login_file.exists()
    result = cli("auth", "logout")
    assert result.code == 0
    assert "Logged out" in result.err
    assert not isolated.login_file.exists()

    after = cli("clients", "list")
    assert after.code == 1
    assert "No Tiime credentials" in after.error_line
    status = cli("auth", "status")
    assert status.code == after.code == 1  # "not logged in": the same code for every command
    assert f"not logged in to {logged_in.base_url}" in status.error_line


def test_verbose_login_shows_no_secret(
    cli: Cli, live_env: Sandbox, isolated: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TIIME_EMAIL", live_env.email)
    monkeypatch.setenv("TIIME_PASSWORD", live_env.password)
    login = cli("--verbose", "auth", "login", "--company-id", str(live_env.company_id))
    assert login.code == 0, login.err
    assert "> POST " in login.err
    assert "/oauth/token" in login.err
    monkeypatch.delenv("TIIME_EMAIL")
    monkeypatch.delenv("TIIME_PASSWORD")
    listed = cli("clients", "list", "-v")
    assert listed.code == 0
    assert "authorization: [redacted]" in listed.err.lower()
    data = stored(isolated)
    for secret in (live_env.password, data["access_token"], data["refresh_token"]):
        assert isinstance(secret, str)
        for output in (login.out, login.err, listed.out, listed.err):
            assert secret not in output


def test_access_token_from_the_environment(
    cli: Cli, live_env: Sandbox, isolated: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TIIME_ACCESS_TOKEN", live_env.issue_token())
    monkeypatch.setenv("TIIME_COMPANY_ID", str(live_env.company_id))
    result = cli("clients", "get", "100102")
    assert result.code == 0, result.err
    assert result.json["name"] == "Boulangerie Hélène"
    assert not isolated.login_file.exists()


def test_expired_access_token_without_credentials(
    cli: Cli, live_env: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TIIME_ACCESS_TOKEN", live_env.issue_token(expires_in=-60))
    monkeypatch.setenv("TIIME_COMPANY_ID", str(live_env.company_id))
    result = cli("clients", "list")
    assert result.code == 1
    assert "tiime auth login" in result.error_line


def test_company_use_with_credentials_from_the_environment(
    cli: Cli, live_env: Sandbox, isolated: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    email, password = f"env-{uuid.uuid4().hex[:8]}@tiime.test", "deux-entreprises"
    first = live_env.add_user(email, password, "Première SARL", clients=1)
    second = live_env.add_company(email, "Seconde SAS", clients=3)
    monkeypatch.setenv("TIIME_EMAIL", email)
    monkeypatch.setenv("TIIME_PASSWORD", password)

    used = cli("company", "use", str(second))
    assert used.code == 0, used.err
    assert f"Now using company {second}" in used.err
    listed = cli("clients", "list")  # the choice holds for the next command
    assert listed.code == 0, listed.err
    assert len(listed.json) == 3
    monkeypatch.setenv("TIIME_COMPANY_ID", str(first))  # the environment wins over the choice
    assert len(cli("clients", "list").json) == 1
    assert "access_token" not in stored(isolated)  # a choice only: no login was stored
    assert password not in isolated.login_file.read_text(encoding="utf-8")


def test_logins_to_two_apis_side_by_side(
    cli: Cli, logged_in: Sandbox, isolated: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Sandbox(db_path=isolated.config_dir.parent / "second.db") as other:
        monkeypatch.setenv("TIIME_BASE_URL", other.base_url)
        monkeypatch.setenv("TIIME_AUTH_URL", other.auth_url)
        missing = cli("clients", "list")
        assert missing.code == 1
        assert f"logged in to {logged_in.base_url}, not to {other.base_url}" in missing.error_line
        monkeypatch.setenv("TIIME_EMAIL", other.email)
        monkeypatch.setenv("TIIME_PASSWORD", other.password)
        assert cli("auth", "login", "--company-id", str(other.company_id)).code == 0
        monkeypatch.delenv("TIIME_EMAIL")
        monkeypatch.delenv("TIIME_PASSWORD")
        assert cli("clients", "get", "100101").code == 0
        assert cli("auth", "status").json["base_url"] == other.base_url
    monkeypatch.setenv("TIIME_BASE_URL", logged_in.base_url)
    monkeypatch.setenv("TIIME_AUTH_URL", logged_in.auth_url)
    assert cli("clients", "get", "100101").code == 0  # the first login is still there
    hosts = json.loads(isolated.login_file.read_text(encoding="utf-8"))["hosts"]
    assert sorted(hosts) == sorted([logged_in.base_url, other.base_url])


def test_company_use_takes_a_name_as_company_does(
    cli: Cli, logged_in: Sandbox, isolated: Isolation
) -> None:
    used = cli("company", "use", "martin  FORMATIONS")  # whole name, any case and spacing
    assert used.code == 0, used.err
    assert f"Now using company {SECOND_COMPANY_ID} (Martin Formations)" in used.err
    assert stored(isolated)["company_id"] == SECOND_COMPANY_ID
    assert cli("company", "get").json["name"] == "Martin Formations"

    unknown = cli("company", "use", "Martin")  # part of a name is not a name
    assert unknown.code == 2
    assert "unknown company 'Martin'" in unknown.error_line
    assert "tiime company list" in unknown.error_line
    assert stored(isolated)["company_id"] == SECOND_COMPANY_ID  # unchanged

    assert cli("company", "use", "--id", str(logged_in.company_id)).code == 0
    assert stored(isolated)["company_id"] == logged_in.company_id
    both = cli("company", "use", "Martin Formations", "--id", str(logged_in.company_id))
    assert both.code == 2
    assert "two different companies" in both.error_line


def test_company_use_refuses_a_name_two_companies_share(
    cli: Cli, live_env: Sandbox, isolated: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    email, password = f"homonymes-{uuid.uuid4().hex[:8]}@tiime.test", "deux-homonymes"
    first = live_env.add_user(email, password, "Jumelle SARL")
    second = live_env.add_company(email, "Jumelle SARL")
    monkeypatch.setenv("TIIME_EMAIL", email)
    monkeypatch.setenv("TIIME_PASSWORD", password)

    result = cli("company", "use", "jumelle sarl")
    assert result.code == 2
    assert f"give its id ({first}, {second})" in result.error_line


def test_company_refuses_a_name_two_companies_share_as_company_use_does(
    cli: Cli, live_env: Sandbox, isolated: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    # --company NAME picked one of the two silently (the last one listed).
    email, password = f"homonymes-{uuid.uuid4().hex[:8]}@tiime.test", "deux-homonymes"
    first = live_env.add_user(email, password, "Jumelle SARL")
    second = live_env.add_company(email, "Jumelle SARL")
    monkeypatch.setenv("TIIME_EMAIL", email)
    monkeypatch.setenv("TIIME_PASSWORD", password)

    result = cli("status", "--company", "jumelle  sarl", "--format", "json")
    assert result.code == 2
    assert f"give its id ({first}, {second})" in result.error_line
