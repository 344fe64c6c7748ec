"""`tiime dashboard` as a user sees it: headless Chromium (Debian's ``chromium``, driven by
Playwright's Python API) against the command run on a sandbox.

The page loads with no console error, shows the figures the SDK's full listings give, each
chart has drawn (its bars' colour is on the canvas), the year picker and the company switch
work, and nothing is shown without the token. Screenshots of each page at a laptop and a
phone width land in ``tests/dashboard/artifacts/``.

Needs Chromium and Playwright's Python package (``make test`` installs both when run as
root). Without them the tests skip with one line saying how to get them, except in CI
(``CI=true``), where they fail: there they must run.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tiime.sandbox import Sandbox

from ._process import Running, clean_env
from ._process import dashboard as run_dashboard

ARTIFACTS = Path(__file__).parent / "artifacts"
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The charts' bar colours (dashboard.js): a chart has drawn when its bars are on the canvas.
INFLOW, OUTFLOW, ACCENT = (31, 157, 107), (217, 83, 79), (47, 111, 222)
HOW_TO_GET_IT = (
    "install Chromium (`apt-get install chromium` as root, or set TIIME_CHROMIUM to a "
    "Chrome/Chromium binary) and Playwright's Python package (`pip install playwright`; "
    "no `playwright install` needed)"
)


def unavailable(what: str) -> None:
    """Skip on a developer's machine; fail in CI, where the browser tests must run."""
    message = f"browser tests: {what} missing: {HOW_TO_GET_IT}"
    if os.environ.get("CI", "").lower() in {"true", "1", "yes"}:
        pytest.fail(message)
    pytest.skip(message)


def chromium_path() -> str:
    given = os.environ.get("TIIME_CHROMIUM")
    for candidate in [given] if given else ["chromium", "chromium-browser"]:
        found = shutil.which(candidate)
        if found:
            return found
    unavailable("Chromium")
    raise AssertionError("unreachable")


def money(amount: Any) -> str:
    """An amount as the page shows it (Intl en-GB, EUR): ``€1,234.50``, ``-€3.00``."""
    value = Decimal(str(amount))
    return f"{'-' if value < 0 else ''}€{abs(value):,.2f}"


# A French amount: digits grouped by threes with a no-break space (narrow, U+202F, or not,
# U+00A0: CLDR has changed between them), a decimal comma, a no-break space, then the euro.
FRENCH_MONEY = re.compile(r"-?[0-9]{1,3}(?:[\u202f\u00a0][0-9]{3})*,[0-9]{2}[\u202f\u00a0]€")


def french_money(amount: Any) -> str:
    """An amount as the French page shows it, its no-break spaces as plain ones:
    ``1 234,50 €``, ``-3,00 €`` (compare with :func:`plain`)."""
    value = Decimal(str(amount))
    digits = f"{abs(value):,.2f}".replace(",", " ").replace(".", ",")
    return f"{'-' if value < 0 else ''}{digits} €"


def plain(text: str) -> str:
    """``text`` with its no-break spaces (narrow or not) as plain spaces."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


@pytest.fixture(scope="module")
def dashboard(
    browser: Any, sandbox: Sandbox, second_company: int, tmp_path_factory: Any
) -> Iterator[Running]:
    """``tiime dashboard --no-open --port 0`` pointed at the sandbox, stopped by Ctrl-C
    (started once the browser is there: without one, nothing is started)."""
    with _dashboard_on(sandbox, tmp_path_factory.mktemp("config")) as running:
        yield running


@pytest.fixture(scope="module")
def french_dashboard(
    browser: Any, sandbox: Sandbox, second_company: int, tmp_path_factory: Any
) -> Iterator[Running]:
    """``tiime dashboard --lang fr`` on the same sandbox."""
    with _dashboard_on(sandbox, tmp_path_factory.mktemp("config-fr"), "--lang", "fr") as running:
        yield running


@contextlib.contextmanager
def _dashboard_on(sandbox: Sandbox, config: Any, *more: str) -> Iterator[Running]:
    env = clean_env(
        TIIME_BASE_URL=sandbox.base_url,
        TIIME_AUTH_URL=sandbox.auth_url,
        TIIME_EMAIL=sandbox.email,
        TIIME_PASSWORD=sandbox.password,
        TIIME_COMPANY_ID=str(sandbox.company_id),
        TIIME_CONFIG_DIR=str(config),
    )
    with run_dashboard(["dashboard", "--no-open", "--port", "0", *more], env) as running:
        yield running


@pytest.fixture(scope="module")
def browser(tmp_path_factory: Any) -> Iterator[Any]:
    """A headless Chromium with a fresh profile (one per module)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright's Python package")
    executable = chromium_path()
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=executable,
            headless=True,
            args=FLAGS,
            viewport=LAPTOP,
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A tab whose console errors and page errors are collected in ``page.problems``."""
    tab = browser.new_page()
    tab.set_viewport_size(LAPTOP)
    problems: list[str] = []
    tab.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: problems.append(str(e)))
    tab.problems = problems
    yield tab
    tab.close()


def wait_ready(page: Any) -> None:
    page.wait_for_selector("body[data-state=ready], body[data-state=error]", timeout=30_000)
    error = page.locator("#error")
    assert page.get_attribute("body", "data-state") == "ready", error.text_content()


def figure(page: Any, name: str, within: str = "") -> str:
    return str(page.locator(f"{within} [data-figure={name}]").first.text_content()).strip()


def drawn(page: Any, chart: str, colour: tuple[int, int, int], within: str = "") -> bool:
    """Whether the canvas of ``chart`` holds pixels of its bars' colour."""
    return bool(
        page.locator(f"{within} canvas[data-chart={chart}]").first.evaluate(
            """(canvas, rgb) => {
                const data = canvas.getContext("2d").getImageData(0, 0, canvas.width,
                    canvas.height).data;
                for (let i = 0; i < data.length; i += 4) {
                    if (Math.abs(data[i] - rgb[0]) < 3 && Math.abs(data[i + 1] - rgb[1]) < 3
                        && Math.abs(data[i + 2] - rgb[2]) < 3 && data[i + 3] > 200) return true;
                }
                return false;
            }""",
            list(colour),
        )
    )


