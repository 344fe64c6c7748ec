"""The read-only tools: they call the SDK's reads (GETs) and nothing else."""

from __future__ import annotations

import datetime
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import anyio

from .._today import today
from ..status import gather_async
from . import _args as A
from ._books import Books
from ._data import MAX_ANSWER_BYTES, Page, decode_cursor, encode_cursor, plain, to_text
from ._errors import ToolFailure

if TYPE_CHECKING:
    from .._client import AsyncTiimeClient

__all__ = ["Download", "Reads"]

# The filters each listing takes (the others are refused, not ignored).
FILTERS: dict[str, tuple[str, ...]] = {
    "clients": ("search", "archived"),
    "invoices": ("status",),
    "bank_transactions": ("search", "from_date", "to_date", "amount_type", "bank_account"),
    "documents": ("type",),
}
ALL_FILTERS = tuple(dict.fromkeys(name for names in FILTERS.values() for name in names))
# Left out of listed items (the get tool gives them): an invoice's lines are most of it.
BULKY = ("lines", "totals_per_vat_type")
MAX_DOWNLOAD_BYTES = 10_000_000
# Calls at a time: companies whose status is gathered (six listings each), transactions
# whose suggestions are asked.
COMPANIES_AT_ONCE = 4
CALLS_AT_ONCE = 8
SUGGESTIONS_SHOWN = 3
URI_PREFIX = "tiime://companies/"


def _given_filters(args: A.ListArgs) -> dict[str, Any]:
    given = {}
    for name in ALL_FILTERS:
        value = getattr(args, name)
        if value is not None:
            given[name] = value.isoformat() if isinstance(value, datetime.date) else value
    allowed = FILTERS.get(args.resource, ())
    wrong = [name for name in given if name not in allowed]
    if wrong:
        takes = ", ".join(allowed) if allowed else "no filter"
        raise A.ArgumentError(f"{wrong[0]} does not apply to {args.resource} (it takes {takes})")
    return given


async def _listing(
    client: AsyncTiimeClient, resource: str, f: dict[str, Any], count: int
) -> list[Any]:
    """The first ``count`` items of a listing (fewer when it ends before)."""
    if resource == "clients":
        if "search" in f:
            return await client.clients.search(f["search"], limit=count)
        return await client.clients.list(archived=f.get("archived"), limit=count)
    if resource == "invoices":
        return await client.invoices.list(status=f.get("status"), limit=count)
    if resource == "quotations":
        return await client.quotations.list(limit=count)
    if resource == "bank_accounts":
        return (await client.bank_accounts.list())[:count]
    if resource == "bank_transactions":
        return await client.bank_transactions.list(
            search=f.get("search"),
            from_date=f.get("from_date"),
            to_date=f.get("to_date"),
            amount_type=f.get("amount_type"),
            bank_account=f.get("bank_account"),
            limit=count,
        )
    if resource == "documents":
        return await client.documents.list(types=f.get("type"), limit=count)
    if resource == "expense_reports":
        return await client.expense_reports.list(limit=count)
    if resource == "labels":
        return await client.labels.list(limit=count)
    if resource == "standard_labels":
        return await client.labels.standard(limit=count)
    return await client.labels.tags(limit=count)


async def _get(client: AsyncTiimeClient, resource: str, record_id: int) -> Any:
    getters: dict[str, Callable[[int], Awaitable[Any]]] = {
        "clients": client.clients.get,
        "invoices": client.invoices.get,
        "quotations": client.quotations.get,
        "bank_accounts": client.bank_accounts.get,
        "bank_transactions": client.bank_transactions.get,
        "expense_reports": client.expense_reports.get,
    }
    return await getters[resource](record_id)


