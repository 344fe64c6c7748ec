"""Invoices in the sandbox, over plain HTTP: the seed, numbering (also under concurrent
saves), totals and VAT per rate, status moves, deletion, the outbox and the PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
import zlib
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from tiime.sandbox import Sandbox
from tiime.sandbox.resources.invoices import REFERENCE_DATE

from .conftest import OTHER_EMAIL, OTHER_PASSWORD, password_grant


def login(sb: Sandbox, http: httpx.Client, **overrides: Any) -> dict[str, str]:
    response = http.post(sb.auth_url, json=password_grant(sb, **overrides))
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture(scope="module")
def sb() -> Iterator[Sandbox]:
    """A sandbox of this module's own, for the tests that write."""
    with Sandbox() as sandbox:
        yield sandbox


@pytest.fixture(scope="module")
def headers(sb: Sandbox, http: httpx.Client) -> dict[str, str]:
    return login(sb, http)


@pytest.fixture(scope="module")
def url(sb: Sandbox) -> str:
    return f"{sb.base_url}/companies/{sb.company_id}/invoices"


def line(
    description: str = "Dev", quantity: Any = 1, unit_amount: Any = 100, vat: str = "normal"
) -> dict[str, Any]:
    return {
        "description": description,
        "quantity": quantity,
        "unit_amount": unit_amount,
        "vat_type": {"code": vat},
    }


def create(http: httpx.Client, url: str, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    payload = {"emission_date": "2030-06-01", "lines": [line()], **body}
    response = http.post(url, json=payload, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def put(
    http: httpx.Client, url: str, headers: dict[str, str], invoice_id: int, **body: Any
) -> httpx.Response:
    return http.put(f"{url}/{invoice_id}", json=body, headers=headers)


def all_invoices(http: httpx.Client, url: str, headers: dict[str, str], **params: str) -> list[Any]:
    response = http.get(url, headers=headers, params=params)
    assert response.status_code == 200, response.text
    return list(response.json())


# -- the seed ----------------------------------------------------------------------------


def test_the_seed_is_a_year_of_invoices_for_the_seeded_clients(
    demo: Sandbox, http: httpx.Client, auth: dict[str, str]
) -> None:
    url = f"{demo.base_url}/companies/{demo.company_id}/invoices"
    invoices = all_invoices(http, url, auth)
    clients = {
        c["id"]: c["name"]
        for c in http.get(
            f"{demo.base_url}/companies/{demo.company_id}/clients", headers=auth
        ).json()
    }

    assert len(invoices) == 120
    dates = [date.fromisoformat(i["emission_date"]) for i in invoices]
    assert min(dates) >= REFERENCE_DATE - timedelta(days=365)
    assert max(dates) <= REFERENCE_DATE
    for invoice in invoices:
        assert clients[invoice["client_id"]] == invoice["client_name"]
        assert invoice["lines"]
    assert {i["status"] for i in invoices} == {"draft", "saved", "sent", "paid"}


def test_the_seed_numbers_each_year_from_one_without_gaps(
    demo: Sandbox, http: httpx.Client, auth: dict[str, str]
) -> None:
    url = f"{demo.base_url}/companies/{demo.company_id}/invoices"
    by_year: dict[int, list[int]] = defaultdict(list)
    for invoice in all_invoices(http, url, auth):
        if invoice["status"] == "draft":
            assert invoice["number"] is None
            assert invoice["compiled_number"] is None
            continue
        year = int(invoice["compiled_number"][2:6])
        by_year[year].append(invoice["number"])
        assert invoice["compiled_number"] == f"F-{year}-{invoice['number']:04d}"
    assert set(by_year) == {REFERENCE_DATE.year - 1, REFERENCE_DATE.year}
    for numbers in by_year.values():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))


