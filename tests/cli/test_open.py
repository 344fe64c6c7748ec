"""``tiime open [SECTION]``: the web app's URL, printed, and opened only on a desktop."""

from __future__ import annotations

import io
import sys
import webbrowser
from collections.abc import Callable

import pytest

from tiime.cli.commands import open as open_command
from tiime.sandbox import DEMO_COMPANY_ID

from .conftest import Result

Cli = Callable[..., Result]


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The URLs given to the browser (none really opened)."""
    urls: list[str] = []

    def fake_open(url: str, *args: object, **kwargs: object) -> bool:
        urls.append(url)
        return True

    monkeypatch.setattr(webbrowser, "open", fake_open)
    return urls


@pytest.mark.parametrize(
    ("section", "path"),
    [
        ("invoices", "/invoicing/invoices"),
        ("quotations", "/invoicing/quotations"),
        ("clients", "/invoicing/clients"),
        ("bank", "/bank"),
        ("documents", "/documents"),
        ("expenses", "/expense-reports"),
    ],
)
def test_a_section_s_url_is_that_of_the_current_company(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, opened: list[str], section: str, path: str
) -> None:
    monkeypatch.setenv("TIIME_COMPANY_ID", str(DEMO_COMPANY_ID))
    monkeypatch.setenv("TIIME_ACCESS_TOKEN", "not-used")
    result = cli("open", section)
    assert result.code == 0, result.err
    assert result.out == f"https://apps.tiime.fr/companies/{DEMO_COMPANY_ID}{path}\n"
    assert opened == []  # stdout is not a terminal here


def test_no_section_is_the_home_page_and_needs_no_login(cli: Cli, opened: list[str]) -> None:
    result = cli("open")
    assert result.code == 0, result.err
    assert result.out == "https://apps.tiime.fr\n"


def test_the_company_comes_from_the_environment(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, opened: list[str]
) -> None:
    monkeypatch.setenv("TIIME_COMPANY_ID", "777")
    monkeypatch.setenv("TIIME_ACCESS_TOKEN", "not-used")
    result = cli("open", "bank", "--no-browser")
    assert result.code == 0, result.err
    assert result.out == "https://apps.tiime.fr/companies/777/bank\n"


def test_an_unknown_section_is_a_usage_error_listing_the_sections(cli: Cli) -> None:
    result = cli("open", "banque")
    assert result.code == 2
    line = result.error_line
    for section in open_command.SECTIONS:
        assert section in line


def test_no_company_is_one_line(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIIME_ACCESS_TOKEN", "not-used")
    result = cli("open", "bank")
    assert result.code == 1
    assert "company" in result.error_line


class _Terminal:
    def isatty(self) -> bool:
        return True


def _as_desktop(monkeypatch: pytest.MonkeyPatch, *, display: bool) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(sys, "stdout", _Terminal())
    if display:
        monkeypatch.setenv("DISPLAY", ":0")
    else:
        monkeypatch.delenv("DISPLAY", raising=False)
        monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)


def test_on_a_desktop_terminal_the_browser_opens(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, opened: list[str]
) -> None:
    monkeypatch.setattr(open_command, "_desktop", lambda: True)
    result = cli("open")
    assert result.code == 0, result.err
    assert opened == ["https://apps.tiime.fr"]


def test_no_browser_only_prints(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, opened: list[str]
) -> None:
    monkeypatch.setattr(open_command, "_desktop", lambda: True)
    result = cli("open", "--no-browser")
    assert result.code == 0, result.err
    assert opened == []
    assert result.out == "https://apps.tiime.fr\n"


@pytest.mark.parametrize(("display", "expected"), [(True, True), (False, False)])
def test_a_desktop_needs_a_display_on_linux(
    monkeypatch: pytest.MonkeyPatch, display: bool, expected: bool
) -> None:
    _as_desktop(monkeypatch, display=display)
    assert open_command._desktop() is expected


def test_a_pipe_is_no_desktop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert open_command._desktop() is False


@pytest.mark.parametrize("section", [(), ("invoices",)])
def test_the_sandbox_has_no_web_app(cli: Cli, opened: list[str], section: tuple[str, ...]) -> None:
    result = cli("--sandbox", "open", *section)
    assert result.code == 1
    assert "the sandbox has no web app" in result.error_line
    assert result.out == ""
    assert opened == []


@pytest.mark.parametrize(
    "base", ["http://127.0.0.1:8787/v1", "http://localhost:9000", "http://[::1]:1"]
)
def test_an_api_on_this_machine_has_no_web_app(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, opened: list[str], base: str
) -> None:
    monkeypatch.setenv("TIIME_BASE_URL", base)
    result = cli("open", "bank", "--no-browser")
    assert result.code == 1
    assert f"the sandbox at {base} has no web app" in result.error_line
    assert result.out == ""
