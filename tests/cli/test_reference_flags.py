"""Scripts written for the reference CLI keep working (RESOURCES.md §3)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tiime import __version__
from tiime.sandbox import Sandbox

from .conftest import Isolation, Result

Cli = Callable[..., Result]


def test_clients_search_query(cli: Cli) -> None:
    by_option = cli("--sandbox", "clients", "search", "--query", "boulangerie", "--format", "json")
    assert by_option.code == 0, by_option.err
    assert by_option.json
    assert by_option.json == cli("--sandbox", "clients", "search", "boulangerie").json


def test_clients_search_needs_some_text(cli: Cli) -> None:
    result = cli("--sandbox", "clients", "search")
    assert result.code == 2
    assert "TEXT (or --query TEXT)" in result.error_line


def test_clients_create_no_professional(cli: Cli) -> None:
    made = cli("--sandbox", "clients", "create", "--name", "Jeanne", "--no-professional")
    assert made.code == 0, made.err
    assert made.json["professional"] is False


def test_completion_shell_option(cli: Cli) -> None:
    result = cli("completion", "--shell", "bash")
    assert result.code == 0, result.err
    assert result.out == cli("completion", "bash").out
    assert cli("completion").code == 2


@pytest.mark.parametrize("args", [("version",), ("version", "--format", "json")])
def test_version_command(cli: Cli, args: tuple[str, ...]) -> None:
    result = cli(*args)
    assert result.code == 0, result.err
    assert result.json["version"] == __version__  # JSON when not on a terminal


def test_version_as_text(cli: Cli) -> None:
    assert cli("version", "--format", "table").out.startswith(f"tiime {__version__} (Python ")


def test_login_password_is_accepted_with_a_warning(
    cli: Cli, live_env: Sandbox, isolated: Isolation
) -> None:
    result = cli("auth", "login", "--email", live_env.email, "--password", live_env.password)
    assert result.code == 0, result.err
    assert "warning: --password is kept in your shell's history" in result.err
    assert live_env.password not in isolated.login_file.read_text(encoding="utf-8")


def test_login_password_stdin(cli: Cli, live_env: Sandbox) -> None:
    result = cli(
        "auth",
        "login",
        "--email",
        live_env.email,
        "--password-stdin",
        stdin=live_env.password + "\n",
    )
    assert result.code == 0, result.err
    assert "warning" not in result.err
    empty = cli("auth", "login", "--email", live_env.email, "--password-stdin", stdin="")
    assert empty.code == 2
    assert "--password-stdin: stdin holds no password" in empty.error_line
