"""One document read, and its metadata changed.

* ``GET /v1/companies/{cid}/documents/{id}``: the document, as the listing renders it.
* ``PATCH /v1/companies/{cid}/documents/{id}`` with ``{"metadata": [{"key", "type",
  "value"}...]}``: the entries given replace those of their key, the others are kept:
  ``date`` (type ``datetime``, ``"Mon Jan 05 2026"`` as that client writes it, or
  ``2026-01-05``), ``wording`` (``string``), ``amount`` and ``vat_amount`` (``amount``,
  ``{"currency": "EUR", "value": 12.5}``). 200 with the document; 404 for a document that
  is not the company's; 422 for an unknown key, a bad value or another currency.

The reference has neither call: their wire is the one the public Ruby client
``opus-codium/ruby-tiime`` sends (``Document.find``, ``Document.update`` with the
metadata its ``Receipt.upload`` sets). The documents table is the documents resource's;
this one adds its ``wording`` and ``vat_amount_cents`` columns.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ...types import Document
from ..kernel import (
    ApiError,
    Context,
    Database,
    Doc,
    FieldErrors,
    Migration,
    Row,
    company_guard,
    json_object,
    route,
)
from ..shapes import DocumentUpdate
from .documents import document, render_document

__all__ = ["DEFAULT_SIZE", "MIGRATIONS", "NAME", "routes", "seed"]

NAME = "document_details"
DEFAULT_SIZE = 0
MIGRATIONS = [
    Migration(
        111,
        "documents: the wording and VAT amount their metadata may be given",
        """
        ALTER TABLE documents ADD COLUMN wording TEXT;
        ALTER TABLE documents ADD COLUMN vat_amount_cents INTEGER
        """,
    ),
]

_NOT_FOUND = "Document introuvable"
_TYPES = {"date": "datetime", "wording": "string", "amount": "amount", "vat_amount": "amount"}


def _of_path(ctx: Context, request: Request) -> tuple[Row, Row]:
    _, company = company_guard(ctx, request)
    found = document(ctx.db, company["id"], request.path_params["document_id"])
    if found is None:
        raise ApiError(404, _NOT_FOUND)
    return company, found


async def get_document(ctx: Context, request: Request) -> Response:
    """``GET .../documents/{id}``: the document."""
    _, found = _of_path(ctx, request)
    return JSONResponse(render_document(found))


def _day(value: Any, where: str) -> str:
    if isinstance(value, str):
        for form in ("%a %b %d %Y", "%Y-%m-%d"):
            try:
                return datetime.strptime(value.strip(), form).date().isoformat()
            except ValueError:
                continue
    raise FieldErrors({where: "Date invalide (« Mon Jan 05 2026 » ou AAAA-MM-JJ)."})


def _cents(value: Any, where: str) -> int:
    if not isinstance(value, dict) or value.get("currency", "EUR") != "EUR":
        raise FieldErrors({where: "Montant invalide ({currency: EUR, value})."})
    amount = value.get("value")
    if isinstance(amount, bool) or not isinstance(amount, (int, float)):
        raise FieldErrors({where: "Cette valeur doit être un montant."})
    try:
        exact = Decimal(str(amount))
    except InvalidOperation:
        raise FieldErrors({where: "Cette valeur doit être un montant."}) from None
    if not exact.is_finite() or abs(exact) >= 10**12 or exact != round(exact, 2):
        raise FieldErrors({where: "Montant invalide (deux décimales au plus)."})
    return int(exact * 100)


def _changes(body: dict[str, Any]) -> dict[str, Any]:
    """The columns the body's metadata entries set."""
    entries = body.get("metadata")
    if not isinstance(entries, list) or not entries:
        raise FieldErrors({"metadata": "Une liste d'entrées {key, type, value} est attendue."})
    changes: dict[str, Any] = {}
    for position, entry in enumerate(entries):
        where = f"metadata[{position}]"
        key = entry.get("key") if isinstance(entry, dict) else None
        if key not in _TYPES:
            raise FieldErrors({where: f"Clé inconnue (clés : {', '.join(_TYPES)})."})
        assert isinstance(entry, dict)
        value = entry.get("value")
        if key == "date":
            changes["metadata_date"] = _day(value, where)
        elif key == "wording":
            if value is not None and not isinstance(value, str):
                raise FieldErrors({where: "Cette valeur doit être un texte."})
            changes["wording"] = value.strip()[:255] if isinstance(value, str) else None
        elif key == "amount":
            changes["metadata_amount_cents"] = _cents(value, where)
        else:
            changes["vat_amount_cents"] = _cents(value, where)
    return changes


async def update_document(ctx: Context, request: Request) -> Response:
    """``PATCH .../documents/{id}``: the metadata entries given set; the document."""
    company, found = _of_path(ctx, request)
    changes = _changes(await json_object(request))
    assignments = ", ".join(f"{column} = ?" for column in changes)
    with ctx.db.transaction() as conn:
        conn.execute(
            f"UPDATE documents SET {assignments} WHERE id = ?",  # noqa: S608 - known columns
            [*changes.values(), found["id"]],
        )
    updated = document(ctx.db, company["id"], found["id"])
    assert updated is not None
    return JSONResponse(render_document(updated))


def routes(ctx: Context) -> list[Route]:
    """The routes of one document."""
    one = "/v1/companies/{company_id:int}/documents/{document_id:int}"
    return [
        route(ctx, one, get_document, doc=Doc(answer=Document)),
        route(ctx, one, update_document, ["PATCH"], doc=Doc(answer=Document, body=DocumentUpdate)),
    ]


def seed(db: Database, company_id: int, size: int) -> None:
    """Nothing to seed: the documents resource seeds the table."""
