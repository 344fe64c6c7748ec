"""Quotations in the sandbox: the seed and its links to invoices, creating, the PDF, send."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tiime.sandbox import Sandbox

from .test_invoices import line, login, pdf_text


@pytest.fixture(scope="module")
def sb() -> Iterator[Sandbox]:
    with Sandbox() as sandbox:
        yield sandbox


@pytest.fixture(scope="module")
def headers(sb: Sandbox, http: httpx.Client) -> dict[str, str]:
    return login(sb, http)


@pytest.fixture(scope="module")
def url(sb: Sandbox) -> str:
    return f"{sb.base_url}/companies/{sb.company_id}/quotations"


def create(http: httpx.Client, url: str, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    response = http.post(
        url, json={"date": "2030-01-15", "lines": [line()], **body}, headers=headers
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_the_seed_links_accepted_quotations_to_their_invoices(
    demo: Sandbox, http: httpx.Client, auth: dict[str, str]
) -> None:
    url = f"{demo.base_url}/companies/{demo.company_id}/quotations"
    quotations = http.get(url, headers=auth, params={"expand": "invoices"}).json()

    assert len(quotations) == 30
    linked = [q for q in quotations if q["invoices"]]
    assert linked
    for quotation in linked:
        assert quotation["status"] == "accepted"
        [invoice] = quotation["invoices"]
        assert invoice["quotation_id"] == quotation["id"]
        assert invoice["client_id"] == quotation["client"]["id"]
        assert invoice["total_including_taxes"] == quotation["amount_including_taxes"]
        assert invoice["emission_date"] > quotation["date"]
    assert all(q["invoices"] == [] for q in quotations if q["status"] != "accepted")
    plain = http.get(url, headers=auth).json()
    assert all("invoices" not in q for q in plain)


def test_an_invoice_made_from_a_quotation_shows_in_its_expansion(
    sb: Sandbox, http: httpx.Client, url: str, headers: dict[str, str]
) -> None:
    quotation = create(http, url, headers, status="saved", title="Refonte")
    invoices = f"{sb.base_url}/companies/{sb.company_id}/invoices"
    response = http.post(
        invoices,
        json={
            "emission_date": "2030-02-01",
            "lines": [line()],
            "quotation": {"id": quotation["id"]},
        },
        headers=headers,
    )
    assert response.status_code == 201

    expanded = http.get(f"{url}/{quotation['id']}", headers=headers, params={"expand": "invoices"})
    assert [i["id"] for i in expanded.json()["invoices"]] == [response.json()["id"]]
    unknown = http.post(
        invoices,
        json={"emission_date": "2030-02-01", "lines": [line()], "quotation": {"id": 1}},
        headers=headers,
    )
    assert unknown.status_code == 422


def test_saved_quotations_are_numbered_apart_from_invoices(
    http: httpx.Client, url: str, headers: dict[str, str]
) -> None:
    draft = create(http, url, headers, date="2060-03-01")
    first = create(http, url, headers, date="2060-03-02", status="saved")
    second = create(http, url, headers, date="2060-03-03", status="saved")
    assert draft["quotation_number"] is None
    assert (first["quotation_number"], second["quotation_number"]) == ("D-2060-0001", "D-2060-0002")
    assert first["amount_excluding_taxes"] == 100
    assert first["amount_including_taxes"] == 120


def test_invalid_quotations_are_422(http: httpx.Client, url: str, headers: dict[str, str]) -> None:
    response = http.post(
        url, json={"lines": [line(vat="x")], "status": "accepted"}, headers=headers
    )
    assert response.status_code == 422
    assert {"date", "lines[0].vat_type", "status"} <= set(response.json()["errors"])


def test_pdf_and_send(sb: Sandbox, http: httpx.Client, url: str, headers: dict[str, str]) -> None:
    quotation = create(http, url, headers, status="saved", client_name="Prospect Dupont")

    pdf = http.get(f"{url}/{quotation['id']}/pdf", headers=headers)
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["x-content-type-options"] == "nosniff"
    text = pdf_text(pdf.content)
    assert f"Devis {quotation['quotation_number']}" in text
    assert "Prospect Dupont" in text
    assert "120,00 €" in text

    sent = http.post(
        f"{url}/{quotation['id']}/send", json={"recipients": [{"email": "p@d.fr"}]}, headers=headers
    )
    assert sent.status_code == 204
    last = http.get(f"{sb.url}/sandbox/outbox", headers=headers).json()[-1]
    assert (last["document_type"], last["document_id"]) == ("quotation", quotation["id"])
    assert last["attachment"] == f"devis-{quotation['quotation_number']}.pdf"
    assert last["subject"] == f"Devis {quotation['quotation_number']}"  # none was given


def test_unknown_quotations_and_expansions(
    http: httpx.Client, url: str, headers: dict[str, str]
) -> None:
    assert http.get(f"{url}/999999999", headers=headers).status_code == 404
    assert http.get(url, headers=headers, params={"expand": "lines"}).status_code == 400


def patch(
    http: httpx.Client, url: str, headers: dict[str, str], quotation_id: int, **body: Any
) -> httpx.Response:
    return http.patch(f"{url}/{quotation_id}", json=body, headers=headers)


def test_the_status_moves_draft_saved_then_accepted_or_declined(
    http: httpx.Client, url: str, headers: dict[str, str]
) -> None:
    draft = create(http, url, headers, date="2061-05-01")
    assert patch(http, url, headers, draft["id"], status="accepted").status_code == 409

    saved = patch(http, url, headers, draft["id"], status="saved")
    assert saved.status_code == 200, saved.text
    assert saved.json()["quotation_number"] == "D-2061-0001"
    accepted = patch(http, url, headers, draft["id"], status="accepted")
    assert accepted.json()["status"] == "accepted"
    assert accepted.json()["quotation_number"] == "D-2061-0001"
    assert patch(http, url, headers, draft["id"], status="declined").status_code == 409
    assert patch(http, url, headers, draft["id"], status="saved").status_code == 409
    assert patch(http, url, headers, draft["id"], title="Trop tard").status_code == 409

    other = create(http, url, headers, date="2061-05-02", status="saved")
    declined = patch(http, url, headers, other["id"], status="declined")
    assert declined.json()["status"] == "declined"
    assert patch(http, url, headers, other["id"], status="accepted").status_code == 409
    assert patch(http, url, headers, other["id"], status="sent").status_code == 422


def test_a_draft_or_saved_quotation_is_edited_and_its_totals_follow(
    http: httpx.Client, url: str, headers: dict[str, str]
) -> None:
    quotation = create(http, url, headers, status="saved")
    response = patch(
        http,
        url,
        headers,
        quotation["id"],
        title="Refonte v2",
        lines=[line("Design", 2, "350.50"), line("Dev", 1, 100, "none")],
    )
    assert response.status_code == 200, response.text
    edited = response.json()
    assert edited["title"] == "Refonte v2"
    assert [row["description"] for row in edited["lines"]] == ["Design", "Dev"]
    assert edited["amount_excluding_taxes"] == 801
    assert edited["amount_including_taxes"] == 941.2
    assert edited["quotation_number"] == quotation["quotation_number"]
    bad = patch(http, url, headers, quotation["id"], lines=[], date="2030-13-01")
    assert bad.status_code == 422
    assert {"lines", "date"} <= set(bad.json()["errors"])
    unchanged = http.get(f"{url}/{quotation['id']}", headers=headers).json()
    assert unchanged["title"] == "Refonte v2"


def test_only_a_saved_or_accepted_quotation_is_invoiced(
    sb: Sandbox, http: httpx.Client, url: str, headers: dict[str, str]
) -> None:
    invoices = f"{sb.base_url}/companies/{sb.company_id}/invoices"
    draft = create(http, url, headers)
    declined = create(http, url, headers, status="saved")
    patch(http, url, headers, declined["id"], status="declined")
    for quotation in (draft, declined):
        response = http.post(
            invoices,
            json={
                "emission_date": "2030-02-01",
                "lines": [line()],
                "quotation": {"id": quotation["id"]},
            },
            headers=headers,
        )
        assert response.status_code == 422
        assert "ne peut pas être facturé" in response.text