def shoot(page: Any, name: str, *, phone: bool = True) -> None:
    """Screenshots of the page at a laptop's width (and a phone's)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size(LAPTOP)
    page.screenshot(path=str(ARTIFACTS / f"{name}-laptop.png"), full_page=True)
    if not phone:
        return
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(200)  # the charts redraw at the new width
    page.screenshot(path=str(ARTIFACTS / f"{name}-phone.png"), full_page=True)
    page.set_viewport_size(LAPTOP)


def test_overview_shows_the_figures_and_draws_its_charts(
    dashboard: Running, page: Any, expected_overview: dict[str, Any], sandbox: Sandbox
) -> None:
    expected = expected_overview
    page.goto(dashboard.url)
    wait_ready(page)
    assert "token" not in page.url  # exchanged for the cookie, gone from the address bar
    section = f"section[data-company-id='{sandbox.company_id}']"
    assert figure(page, "total_balance", section) == money(expected["total_balance"])
    assert figure(page, "unpaid_total", section) == money(expected["unpaid_total"])
    assert figure(page, "pending_count", section) == str(expected["pending_count"])
    assert figure(page, "unimputed_count", section) == str(expected["unimputed_count"])
    assert figure(page, "drafts", section) == str(expected["drafts"])
    assert figure(page, "clients_total", section) == str(expected["clients_total"])
    assert figure(page, "total_revenue_ttc", section) == money(expected["total_revenue_ttc"])
    rows = page.locator(f"{section} table[data-table=unpaid] tbody tr")
    assert rows.count() == min(50, expected["unpaid_count"])
    assert drawn(page, "flows", INFLOW, section)
    assert drawn(page, "flows", OUTFLOW, section)
    assert drawn(page, "revenue", ACCENT, section)
    shoot(page, "overview")
    # Refresh reads the figures again.
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.click("#refresh")
    wait_ready(page)
    assert any(url.endswith(f"/api/company/{sandbox.company_id}/overview") for url in asked)
    assert figure(page, "unpaid_total", section) == money(expected["unpaid_total"])
    assert page.problems == []


def test_the_french_overview_reads_french(
    french_dashboard: Running, page: Any, expected_overview: dict[str, Any], sandbox: Sandbox
) -> None:
    """``--lang fr``: French headings, amounts ``1 234,56 €``, dates ``31/01/2026``."""
    expected = expected_overview
    page.goto(french_dashboard.url)
    wait_ready(page)
    assert page.get_attribute("html", "lang") == "fr"
    assert page.title() == "Tableau de bord Tiime"
    assert page.text_content("#title") == "Tableau de bord Tiime"
    assert page.text_content("#nav-overview") == "Vue d'ensemble"
    assert page.text_content("#refresh") == "Actualiser"
    section = f"section[data-company-id='{sandbox.company_id}']"
    headings = page.locator(f"{section} h3").all_text_contents()
    assert "Trésorerie" in headings
    assert "Encaissements et décaissements par mois" in headings
    labels = page.locator(f"{section} .card .label").all_text_contents()
    assert labels[:2] == ["Solde total", "Factures impayées"]
    for name in ("total_balance", "unpaid_total", "total_revenue_ttc"):
        shown = figure(page, name, section)
        assert FRENCH_MONEY.fullmatch(shown), (name, shown)
        assert plain(shown) == french_money(expected[name]), name
    unpaid = page.locator(f"{section} .card").nth(1).locator(".sub").text_content()
    count = expected["unpaid_count"]
    assert plain(str(unpaid)) == f"{count:,} facture{'s' if count > 1 else ''}".replace(",", " ")
    due = page.locator(f"{section} table[data-table=unpaid] tbody tr td").nth(3).text_content()
    assert re.fullmatch(r"[0-3][0-9]/[01][0-9]/20[0-9]{2}", str(due)), due
    months = str(page.locator(f"{section} canvas[data-chart=flows]").get_attribute("aria-label"))
    assert months.startswith("Encaissements: ")
    assert not re.search(r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec) 20", months)
    assert drawn(page, "flows", INFLOW, section)
    shoot(page, "overview-fr", phone=False)
    assert page.problems == []


def test_the_english_overview_is_unchanged(dashboard: Running, page: Any) -> None:
    page.goto(dashboard.url)
    wait_ready(page)
    assert page.get_attribute("html", "lang") == "en"
    assert page.text_content("#title") == "Tiime dashboard"
    due = page.locator("table[data-table=unpaid] tbody tr td").nth(3).text_content()
    assert re.fullmatch(r"20[0-9]{2}-[01][0-9]-[0-3][0-9]", str(due)), due  # ISO


def test_an_error_is_one_line_on_the_page(dashboard: Running, page: Any) -> None:
    """What the server answers when the API fails (here made up) is shown in one line."""
    message = "Cannot reach the Tiime API: connection refused"
    page.route(
        "**/api/company/*/overview",
        lambda route: route.fulfill(
            status=502, content_type="application/json", body=f'{{"error": "{message}"}}'
        ),
    )
    page.goto(dashboard.url)
    page.wait_for_selector("body[data-state=error]")
    error = page.locator("#error")
    assert error.is_visible()
    assert error.text_content() == message
    assert page.locator("section.company").count() == 0


def test_the_company_switch_shows_the_other_company_then_all(
    dashboard: Running, page: Any, expected_second_overview: dict[str, Any], second_company: int
) -> None:
    expected = expected_second_overview
    page.goto(dashboard.url)
    wait_ready(page)
    page.select_option("#company", str(second_company))
    page.wait_for_selector(f"section[data-company-id='{second_company}']")
    wait_ready(page)
    assert f"company={second_company}" in page.url
    assert page.locator("section.company").count() == 1
    section = f"section[data-company-id='{second_company}']"
    assert figure(page, "unpaid_total", section) == money(expected["unpaid_total"])
    assert figure(page, "total_revenue_ttc", section) == money(expected["total_revenue_ttc"])
    page.select_option("#company", "all")
    page.locator("section.company").nth(1).wait_for()  # (CSP: no string evaluation)
    wait_ready(page)
    assert drawn(page, "flows", INFLOW, section)
    shoot(page, "overview-all-companies", phone=False)
    assert page.problems == []


def test_review_and_its_year_picker(
    dashboard: Running, page: Any, expected_review: dict[str, Any], sandbox: Sandbox
) -> None:
    expected = expected_review
    years = [str(y) for y in expected["available_years"]]
    page.goto(dashboard.url.replace("/?", f"/wrapped?company={sandbox.company_id}&"))
    wait_ready(page)
    options = page.locator("#year option").evaluate_all("(os) => os.map((o) => o.value)")
    assert options == ["all", *years]
    assert page.input_value("#year") == years[0]  # the latest year first
    # A year with invoices, then all time.
    year = next(y for y in years if expected["years"][y]["invoices_count"])
    page.select_option("#year", year)
    page.wait_for_selector(f"section[data-year='{year}']")
    wait_ready(page)
    stats = expected["years"][year]
    assert figure(page, "revenue_ttc") == money(stats["revenue_ttc"])
    assert figure(page, "invoices_count") == str(stats["invoices_count"])
    assert figure(page, "total_outflows") == money(stats["total_outflows"])
    assert figure(page, "transactions_count") == str(stats["transactions_count"])
    assert drawn(page, "clients", ACCENT)
    assert drawn(page, "expenses", OUTFLOW)
    assert drawn(page, "flows", INFLOW)
    assert f"year={year}" in page.url
    shoot(page, f"review-{year}")
    page.select_option("#year", "all")
    page.wait_for_selector("section[data-year='all']")
    wait_ready(page)
    everything = expected["all_time"]
    assert figure(page, "revenue_ttc") == money(everything["revenue_ttc"])
    assert figure(page, "invoices_count") == str(everything["invoices_count"])
    assert figure(page, "biggest_invoice") == money(everything["biggest"])
    page.reload()  # the choice is kept in the address
    wait_ready(page)
    assert page.input_value("#year") == "all"
    assert page.problems == []


def test_nothing_without_the_token(dashboard: Running, page: Any, browser: Any) -> None:
    browser.clear_cookies()
    for path in ("/", "/wrapped", "/api/companies", "/static/dashboard.js"):
        answer = page.goto(dashboard.root + path)
        assert answer is not None
        assert answer.status == 401, path
        assert "Access token required" in page.content()
    answer = page.goto(dashboard.root + "/?token=wrong")
    assert answer is not None
    assert answer.status == 401
    page.goto(dashboard.url)  # the printed URL opens it again
    wait_ready(page)