def _sniff(data: bytes) -> str:
    if data.startswith(b"%PDF"):
        return "application/pdf"
    if data.startswith(b"\x89PNG"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return "application/octet-stream"


class Download:
    """A file to hand over as an MCP resource."""

    def __init__(self, uri: str, data: bytes) -> None:
        self.uri = uri
        self.data = data
        self.mime_type = _sniff(data)


class Reads:
    """The read tools of one server, over its :class:`Books`."""

    def __init__(self, books: Books) -> None:
        self.books = books

    async def companies(self, args: A.NoArgs) -> dict[str, Any]:
        served = await self.books.served()
        return {"items": [{"id": c.id, "name": c.name} for c in served]}

    async def list(self, args: A.ListArgs) -> dict[str, Any]:
        given = _given_filters(args)
        offset, company, filters = 0, args.company, given
        if args.cursor is not None:
            try:
                cursor = decode_cursor(args.cursor)
            except ValueError as exc:
                raise A.ArgumentError(f"cursor: {exc}") from None
            if cursor.listing != args.resource:
                raise A.ArgumentError(f"cursor: it continues a listing of {cursor.listing}")
            if (company not in (None, cursor.company)) or (given and given != cursor.filters):
                raise A.ArgumentError(
                    "cursor: it continues the listing it came from; "
                    "give the same company and filters, or leave them out"
                )
            offset, company, filters = cursor.offset, cursor.company, cursor.filters
        client, served = await self.books.pick(company)
        fetched = await _listing(client, args.resource, filters, offset + args.limit + 1)
        items = fetched[offset : offset + args.limit]
        page = Page(items, offset=offset, more=len(fetched) > offset + args.limit)
        if args.resource in ("invoices", "quotations"):
            for item in page.items:
                for key in BULKY:
                    item.pop(key, None)
        return page.answer(
            lambda start: encode_cursor(args.resource, served.id, start, filters),
            company=served.id,
        )

    async def get(self, args: A.GetArgs) -> dict[str, Any]:
        client, served = await self.books.pick(args.company)
        record = plain(await _get(client, args.resource, args.id))
        if len(to_text(record)) > MAX_ANSWER_BYTES:
            for key in BULKY:
                record.pop(key, None)
            record["note"] = "too large: lines left out"
        return {"company": served.id, "record": record}

    async def status(self, args: A.CompanyArgs) -> dict[str, Any]:
        chosen = await self.books.each(args.company)
        results: list[Any] = [None] * len(chosen)
        limiter = anyio.CapacityLimiter(COMPANIES_AT_ONCE)

        async def one(n: int, client: AsyncTiimeClient) -> None:
            async with limiter:
                results[n] = await gather_async(client)

        async with anyio.create_task_group() as group:
            for n, (client, _) in enumerate(chosen):
                group.start_soon(one, n, client)
        items = []
        for (_, served), figures in zip(chosen, results, strict=True):
            items.append({"company_name": served.name, **plain(figures)})
        return {"items": items}

    async def overdue_invoices(self, args: A.PagedArgs) -> dict[str, Any]:
        offset, company = self._offset("overdue_invoices", args)
        client, served = await self.books.pick(company)
        day = today()
        found = []
        for status in ("saved", "sent"):
            for invoice in await client.invoices.list(status=status):
                if invoice.due_date is not None and invoice.due_date < day:
                    found.append(invoice)
        found.sort(key=lambda invoice: (invoice.due_date, invoice.id))
        total = sum((i.total_including_taxes or Decimal(0) for i in found), Decimal(0))
        rows = [
            {
                "id": i.id,
                "number": i.compiled_number,
                "client_id": i.client_id,
                "client_name": i.client_name,
                "status": i.status,
                "due_date": i.due_date,
                "days_late": (day - i.due_date).days if i.due_date else None,
                "total_including_taxes": i.total_including_taxes,
            }
            for i in found[offset : offset + args.limit]
        ]
        page = Page(rows, offset=offset, more=len(found) > offset + args.limit, total=len(found))
        return page.answer(
            lambda start: encode_cursor("overdue_invoices", served.id, start, {}),
            company=served.id,
            total_amount=total,
            today=day,
        )

    async def unimputed_transactions(self, args: A.PagedArgs) -> dict[str, Any]:
        offset, company = self._offset("unimputed_transactions", args)
        client, served = await self.books.pick(company)
        listed = await client.bank_transactions.unimputed(limit=offset + args.limit + 1)
        chosen = listed[offset : offset + args.limit]
        rows: list[Any] = [None] * len(chosen)
        limiter = anyio.CapacityLimiter(CALLS_AT_ONCE)

        async def one(n: int, transaction: Any) -> None:
            async with limiter:
                if transaction.amount is None:  # items may hold only the id
                    transaction = await client.bank_transactions.get(transaction.id)
                suggestions = await client.bank_transactions.label_suggestions(transaction.id)
            rows[n] = {
                "id": transaction.id,
                "transaction_date": transaction.transaction_date,
                "wording": transaction.wording,
                "amount": transaction.amount,
                "currency": transaction.currency,
                "suggested_labels": [
                    {"id": s.id, "name": s.name or s.label} for s in suggestions[:SUGGESTIONS_SHOWN]
                ],
            }

        async with anyio.create_task_group() as group:
            for n, transaction in enumerate(chosen):
                group.start_soon(one, n, transaction)
        page = Page(rows, offset=offset, more=len(listed) > offset + args.limit)
        return page.answer(
            lambda start: encode_cursor("unimputed_transactions", served.id, start, {}),
            company=served.id,
        )

    def _offset(self, listing: str, args: A.PagedArgs) -> tuple[int, int | None]:
        if args.cursor is None:
            return 0, args.company
        try:
            cursor = decode_cursor(args.cursor)
        except ValueError as exc:
            raise A.ArgumentError(f"cursor: {exc}") from None
        if cursor.listing != listing or args.company not in (None, cursor.company):
            raise A.ArgumentError("cursor: it continues another listing")
        return cursor.offset, cursor.company

    async def download(self, args: A.DownloadArgs) -> Download:
        client, served = await self.books.pick(args.company)
        return await self.fetch(client, served.id, args.kind, args.id)

    async def read_uri(self, uri: str) -> Download:
        """The file of a ``tiime://companies/{cid}/{invoices|quotations|documents}/{id}``
        URI (``.../pdf`` or ``.../file``)."""
        parts = uri[len(URI_PREFIX) :].split("/") if uri.startswith(URI_PREFIX) else []
        kinds = {
            ("invoices", "pdf"): "invoice_pdf",
            ("quotations", "pdf"): "quotation_pdf",
            ("documents", "file"): "document",
        }
        if len(parts) != 4 or not (parts[0].isdigit() and parts[2].isdigit()):
            raise ToolFailure(f"Unknown resource {uri!r}: use a URI of the resource templates.")
        kind = kinds.get((parts[1], parts[3]))
        if kind is None:
            raise ToolFailure(f"Unknown resource {uri!r}: use a URI of the resource templates.")
        client, served = await self.books.pick(int(parts[0]))
        return await self.fetch(client, served.id, kind, int(parts[2]))

    async def fetch(
        self, client: AsyncTiimeClient, company: int, kind: str, record_id: int
    ) -> Download:
        if kind == "invoice_pdf":
            data = await client.invoices.download_pdf(record_id)
            uri = f"{URI_PREFIX}{company}/invoices/{record_id}/pdf"
        elif kind == "quotation_pdf":
            data = await client.quotations.download_pdf(record_id)
            uri = f"{URI_PREFIX}{company}/quotations/{record_id}/pdf"
        else:
            data = await client.documents.download(record_id)
            uri = f"{URI_PREFIX}{company}/documents/{record_id}/file"
        if len(data) > MAX_DOWNLOAD_BYTES:
            raise ToolFailure(
                f"The file is {len(data)} bytes, over the {MAX_DOWNLOAD_BYTES} this server "
                "hands over: the user can download it with the tiime command line."
            )
        return Download(uri, data)
