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


@pytest.mark.parametrize(
    ("group", "list_", "size"), [("invoices", "list", 5), ("documents", "list", 4)]
)
def test_page_and_page_size_list_one_page(cli: Cli, group: str, list_: str, size: int) -> None:
    every = cli("--sandbox", group, list_, "--format", "json").json
    page = cli("--sandbox", group, list_, "--page", "2", "--page-size", str(size))
    assert page.code == 0, page.err
    assert [item["id"] for item in page.json] == [item["id"] for item in every[size : 2 * size]]
    first = cli("--sandbox", group, list_, "--page-size", str(size)).json  # page 1
    assert [item["id"] for item in first] == [item["id"] for item in every[:size]]
    default = cli("--sandbox", group, list_, "--page", "1").json  # 25 a page, as the reference
    assert [item["id"] for item in default] == [item["id"] for item in every[:25]]


def test_page_with_a_filter_made_here_is_a_usage_error(cli: Cli) -> None:
    result = cli("--sandbox", "invoices", "list", "--page", "2", "--client", "100101")
    assert result.code == 2
    assert "--page gives one page as the API lists it" in result.error_line


def test_a_page_asks_the_api_for_that_page_only(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from tiime.resources.invoices import _InvoicesCalls

    listed: list[str] = []
    monkeypatch.setattr(
        _InvoicesCalls, "iter", lambda *a, **k: listed.append("every page") or iter(())
    )
    result = cli("--sandbox", "invoices", "list", "--page", "3", "--page-size", "10")
    assert result.code == 0, result.err
    assert listed == []
    assert len(result.json) == 10
