"""Quotations on the wire, against the sandbox (sync and async)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from tiime import AsyncTiimeClient, NotFoundError, ServerError, TiimeError
from tiime import ValidationError as TiimeValidationError
from tiime.types import Quotation

from .._support import Env, FakeTiime, collect, run

LINES: list[Any] = [
    {"description": "Audit", "quantity": "1.5", "unit_amount": 800, "vat_type": {"code": "normal"}}
]


def quotations_path(env: Env, *rest: object) -> str:
    return "/".join([f"/v1/companies/{env.company_id}/quotations", *map(str, rest)])


def only_api_request(env: Env) -> Any:
    assert len(env.api_requests) == 1, [str(r.url) for r in env.api_requests]
    return env.api_requests[0]


async def test_list_expands_invoices_over_all_pages(client: Any, env: Env) -> None:
    result = await run(client.quotations.list())

    request = only_api_request(env)
    assert request.method == "GET"
    assert request.url.path == quotations_path(env)
    assert request.url.query == b"expand=invoices"
    assert request.headers["Range"] == "items=0-*"
    assert len(result) >= 30  # more than the reference's fixed items=0-25
    assert all(isinstance(q, Quotation) for q in result)
    linked = [q for q in result if q.invoices]
    assert linked, "the seed links accepted quotations to their invoices"
    for quotation in linked:
        assert quotation.status == "accepted"
        invoice = quotation.invoices[0]
        assert invoice.client_id == (quotation.client.id if quotation.client else None)
        assert invoice.total_excluding_taxes == quotation.amount_excluding_taxes


async def test_iter_pages_with_expand(client: Any, env: Env) -> None:
    items = await collect(client.quotations.iter(page_size=10))
    ranges = [r.headers["Range"] for r in env.api_requests]
    # Each page after the first starts at the item read last (how a shifted list is seen).
    assert ranges[:3] == ["items=0-9", "items=9-19", "items=19-29"]
    assert all(r.url.query == b"expand=invoices" for r in env.api_requests)
    assert len({q.id for q in items}) == len(items) >= 30


async def test_create_sends_the_computed_lines_and_get_reads_it(client: Any, env: Env) -> None:
    client_id = (await run(client.clients.list(archived=False, limit=1)))[0].id
    env.requests.clear()

    created = await run(
        client.quotations.create(
            lines=LINES, client_id=client_id, date="2025-03-01", title="Devis", status="saved"
        )
    )

    request = only_api_request(env)
    assert request.method == "POST"
    assert request.url.path == quotations_path(env)
    body = json.loads(request.content)
    assert list(body) == ["client", "date", "title", "status", "lines"]
    assert body["lines"][0]["line_amount"] == 1200
    assert body["lines"][0]["sequence"] == 1
    assert created.status == "saved"
    assert created.quotation_number
    assert created.quotation_number.startswith("D-2025-")
    assert created.amount_including_taxes == Decimal(1440)
    env.requests.clear()

    again = await run(client.quotations.get(created.id))
    assert only_api_request(env).url.path == quotations_path(env, created.id)
    assert again.id == created.id
    assert again.client is not None
    assert again.client.id == client_id


async def test_send_and_pdf(client: Any, env: Env, tmp_path: Path) -> None:
    created = await run(client.quotations.create(lines=LINES, status="saved"))
    env.requests.clear()

    assert (
        await run(client.quotations.send(created.id, recipients=["a@b.fr"], message="Bonjour"))
        is None
    )
    send = only_api_request(env)
    assert send.url.path == quotations_path(env, created.id, "send")
    assert send.content == b'{"recipients":[{"email":"a@b.fr"}],"message":"Bonjour"}'
    env.requests.clear()

    data = await run(client.quotations.download_pdf(created.id))
    assert data.startswith(b"%PDF-")
    assert only_api_request(env).headers["Accept"] == "application/pdf"

    target = tmp_path / "devis.pdf"
    streaming = client.quotations.with_streaming_response
    if isinstance(client, AsyncTiimeClient):
        async with streaming.download_pdf(created.id) as response:
            await response.write_to_file(target)
    else:
        with streaming.download_pdf(created.id) as response:
            response.write_to_file(target)
    assert target.read_bytes() == data


async def test_a_draft_cannot_be_sent(client: Any, env: Env) -> None:
    draft = await run(client.quotations.create(lines=LINES))
    with pytest.raises(TiimeError, match="brouillon") as caught:
        await run(client.quotations.send(draft.id, recipients=["a@b.fr"]))
    assert caught.value.status == 409


async def test_unknown_quotation(client: Any) -> None:
    with pytest.raises(NotFoundError, match="Devis introuvable"):
        await run(client.quotations.get(999_999_999))


async def test_bad_input_is_refused_before_sending(client: Any, env: Env) -> None:
    with pytest.raises(TiimeValidationError, match="vat_type"):
        await run(client.quotations.create(lines=[{**LINES[0], "vat_type": {"code": ""}}]))
    with pytest.raises(TiimeValidationError, match="status"):
        await run(client.quotations.create(lines=LINES, status="accepted"))
    assert env.api_requests == []


@pytest.mark.parametrize("backend", ["mock"])
@pytest.mark.parametrize("call", ["create", "send"])
async def test_create_and_send_are_never_replayed(client: Any, fake: FakeTiime, call: str) -> None:
    fake.queue(503)
    fake.api = lambda request: httpx.Response(201, json={"id": 4})

    calls = {
        "create": lambda: client.quotations.create(lines=LINES),
        "send": lambda: client.quotations.send(4, recipients=["a@b.fr"]),
    }
    with pytest.raises(ServerError):
        await run(calls[call]())

    assert len(fake.api_requests) == 1


async def test_update_patches_only_the_fields_given_and_is_retried_unless_a_move(
    client: Any, env: Env
) -> None:
    quotation = await run(client.quotations.create(lines=LINES, date="2025-03-01"))
    env.requests.clear()

    updated = await run(
        client.quotations.update(
            quotation.id, title="Refonte", lines=[{**LINES[0], "quantity": 2}], status="saved"
        )
    )

    request = only_api_request(env)
    assert (request.method, request.url.path) == ("PATCH", quotations_path(env, quotation.id))
    body = json.loads(request.content)
    assert list(body) == ["title", "lines", "status"]
    assert body["lines"][0]["line_amount"] == 1600
    assert updated.status == "saved"
    assert updated.title == "Refonte"
    assert updated.total_excluding_taxes == Decimal(1600)


async def test_accept_and_decline_patch_the_status(client: Any, env: Env) -> None:
    first = await run(client.quotations.create(lines=LINES, status="saved"))
    second = await run(client.quotations.create(lines=LINES, status="saved"))
    env.requests.clear()

    accepted = await run(client.quotations.accept(first.id))
    declined = await run(client.quotations.decline(second.id))

    assert [(r.method, json.loads(r.content)) for r in env.api_requests] == [
        ("PATCH", {"status": "accepted"}),
        ("PATCH", {"status": "declined"}),
    ]
    assert (accepted.status, declined.status) == ("accepted", "declined")
    with pytest.raises(TiimeError) as refused:
        await run(client.quotations.accept(second.id))
    assert refused.value.status == 409


async def test_invoice_makes_a_linked_draft_with_the_lines_copied_exactly(
    client: Any, env: Env
) -> None:
    client_id = (await run(client.clients.list(archived=False, limit=1)))[0].id
    lines: list[Any] = [
        {**LINES[0], "discount_percentage": 10, "discount_description": "Fidélité"},
        {
            "description": "Jour",
            "quantity": 3,
            "unit_amount": "450.50",
            "vat_type": {"code": "none"},
            "invoicing_unit": {"id": 3, "code": "day"},
        },
    ]
    quotation = await run(
        client.quotations.create(lines=lines, client_id=client_id, title="Site", status="saved")
    )
    env.requests.clear()

    invoice = await run(client.quotations.invoice(quotation.id, emission_date="2025-04-02"))

    get, post = env.api_requests
    assert (get.method, get.url.path) == ("GET", quotations_path(env, quotation.id))
    assert (post.method, post.url.path) == ("POST", f"/v1/companies/{env.company_id}/invoices")
    body = json.loads(post.content)
    assert list(body)[:6] == [
        "client",
        "quotation",
        "emission_date",
        "title",
        "title_enabled",
        "lines",
    ]
    assert body["quotation"] == {"id": quotation.id}
    assert body["status"] == "draft"
    assert invoice.status == "draft"
    assert invoice.client_id == client_id
    assert invoice.total_excluding_taxes == quotation.total_excluding_taxes
    copied = [
        (x.description, x.quantity, x.unit_amount, x.line_amount, x.discount_percentage)
        for x in invoice.lines or []
    ]
    assert copied == [
        (x.description, x.quantity, x.unit_amount, x.line_amount, x.discount_percentage)
        for x in quotation.lines or []
    ]
    expanded = await run(client.quotations.list())
    [linked] = [q for q in expanded if q.id == quotation.id]
    assert [i.id for i in linked.invoices or []] == [invoice.id]


async def test_negative_lines_are_refused_unless_a_credit(client: Any, env: Env) -> None:
    negative: list[Any] = [{**LINES[0], "unit_amount": -50}]
    with pytest.raises(TiimeValidationError, match="credit"):
        await run(client.quotations.create(lines=negative))
    with pytest.raises(TiimeValidationError, match="credit"):
        await run(client.invoices.create(lines=[{**LINES[0], "quantity": -1}]))
    with pytest.raises(TiimeValidationError, match="negative"):
        await run(client.invoices.create(lines=[{**LINES[0], "discount_amount": 5000}]))
    with pytest.raises(TiimeValidationError, match="nothing to update"):
        await run(client.quotations.update(1))
    assert env.api_requests == []

    discount: list[Any] = [LINES[0], {**LINES[0], "description": "Remise", "unit_amount": -100}]
    made = await run(client.invoices.create(lines=discount, credit=True))
    assert made.total_excluding_taxes == Decimal(1200 - 150)
