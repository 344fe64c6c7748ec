"""Checked by mypy (`make typecheck`), never run: the public API's types, as an editor sees them.

If the descriptors that turn one builder into sync, async and raw methods lost a signature
or a return type, these assertions would fail the type check.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from typing_extensions import assert_type

from tiime import AsyncTiimeClient, RawResponse, TiimeClient
from tiime.types import (
    BankTransaction,
    Client,
    Company,
    Contact,
    Country,
    ImputationInput,
    Invoice,
    InvoiceCreateParams,
    InvoiceLineInput,
    Quotation,
    VatSystem,
)

LINES: list[InvoiceLineInput] = [
    {"description": "Dev", "quantity": 3, "unit_amount": "0.10", "vat_type": {"code": "normal"}}
]


def sync_calls(client: TiimeClient) -> None:
    assert_type(client.clients.list(archived=False), list[Client])
    assert_type(client.clients.get(100), Client)
    assert_type(client.clients.create(name="ACME", professional=True), Client)
    assert_type(client.clients.search("acme"), list[Client])
    assert_type(client.clients.contacts(100), list[Contact])
    assert_type(client.clients.iter(page_size=50), Iterator[Client])
    assert_type(client.list_companies(), list[Company])
    assert_type(client.company.get(), Company)
    assert_type(client.with_options(company_id=2).clients.get(1), Client)
    assert_type(client.clients.with_raw_response.get(100), RawResponse[Client])
    assert_type(client.clients.with_raw_response.list(), RawResponse[list[Client]])
    client.clients.create(nam="ACME")  # type: ignore[call-arg]
    assert_type(client.invoices.list(status="paid"), list[Invoice])
    assert_type(client.invoices.iter(page_size=50), Iterator[Invoice])
    assert_type(client.invoices.get(1), Invoice)
    assert_type(client.invoices.create(lines=LINES, client_id=1), Invoice)
    assert_type(client.invoices.update(1, status="saved"), Invoice)
    assert_type(client.invoices.send(1, recipients=["a@b.fr"]), None)
    assert_type(client.invoices.download_pdf(1), bytes)
    assert_type(client.invoices.delete(1), None)
    assert_type(client.invoices.duplicate(1, quantity=2), Invoice)
    assert_type(client.invoices.with_raw_response.get(1), RawResponse[Invoice])
    with client.invoices.with_streaming_response.download_pdf(1) as streamed:
        assert_type(streamed.write_to_file("facture.pdf"), Path)
    assert_type(client.quotations.list(), list[Quotation])
    assert_type(client.quotations.iter(), Iterator[Quotation])
    assert_type(client.quotations.get(1), Quotation)
    assert_type(client.quotations.create(lines=LINES, date="2024-03-01"), Quotation)
    assert_type(client.quotations.send(1, recipients=[{"email": "a@b.fr"}]), None)
    assert_type(client.quotations.download_pdf(1), bytes)
    client.invoices.create(lines=[{"description": "Dev"}])  # type: ignore[typeddict-item]
    client.clients.get("100")  # type: ignore[arg-type]


async def async_calls(client: AsyncTiimeClient) -> None:
    assert_type(await client.clients.list(), list[Client])
    assert_type(await client.clients.get(100), Client)
    assert_type(await client.clients.create(name="ACME"), Client)
    assert_type(await client.clients.search("acme"), list[Client])
    assert_type(await client.clients.contacts(100), list[Contact])
    assert_type(client.clients.iter(), AsyncIterator[Client])
    assert_type(await client.list_companies(), list[Company])
    assert_type(await client.clients.with_raw_response.get(100), RawResponse[Client])
    assert_type(await client.invoices.list(), list[Invoice])
    assert_type(client.invoices.iter(status="draft"), AsyncIterator[Invoice])
    assert_type(await client.invoices.create(lines=LINES), Invoice)
    assert_type(await client.invoices.send(1, recipients=["a@b.fr"]), None)
    assert_type(await client.invoices.download_pdf(1), bytes)
    assert_type(await client.invoices.duplicate(1), Invoice)
    async with client.invoices.with_streaming_response.download_pdf(1) as streamed:
        assert_type(await streamed.write_to_file("facture.pdf"), Path)
    assert_type(await client.quotations.list(), list[Quotation])
    assert_type(client.quotations.iter(), AsyncIterator[Quotation])
    assert_type(await client.quotations.download_pdf(1), bytes)


def model_fields(client: TiimeClient, c: Client, company: Company, invoice: Invoice) -> None:
    # ids are required: what a call returns can be passed straight to the next one.
    assert_type(c.id, int)
    assert_type(client.clients.get(c.id), Client)
    assert_type(client.clients.contacts(c.id)[0].id, int)
    assert_type(company.id, int)
    assert_type(invoice.id, int)
    assert_type(invoice.lines[0].id if invoice.lines else None, int | None)
    assert_type(c.name, str | None)
    # Dates, date-times and amounts, as type checkers see them.
    assert_type(c.archived_at, datetime | None)
    assert_type(c.balance_including_taxes, Decimal | None)
    assert_type(invoice.emission_date, date | None)
    assert_type(invoice.total_including_taxes, Decimal | None)
    assert_type(BankTransaction(id=1).transaction_date, date | None)
    # Both Company shapes.
    assert_type(company.country, Country | str | None)
    assert_type(company.vat_system, VatSystem | str | None)
    assert_type(c.to_dict(), dict[str, Any])
    assert_type(c.to_json(), bytes)
    Client()  # type: ignore[call-arg]


def request_bodies() -> None:
    # The reference's examples type-check as the TypedDicts an editor completes.
    line: InvoiceLineInput = {
        "description": "Dev",
        "quantity": 2,
        "unit_amount": Decimal("450.5"),
        "vat_type": {"code": "normal"},
        "invoicing_unit": {"id": 3, "code": "day"},
    }
    params: InvoiceCreateParams = {"emission_date": "2024-04-01", "lines": [line]}
    imputation: ImputationInput = {
        "label": {
            "id": 612,
            "label": "Frais bancaires",
            "name": "Frais bancaires",
            "acronym": "FB",
            "color": "#a3c4f3",
            "client": None,
            "disabled": False,
        },
        "amount": -10,
        "documents": [{"id": 11}],
        "accountant_detail_requests": [],
    }
    missing: InvoiceLineInput = {"description": "Dev"}  # type: ignore[typeddict-item]
    typo: InvoiceCreateParams = {"emission_date": "2024-04-01", "lines": [], "titel": "x"}  # type: ignore[typeddict-unknown-key]
    del params, imputation, missing, typo