def test_the_seed_is_deterministic(demo: Sandbox, http: httpx.Client, auth: dict[str, str]) -> None:
    url = f"{demo.base_url}/companies/{demo.company_id}/invoices"
    mine = all_invoices(http, url, auth, sorts="id:asc")
    with Sandbox() as other:
        theirs = all_invoices(
            http,
            f"{other.base_url}/companies/{other.company_id}/invoices",
            login(other, http),
            sorts="id:asc",
        )
    assert theirs == mine


def test_totals_in_the_seed_are_the_sums_of_the_lines(
    demo: Sandbox, http: httpx.Client, auth: dict[str, str]
) -> None:
    url = f"{demo.base_url}/companies/{demo.company_id}/invoices"
    for invoice in all_invoices(http, url, auth):
        cents = sum(round(line["line_amount"] * 100) for line in invoice["lines"])
        assert round(invoice["total_excluding_taxes"] * 100) == cents
        vat = sum(round(t["vat_amount"] * 100) for t in invoice["totals_per_vat_type"].values())
        assert round(invoice["total_including_taxes"] * 100) == cents + vat


# -- listing -------------------------------------------------------------------------------


def test_sorts_and_status_filter(demo: Sandbox, http: httpx.Client, auth: dict[str, str]) -> None:
    url = f"{demo.base_url}/companies/{demo.company_id}/invoices"
    by_date = all_invoices(http, url, auth, sorts="emission_date:asc")
    assert [i["emission_date"] for i in by_date] == sorted(i["emission_date"] for i in by_date)
    paid = all_invoices(http, url, auth, status="paid")
    assert paid
    assert {i["status"] for i in paid} == {"paid"}


@pytest.mark.parametrize(
    ("params", "message"), [({"sorts": "price:asc"}, "sorts"), ({"status": "late"}, "status")]
)
def test_unknown_sorts_and_statuses_are_400(
    demo: Sandbox, http: httpx.Client, auth: dict[str, str], params: dict[str, str], message: str
) -> None:
    url = f"{demo.base_url}/companies/{demo.company_id}/invoices"
    response = http.get(url, headers=auth, params=params)
    assert response.status_code == 400
    assert response.json()["error_code"] == "bad_request"
    assert message in response.json()["error_description"]


def test_pages_follow_the_range_rule(
    demo: Sandbox, http: httpx.Client, auth: dict[str, str]
) -> None:
    url = f"{demo.base_url}/companies/{demo.company_id}/invoices"
    response = http.get(url, headers={**auth, "Range": "items=100-149"})
    assert response.status_code == 200
    assert response.headers["Content-Range"] == "items 100-119/120"
    assert len(response.json()) == 20


# -- creating: the server computes -------------------------------------------------------


def test_the_server_computes_lines_and_vat_per_line_rounded_to_the_cent(
    http: httpx.Client, url: str, headers: dict[str, str]
) -> None:
    lines = [
        {**line("A", 1, "0.05", "intermediate"), "line_amount": 999},  # ignored: computed
        line("B", 1, "0.05", "intermediate"),
        line("C", 3, "0.1", "normal"),
        line("D", 2, "19.99", "reduced"),
        line("E", 1, 100, "super_reduced"),
        line("F", 1, 50, "none"),
        {**line("G", 2, 50), "discount_percentage": 10, "discount_description": "Remise"},
    ]
    invoice = create(http, url, headers, lines=lines)

    amounts = [item["line_amount"] for item in invoice["lines"]]
    assert amounts == [0.05, 0.05, 0.3, 39.98, 100, 50, 90]
    assert [item["sequence"] for item in invoice["lines"]] == [1, 2, 3, 4, 5, 6, 7]
    per_vat = invoice["totals_per_vat_type"]
    # 0.005 of VAT on each 0.05 line rounds up to 0.01: 0.02, not 0.01 on the sum.
    assert per_vat["intermediate"] == {
        "total_excluding_taxes": 0.1,
        "vat_amount": 0.02,
        "vat_rate": 10.0,
    }
    assert per_vat["normal"]["vat_amount"] == 18.06  # 0.06 + 18.00
    assert per_vat["reduced"]["vat_amount"] == 2.2  # 2.1989
    assert per_vat["super_reduced"]["vat_amount"] == 2.1
    assert per_vat["none"]["vat_amount"] == 0
    assert invoice["total_excluding_taxes"] == 280.38
    assert invoice["total_including_taxes"] == 302.76
    assert invoice["lines"][6]["discount_percentage"] == 10


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"lines": []}, "lines"),
        ({"lines": [line(vat="twenty")]}, "lines[0].vat_type"),
        ({"lines": [line(quantity="x")]}, "lines[0].quantity"),
        (
            {"lines": [{"quantity": 1, "unit_amount": 1, "vat_type": {"code": "none"}}]},
            "lines[0].description",
        ),
        ({"emission_date": "2030-02-30"}, "emission_date"),
        ({"status": "paid"}, "status"),
        ({"client": {"id": 1}}, "client"),
    ],
)
def test_invalid_bodies_are_422_naming_the_field(
    http: httpx.Client, url: str, headers: dict[str, str], body: dict[str, Any], field: str
) -> None:
    payload = {"emission_date": "2030-06-01", "lines": [line()], **body}
    response = http.post(url, json=payload, headers=headers)
    assert response.status_code == 422
    assert response.json()["error_code"] == "validation_error"
    assert field in response.json()["errors"]


