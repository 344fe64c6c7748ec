"""Bad input and failures of every kind: one line on stderr, exit 2 (usage) or 1 (runtime)."""

from __future__ import annotations

import socket
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tiime import APIConnectionError
from tiime.cli._errors import describe
from tiime.sandbox import Sandbox

from .conftest import BinaryResult, Isolation, Result

Cli = Callable[..., Result]
Tiime = Callable[..., BinaryResult]


def one_line(result: Result | BinaryResult) -> str:
    assert "Traceback" not in result.err, result.err
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("tiime: error: "), result.err
    return lines[0]


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A loopback port something else listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on (bound then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


# -- tiime sandbox ----------------------------------------------------------------------------


@pytest.mark.parametrize("port", ["99999", "-1", "0", "http"])
def test_sandbox_port_out_of_range_is_a_usage_error(cli: Cli, port: str) -> None:
    result = cli("sandbox", "--port", port)
    assert result.code == 2
    assert "--port" in one_line(result)


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("--chaos", "0.1,explode"), "explode"),
        (("--chaos", "often"), "--chaos"),
        (("--chaos", "0.1", "--allow-remote"), "--allow-remote"),
        (("--chaos-seed", "4"), "--chaos"),
    ],
)
def test_sandbox_bad_chaos_is_a_usage_error(
    cli: Cli, tmp_path: Path, args: tuple[str, ...], named: str
) -> None:
    result = cli("sandbox", "--db", str(tmp_path / "s.db"), *args)
    assert result.code == 2
    assert named in one_line(result)
    assert not (tmp_path / "s.db").exists()


def test_sandbox_port_in_use(cli: Cli, busy_port: int, tmp_path: Path) -> None:
    result = cli("sandbox", "--port", str(busy_port), "--db", str(tmp_path / "s.db"))
    assert result.code == 1
    assert f"port {busy_port}" in one_line(result)
    assert "in use" in result.err


def test_sandbox_unknown_host(cli: Cli, tmp_path: Path) -> None:
    result = cli("sandbox", "--host", "bad.invalid", "--port", "1", "--db", str(tmp_path / "s.db"))
    assert result.code == 1
    assert "bad.invalid" in one_line(result)


@pytest.mark.parametrize("kind", ["not sqlite", "directory"])
def test_sandbox_db_that_is_not_a_database(cli: Cli, tmp_path: Path, kind: str) -> None:
    db = tmp_path / "db"
    if kind == "directory":
        db.mkdir()
    else:
        db.write_text("these are not the bytes of a SQLite database\n" * 100)
    result = cli("sandbox", "--db", str(db), "--port", "1")
    assert result.code == 1
    assert str(db) in one_line(result)


def test_garbage_sandbox_db_in_the_environment(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"\x00\xff garbage " * 500)
    monkeypatch.setenv("TIIME_SANDBOX_DB", str(garbage))
    result = cli("--sandbox", "clients", "list")
    assert result.code == 1
    assert str(garbage) in one_line(result)


