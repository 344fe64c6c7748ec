"""Documents (receipts, purchase invoices...) and their categories.

* ``GET /v1/companies/{cid}/documents``: the list, newest first by default (``sorts``,
  ``types``, ``source``, ``accountable``), or with ``matchable=true&q=TEXT`` the documents
  whose name or supplier holds TEXT (case and accents ignored); paged by Range.
* ``POST /v1/companies/{cid}/documents``: upload (multipart: ``file``, then ``type``),
  streamed to disk, 413 over the size limit; 201 with the document.
* ``GET /v1/companies/{cid}/documents/{id}/download``: exactly the uploaded bytes, with
  their detected ``Content-Type`` and an RFC 6266 ``Content-Disposition``.
* ``GET /v1/companies/{cid}/documents/{id}/preview``: what a preview is made of.
* ``GET /v1/companies/{cid}/document_categories``: the categories and their counts.

Uploaded bytes live beside the database (:mod:`.document_files`); seeded documents have
no file there: their bytes (a tiny PDF or PNG receipt) are made from their row.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..derive import fold
from ..kernel import (
    JSON_TYPE,
    Context,
    Database,
    Migration,
    Row,
    accepts,
    company_guard,
    insert_sql,
    paged,
    route,
)

__all__ = ["DEFAULT_SIZE", "MIGRATIONS", "NAME", "routes", "seed"]

NAME = "documents"
DEFAULT_SIZE = 60
DOCUMENTS_V2 = "application/vnd.tiime.documents.v2+json"
DOCUMENTS_V3 = "application/vnd.tiime.documents.v3+json"

MIGRATIONS = [
    Migration(
        30,
        "documents and their categories",
        """
        CREATE TABLE document_categories (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            company_id INTEGER NOT NULL REFERENCES companies(id),
            name TEXT NOT NULL,
            code TEXT NOT NULL,
            identifier TEXT NOT NULL,
            owner TEXT NOT NULL,
            editable INTEGER NOT NULL DEFAULT 0,
            UNIQUE (company_id, identifier)
        );
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            company_id INTEGER NOT NULL REFERENCES companies(id),
            name TEXT NOT NULL,
            name_folded TEXT NOT NULL,
            type TEXT,
            source TEXT,
            mime_type TEXT,
            file_family TEXT,
            size INTEGER NOT NULL DEFAULT 0,
            file_key TEXT,
            created_at TEXT,
            metadata_date TEXT,
            metadata_amount_cents INTEGER,
            supplier_name TEXT,
            supplier_folded TEXT,
            accountable INTEGER NOT NULL DEFAULT 1,
            ocr_status TEXT,
            payment_status TEXT
        );
        CREATE INDEX documents_by_company ON documents (company_id, created_at, id);
        INSERT INTO sqlite_sequence (name, seq) VALUES ('document_categories', 900);
        INSERT INTO sqlite_sequence (name, seq) VALUES ('documents', 500000)
        """,
    )
]

DOCUMENT_COLUMNS: tuple[str, ...] = (
    "company_id",
    "name",
    "name_folded",
    "type",
    "source",
    "mime_type",
    "file_family",
    "size",
    "file_key",
    "created_at",
    "metadata_date",
    "metadata_amount_cents",
    "supplier_name",
    "supplier_folded",
    "accountable",
    "ocr_status",
    "payment_status",
)


# -- rendering --------------------------------------------------------------------------


def _amount(cents: int | None) -> float | None:
    return None if cents is None else round(cents / 100, 2)


def render_document(row: Row) -> dict[str, Any]:
    """A document as ``GET companies/{cid}/documents`` gives it."""
    return {
        "id": row["id"],
        "name": row["name"],
        "type": row["type"],
        "source": row["source"],
        "mime_type": row["mime_type"],
        "created_at": row["created_at"],
        "metadata": {
            "date": row["metadata_date"],
            "amount": _amount(row["metadata_amount_cents"]),
            "supplier_name": row["supplier_name"],
        },
        "file_family": row["file_family"],
        "preview_available": row["file_family"] in ("pdf", "image"),
        "ocr_status": row["ocr_status"],
        "payment_status": row["payment_status"],
    }


# -- routes -----------------------------------------------------------------------------


def _count(db: Database, company_id: int) -> int:
    return int(db.scalar("SELECT COUNT(*) FROM documents WHERE company_id = ?", (company_id,)))


async def list_documents(ctx: Context, request: Request) -> Response:
    """``GET /v1/companies/{cid}/documents``: the company's documents, newest first."""
    _, company = company_guard(ctx, request)
    return paged(
        ctx,
        request,
        lambda: _count(ctx.db, company["id"]),
        lambda offset, limit: [
            render_document(row)
            for row in ctx.db.all(
                "SELECT * FROM documents WHERE company_id = ? "
                "ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
                (company["id"], -1 if limit is None else limit, offset),
            )
        ],
        DOCUMENTS_V2 if accepts(request, DOCUMENTS_V2) else JSON_TYPE,
    )


def routes(ctx: Context) -> list[Route]:
    """The documents' and categories' routes."""
    base = "/v1/companies/{company_id:int}/documents"
    return [route(ctx, base, list_documents)]


# -- seed -------------------------------------------------------------------------------

