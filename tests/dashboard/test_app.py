"""The dashboard's JSON routes on the sandbox (pages capped at 25 items): every figure equals
the one computed independently from the SDK's full listings; the gate (Host, token,
headers, no CORS); the error answers, one line each."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tiime import AsyncTiimeClient, TiimeClient
from tiime.dashboard.app import STATIC, create_app
from tiime.dashboard.data import Gatherer
from tiime.dashboard.guard import loopback_hosts
from tiime.sandbox import Sandbox

from . import _expected as X
from .conftest import PAGE_CAP, SECOND_COMPANY, TODAY

TOKEN = "t0ken-for-tests_only"
PORT = 3141
ROOT = f"http://127.0.0.1:{PORT}"


def exact(response: httpx.Response) -> Any:
    """The JSON body with numbers as Decimal (exact, as written)."""
    return json.loads(response.text, parse_float=Decimal)


def make_app(sandbox: Sandbox, **client_options: Any) -> Any:
    options = {
        "base_url": sandbox.base_url,
        "auth_url": sandbox.auth_url,
        "company_id": sandbox.company_id,
        **(client_options or {"access_token": sandbox.issue_token()}),  # no login: faster
    }
    client = AsyncTiimeClient(**options)
    return create_app(
        Gatherer(client, lambda: TODAY),
        TOKEN,
        allowed_hosts=loopback_hosts(PORT),
        default_company=sandbox.company_id,
        on_shutdown=client.aclose,
    )


@pytest.fixture
def app(sandbox: Sandbox, second_company: int) -> Any:
    """The app over its own client: closing a TestClient stops the app (and its client)."""
    return make_app(sandbox)


@pytest.fixture
def http(app: Any) -> Iterator[TestClient]:
    """A browser that opened the printed URL: it holds the cookie."""
    with TestClient(app, base_url=ROOT, follow_redirects=False) as client:
        assert client.get(f"/?token={TOKEN}").status_code == 303
        yield client


@pytest.fixture
def stranger(app: Any) -> Iterator[TestClient]:
    """A client without the token (another local user, or a web page)."""
    with TestClient(app, base_url=ROOT, follow_redirects=False) as client:
        yield client


# -- the figures, against the SDK's full listings -------------------------------------------


def test_overview_equals_the_figures_of_the_full_listings(
    http: TestClient, expected_overview: dict[str, Any], sandbox: Sandbox
) -> None:
    expected = expected_overview
    assert expected["total_invoices"] > 4 * PAGE_CAP  # the reference counted one page
    assert expected["unpaid_count"] > 0
    assert expected["pending_count"] > 0
    got = exact(http.get(f"/api/company/{sandbox.company_id}/overview"))
    assert got["company_id"] == sandbox.company_id
    assert got["treasury"]["total_balance"] == expected["total_balance"]
    assert len(got["treasury"]["accounts"]) == expected["accounts"]
    invoices = got["invoices"]
    assert invoices["drafts"] == expected["drafts"]
    assert invoices["unpaid_count"] == expected["unpaid_count"] == len(invoices["unpaid"])
    assert invoices["unpaid_total"] == expected["unpaid_total"]
    assert {u["id"]: u["days_late"] for u in invoices["unpaid"]} == expected["days_late"]
    assert got["quotations"] == {
        "pending_count": expected["pending_count"],
        "pending_total": expected["pending_total"],
    }
    assert got["bank"] == {"unimputed_count": expected["unimputed_count"]}
    assert got["clients"] == {"total": expected["clients_total"]}
    g = got["global"]
    for name in (
        "total_invoices",
        "total_revenue_ttc",
        "total_revenue_ht",
        "total_transactions",
        "total_inflows",
        "total_outflows",
        "monthly",
    ):
        assert g[name] == expected[name], name
    assert g["net_cashflow"] == expected["total_inflows"] + expected["total_outflows"]


def test_counts_beyond_one_page_of_unpaid_and_pending(
    expected_overview: dict[str, Any],
) -> None:
    """Pages of 7: the 12 unpaid invoices and 8 pending quotations span several pages each
    (the reference counted the first page of each, RESOURCES.md §6 #4)."""
    with Sandbox(max_page_size=7) as small:
        app = make_app(small)
        with TestClient(app, base_url=ROOT) as client:
            client.get(f"/?token={TOKEN}")
            got = exact(client.get(f"/api/company/{small.company_id}/overview"))
    assert got["invoices"]["unpaid_count"] == expected_overview["unpaid_count"] > 7
    assert got["invoices"]["unpaid_total"] == expected_overview["unpaid_total"]
    assert got["quotations"]["pending_count"] == expected_overview["pending_count"] > 7
    assert got["quotations"]["pending_total"] == expected_overview["pending_total"]
    assert got["clients"]["total"] == expected_overview["clients_total"] > 7
    assert got["bank"]["unimputed_count"] == expected_overview["unimputed_count"] > 7


def check_stats(got: dict[str, Any], expected: dict[str, Any]) -> None:
    for name in (
        "revenue_ttc",
        "revenue_ht",
        "invoices_count",
        "monthly",
        "total_inflows",
        "total_outflows",
        "transactions_count",
    ):
        assert got[name] == expected[name], name
    assert [c["amount"] for c in got["top_clients"]] == expected["top_clients"]
    assert [c["amount"] for c in got["top_expenses"]] == expected["top_expenses"]
    biggest = got["biggest_invoice"]
    assert (biggest and biggest["amount"]) == expected["biggest"]
    assert (got["best_month"] and got["best_month"]["net"]) == expected["best_net"]
    assert (got["worst_month"] and got["worst_month"]["net"]) == expected["worst_net"]


def test_review_equals_the_figures_of_the_full_listings(
    http: TestClient, sdk: TiimeClient, sandbox: Sandbox, expected_review: dict[str, Any]
) -> None:
    expected = expected_review
    got = exact(http.get(f"/api/company/{sandbox.company_id}/wrapped"))
    assert got["company"]["name"] == sdk.company.get().name
    assert got["available_years"] == expected["available_years"]
    assert len(expected["available_years"]) >= 2
    check_stats(got["all_time"], expected["all_time"])
    assert set(got["years"]) == set(expected["years"])
    for year, stats in expected["years"].items():
        check_stats(got["years"][year], stats)


def test_review_of_all_companies_merges_them(
    http: TestClient, sdk: TiimeClient, second_company: int
) -> None:
    invoices, transactions = [], []
    for company in sdk.list_companies():
        client = sdk.with_options(company_id=company.id)
        invoices += client.invoices.list()
        transactions += client.bank_transactions.list()
    expected = X.review(invoices, transactions)
    got = exact(http.get("/api/wrapped"))
    assert got["company"]["name"] == "All companies"
    assert got["available_years"] == expected["available_years"]
    check_stats(got["all_time"], expected["all_time"])
    for year, stats in expected["years"].items():
        check_stats(got["years"][year], stats)


def test_the_second_company_has_its_own_overview(
    http: TestClient, expected_second_overview: dict[str, Any], second_company: int
) -> None:
    expected = expected_second_overview
    got = exact(http.get(f"/api/company/{second_company}/overview"))
    assert got["global"]["total_invoices"] == expected["total_invoices"] == 30
    assert got["global"]["total_transactions"] == expected["total_transactions"] == 80
    assert got["invoices"]["unpaid_total"] == expected["unpaid_total"]


def test_the_listing_routes_answer_every_item(
    http: TestClient,
    sdk: TiimeClient,
    sandbox: Sandbox,
    second_company: int,
    demo_listings: dict[str, Any],
) -> None:
    companies = http.get("/api/companies").json()
    assert [c["name"] for c in companies] == [c.name for c in sdk.list_companies()]
    assert SECOND_COMPANY in [c["name"] for c in companies]
    root = f"/api/company/{sandbox.company_id}"
    assert http.get(root).json()["id"] == sandbox.company_id
    assert http.get(f"{root}/info").json()["id"] == sandbox.company_id
    accounts = http.get(f"{root}/bank-accounts").json()
    assert [a["id"] for a in accounts] == [a.id for a in sdk.bank_accounts.list(enabled=True)]
    every = http.get(f"{root}/invoices").json()
    assert len(every) == len(demo_listings["invoices"]) > PAGE_CAP
    paid = http.get(f"{root}/invoices/paid").json()
    assert {i["status"] for i in paid} == {"paid"}
    assert len(paid) == len(sdk.invoices.list(status="paid")) > PAGE_CAP


# -- the error answers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/api/company/abc/overview", 400, "Invalid company ID"),
        ("/api/company/0/overview", 400, "Invalid company ID"),
        ("/api/company/-3", 400, "Invalid company ID"),
        ("/api/company/12345/nope", 404, "Unknown resource: nope"),
        ("/api/company/12345/overview/more", 404, "Unknown resource: overview/more"),
        ("/api/nope", 404, "Not found"),
        ("/api/", 404, "Not found"),
    ],
)
def test_error_answers(http: TestClient, path: str, status: int, message: str) -> None:
    answer = http.get(path)
    assert answer.status_code == status
    assert answer.json() == {"error": message}
    assert "\n" not in answer.text