# -- numbering -----------------------------------------------------------------------------


def test_saving_numbers_in_sequence_per_year(
    http: httpx.Client, url: str, headers: dict[str, str]
) -> None:
    a = create(http, url, headers, emission_date="2040-01-10", status="saved")
    draft = create(http, url, headers, emission_date="2040-02-10")
    b = create(http, url, headers, emission_date="2041-03-10", status="saved")
    assert draft["number"] is None
    assert http.delete(f"{url}/{draft['id']}", headers=headers).status_code == 204
    c = put(
        http,
        url,
        headers,
        create(http, url, headers, emission_date="2040-03-10")["id"],
        status="saved",
    ).json()

    assert (a["number"], a["compiled_number"]) == (1, "F-2040-0001")
    assert (b["number"], b["compiled_number"]) == (1, "F-2041-0001")
    assert (c["number"], c["compiled_number"]) == (2, "F-2040-0002")


def test_concurrent_saves_get_distinct_consecutive_numbers(
    sb: Sandbox, http: httpx.Client, url: str, headers: dict[str, str]
) -> None:
    drafts = [create(http, url, headers, emission_date="2050-05-05")["id"] for _ in range(24)]
    numbers: list[int] = []
    failures: list[str] = []
    lock = threading.Lock()

    def save(invoice_ids: list[int]) -> None:
        with httpx.Client(timeout=30.0) as own:
            for invoice_id in invoice_ids:
                response = put(own, url, headers, invoice_id, status="saved")
                with lock:
                    if response.status_code == 200:
                        numbers.append(response.json()["number"])
                    else:
                        failures.append(response.text)

    def create_saved(count: int) -> None:
        with httpx.Client(timeout=30.0) as own:
            for _ in range(count):
                response = own.post(
                    url,
                    json={"emission_date": "2050-06-06", "lines": [line()], "status": "saved"},
                    headers=headers,
                )
                with lock:
                    if response.status_code == 201:
                        numbers.append(response.json()["number"])
                    else:
                        failures.append(response.text)

    threads = [threading.Thread(target=save, args=(drafts[i::6],)) for i in range(6)]
    threads += [threading.Thread(target=create_saved, args=(4,)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert failures == []
    assert sorted(numbers) == list(range(1, 33))


# -- status moves and deletion -----------------------------------------------------------


def test_the_status_moves_draft_saved_sent_paid(
    http: httpx.Client, url: str, headers: dict[str, str]
) -> None:
    invoice = create(http, url, headers)
    for status in ("saved", "sent", "paid"):
        response = put(http, url, headers, invoice["id"], status=status)
        assert response.status_code == 200, response.text
        assert response.json()["status"] == status


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        ((), "paid"),
        ((), "sent"),
        (("saved",), "draft"),
        (("saved", "sent"), "saved"),
        (("saved", "sent", "paid"), "sent"),
        (("saved", "paid"), "draft"),
    ],
)
def test_nonsense_moves_are_409_in_the_api_shape(
    http: httpx.Client, url: str, headers: dict[str, str], path: tuple[str, ...], refused: str
) -> None:
    invoice = create(http, url, headers)
    for status in path:
        assert put(http, url, headers, invoice["id"], status=status).status_code == 200
    response = put(http, url, headers, invoice["id"], status=refused)
    assert response.status_code == 409
    body = response.json()
    assert body["error"] == 409
    assert body["error_code"] == "conflict"
    assert f"-> {refused}" in body["error_description"]