# (identifier, name, code, owner, editable): Tiime's standard categories, then one of the
# company's own.
CATEGORIES: tuple[tuple[str, str, str, str, bool], ...] = (
    ("receipt", "Justificatifs de dépense", "RECEIPT", "tiime", False),
    ("invoice", "Factures d'achat", "INVOICE", "tiime", False),
    ("bank_statement", "Relevés bancaires", "BANK_STATEMENT", "tiime", False),
    ("payslip", "Bulletins de paie", "PAYSLIP", "tiime", False),
    ("tax", "Documents fiscaux", "TAX", "tiime", False),
    ("legal", "Documents juridiques", "LEGAL", "tiime", False),
    ("other", "Autres documents", "OTHER", "tiime", False),
    ("contract", "Contrats clients", "CONTRACT", "company", True),
)

# (supplier, document type, least and most amount in cents, file family): suppliers whose
# receipts a small French business keeps, and which its bank transactions name.
SUPPLIERS: tuple[tuple[str, str, int, int, str], ...] = (
    ("SNCF", "receipt", 2_500, 12_900, "pdf"),
    ("Amazon", "invoice", 1_299, 24_900, "pdf"),
    ("Orange", "invoice", 3_999, 3_999, "pdf"),
    ("Total Énergies", "receipt", 4_000, 9_500, "image"),
    ("OVHcloud", "invoice", 599, 4_799, "pdf"),
    ("EDF", "invoice", 6_200, 14_800, "pdf"),
    ("Uber", "receipt", 1_250, 4_800, "pdf"),
    ("Air France", "invoice", 12_000, 45_000, "pdf"),
    ("Monoprix", "receipt", 840, 6_200, "image"),
    ("La Poste", "receipt", 216, 2_450, "image"),
    ("Free Mobile", "invoice", 1_999, 1_999, "pdf"),
    ("Boulanger", "invoice", 4_999, 89_900, "pdf"),
    ("Leroy Merlin", "receipt", 1_590, 32_000, "image"),
    ("Hôtel Mercure", "invoice", 8_900, 19_800, "pdf"),
    ("Fnac", "receipt", 1_499, 29_900, "image"),
    ("Café de la Gare", "receipt", 350, 4_200, "image"),
)
_SOURCES = ("upload", "upload", "email", "mobile")
_MIME = {"pdf": "application/pdf", "image": "image/png"}
_EXTENSION = {"pdf": "pdf", "image": "png"}
# Seeded documents are dated over the year before this day (no clock: deterministic).
SEED_END = date(2026, 11, 20)


def _seed_categories(db: Database, company_id: int) -> None:
    have = {
        row["identifier"]
        for row in db.all(
            "SELECT identifier FROM document_categories WHERE company_id = ?", (company_id,)
        )
    }
    with db.transaction() as conn:
        conn.executemany(
            "INSERT INTO document_categories "
            "(company_id, name, code, identifier, owner, editable) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (company_id, name, code, identifier, owner, int(editable))
                for identifier, name, code, owner, editable in CATEGORIES
                if identifier not in have
            ],
        )


def _seed_document(rng: random.Random, company_id: int, position: int) -> dict[str, Any]:
    supplier, kind, low, high, family = rng.choice(SUPPLIERS)
    day = SEED_END - timedelta(days=rng.randint(0, 364))
    cents = low if low == high else rng.randint(low, high)
    created = datetime(day.year, day.month, day.day, 8) + timedelta(
        days=rng.randint(0, 3), seconds=rng.randint(0, 36_000)
    )
    label = "facture" if kind == "invoice" else "ticket"
    name = f"{label}-{fold(supplier).replace(' ', '-')}-{day.isoformat()}.{_EXTENSION[family]}"
    read = rng.random() < 0.9
    return {
        "company_id": company_id,
        "name": name,
        "name_folded": fold(name),
        "type": kind,
        "source": rng.choice(_SOURCES),
        "mime_type": _MIME[family],
        "file_family": family,
        "size": 0,
        "file_key": None,
        "created_at": created.strftime("%Y-%m-%d %H:%M:%S"),
        "metadata_date": day.isoformat() if read else None,
        "metadata_amount_cents": cents if read else None,
        "supplier_name": supplier if read else None,
        "supplier_folded": fold(supplier) if read else None,
        "accountable": int(position % 11 != 5),
        "ocr_status": "done" if read else "pending",
        "payment_status": rng.choice(("paid", "paid", "paid", "unpaid")),
    }


def seed(db: Database, company_id: int, size: int) -> None:
    """The categories, then ``size`` receipts and purchase invoices of well-known suppliers
    over the year before :data:`SEED_END` (topping up: only the missing ones are added,
    the same as seeding that many at once)."""
    _seed_categories(db, company_id)
    existing = _count(db, company_id)
    if size <= existing:
        return
    rng = random.Random(company_id * 7 + 30)  # noqa: S311 - demo data
    rows = [_seed_document(rng, company_id, position) for position in range(size)][existing:]
    rows.sort(key=lambda row: str(row["created_at"]))
    with db.transaction() as conn:
        conn.executemany(
            insert_sql("documents", DOCUMENT_COLUMNS),
            [tuple(row[column] for column in DOCUMENT_COLUMNS) for row in rows],
        )
