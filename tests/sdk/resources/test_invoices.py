"""Invoices on the wire, against the sandbox (sync and async): what each call sends, and
what comes back. Failures that need a scripted server (no replay) run on the mock."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from tiime import APITimeoutError, AsyncTiimeClient, NotFoundError, ServerError, TiimeError
from tiime import ValidationError as TiimeValidationError
from tiime._today import today
from tiime.types import Invoice, InvoicesPage

from .._support import Env, FakeTiime, collect, run

PDF_TYPE = "application/pdf"


def invoices_path(env: Env, *rest: object) -> str:
    return "/".join([f"/v1/companies/{env.company_id}/invoices", *map(str, rest)])


def only_api_request(env: Env) -> Any:
    assert len(env.api_requests) == 1, [str(r.url) for r in env.api_requests]
    return env.api_requests[0]


LINES: list[Any] = [
    {"description": "Dev", "quantity": 3, "unit_amount": 0.1, "vat_type": {"code": "normal"}},
    {
        "description": "Livre",
        "quantity": "2",
        "unit_amount": Decimal("19.99"),
        "vat_type": {"code": "reduced"},
        "invoicing_unit": {"id": 1, "code": "unit"},
    },
]


async def a_draft(client: Any, env: Env, **options: Any) -> Invoice:
    created: Invoice = await run(client.invoices.create(lines=LINES, **options))
    env.requests.clear()
    return created


async def test_list_sends_sorts_and_the_range(client: Any, env: Env) -> None:
    result = await run(client.invoices.list())

    request = only_api_request(env)
    assert request.method == "GET"
    assert request.url.path == invoices_path(env)
    assert request.url.query == b"sorts=invoice_number%3Adesc"
    assert request.headers["Accept"] == "application/json"
    assert request.headers["Range"] == "items=0-*"
    assert len(result) >= 120
    assert all(isinstance(invoice, Invoice) for invoice in result)
    numbered = [(i.emission_date.year, i.number) for i in result if i.number is not None]
    assert numbered == sorted(numbered, reverse=True)


async def test_list_filters_by_status_after_sorts(client: Any, env: Env) -> None:
    result = await run(client.invoices.list(status="paid", sorts="emission_date:asc"))

    request = only_api_request(env)
    assert request.url.query == b"sorts=emission_date%3Aasc&status=paid"
    assert result
    assert {invoice.status for invoice in result} == {"paid"}
    dates = [invoice.emission_date for invoice in result]
    assert dates == sorted(dates)


@pytest.mark.parametrize("status", ["late", "", "PAID", 1])
async def test_an_unknown_status_is_refused_before_sending(
    client: Any, env: Env, status: Any
) -> None:
    with pytest.raises(TiimeValidationError, match="status must be one of"):
        await run(client.invoices.list(status=status))
    assert env.api_requests == []


async def test_iter_follows_the_pages_and_list_matches_it(client: Any, env: Env) -> None:
    items = await collect(client.invoices.iter(page_size=40))

    ranges = [request.headers["Range"] for request in env.api_requests]
    # Each page after the first starts at the item read last (how a shifted list is seen).
    assert ranges[:3] == ["items=0-39", "items=39-79", "items=79-119"]
    assert all(r.url.query == b"sorts=invoice_number%3Adesc" for r in env.api_requests)
    assert len({invoice.id for invoice in items}) == len(items)
    listed = await run(client.invoices.list())
    assert [invoice.id for invoice in items] == [invoice.id for invoice in listed]


async def test_list_with_limit_stops_there(client: Any, env: Env) -> None:
    result = await run(client.invoices.list(limit=5))
    assert len(result) == 5
    assert only_api_request(env).headers["Range"] == "items=0-4"


async def test_get_reads_one_invoice_with_its_lines_and_totals(client: Any, env: Env) -> None:
    first = (await run(client.invoices.list(status="paid", limit=1)))[0]
    env.requests.clear()

    invoice = await run(client.invoices.get(first.id))

    request = only_api_request(env)
    assert request.method == "GET"
    assert request.url.path == invoices_path(env, first.id)
    assert request.headers["Accept"] == "application/json"
    assert invoice.id == first.id
    assert invoice.compiled_number
    assert invoice.number
    assert invoice.lines
    assert [line.sequence for line in invoice.lines] == list(range(1, len(invoice.lines) + 1))
    assert invoice.total_excluding_taxes == sum(line.line_amount for line in invoice.lines)
    vat = sum(t.vat_amount for t in (invoice.totals_per_vat_type or {}).values())
    assert invoice.total_including_taxes == invoice.total_excluding_taxes + vat


async def test_create_sends_the_computed_lines(client: Any, env: Env) -> None:
    client_id = (await run(client.clients.list(archived=False, limit=1)))[0].id
    env.requests.clear()

    invoice = await run(
        client.invoices.create(
            lines=LINES, client_id=client_id, emission_date="2025-03-01", title="Mission"
        )
    )

    request = only_api_request(env)
    assert request.method == "POST"
    assert request.url.path == invoices_path(env)
    assert request.headers["Content-Type"] == "application/json"
    assert b'"line_amount":0.30' in request.content
    assert json.loads(request.content) == {
        "client": {"id": client_id},
        "emission_date": "2025-03-01",
        "title": "Mission",
        "lines": [
            {
                "description": "Dev",
                "quantity": 3,
                "unit_amount": 0.1,
                "vat_type": {"code": "normal"},
                "line_amount": 0.3,
                "sequence": 1,
                "invoicing_category_type": "benefit",
                "discount_description": "",
                "discount_amount": None,
                "discount_percentage": None,
            },
            {
                "description": "Livre",
                "quantity": 2,
                "unit_amount": 19.99,
                "vat_type": {"code": "reduced"},
                "invoicing_unit": {"id": 1, "code": "unit"},
                "line_amount": 39.98,
                "sequence": 2,
                "invoicing_category_type": "benefit",
                "discount_description": "",
                "discount_amount": None,
                "discount_percentage": None,
            },
        ],
    }
    assert list(json.loads(request.content)) == ["client", "emission_date", "title", "lines"]
    assert invoice.status == "draft"
    assert invoice.number is None
    assert invoice.compiled_number is None
    assert invoice.client_id == client_id
    assert invoice.total_excluding_taxes == Decimal("40.28")
    # 0.30 x 20 % = 0.06; 39.98 x 5.5 % = 2.1989 -> 2.20
    assert invoice.total_including_taxes == Decimal("42.54")
    assert invoice.totals_per_vat_type["reduced"].vat_amount == Decimal("2.2")


async def test_create_defaults_the_date_to_today_in_france(client: Any, env: Env) -> None:
    before = today()
    await run(client.invoices.create(lines=LINES, client_name="Client de passage"))
    sent = json.loads(only_api_request(env).content)
    assert sent["emission_date"] in {before.isoformat(), today().isoformat()}
    assert sent["client_name"] == "Client de passage"


async def test_saved_invoices_are_numbered_in_sequence(client: Any, env: Env) -> None:
    first = await run(
        client.invoices.create(lines=LINES, emission_date="2031-02-01", status="saved")
    )
    second = await run(
        client.invoices.create(lines=LINES, emission_date="2031-05-01", status="saved")
    )
    sent = json.loads(env.api_requests[0].content)
    assert sent["status"] == "saved"
    assert second.number == first.number + 1
    assert second.compiled_number == f"F-2031-{second.number:04d}"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"client_id": 1, "client_name": "X"}, "not both"),
        ({"status": "paid"}, "status must be one of draft, saved"),
        ({"emission_date": "31/12/2024"}, "emission_date"),
        ({"client_id": "12"}, "client_id must be a positive integer"),
        ({"extra": {"lines": []}}, "argument of create"),
    ],
)
async def test_create_refuses_bad_input_before_sending(
    client: Any, env: Env, options: dict[str, Any], message: str
) -> None:
    with pytest.raises(TiimeValidationError, match=message):
        await run(client.invoices.create(lines=LINES, **options))
    assert env.api_requests == []


async def test_update_puts_only_the_fields_given_and_saving_numbers_it(
    client: Any, env: Env
) -> None:
    draft = await a_draft(client, env, emission_date="2032-01-15")

    updated = await run(client.invoices.update(draft.id, title="Nouveau", status="saved"))

    request = only_api_request(env)
    assert request.method == "PUT"
    assert request.url.path == invoices_path(env, draft.id)
    assert request.content == b'{"title":"Nouveau","status":"saved"}'
    assert updated.status == "saved"
    assert updated.title == "Nouveau"
    assert updated.compiled_number == f"F-2032-{updated.number:04d}"


async def test_update_replaces_the_lines_computed(client: Any, env: Env) -> None:
    draft = await a_draft(client, env)
    lines = [{"description": "Jour", "quantity": "0.5", "unit_amount": 600, "vat_type": "none"}]

    updated = await run(client.invoices.update(draft.id, lines=lines))

    sent = json.loads(only_api_request(env).content)
    assert sent["lines"][0]["line_amount"] == 300
    assert sent["lines"][0]["vat_type"] == {"code": "none"}
    assert updated.total_including_taxes == Decimal(300)


async def test_update_with_nothing_is_refused(client: Any, env: Env) -> None:
    with pytest.raises(TiimeValidationError, match="nothing to update"):
        await run(client.invoices.update(1))
    assert env.api_requests == []


async def test_nonsense_status_moves_are_refused_by_the_server(client: Any, env: Env) -> None:
    saved = await a_draft(client, env, status="saved")

    with pytest.raises(TiimeError, match="saved -> draft") as caught:
        await run(client.invoices.update(saved.id, status="draft"))
    assert caught.value.status == 409
    with pytest.raises(TiimeError, match="ne peut plus être modifiée") as caught:
        await run(client.invoices.update(saved.id, title="Autre"))
    assert caught.value.status == 409


async def test_send_posts_the_message_and_reads_nothing(client: Any, env: Env) -> None:
    saved = await a_draft(client, env, status="saved")

    result = await run(
        client.invoices.send(saved.id, recipients=["compta@client.fr"], subject="Votre facture")
    )

    request = only_api_request(env)
    assert result is None
    assert request.method == "POST"
    assert request.url.path == invoices_path(env, saved.id, "send")
    assert (
        request.content
        == b'{"recipients":[{"email":"compta@client.fr"}],"subject":"Votre facture"}'
    )
    assert (await run(client.invoices.get(saved.id))).status == "sent"


async def test_send_refuses_a_bad_address_before_sending(client: Any, env: Env) -> None:
    with pytest.raises(TiimeValidationError, match="recipients"):
        await run(client.invoices.send(1, recipients=["nobody"]))
    assert env.api_requests == []


async def test_download_pdf_asks_for_a_pdf(client: Any, env: Env) -> None:
    saved = await a_draft(client, env, status="saved")

    data = await run(client.invoices.download_pdf(saved.id))

    request = only_api_request(env)
    assert request.url.path == invoices_path(env, saved.id, "pdf")
    assert request.headers["Accept"] == PDF_TYPE
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")


async def test_download_pdf_streams_to_a_file(client: Any, env: Env, tmp_path: Path) -> None:
    saved = await a_draft(client, env, status="saved")
    target = tmp_path / "facture.pdf"

    streaming = client.invoices.with_streaming_response
    if isinstance(client, AsyncTiimeClient):
        async with streaming.download_pdf(saved.id) as response:
            assert response.headers["content-type"] == PDF_TYPE
            await response.write_to_file(target)
    else:
        with streaming.download_pdf(saved.id) as response:
            assert response.headers["content-type"] == PDF_TYPE
            response.write_to_file(target)

    assert target.read_bytes().startswith(b"%PDF-")
    assert only_api_request(env).headers["Accept"] == PDF_TYPE


async def test_delete_a_draft(client: Any, env: Env) -> None:
    draft = await a_draft(client, env)

    assert await run(client.invoices.delete(draft.id)) is None

    request = only_api_request(env)
    assert request.method == "DELETE"
    assert request.url.path == invoices_path(env, draft.id)
    with pytest.raises(NotFoundError, match="Facture introuvable"):
        await run(client.invoices.get(draft.id))


async def test_a_numbered_invoice_cannot_be_deleted(client: Any, env: Env) -> None:
    saved = await a_draft(client, env, status="saved")

    with pytest.raises(TiimeError, match="brouillon") as caught:
        await run(client.invoices.delete(saved.id))

    assert caught.value.status == 409
    assert (await run(client.invoices.get(saved.id))).number == saved.number


async def test_duplicate_gets_then_posts_a_draft_copy(client: Any, env: Env) -> None:
    client_id = (await run(client.clients.list(archived=False, limit=1)))[0].id
    source = await a_draft(
        client, env, client_id=client_id, title="Mission", emission_date="2025-01-10"
    )

    copy = await run(client.invoices.duplicate(source.id, emission_date="2025-04-01", quantity=2))

    get, post = env.api_requests
    assert (get.method, get.url.path) == ("GET", invoices_path(env, source.id))
    assert (post.method, post.url.path) == ("POST", invoices_path(env))
    body = json.loads(post.content)
    assert list(body) == ["client", "emission_date", "title", "title_enabled", "lines", "status"]
    assert body["client"] == {"id": client_id}
    assert body["emission_date"] == "2025-04-01"
    assert body["title_enabled"] is True
    assert body["status"] == "draft"
    assert [line["quantity"] for line in body["lines"]] == [2, 2]
    assert [line["sequence"] for line in body["lines"]] == [1, 2]
    assert body["lines"][0]["line_amount"] == 0.2
    assert body["lines"][1]["invoicing_unit"] == {"id": 1, "code": "unit"}
    assert copy.id != source.id
    assert copy.status == "draft"
    assert copy.total_excluding_taxes == Decimal("40.18")


async def test_duplicate_checks_its_arguments_before_the_get(client: Any, env: Env) -> None:
    with pytest.raises(TiimeValidationError, match="quantity"):
        await run(client.invoices.duplicate(1, quantity="two"))
    assert env.api_requests == []


async def test_raw_response_of_duplicate_is_the_posts(client: Any, env: Env) -> None:
    source = await a_draft(client, env)
    raw = await run(client.invoices.with_raw_response.duplicate(source.id))
    assert raw.status_code == 201
    assert raw.parse().status == "draft"


# -- no replay: on the scripted mock -------------------------------------------------------


def _created(request: httpx.Request) -> httpx.Response:
    return httpx.Response(201, json={"id": 9, "status": "draft"})


@pytest.mark.parametrize("backend", ["mock"])
@pytest.mark.parametrize("failure", [503, httpx.ReadTimeout])
async def test_create_is_never_replayed(client: Any, fake: FakeTiime, failure: Any) -> None:
    fake.queue(failure)
    fake.api = _created

    with pytest.raises((ServerError, APITimeoutError)):
        await run(client.invoices.create(lines=LINES))

    assert len(fake.api_requests) == 1


@pytest.mark.parametrize("backend", ["mock"])
@pytest.mark.parametrize("failure", [503, httpx.ReadTimeout])
async def test_send_is_never_replayed(client: Any, fake: FakeTiime, failure: Any) -> None:
    fake.queue(failure)
    fake.api = lambda request: httpx.Response(204)

    with pytest.raises((ServerError, APITimeoutError)):
        await run(client.invoices.send(9, recipients=["a@b.fr"]))

    assert len(fake.api_requests) == 1


@pytest.mark.parametrize("backend", ["mock"])
async def test_duplicate_retries_its_get_but_not_its_post(client: Any, fake: FakeTiime) -> None:
    source = {"id": 9, "client_id": 3, "title": "T", "lines": [LINES[0]]}
    fake.queue(503, lambda request: httpx.Response(200, json=source), 503)
    fake.api = _created

    with pytest.raises(ServerError):
        await run(client.invoices.duplicate(9))

    assert [r.method for r in fake.api_requests] == ["GET", "GET", "POST"]


@pytest.mark.parametrize("backend", ["mock"])
async def test_a_status_change_is_not_replayed_but_other_updates_are(
    client: Any, fake: FakeTiime
) -> None:
    fake.api = lambda request: httpx.Response(200, json={"id": 9})
    fake.queue(503)
    with pytest.raises(ServerError):
        await run(client.invoices.update(9, status="saved"))
    assert len(fake.api_requests) == 1

    fake.queue(503)
    assert (await run(client.invoices.update(9, title="T"))).id == 9
    assert [r.method for r in fake.api_requests] == ["PUT", "PUT", "PUT"]


async def test_list_page_is_one_range_page_with_the_total(client: Any, env: Env) -> None:
    every = await run(client.invoices.list(status="sent"))
    env.requests.clear()

    page = await run(client.invoices.list_page(page=2, page_size=5, status="sent"))

    request = only_api_request(env)
    assert request.headers["Range"] == "items=5-9"
    assert request.url.query == b"sorts=invoice_number%3Adesc&status=sent"
    assert isinstance(page, InvoicesPage)
    assert [i.id for i in page.items] == [i.id for i in every[5:10]]
    assert (page.page, page.page_size, page.total) == (2, 5, len(every))
    past = await run(client.invoices.list_page(page=1000, page_size=5))
    assert past.items == []
    assert past.total == len(await run(client.invoices.list()))


@pytest.mark.parametrize("options", [{"page": 0}, {"page_size": 0}, {"page_size": 1001}])
async def test_list_page_refuses_a_bad_page_before_sending(
    client: Any, env: Env, options: dict[str, int]
) -> None:
    with pytest.raises(TiimeValidationError):
        await run(client.invoices.list_page(**options))
    assert env.api_requests == []