def test_a_draft_is_edited_a_numbered_invoice_is_not(
    http: httpx.Client, url: str, headers: dict[str, str]
) -> None:
    invoice = create(http, url, headers, title="Avant")
    edited = put(http, url, headers, invoice["id"], title="Après", lines=[line(unit_amount=250)])
    assert edited.status_code == 200
    assert edited.json()["title"] == "Après"
    assert edited.json()["total_excluding_taxes"] == 250
    put(http, url, headers, invoice["id"], status="saved")
    refused = put(http, url, headers, invoice["id"], title="Encore")
    assert refused.status_code == 409


def test_only_a_draft_can_be_deleted(http: httpx.Client, url: str, headers: dict[str, str]) -> None:
    draft = create(http, url, headers)
    saved = create(http, url, headers, status="saved")

    assert http.delete(f"{url}/{draft['id']}", headers=headers).status_code == 204
    assert http.get(f"{url}/{draft['id']}", headers=headers).status_code == 404
    refused = http.delete(f"{url}/{saved['id']}", headers=headers)
    assert refused.status_code == 409
    assert refused.json()["error_code"] == "conflict"
    assert http.get(f"{url}/{saved['id']}", headers=headers).status_code == 200
    assert http.delete(f"{url}/999999999", headers=headers).status_code == 404


# -- sending: the outbox -------------------------------------------------------------------


def test_send_writes_to_the_outbox_and_marks_it_sent(
    sb: Sandbox, http: httpx.Client, url: str, headers: dict[str, str]
) -> None:
    saved = create(http, url, headers, status="saved")
    message = {
        "recipients": [{"email": "compta@client.fr"}],
        "subject": "Facture",
        "message": "Bonjour",
    }

    response = http.post(f"{url}/{saved['id']}/send", json=message, headers=headers)

    assert response.status_code == 204
    assert http.get(f"{url}/{saved['id']}", headers=headers).json()["status"] == "sent"
    outbox = http.get(f"{sb.url}/sandbox/outbox", headers=headers).json()
    last = outbox[-1]
    assert last["document_type"] == "invoice"
    assert last["document_id"] == saved["id"]
    assert last["document_number"] == saved["compiled_number"]
    assert last["recipients"] == ["compta@client.fr"]
    assert (last["subject"], last["message"]) == ("Facture", "Bonjour")
    assert last["attachment"] == f"facture-{saved['compiled_number']}.pdf"


def test_a_message_without_subject_gets_the_document_s_name(
    sb: Sandbox, http: httpx.Client, url: str, headers: dict[str, str]
) -> None:
    saved = create(http, url, headers, status="saved")
    number = saved["compiled_number"]
    for body in ({}, {"subject": None}, {"subject": "  "}):
        message = {"recipients": [{"email": "compta@client.fr"}], **body}
        assert (
            http.post(f"{url}/{saved['id']}/send", json=message, headers=headers).status_code == 204
        )

        last = http.get(f"{sb.url}/sandbox/outbox", headers=headers).json()[-1]
        assert last["subject"] == f"Facture {number}", body


