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

from tiime import AmbiguousWriteError, AsyncTiimeClient, RawResponse, TiimeClient
from tiime._response import AsyncStreamedResponse, StreamedResponse
from tiime.types import (
    AccountBalance,
    AccountingPeriod,
    BankAccount,
    BankTransaction,
    BankTransactionsPage,
    Client,
    Company,
    Contact,
    Country,
    Document,
    DocumentCategory,
    DocumentMatching,
    DocumentsPage,
    ExpenseReport,
    ImputationInput,
    Invoice,
    InvoiceCreateParams,
    InvoiceLineInput,
    InvoicesPage,
    JSONValue,
    Label,
    LabelSuggestion,
    MatchableDocument,
    Quotation,
    Tag,
    User,
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
    assert_type(client.bank_accounts.list(enabled=True), list[BankAccount])
    assert_type(client.bank_accounts.get(1), BankAccount)
    assert_type(client.bank_accounts.balance(), list[AccountBalance])
    assert_type(client.bank_transactions.list(from_date=date(2026, 1, 1)), list[BankTransaction])
    assert_type(client.bank_transactions.list_page(page=2), BankTransactionsPage)
    assert_type(client.invoices.list_page(page=2, page_size=10), InvoicesPage)
    assert_type(client.documents.list_page(types="receipt"), DocumentsPage)
    assert_type(client.bank_transactions.iter(search="sncf"), Iterator[BankTransaction])
    assert_type(client.bank_transactions.unimputed(), list[BankTransaction])
    assert_type(client.bank_transactions.get(1), BankTransaction)
    assert_type(client.bank_transactions.label_suggestions(1), list[LabelSuggestion])
    assert_type(
        client.bank_transactions.impute(1, [{"label": {"id": 5}, "amount": -10}], amount=-10),
        BankTransaction,
    )
    assert_type(
        client.bank_transactions.impute(1, [{"label": {"id": 5}, "amount": -10}]), BankTransaction
    )
    assert_type(client.bank_transactions.match_documents(1, [11, 12]), list[DocumentMatching])
    assert_type(client.bank_transactions.matchings(1), list[DocumentMatching])
    assert_type(client.bank_transactions.attach_receipt(1, "recu.pdf"), Document)
    assert_type(
        client.bank_transactions.with_raw_response.list_page(), RawResponse[BankTransactionsPage]
    )
    assert_type(client.labels.list(), list[Label])
    assert_type(client.labels.standard(limit=5), list[Label])
    assert_type(client.labels.tags(), list[Tag])
    assert_type(client.users.me(), User)
    assert_type(client.users.legal_informations(), JSONValue)
    assert_type(client.users.settings(2), JSONValue)
    assert_type(client.company.users(), JSONValue)
    assert_type(client.company.app_config(), JSONValue)
    assert_type(client.company.accounting_period(2), AccountingPeriod)
    assert_type(client.company.tiles(["bank_balance"]), JSONValue)
    assert_type(client.company.dashboard_blocks(), JSONValue)
    assert_type(client.labels.with_raw_response.tags(), RawResponse[list[Tag]])
    assert_type(client.documents.list(types="receipt", accountable=True), list[Document])
    assert_type(client.documents.iter(page_size=50), Iterator[Document])
    assert_type(client.documents.categories(), list[DocumentCategory])
    assert_type(client.documents.preview(1), JSONValue)
    assert_type(client.documents.upload("recu.pdf", type="receipt"), Document)
    assert_type(client.documents.upload(b"%PDF", filename="recu.pdf"), Document)
    assert_type(client.documents.download(1), bytes)
    assert_type(client.documents.search_matchable("amazon"), list[MatchableDocument])
    assert_type(client.documents.get(1), Document)
    assert_type(client.documents.update(1, amount=Decimal("12.50")), Document)
    with client.documents.with_streaming_response.download(1) as streamed:
        assert_type(streamed, StreamedResponse)
    assert_type(client.expense_reports.list(), list[ExpenseReport])
    assert_type(client.expense_reports.iter(), Iterator[ExpenseReport])
    assert_type(client.expense_reports.get(1), ExpenseReport)
    assert_type(client.expense_reports.create("Mars", date=date(2024, 3, 31)), ExpenseReport)
    client.expense_reports.create("Mars", date=20240331)  # type: ignore[arg-type]
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
    since = datetime(2026, 1, 1)
    assert_type(client.invoices.find_created({"title": "x"}, since=since), Invoice | None)
    assert_type(client.quotations.find_created({}, since=since), Quotation | None)
    assert_type(client.clients.find_created({"name": "ACME"}, since=since), Client | None)
    assert_type(client.expense_reports.find_created({}, since=since), ExpenseReport | None)
    assert_type(client.documents.find_created({"filename": "a"}, since=since), Document | None)
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
    found = await client.invoices.find_created({}, since=datetime(2026, 1, 1))
    assert_type(found, Invoice | None)
    try:
        await client.invoices.create(lines=LINES)
    except AmbiguousWriteError as exc:
        assert_type(exc.record_type, str | None)
        assert_type(exc.method, str | None)
    assert_type(await client.clients.get(100), Client)
    assert_type(await client.clients.create(name="ACME"), Client)
    assert_type(await client.clients.search("acme"), list[Client])
    assert_type(await client.clients.contacts(100), list[Contact])
    assert_type(client.clients.iter(), AsyncIterator[Client])
    assert_type(await client.list_companies(), list[Company])
    assert_type(await client.clients.with_raw_response.get(100), RawResponse[Client])
    assert_type(await client.bank_accounts.balance(), list[AccountBalance])
    assert_type(await client.bank_transactions.list(), list[BankTransaction])
    assert_type(await client.bank_transactions.list_page(), BankTransactionsPage)
    assert_type(await client.invoices.list_page(status="sent"), InvoicesPage)
    assert_type(await client.documents.list_page(page=3), DocumentsPage)
    assert_type(client.bank_transactions.iter(), AsyncIterator[BankTransaction])
    assert_type(await client.bank_transactions.label_suggestions(1), list[LabelSuggestion])
    assert_type(
        await client.bank_transactions.impute(BankTransaction(id=1, amount=Decimal(-10)), []),
        BankTransaction,
    )
    assert_type(await client.bank_transactions.match_documents(1, []), list[DocumentMatching])
    assert_type(await client.labels.list(), list[Label])
    assert_type(await client.labels.standard(), list[Label])
    assert_type(await client.labels.tags(), list[Tag])
    assert_type(await client.users.me(), User)
    assert_type(await client.users.legal_informations(), JSONValue)
    assert_type(await client.users.settings(), JSONValue)
    assert_type(await client.company.users(), JSONValue)
    assert_type(await client.company.app_config(), JSONValue)
    assert_type(await client.company.accounting_period(), AccountingPeriod)
    assert_type(await client.company.tiles(["receipts_count"]), JSONValue)
    assert_type(await client.company.dashboard_blocks("monitoring"), JSONValue)
    assert_type(await client.documents.list(), list[Document])
    assert_type(client.documents.iter(), AsyncIterator[Document])
    assert_type(await client.documents.upload("recu.pdf"), Document)
    assert_type(await client.documents.download(1), bytes)
    assert_type(await client.documents.search_matchable("amazon"), list[MatchableDocument])
    assert_type(await client.documents.get(1), Document)
    assert_type(await client.documents.update(1, date=date(2026, 1, 5)), Document)
    assert_type(await client.bank_transactions.attach_receipt(1, b"%PDF", filename="r"), Document)
    async with client.documents.with_streaming_response.download(1) as streamed:
        assert_type(streamed, AsyncStreamedResponse)
    assert_type(await client.expense_reports.list(), list[ExpenseReport])
    assert_type(client.expense_reports.iter(), AsyncIterator[ExpenseReport])
    assert_type(await client.expense_reports.create("Mars"), ExpenseReport)
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
