"""The write tools: each **preview** checks its arguments, reads what it names (the client,
the transaction, the invoice), builds the exact requests with the SDK's own builders and
sends nothing; the **commit** sends them, once (see :mod:`._tokens`)."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio

from .._today import today
from . import _args as A
from ._books import Books, ServedCompany
from ._data import plain
from ._errors import ToolFailure
from ._tokens import TOKEN_TTL, Confirmations, Step
from ._upload import CHANGED, FileChanged, FileFacts, PinnedFile, UploadDir, read_facts

if TYPE_CHECKING:
    from .._client import AsyncTiimeClient
    from ..types import BankTransaction, Label

__all__ = ["Writes"]

# What an imputation's label carries (as `tiime bank impute` sends it).
LABEL_KEYS = ("id", "label", "name", "acronym", "color", "client")
READS_AT_ONCE = 8
UPLOAD_TIMEOUT = 600.0  # seconds an upload may take (the SDK's 30 s bound the whole call)

CHECK_IMPUTATION = "get the bank_transactions record and read its imputations"


def _lines(lines: list[A.Line]) -> list[dict[str, Any]]:
    """The lines as the SDK takes them (it computes the amounts)."""
    return [
        {
            "description": line.description,
            "quantity": line.quantity,
            "unit_amount": line.unit_price,
            "vat_type": {"code": line.vat},
        }
        for line in lines
    ]


def _step(
    resource: Any,
    name: str,
    args: Sequence[Any],
    kwargs: dict[str, Any],
    check: str,
    key: int | None = None,
) -> Step:
    """The step of ``resource.name(*args, **kwargs)``. Its request is made by the SDK's builder
    of that call: it checks the arguments and returns the request the call sends, without
    sending it (the same one ``tiime invoices create --dry-run`` prints)."""
    build: Callable[..., Any] = inspect.getattr_static(type(resource), name).__wrapped__
    call: Callable[..., Any] = getattr(resource, name)
    return Step(
        build=lambda: build(resource, *args, **kwargs),
        send=lambda: call(*args, **kwargs),
        check=check,
        key=key,
    )


class Writes:
    """The preview and commit tools of one server. ``only`` (ids or names) limits writes to
    those of the served companies (empty: all of them); files are uploaded from
    ``upload_dir`` only."""

    def __init__(
        self,
        books: Books,
        *,
        clock: Callable[[], float] | None = None,
        ttl: float = TOKEN_TTL,
        only: Sequence[str] = (),
        upload_dir: UploadDir | None = None,
    ) -> None:
        self.books = books
        self.upload_dir = upload_dir or UploadDir()
        self.only = {name.casefold() for name in only}
        if clock is None:
            self.tokens = Confirmations(ttl=ttl)
        else:
            self.tokens = Confirmations(clock=clock, ttl=ttl)

    async def _writable(self, company: int | None) -> tuple[AsyncTiimeClient, ServedCompany]:
        """The client of ``company`` if writes are allowed on it."""
        client, served = await self.books.pick(company)
        if self.only and not {str(served.id), served.name.casefold()} & self.only:
            raise ToolFailure(
                f"Writes are not allowed on company {served.id} ({served.name}) by this "
                "server (only on those after --allow-writes): the user does it in Tiime."
            )
        return client, served

    async def commit(self, args: A.CommitArgs) -> dict[str, Any]:
        return await self.tokens.commit(args.token)

    async def preview_draft(self, args: A.DraftArgs) -> dict[str, Any]:
        if (args.client_id is None) == (args.client_name is None):
            raise A.ArgumentError("give client_id or client_name (one of them)")
        if args.kind == "quotation" and args.due_date is not None:
            raise A.ArgumentError("due_date: a quotation has none")
        client, served = await self._writable(args.company)
        # The date is fixed now: the body must not change if the commit comes after midnight.
        date_name = "emission_date" if args.kind == "invoice" else "date"
        kwargs: dict[str, Any] = {
            "lines": _lines(args.lines),
            date_name: args.date or today(),
            "status": "draft",
        }
        for name in ("client_id", "client_name", "title", "due_date"):
            if getattr(args, name) is not None:
                kwargs[name] = getattr(args, name)
        extra: dict[str, Any] = {}
        if args.client_id is not None:  # a client that exists, named in the preview
            found = await client.clients.get(args.client_id)
            extra["client"] = {"id": found.id, "name": found.name}
        resource = client.invoices if args.kind == "invoice" else client.quotations
        check = (
            "list invoices with status draft and look for it"
            if args.kind == "invoice"
            else "list quotations and look for it"
        )
        step = _step(resource, "create", (), kwargs, check)
        return self.tokens.preview(f"create_{args.kind}", served.id, [step], extra)

    async def preview_update(self, args: A.UpdateArgs) -> dict[str, Any]:
        client, served = await self._writable(args.company)
        invoice = await client.invoices.get(args.invoice_id)
        if invoice.status != "draft":
            raise ToolFailure(
                f"Invoice {args.invoice_id} is {invoice.status}, not a draft: only a draft "
                "changes (a saved invoice is numbered and final)."
            )
        kwargs: dict[str, Any] = {}
        if args.title is not None:
            kwargs["title"] = args.title
        if args.date is not None:
            kwargs["emission_date"] = args.date
        if args.due_date is not None:
            kwargs["due_date"] = args.due_date
        if args.lines is not None:
            kwargs["lines"] = _lines(args.lines)
        if not kwargs:
            raise A.ArgumentError("give at least one of title, date, due_date, lines")
        now = plain(invoice)
        now.pop("totals_per_vat_type", None)
        check = "get the invoice and compare it with the preview"
        step = _step(client.invoices, "update", (invoice.id,), kwargs, check)
        return self.tokens.preview("update_invoice", served.id, [step], {"draft_now": now})

    async def _labels(self, client: AsyncTiimeClient) -> dict[int, Label]:
        """The labels an imputation may use: the standard ones and the company's own."""
        labels = {label.id: label for label in await client.labels.standard()}
        labels.update({label.id: label for label in await client.labels.list()})
        return labels

    @staticmethod
    def _label(labels: dict[int, Label], label_id: int, where: str) -> dict[str, Any]:
        label = labels.get(label_id)
        if label is None:
            raise A.ArgumentError(
                f"{where}: no label {label_id} among the company's and the standard ones "
                "(list resource=labels or standard_labels)"
            )
        return {key: value for key, value in plain(label).items() if key in LABEL_KEYS}

    @staticmethod
    def _imputation_step(
        client: AsyncTiimeClient, transaction: BankTransaction, shares: list[dict[str, Any]]
    ) -> Step:
        kwargs = {"imputations": shares, "amount": transaction.amount}
        return _step(
            client.bank_transactions,
            "impute",
            (transaction.id,),
            kwargs,
            CHECK_IMPUTATION,
            key=transaction.id,
        )

    async def preview_imputation(self, args: A.ImputationArgs) -> dict[str, Any]:
        client, served = await self._writable(args.company)
        transaction = await client.bank_transactions.get(args.transaction_id)
        if transaction.amount is None:
            raise ToolFailure("This transaction has no amount: it cannot be imputed.")
        labels = await self._labels(client)
        shares = [
            {
                "label": self._label(labels, share.label_id, f"imputations[{n}].label_id"),
                "amount": share.amount,
            }
            for n, share in enumerate(args.imputations)
        ]
        extra = {
            "transaction": {"id": transaction.id, "wording": transaction.wording},
            "replaces": [plain(i) for i in transaction.imputations or []],
        }
        step = self._imputation_step(client, transaction, shares)
        return self.tokens.preview("impute_transaction", served.id, [step], extra)

    async def preview_bulk_imputation(self, args: A.BulkImputationArgs) -> dict[str, Any]:
        ids = [item.transaction_id for item in args.items]
        if len(set(ids)) != len(ids):
            raise A.ArgumentError("items: the same transaction_id twice")
        client, served = await self._writable(args.company)
        labels = await self._labels(client)
        transactions: list[Any] = [None] * len(ids)
        limiter = anyio.CapacityLimiter(READS_AT_ONCE)

        async def read(n: int, transaction_id: int) -> None:
            async with limiter:
                transactions[n] = await client.bank_transactions.get(transaction_id)

        async with anyio.create_task_group() as group:
            for n, transaction_id in enumerate(ids):
                group.start_soon(read, n, transaction_id)
        steps, rows = [], []
        for n, (item, transaction) in enumerate(zip(args.items, transactions, strict=True)):
            if transaction.amount is None:
                raise ToolFailure(f"Transaction {transaction.id} has no amount: leave it out.")
            label = self._label(labels, item.label_id, f"items[{n}].label_id")
            shares = [{"label": label, "amount": transaction.amount}]
            steps.append(self._imputation_step(client, transaction, shares))
            rows.append(
                {
                    "transaction_id": transaction.id,
                    "wording": transaction.wording,
                    "amount": transaction.amount,
                    "label": {"id": label["id"], "name": label.get("name")},
                    "replaces": [plain(i) for i in transaction.imputations or []],
                }
            )
        extra = {
            "imputations": rows,
            "on_commit": "sent one by one; a refused one is told and the next sent; "
            "at an unknown outcome the rest is not sent",
        }
        return self.tokens.preview("impute_transactions", served.id, steps, extra)

    async def preview_matching(self, args: A.MatchArgs) -> dict[str, Any]:
        if len(set(args.document_ids)) != len(args.document_ids):
            raise A.ArgumentError("document_ids: the same id twice")
        client, served = await self._writable(args.company)
        transaction = await client.bank_transactions.get(args.transaction_id)
        matched = await client.bank_transactions.matchings(transaction.id)
        extra = {
            "transaction": {
                "id": transaction.id,
                "wording": transaction.wording,
                "amount": transaction.amount,
            },
            "replaces": [plain(m) for m in matched],
        }
        check = "preview the same matching again: its replaces shows the documents matched now"
        kwargs = {"document_ids": list(args.document_ids)}
        step = _step(client.bank_transactions, "match_documents", (transaction.id,), kwargs, check)
        return self.tokens.preview("match_documents", served.id, [step], extra)

    async def preview_send(self, args: A.SendArgs) -> dict[str, Any]:
        client, served = await self._writable(args.company)
        invoice = await client.invoices.get(args.invoice_id)
        if invoice.status == "draft":
            raise ToolFailure(
                f"Invoice {invoice.id} is a draft: it is sent once saved (numbered); "
                "the user saves it in Tiime or with `tiime invoices update --status saved`."
            )
        kwargs: dict[str, Any] = {"recipients": list(args.recipients)}
        if args.subject is not None:
            kwargs["subject"] = args.subject
        if args.message is not None:
            kwargs["message"] = args.message
        extra = {
            "invoice": {
                "id": invoice.id,
                "number": invoice.compiled_number,
                "client_name": invoice.client_name,
                "total_including_taxes": invoice.total_including_taxes,
            }
        }
        check = "ask the user to look at the invoice's sending history in Tiime"
        step = _step(client.invoices, "send", (invoice.id,), kwargs, check)
        return self.tokens.preview("send_invoice", served.id, [step], extra)

    async def preview_upload(self, args: A.UploadArgs) -> dict[str, Any]:
        client, served = await self._writable(args.company)
        path = self.upload_dir.resolve(args.path)
        facts = await anyio.to_thread.run_sync(read_facts, path)
        category = args.type.strip() if args.type is not None else None
        if category:
            known = [c.identifier for c in await client.documents.categories() if c.identifier]
            if category not in known:
                raise A.ArgumentError(f"type: no category {category!r} (one of {', '.join(known)})")
        documents = client.with_options(timeout=UPLOAD_TIMEOUT).documents
        step = _upload_step(documents, facts, category or None)
        shown = {
            "path": facts.path,
            "name": facts.name,
            "size": facts.size,
            "sha256": facts.sha256,
            "type": facts.media_type,
        }
        return self.tokens.preview("upload_document", served.id, [step], {"file": shown})


def _upload_step(documents: Any, facts: FileFacts, category: str | None) -> Step:
    """The step of uploading the previewed file: bound to its path, size, SHA-256 and type;
    its commit reads the file again and refuses it if it changed, then sends it pinned (see
    :mod:`._upload`)."""
    build: Callable[..., Any] = inspect.getattr_static(type(documents), "upload").__wrapped__

    async def send() -> Any:
        now = await anyio.to_thread.run_sync(read_facts, Path(facts.path))
        if now != facts:
            raise ToolFailure(CHANGED)
        try:
            return await documents.upload(PinnedFile(facts), filename=facts.name, type=category)
        except FileChanged:  # the body was cut before its end
            raise ToolFailure(
                "The file changed while it was being sent (nothing was uploaded): preview again."
            ) from None

    return Step(
        build=lambda: build(documents, PinnedFile(facts), filename=facts.name, type=category),
        send=send,
        check="list resource=documents and look for it by name",
        facts={**facts.as_dict(), "category": category},
        lookup=True,
    )
