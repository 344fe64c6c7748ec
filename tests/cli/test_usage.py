"""The command tree: --version, --help, and usage errors (exit code 2, one line, no server)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tiime import __version__

from .conftest import Result

Cli = Callable[..., Result]


def test_version(cli: Cli) -> None:
    result = cli("--version")
    assert result.code == 0
    assert result.out.strip() == f"tiime {__version__}"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), ["auth", "company", "clients", "sandbox", "completion", "--format", "--sandbox"]),
        (("auth",), ["login", "logout", "status"]),
        (("auth", "login"), ["--email", "--company-id"]),
        (("auth", "logout"), ["forget the stored login"]),
        (("auth", "status"), ["expires"]),
        (("company",), ["list", "use", "get"]),
        (("company", "list"), ["--format"]),
        (("company", "use"), ["ID"]),
        (("company", "get"), ["ID"]),
        (("clients",), ["list", "get", "create", "search", "contacts"]),
        (("clients", "list"), ["--archived", "--active", "--format"]),
        (("clients", "get"), ["ID"]),
        (
            ("clients", "create"),
            [
                "--name",
                "--email",
                "--phone",
                "--address",
                "--postal-code",
                "--city",
                "--country-id",
                "--siret",
                "--professional",
                "--individual",
            ],
        ),
        (("clients", "search"), ["TEXT"]),
        (("clients", "contacts"), ["ID"]),
        (("sandbox",), ["--host", "--port", "--db", "--clients"]),
        (("completion",), ["bash", "zsh", "fish"]),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, tuple) else None,
)
def test_help_of_every_command(cli: Cli, args: tuple[str, ...], expected: list[str]) -> None:
    result = cli(*args, "--help")
    assert result.code == 0, result.err
    assert result.out.startswith(f"usage: tiime {' '.join(args)}".rstrip())
    for word in expected:
        assert word in result.out
    assert result.err == ""


@pytest.mark.parametrize(
    ("args", "mentions"),
    [
        (("frobnicate",), "invalid choice: 'frobnicate'"),
        (("clients", "delete", "1"), "invalid choice: 'delete'"),
        (("clients", "create"), "--name"),
        (("clients", "create", "--email", "a@b.fr"), "--name"),
        (("clients", "get"), "ID"),
        (("clients", "get", "abc"), "not a positive integer: 'abc'"),
        (("clients", "get", "0"), "not a positive integer: '0'"),
        (("clients", "get", "-3"), "-3"),
        (("clients", "contacts", "1.5"), "not a positive integer: '1.5'"),
        (("company", "use", "0"), "not a positive integer: '0'"),
        (("company", "use"), "ID|NAME"),
        (("company", "get", "0"), "not a positive integer: '0'"),
        (("clients", "list", "--archived", "--active"), "not allowed with argument"),
        (("clients", "create", "--name", "X", "--professional", "--individual"), "not allowed"),
        (("clients", "create", "--name", "X", "--country-id", "France"), "'France'"),
        (("clients", "list", "--format", "xml"), "invalid choice: 'xml'"),
        (("completion", "powershell"), "invalid choice: 'powershell'"),
        (("auth", "login", "--company-id", "0"), "not a positive integer: '0'"),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, tuple) else None,
)
def test_usage_errors_exit_2_with_one_line(cli: Cli, args: tuple[str, ...], mentions: str) -> None:
    result = cli(*args)
    assert result.code == 2
    assert result.out == ""
    line = result.error_line
    assert mentions in line
    assert "--help" in line  # says where to look


def test_options_before_or_after_the_command_are_the_same(cli: Cli) -> None:
    before = cli("--format", "xml", "clients", "list")
    after = cli("clients", "list", "--format", "xml")
    assert before.code == after.code == 2
    assert "invalid choice: 'xml'" in before.error_line
    assert "invalid choice: 'xml'" in after.error_line


def test_completion_scripts(cli: Cli) -> None:
    bash = cli("completion", "bash")
    assert bash.code == 0
    assert "complete " in bash.out
    assert "_python_argcomplete tiime" in bash.out
    fish = cli("completion", "fish")
    assert fish.code == 0
    assert "complete " in fish.out
    assert "tiime" in fish.out
    assert fish.out != bash.out


def test_no_credentials_is_one_line_and_exit_1(cli: Cli) -> None:
    result = cli("clients", "list")
    assert result.code == 1
    line = result.error_line
    assert "TIIME_EMAIL" in line
    assert "tiime auth login" in line


def test_bad_company_id_in_the_environment(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIIME_COMPANY_ID", "douze")
    monkeypatch.setenv("TIIME_ACCESS_TOKEN", "not-used")
    result = cli("clients", "list")
    assert result.code == 1
    assert "TIIME_COMPANY_ID" in result.error_line
    assert "'douze'" in result.error_line


def test_status_and_logout_when_not_logged_in(cli: Cli) -> None:
    status = cli("auth", "status")
    assert status.code == 1  # as every command without a login
    assert "not logged in" in status.error_line
    logout = cli("auth", "logout")
    assert logout.code == 0
    assert "Not logged in" in logout.err
    assert logout.out == ""