def test_a_draft_is_not_sent_and_bad_recipients_are_422(
    sb: Sandbox, http: httpx.Client, url: str, headers: dict[str, str]
) -> None:
    before = len(http.get(f"{sb.url}/sandbox/outbox", headers=headers).json())
    draft = create(http, url, headers)
    refused = http.post(
        f"{url}/{draft['id']}/send", json={"recipients": [{"email": "a@b.fr"}]}, headers=headers
    )
    assert refused.status_code == 409
    invalid = http.post(
        f"{url}/{draft['id']}/send", json={"recipients": [{"email": "x"}]}, headers=headers
    )
    assert invalid.status_code == 422
    assert len(http.get(f"{sb.url}/sandbox/outbox", headers=headers).json()) == before


def test_the_outbox_needs_a_login_and_shows_only_ones_companies(
    sb: Sandbox, http: httpx.Client
) -> None:
    assert http.get(f"{sb.url}/sandbox/outbox").status_code == 401
    sb.add_user(OTHER_EMAIL, OTHER_PASSWORD, "Boutique Éphémère")
    other = login(sb, http, username=OTHER_EMAIL, password=OTHER_PASSWORD)
    assert http.get(f"{sb.url}/sandbox/outbox", headers=other).json() == []


# -- the PDF ---------------------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    """The text of a PDF: pdftotext when installed, else the uncompressed content streams."""
    if shutil.which("pdftotext"):
        result = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
        )
        return result.stdout.decode("utf-8")
    texts = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.DOTALL):
        try:
            texts.append(zlib.decompress(stream).decode("cp1252", "replace"))
        except zlib.error:
            texts.append(stream.decode("cp1252", "replace"))
    return "".join(texts)


def test_the_pdf_is_a_real_pdf_showing_the_invoice(
    sb: Sandbox, http: httpx.Client, url: str, headers: dict[str, str]
) -> None:
    clients = http.get(f"{sb.base_url}/companies/{sb.company_id}/clients", headers=headers).json()
    invoice = create(
        http,
        url,
        headers,
        client={"id": clients[0]["id"]},
        title="Mission d'audit",
        status="saved",
        lines=[line("Audit de sécurité", 2, "812.5"), line("Ouvrage", 1, "30", "reduced")],
    )

    response = http.get(
        f"{url}/{invoice['id']}/pdf", headers={**headers, "Accept": "application/pdf"}
    )

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert f"facture-{invoice['compiled_number']}.pdf" in response.headers["content-disposition"]
    assert response.headers["x-content-type-options"] == "nosniff"
    data = response.content
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    text = pdf_text(data)
    assert invoice["compiled_number"] in text
    assert "1 981,65 €" in text  # 1625 + 325 VAT + 30 + 1.65 VAT
    for expected in (
        clients[0]["name"].split()[0],
        "Atelier Martin Conseil",
        "01/06/2030",
        "Audit de s",
        "TVA 20",
    ):
        assert expected in text


def test_a_drafts_pdf_says_so(http: httpx.Client, url: str, headers: dict[str, str]) -> None:
    draft = create(http, url, headers)
    text = pdf_text(http.get(f"{url}/{draft['id']}/pdf", headers=headers).content)
    assert "brouillon" in text


def test_another_company_s_invoice_is_out_of_reach(
    sb: Sandbox, http: httpx.Client, url: str, headers: dict[str, str]
) -> None:
    invoice = create(http, url, headers)
    company = sb.add_user("tiers@tiime.test", "mot-de-passe-tiers", "Tiers SARL")
    other = login(sb, http, username="tiers@tiime.test", password="mot-de-passe-tiers")
    assert http.get(f"{url}/{invoice['id']}", headers=other).status_code == 403
    theirs = f"{sb.base_url}/companies/{company}/invoices/{invoice['id']}"
    assert http.get(theirs, headers=other).status_code == 404