def test_a_company_of_someone_else_is_404_in_one_line(http: TestClient) -> None:
    answer = http.get("/api/company/999999/overview")
    assert answer.status_code == 404
    assert set(answer.json()) == {"error"}
    assert "Traceback" not in answer.text


def test_a_status_the_sdk_refuses_is_400(http: TestClient, sandbox: Sandbox) -> None:
    answer = http.get(f"/api/company/{sandbox.company_id}/invoices/bogus%20status")
    assert answer.status_code == 400
    assert "status" in answer.json()["error"]


def test_a_refused_login_is_one_line_saying_what_to_do(sandbox: Sandbox) -> None:
    app = make_app(sandbox, email=sandbox.email, password="not-the-password")
    with TestClient(app, base_url=ROOT) as client:
        client.get(f"/?token={TOKEN}")
        answer = client.get(f"/api/company/{sandbox.company_id}/overview")
    assert answer.status_code == 502
    assert len(answer.text.splitlines()) == 1
    assert "tiime auth login" in answer.json()["error"]


def test_an_unreachable_api_is_one_line(sandbox: Sandbox) -> None:
    app = make_app(
        sandbox,
        access_token="x",
        base_url="http://127.0.0.1:9/v1",
        auth_url="http://127.0.0.1:9/t",
        max_retries=0,
    )
    with TestClient(app, base_url=ROOT) as client:
        client.get(f"/?token={TOKEN}")
        answer = client.get("/api/companies")
    assert answer.status_code == 502
    assert answer.json()["error"].startswith("Cannot reach the Tiime API")


