"""The sandbox's expense reports: totals on demand, sorts, create and get."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tiime.sandbox import Sandbox

from .conftest import password_grant


@pytest.fixture(scope="module")
def own() -> Iterator[tuple[Sandbox, dict[str, str], str]]:
    """A sandbox of this module's own (reports are created here), its auth and URL."""
    with Sandbox() as sb, httpx.Client() as http:
        token = http.post(sb.auth_url, json=password_grant(sb)).json()["access_token"]
        yield (
            sb,
            {"Authorization": f"Bearer {token}"},
            (f"{sb.base_url}/companies/{sb.company_id}/expense_reports"),
        )


def test_seeded_reports_newest_first_with_totals(
    demo: Sandbox, http: httpx.Client, auth: Any
) -> None:
    url = f"{demo.base_url}/companies/{demo.company_id}/expense_reports"
    response = http.get(url, headers=auth, params={"expand": "total_amount"})

    assert response.status_code == 200
    reports = response.json()
    assert len(reports) == 8
    dates = [r["metadata"]["date"] for r in reports]
    assert dates == sorted(dates, reverse=True)
    assert all(isinstance(r["total_amount"], (int, float)) for r in reports)
    assert sum(r["total_amount"] for r in reports) > 0
    assert {r["status"] for r in reports} <= {"draft", "submitted", "validated", "reimbursed"}
    assert reports[0]["title"] == reports[0]["name"]


def test_totals_are_the_sum_of_the_month_s_receipts(
    demo: Sandbox, http: httpx.Client, auth: Any
) -> None:
    base = f"{demo.base_url}/companies/{demo.company_id}"
    report = http.get(f"{base}/expense_reports?expand=total_amount", headers=auth).json()[0]
    month = report["metadata"]["date"][:7]
    documents = http.get(f"{base}/documents", headers=auth, params={"types": "receipt"}).json()
    receipts = [
        d["metadata"]["amount"]
        for d in documents
        if (d["metadata"]["date"] or "").startswith(month) and d["metadata"]["amount"]
    ]
    assert report["total_amount"] == pytest.approx(sum(receipts))


def test_no_total_unless_expanded(demo: Sandbox, http: httpx.Client, auth: Any) -> None:
    url = f"{demo.base_url}/companies/{demo.company_id}/expense_reports"
    reports = http.get(url, headers=auth).json()
    assert all("total_amount" not in r for r in reports)
    one = http.get(f"{url}/{reports[0]['id']}", headers=auth).json()
    assert one["id"] == reports[0]["id"]
    assert "total_amount" not in one


def test_sorts_and_paging(demo: Sandbox, http: httpx.Client, auth: Any) -> None:
    url = f"{demo.base_url}/companies/{demo.company_id}/expense_reports"
    ascending = http.get(url, headers=auth, params={"sorts": "metadata.date:asc"}).json()
    dates = [r["metadata"]["date"] for r in ascending]
    assert dates == sorted(dates)
    page = http.get(url, headers={**auth, "Range": "items=0-2"})
    assert page.status_code == 206
    assert len(page.json()) == 3
    assert http.get(url, headers=auth, params={"sorts": "montant"}).status_code == 400


def test_create_and_get(own: tuple[Sandbox, dict[str, str], str], http: httpx.Client) -> None:
    _, auth, url = own
    created = http.post(
        url, headers=auth, json={"name": " Mars ", "metadata": {"date": "2024-03-31"}}
    )

    assert created.status_code == 201
    report = created.json()
    assert (report["name"], report["status"]) == ("Mars", "draft")
    assert report["metadata"] == {"date": "2024-03-31"}
    assert created.headers["location"].endswith(f"/expense_reports/{report['id']}")
    fetched = http.get(f"{url}/{report['id']}?expand=total_amount", headers=auth).json()
    assert fetched["total_amount"] == 0
    bare = http.post(url, headers=auth, json={"name": "Avril"}).json()
    assert bare["metadata"] == {"date": None}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": "  "}, "name"),
        ({"name": 12}, "name"),
        ({"name": "Mars", "metadata": "2024-03-31"}, "metadata"),
        ({"name": "Mars", "metadata": {"date": "2024-02-30"}}, "metadata.date"),
        ({"name": "Mars", "metadata": {"date": "31/03/2024"}}, "metadata.date"),
        ({"name": "Mars", "metadata": {"date": 20240331}}, "metadata.date"),
    ],
)
def test_create_refuses_bad_bodies(
    own: tuple[Sandbox, dict[str, str], str], http: httpx.Client, body: Any, field: str
) -> None:
    _, auth, url = own
    response = http.post(url, headers=auth, json=body)
    assert response.status_code == 422
    assert field in response.json()["errors"]


def test_unknown_report(demo: Sandbox, http: httpx.Client, auth: Any) -> None:
    url = f"{demo.base_url}/companies/{demo.company_id}/expense_reports/999999999"
    response = http.get(url, headers=auth)
    assert response.status_code == 404
    assert response.json()["error_description"] == "Note de frais introuvable"
