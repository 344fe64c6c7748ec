"""The calls of the public Ruby client ``opus-codium/ruby-tiime`` the reference lacks, on
the wire against the sandbox (sync and async): ``bank_transactions.attach_receipt`` (``POST
.../bank_transactions/{id}/receipts``, multipart, a document made and matched in one
call), ``documents.get`` and ``documents.update`` (``GET``/``PATCH .../documents/{id}``,
the metadata entries that client sends); the no-replay rule on the scripted mock."""

from __future__ import annotations

import json
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from tiime import NotFoundError, ServerError, TiimeError, ValidationError
from tiime.types import Document

from .._support import Env, FakeTiime, run

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 8 + b"\n%%EOF\n"
DOCUMENT = {"id": 77, "name": "ticket.pdf", "type": "receipt", "source": "upload"}


def only_api_request(env: Env) -> Any:
    assert len(env.api_requests) == 1, [str(r.url) for r in env.api_requests]
    return env.api_requests[0]


async def a_transaction(client: Any) -> int:
    transactions = await run(client.bank_transactions.list(limit=1))
    return int(transactions[0].id)


async def test_attach_receipt_makes_a_document_matched_to_the_transaction(
    client: Any, env: Env, tmp_path: Path
) -> None:
    transaction = await a_transaction(client)
    before = [m.document.id for m in await run(client.bank_transactions.matchings(transaction))]
    path = tmp_path / f"ticket-{uuid.uuid4().hex[:8]}.pdf"
    path.write_bytes(PDF)
    env.requests.clear()

    document = await run(client.bank_transactions.attach_receipt(transaction, path))

    request = only_api_request(env)
    assert request.method == "POST"
    assert request.url.path == (
        f"/v1/companies/{env.company_id}/bank_transactions/{transaction}/receipts"
    )
    file_part = f'Content-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
    assert file_part.encode() in request.content
    assert b"Content-Type: application/octet-stream\r\n\r\n" + PDF in request.content
    assert isinstance(document, Document)
    assert document.name == path.name
    assert document.type == "receipt"
    after = [m.document.id for m in await run(client.bank_transactions.matchings(transaction))]
    assert sorted(after) == sorted([*before, document.id])  # added beside the others
    assert await run(client.documents.download(document.id)) == PDF


async def test_attach_receipt_to_an_unknown_transaction_is_404_and_makes_nothing(
    client: Any,
) -> None:
    tag = f"orphelin-{uuid.uuid4().hex[:8]}.pdf"
    with pytest.raises(NotFoundError):
        await run(client.bank_transactions.attach_receipt(999_999_999, PDF, filename=tag))
    assert not [d for d in await run(client.documents.list()) if d.name == tag]


async def test_attach_receipt_bad_input_is_refused_before_sending(
    client: Any, env: Env, tmp_path: Path
) -> None:
    env.requests.clear()
    with pytest.raises(ValidationError):
        await run(client.bank_transactions.attach_receipt(1, tmp_path / "absent.pdf"))
    with pytest.raises(ValidationError):
        await run(client.bank_transactions.attach_receipt(1, PDF))  # bytes without a name
    with pytest.raises(ValidationError):
        await run(client.bank_transactions.attach_receipt(0, PDF, filename="a.pdf"))
    assert env.api_requests == []


@pytest.mark.parametrize("backend", ["mock"])
@pytest.mark.parametrize("failure", [503, httpx.ReadTimeout, httpx.RemoteProtocolError])
async def test_attach_receipt_is_not_replayed_once_it_may_have_arrived(
    client: Any, fake: FakeTiime, failure: Any
) -> None:
    fake.queue(failure, httpx.Response(201, json=DOCUMENT))

    with pytest.raises(ServerError if failure == 503 else TiimeError) as caught:
        await run(client.bank_transactions.attach_receipt(5, PDF, filename="ticket.pdf"))

    assert len(fake.api_requests) == 1
    if failure != 503:  # the answer lost: the document is looked for by its file name
        assert getattr(caught.value, "record_type", None) == "document"
        assert caught.value.sent["filename"] == "ticket.pdf"  # type: ignore[attr-defined]


async def test_get_one_document(client: Any, env: Env) -> None:
    listed = (await run(client.documents.list(limit=1)))[0]
    env.requests.clear()

    document = await run(client.documents.get(listed.id))

    request = only_api_request(env)
    assert request.method == "GET"
    assert request.url.path == f"/v1/companies/{env.company_id}/documents/{listed.id}"
    assert document == listed
    with pytest.raises(NotFoundError):
        await run(client.documents.get(999_999_999))


async def test_update_sends_the_ruby_client_s_metadata_entries(client: Any, env: Env) -> None:
    target = (await run(client.documents.list(types="receipt", limit=1)))[0]
    env.requests.clear()

    updated = await run(
        client.documents.update(
            target.id,
            date=date(2026, 1, 5),
            wording="Plein d'essence",
            amount=Decimal("82.50"),
            vat_amount="13.75",
        )
    )

    request = only_api_request(env)
    assert request.method == "PATCH"
    assert request.url.path == f"/v1/companies/{env.company_id}/documents/{target.id}"
    assert json.loads(request.content) == {
        "metadata": [
            {"key": "date", "type": "datetime", "value": "Mon Jan 05 2026"},
            {"key": "wording", "type": "string", "value": "Plein d'essence"},
            {"key": "amount", "type": "amount", "value": {"currency": "EUR", "value": 82.5}},
            {"key": "vat_amount", "type": "amount", "value": {"currency": "EUR", "value": 13.75}},
        ]
    }
    assert b'"value":82.50' in request.content  # money as a JSON number, to the cent
    assert updated.metadata is not None
    assert updated.metadata.date == date(2026, 1, 5)
    assert updated.metadata.amount == Decimal("82.50")
    assert updated.metadata.wording == "Plein d'essence"
    assert updated.metadata.vat_amount == Decimal("13.75")
    assert updated.metadata.supplier_name == target.metadata.supplier_name  # kept

    # Only the entries given are sent; the others are kept.
    again = await run(client.documents.update(target.id, amount=10))
    assert again.metadata.amount == Decimal("10")
    assert again.metadata.date == date(2026, 1, 5)
    assert (await run(client.documents.get(target.id))).metadata == again.metadata


async def test_update_bad_input_is_refused_before_sending(client: Any, env: Env) -> None:
    env.requests.clear()
    for kwargs in (
        {},
        {"amount": "1.234"},
        {"amount": "douze"},
        {"date": "05/01/2026"},
        {"wording": "deux\nlignes"},
    ):
        with pytest.raises(ValidationError):
            await run(client.documents.update(1, **kwargs))
    assert env.api_requests == []


@pytest.mark.parametrize("backend", ["mock"])
async def test_update_is_retried_setting_the_same_values_twice_is_harmless(
    client: Any, fake: FakeTiime
) -> None:
    fake.queue(503, httpx.Response(200, json=DOCUMENT))

    await run(client.documents.update(77, wording="Taxi"))

    assert len(fake.api_requests) == 2
    assert fake.api_requests[0].content == fake.api_requests[1].content