# -- the gate -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/api/companies", "/api/company/12345/overview", "/", "/wrapped", "/static/x.js"]
)
def test_without_the_token_nothing_is_answered(stranger: TestClient, path: str) -> None:
    answer = stranger.get(path)
    assert answer.status_code == 401
    assert "Access token required" in answer.text
    wrong = stranger.get(path, headers={"Cookie": f"tiime_dashboard={TOKEN[:-1]}X"})
    assert wrong.status_code == 401


def test_the_token_is_exchanged_for_a_strict_httponly_cookie(stranger: TestClient) -> None:
    answer = stranger.get(f"/wrapped?company=12345&token={TOKEN}")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/wrapped?company=12345"  # the token leaves the URL
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"tiime_dashboard={TOKEN};")
    assert "HttpOnly" in cookie
    assert "samesite=strict" in cookie.lower()
    assert stranger.get("/api/companies").status_code == 200
    assert stranger.get(f"/?token={TOKEN}x").status_code == 401


@pytest.mark.parametrize(
    "host", ["evil.example:3141", "127.0.0.1:9999", "localhost", "127.0.0.1.nip.io:3141"]
)
def test_only_loopback_host_headers(http: TestClient, host: str) -> None:
    answer = http.get("/api/companies", headers={"Host": host})
    assert answer.status_code == 400
    assert "Invalid Host" in answer.json()["error"]


@pytest.mark.parametrize("host", ["localhost:3141", "127.0.0.1:3141", "[::1]:3141"])
def test_loopback_names_are_answered(http: TestClient, host: str) -> None:
    assert http.get("/api/config", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize("path", ["/api/companies", "/", "/static/dashboard.js", "/api/nope"])
def test_security_headers_and_no_cors(http: TestClient, stranger: TestClient, path: str) -> None:
    for client in (http, stranger):
        answer = client.get(path, headers={"Origin": "https://evil.example"})
        csp = answer.headers["content-security-policy"]
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert "unsafe-eval" not in csp
        assert "frame-ancestors 'none'" in csp
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["referrer-policy"] == "no-referrer"
        assert "access-control-allow-origin" not in answer.headers
    preflight = http.options(
        "/api/companies",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code >= 400
    assert "access-control-allow-origin" not in preflight.headers


def test_only_reads(http: TestClient) -> None:
    assert http.post("/api/companies").status_code == 405
    assert http.delete("/api/company/12345").status_code == 405


def test_pages_and_scripts_are_served_with_their_types(http: TestClient) -> None:
    page = http.get("/")
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert http.get("/wrapped").text != page.text
    script = http.get("/static/vendor/chart.umd.min.js")
    assert script.status_code == 200
    assert "javascript" in script.headers["content-type"]
    assert "Chart.js v4" in script.text[:200]


def test_no_inline_script_nor_remote_resource_in_the_pages() -> None:
    for html in STATIC.glob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), html.name
        assert not re.search(r"\son[a-z]+=", text), html.name
        assert not re.search(r"(src|href)=\"(https?:)?//", text), html.name
        assert "style=" not in text, html.name
    for script in STATIC.glob("*.js"):
        text = script.read_text(encoding="utf-8")
        assert "http://" not in text
        assert "https://" not in text
        assert "innerHTML" not in text  # server data is only ever set as text