# -- robustness and persistence --------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "status"),
    [
        (b"[1, 2]", 400),
        (b"{not json", 400),
        (
            b'{"emission_date": "2030-01-01", "lines": [{"description": "x", "quantity": 1e300, '
            b'"unit_amount": 1, "vat_type": {"code": "normal"}}]}',
            422,
        ),
        (
            b'{"emission_date": "2030-01-01", "lines": [{"description": "x", "quantity": NaN, '
            b'"unit_amount": 1, "vat_type": {"code": "normal"}}]}',
            422,
        ),
        (
            b'{"emission_date": "2030-01-01", "lines": [{"description": "x", "quantity": true, '
            b'"unit_amount": 1, "vat_type": {"code": "normal"}}]}',
            422,
        ),
        (b'{"emission_date": "2030-01-01", "lines": "x"}', 422),
        (b'{"emission_date": 20300101, "lines": []}', 422),
        (b'{"emission_date": "2030-01-01", "lines": [[]]}', 422),
        (
            b'{"emission_date": "2030-01-01", "lines": [{"description": "x", "quantity": 1, '
            b'"unit_amount": 1, "vat_type": "normal"}]}',
            422,
        ),
        (
            b'{"emission_date": "2030-01-01", "client": {"id": 99999999999999999999}, "lines": []}',
            422,
        ),
    ],
)
def test_bad_bodies_get_an_answer_in_the_api_shape(
    http: httpx.Client, url: str, headers: dict[str, str], content: bytes, status: int
) -> None:
    response = http.post(
        url, content=content, headers={**headers, "Content-Type": "application/json"}
    )
    assert response.status_code == status, response.text
    assert response.json()["error"] == status


def test_updates_and_sends_of_unknown_invoices_are_404(
    http: httpx.Client, url: str, headers: dict[str, str]
) -> None:
    for method, path, body in (
        ("PUT", "/999999999", {"status": "saved"}),
        ("POST", "/999999999/send", {"recipients": [{"email": "a@b.fr"}]}),
        ("GET", "/999999999/pdf", None),
        ("GET", "/99999999999999999999999", None),
    ):
        response = http.request(method, url + path, json=body, headers=headers)
        assert response.status_code == 404, (method, path, response.text)
        assert response.json()["error_code"] == "not_found"


def test_numbers_continue_after_a_restart(tmp_path: Any, http: httpx.Client) -> None:
    path = tmp_path / "sandbox.db"
    numbers = []
    for _ in range(2):
        with Sandbox(db_path=path) as sandbox:
            url = f"{sandbox.base_url}/companies/{sandbox.company_id}/invoices"
            saved = create(
                http, url, login(sandbox, http), emission_date="2070-01-01", status="saved"
            )
            numbers.append(saved["number"])
    assert numbers == [1, 2]


def test_the_seeded_invoices_run_up_to_the_bank_s_last_day(
    demo: Sandbox, http: httpx.Client, auth: dict[str, str]
) -> None:
    from tiime.sandbox.resources.bank_transactions import FIRST_DAY, LAST_DAY

    url = f"{demo.base_url}/companies/{demo.company_id}"
    invoices = all_invoices(http, f"{url}/invoices", auth)
    seeded = [i for i in invoices if i["emission_date"] < "2030-01-01"]
    latest = max(date.fromisoformat(i["emission_date"]) for i in seeded)
    assert LAST_DAY - timedelta(days=7) <= latest <= LAST_DAY
    # The year's paid invoices were paid into the bank in that year.
    paid = {
        i["compiled_number"]
        for i in seeded
        if i["status"] == "paid" and i["emission_date"] >= FIRST_DAY.isoformat()
    }
    wordings = " ".join(
        str(t["wording"])
        for t in http.get(
            f"{url}/bank_transactions", headers={**auth, "Range": "items=0-*"}
        ).json()["transactions"]
    )
    assert paid
    assert sum(number in wordings for number in paid) >= len(paid) * 3 // 4