def test_sandbox_db_of_another_schema(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE clients (something_else TEXT)")
        db.execute("PRAGMA user_version = 999")
    db.close()
    monkeypatch.setenv("TIIME_SANDBOX_DB", str(other))
    result = cli("--sandbox", "clients", "list")
    assert result.code == 1
    assert str(other) in one_line(result)


# -- the environment --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TIIME_AUTH_URL", "::not a url::"),
        ("TIIME_BASE_URL", "http://[::1/v1"),
        ("TIIME_BASE_URL", "ftp://example.test/v1"),
        ("TIIME_BASE_URL", "http://127.0.0.1:99999/v1"),
    ],
)
def test_malformed_urls_in_the_environment(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    monkeypatch.setenv("TIIME_ACCESS_TOKEN", "not-sent")
    monkeypatch.setenv("TIIME_COMPANY_ID", "1")
    commands = [("clients", "list"), ("company", "use", "1")]
    if name == "TIIME_BASE_URL":  # these read the base URL only
        commands += [("auth", "status"), ("auth", "logout")]
    for args in commands:
        result = cli(*args)
        assert result.code == 1
        line = one_line(result)
        assert name in line
        assert repr(value) in line


@pytest.mark.parametrize("kind", ["a file", "unwritable"])
def test_config_dir_that_cannot_hold_the_login(
    cli: Cli,
    live_env: Sandbox,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
) -> None:
    config = tmp_path / "config-here"
    if kind == "a file":
        config.write_text("not a directory")
    elif _root():  # a mode does not stop root (CI runs as root): a directory no one writes
        config = _unwritable_even_by_root()
    else:
        config.mkdir(mode=0o500)
    monkeypatch.setenv("TIIME_CONFIG_DIR", str(config))
    monkeypatch.setenv("TIIME_EMAIL", live_env.email)
    monkeypatch.setenv("TIIME_PASSWORD", live_env.password)
    for args in (("auth", "login"), ("company", "use", str(live_env.company_id))):
        result = cli(*args)
        assert result.code == 1
        assert str(config) in one_line(result)
    status = cli("auth", "status")
    assert status.code == 1
    one_line(status)


def _unwritable_even_by_root() -> Path:
    """A directory that refuses a new file to root too (sysfs, read-only on Linux)."""
    candidate = Path("/sys/kernel")
    probe = candidate / "tiime-probe.json"
    try:
        probe.write_text("{}")
    except OSError:
        return candidate
    probe.unlink()
    pytest.skip("no directory here refuses root a new file")


def _root() -> bool:
    import os

    return hasattr(os, "geteuid") and os.geteuid() == 0


def test_arguments_that_are_not_utf8(tiime: Tiime, isolated: Isolation) -> None:
    import os
    import subprocess

    from .conftest import tiime_command

    completed = subprocess.run(
        [*map(os.fsencode, tiime_command()), b"--sandbox", b"clients", b"search", b"caf\xe9"],
        capture_output=True,
        timeout=60,
        check=False,
    )
    result = BinaryResult(completed.returncode, completed.stdout, completed.stderr.decode())
    assert result.code == 2
    assert "caf\\xe9" in one_line(result)
    assert result.out == b""


# -- hints --------------------------------------------------------------------------------------


def test_company_use_of_an_unknown_company_points_at_company_list(
    cli: Cli, logged_in: Sandbox
) -> None:
    result = cli("company", "use", "99999")
    assert result.code == 1
    line = one_line(result)
    assert "tiime company list" in line
    assert "tiime clients list" not in line
    assert 'server said: "' in line  # the server's own words, quoted as its


def test_unknown_client_quotes_the_server(cli: Cli) -> None:
    result = cli("--sandbox", "clients", "get", "99999")
    assert result.code == 1
    line = one_line(result)
    assert 'server said: "Client introuvable"' in line
    assert "tiime clients list" in line


def test_refused_connection_names_the_url(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, closed_port: int
) -> None:
    url = f"http://127.0.0.1:{closed_port}/v1"
    monkeypatch.setenv("TIIME_BASE_URL", url)
    monkeypatch.setenv("TIIME_ACCESS_TOKEN", "not-used")
    monkeypatch.setenv("TIIME_COMPANY_ID", "1")
    result = cli("clients", "get", "1")
    assert result.code == 1
    line = one_line(result)
    assert f"{url}/companies/1/clients/1" in line
    assert "tiime sandbox" not in line  # not the sandbox's address


def test_refused_connection_to_the_sandbox_address_asks_if_it_runs() -> None:
    error = APIConnectionError(
        "could not reach the server ([Errno 111] Connection refused); check the network",
        method="GET",
        endpoint="http://127.0.0.1:8787/v1/companies/1/clients",
    )
    line = describe(error)
    assert "http://127.0.0.1:8787/v1/companies/1/clients" in line
    assert "is `tiime sandbox` running?" in line


def test_the_sandbox_own_error_is_shown_as_it_is(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import tiime.sandbox

    class SandboxError(Exception):
        """Stands for tiime.sandbox.SandboxError (one-line messages)."""

    def refuse(**_: object) -> None:
        raise SandboxError("the database was written by a newer tiime (schema 9, this is 2)")

    monkeypatch.setattr(tiime.sandbox, "SandboxError", SandboxError, raising=False)
    monkeypatch.setattr(tiime.sandbox, "serve", refuse)
    result = cli("sandbox", "--db", str(tmp_path / "s.db"))
    assert result.code == 1
    assert one_line(result) == (
        "tiime: error: the database was written by a newer tiime (schema 9, this is 2)"
    )


def test_error_lines_carry_no_terminal_escape(capsys: pytest.CaptureFixture[str]) -> None:
    from tiime.cli._errors import fail

    assert fail("server said: \x1b[2J\x1b]0;pwned\x07gone\r\nnext", 1) == 1
    err = capsys.readouterr().err
    assert err == "tiime: error: server said: \\x1b[2J\\x1b]0;pwned\\x07gone next\n"
