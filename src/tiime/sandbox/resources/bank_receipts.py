"""A receipt attached to a bank transaction in one call.

* ``POST /v1/companies/{cid}/bank_transactions/{id}/receipts``: multipart, the ``file``
  part (with its file name; an optional ``type``, default ``receipt``). The file becomes
  a document of the company, as ``POST .../documents`` makes one, and that document is
  matched to the transaction, both in one write transaction (a crash leaves neither).
  201 with the document; 404 for a transaction that is not the company's, 400/413/422 as
  the documents' upload.

The reference does not have this call: its wire is the one the public Ruby client
``opus-codium/ruby-tiime`` sends (``BankTransaction.upload_receipt``), which does not say
what the service answers; the sandbox answers the document made. The tables are those
of the documents and bank transactions resources.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ...types import Document
from ..kernel import (
    MAX_ID,
    ApiError,
    Context,
    Database,
    Doc,
    Handler,
    Migration,
    company_guard,
    now_text,
    route,
)
from ..uploads import FileStore, receive_upload
from .documents import max_upload_size, render_document, store_upload

__all__ = ["DEFAULT_SIZE", "MIGRATIONS", "NAME", "routes", "seed"]

NAME = "bank_receipts"
DEFAULT_SIZE = 0
MIGRATIONS: list[Migration] = []

_NOT_FOUND = "Transaction bancaire introuvable"


def _check_transaction(ctx: Context, company_id: int, transaction_id: int) -> None:
    if transaction_id > MAX_ID:  # no such row, and SQLite cannot hold the number
        raise ApiError(404, _NOT_FOUND)
    found = ctx.db.scalar(
        "SELECT COUNT(*) FROM bank_transactions WHERE company_id = ? AND id = ?",
        (company_id, transaction_id),
    )
    if not found:
        raise ApiError(404, _NOT_FOUND)


def receipt_route(store: FileStore, max_size: int) -> Handler:
    """The receipts handler, writing to ``store``, refusing files over ``max_size``."""

    async def attach_receipt(ctx: Context, request: Request) -> Response:
        """``POST .../bank_transactions/{id}/receipts``: the document made and matched."""
        transaction_id = request.path_params["transaction_id"]
        _, company = company_guard(ctx, request)
        _check_transaction(ctx, company["id"], transaction_id)  # before reading the body
        upload = await receive_upload(request, store, max_size=max_size)
        row = None
        try:
            # What decides the write is read again inside its transaction.
            with ctx.db.transaction() as conn:
                _, company = company_guard(ctx, request)
                _check_transaction(ctx, company["id"], transaction_id)
                row = store_upload(ctx.db, store, company["id"], upload)
                conn.execute(
                    "INSERT INTO bank_document_matchings (transaction_id, document_id, "
                    "created_at) VALUES (?, ?, ?)",
                    (transaction_id, row["id"], now_text()),
                )
        except BaseException:
            if row is not None:  # the document was rolled back: its file goes too
                store.path(row["file_key"]).unlink(missing_ok=True)
            raise
        finally:
            upload.discard()
        return JSONResponse(
            render_document(row),
            status_code=201,
            headers={"Location": f"/v1/companies/{company['id']}/documents/{row['id']}"},
        )

    return attach_receipt


def routes(ctx: Context) -> list[Route]:
    """The receipts' route (the documents resource tidies the files' directory)."""
    path = "/v1/companies/{company_id:int}/bank_transactions/{transaction_id:int}/receipts"
    handler = receipt_route(FileStore(ctx.db.path), max_upload_size())
    # Streamed to disk; its transaction is its own.
    doc = Doc(answer=Document, status=201, form=True, location=True)
    return [route(ctx, path, handler, ["POST"], atomic=False, doc=doc)]


def seed(db: Database, company_id: int, size: int) -> None:
    """Nothing to seed: the documents and transactions resources seed their tables."""
