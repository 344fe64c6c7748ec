"""A damaged stored logins' file: one line naming it and the way out, on every command;
``tiime auth logout`` (and ``login``) always work, and set it aside, never overwrite it."""

from __future__ import annotations

import stat
from collections.abc import Callable

import pytest

from tiime.sandbox import Sandbox

from .conftest import BinaryResult, Isolation, Result

Cli = Callable[..., Result]
Tiime = Callable[..., BinaryResult]

DAMAGED = {
    "nested 100,000 deep": b"[" * 100_000 + b"]" * 100_000,
    "objects nested 100,000 deep": b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    "nested 500 deep": b'{"version": 2, "hosts": {"x": ' + b"[" * 500 + b"]" * 500 + b"}}",
    "not JSON": b'{"version": 2, "hosts": {',
    "not UTF-8": b'{"version": 2, "hosts": {"\xff": {}}}',
    "a list": b"[1, 2, 3]",
    "hosts not an object": b'{"version": 2, "hosts": [1]}',
}


def one_line(result: Result | BinaryResult) -> str:
    assert "Traceback" not in result.err, result.err[-2000:]
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err[-2000:]
    assert lines[0].startswith("tiime: error: "), result.err
    return lines[0]


def set_aside(isolated: Isolation) -> list[str]:
    return sorted(p.name for p in isolated.config_dir.glob("login.json.corrupt-*"))


def test_a_login_file_nested_100000_deep_breaks_no_command(
    tiime: Tiime, isolated: Isolation
) -> None:
    """The file of the report, through the real command: every command says what is wrong,
    `auth logout` gets the user out."""
    isolated.config_dir.mkdir(mode=0o700)
    damaged = DAMAGED["nested 100,000 deep"]
    isolated.login_file.write_bytes(damaged)

    listing = tiime("clients", "list")
    assert listing.code == 1
    line = one_line(listing)
    assert str(isolated.login_file) in line
    assert "tiime auth logout" in line

    assert tiime("--sandbox", "company", "get").code == 0  # the sandbox needs no stored login

    logout = tiime("auth", "logout")
    assert logout.code == 0, logout.err
    assert "Traceback" not in logout.err
    (aside,) = set_aside(isolated)
    assert aside in logout.err
    assert not isolated.login_file.exists()
    kept = isolated.config_dir / aside
    assert kept.read_bytes() == damaged  # kept, byte for byte
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600

    after = tiime("clients", "list")
    assert after.code == 1
    assert "tiime auth login" in one_line(after)  # plainly logged out now


@pytest.mark.parametrize("kind", list(DAMAGED))
def test_a_damaged_login_file_is_one_line_and_logout_sets_it_aside(
    cli: Cli, isolated: Isolation, kind: str
) -> None:
    isolated.config_dir.mkdir(mode=0o700)
    isolated.login_file.write_bytes(DAMAGED[kind])

    for args in (("clients", "list"), ("auth", "status"), ("company", "get")):
        result = cli(*args)
        assert result.code == 1, (args, result.err)
        line = one_line(result)
        assert str(isolated.login_file) in line, args
        assert "tiime auth logout" in line, args
    assert set_aside(isolated) == []  # reading never moves it

    logout = cli("auth", "logout")
    assert logout.code == 0, logout.err
    assert "Traceback" not in logout.err
    (aside,) = set_aside(isolated)
    assert (isolated.config_dir / aside).read_bytes() == DAMAGED[kind]
    assert cli("auth", "logout").code == 0  # and again, on no file at all


def test_login_over_a_damaged_file_sets_it_aside(
    cli: Cli, live_env: Sandbox, isolated: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    isolated.config_dir.mkdir(mode=0o700)
    isolated.login_file.write_bytes(DAMAGED["not JSON"])
    monkeypatch.setenv("TIIME_EMAIL", live_env.email)
    monkeypatch.setenv("TIIME_PASSWORD", live_env.password)

    result = cli("auth", "login", "--company-id", str(live_env.company_id))  # one of two

    assert result.code == 0, result.err
    (aside,) = set_aside(isolated)
    assert aside in result.err
    assert (isolated.config_dir / aside).read_bytes() == DAMAGED["not JSON"]
    monkeypatch.delenv("TIIME_EMAIL")
    monkeypatch.delenv("TIIME_PASSWORD")
    assert cli("clients", "list", "--limit", "1", "--format", "json").code == 0
