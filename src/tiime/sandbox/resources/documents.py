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

import os
import random
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from ...i18n import N_
from ...types import Document, DocumentCategory, MatchableDocument
from ..derive import fold
from ..filetypes import content_disposition, download_name, file_family, tiny_pdf, tiny_png
from ..kernel import (
    JSON_TYPE,
    MAX_ID,
    ApiError,
    Context,
    Database,
    Doc,
    FieldErrors,
    Handler,
    Migration,
    Query,
    Row,
    SandboxError,
    accepts,
    company_guard,
    flag,
    insert_sql,
    now_text,
    paged,
    route,
    run_script,
)
from ..shapes import Preview
from ..uploads import FileStore, Upload, receive_upload

__all__ = [
    "DEFAULT_SIZE",
    "DOCUMENTS_V2",
    "DOCUMENTS_V3",
    "MIGRATIONS",
    "NAME",
    "DocumentFilter",
    "count_documents",
    "document",
    "documents",
    "render_document",
    "routes",
    "seed",
]

NAME = "documents"
DEFAULT_SIZE = 60
DOCUMENTS_V2 = "application/vnd.tiime.documents.v2+json"
DOCUMENTS_V3 = "application/vnd.tiime.documents.v3+json"
# The upload size limit, in bytes, when this environment variable is not set.
DEFAULT_MAX_UPLOAD = 250 * 1024 * 1024
MAX_UPLOAD_ENV = "TIIME_SANDBOX_MAX_UPLOAD"


def _every_company_has_categories(conn: sqlite3.Connection) -> None:
    """Each company gets the categories of ``document_category_defaults`` (those of
    :data:`CATEGORIES`) when it is created, however it is made (``--seed empty``,
    ``add_user``, ``add_company``...): a trigger; those created before (a database of the
    first release, an empty seed) get the missing ones now."""
    run_script(
        conn,
        """
        CREATE TABLE document_category_defaults (
            rank INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            code TEXT NOT NULL,
            identifier TEXT NOT NULL UNIQUE,
            owner TEXT NOT NULL,
            editable INTEGER NOT NULL
        )
        """,
    )
    conn.executemany(
        "INSERT INTO document_category_defaults (rank, name, code, identifier, owner, editable) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            (rank, name, code, identifier, owner, int(editable))
            for rank, (identifier, name, code, owner, editable) in enumerate(CATEGORIES)
        ],
    )
    copy = (
        "INSERT OR IGNORE INTO document_categories "
        "(company_id, name, code, identifier, owner, editable) "
        "SELECT {company}, d.name, d.code, d.identifier, d.owner, d.editable "
        "FROM {source} ORDER BY {order}"
    )
    conn.execute(
        "CREATE TRIGGER companies_have_document_categories AFTER INSERT ON companies BEGIN "
        + copy.format(company="NEW.id", source="document_category_defaults d", order="d.rank")
        + "; END"
    )
    conn.execute(
        copy.format(
            company="c.id",
            source="companies c, document_category_defaults d",
            order="c.id, d.rank",
        )
    )


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
    ),
    Migration(110, "every company has its document categories", _every_company_has_categories),
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


# -- queries ----------------------------------------------------------------------------

# ``sorts`` keys the list accepts, and their columns.
_SORT_COLUMNS = {
    "created_at": "created_at",
    "id": "id",
    "name": "name_folded",
    "metadata.date": "metadata_date",
    "metadata.amount": "metadata_amount_cents",
    "type": "type",
}


@dataclass(frozen=True)
class DocumentFilter:
    """The filters of a list: types (any of), source, accountable, and a search text
    matched in the name or the supplier's name, ignoring case and accents."""

    types: tuple[str, ...] = ()
    source: str | None = None
    accountable: bool | None = None
    search: str | None = None

    def where(self, company_id: int) -> tuple[str, list[Any]]:
        """The ``WHERE`` clause and its parameters."""
        clauses = ["company_id = ?"]
        params: list[Any] = [company_id]
        if self.types:
            clauses.append(f"type IN ({', '.join('?' for _ in self.types)})")
            params.extend(self.types)
        if self.source is not None:
            clauses.append("source = ?")
            params.append(self.source)
        if self.accountable is not None:
            clauses.append("accountable = ?")
            params.append(int(self.accountable))
        folded = fold(self.search) if self.search else ""
        if folded:
            clauses.append("(instr(name_folded, ?) > 0 OR instr(supplier_folded, ?) > 0)")
            params.extend((folded, folded))
        return " WHERE " + " AND ".join(clauses), params


def count_documents(db: Database, company_id: int, where: DocumentFilter) -> int:
    """How many documents of the company match."""
    clause, params = where.where(company_id)
    return int(db.scalar("SELECT COUNT(*) FROM documents" + clause, params))  # noqa: S608


def documents(
    db: Database,
    company_id: int,
    where: DocumentFilter,
    order: str = "created_at DESC, id DESC",
    offset: int = 0,
    limit: int | None = None,
) -> list[Row]:
    """One window of the company's matching documents, in ``order`` (from :func:`sort_order`)."""
    clause, params = where.where(company_id)
    return db.all(
        "SELECT * FROM documents" + clause + f" ORDER BY {order} LIMIT ? OFFSET ?",  # noqa: S608
        [*params, -1 if limit is None else limit, offset],
    )


def document(db: Database, company_id: int, document_id: int) -> Row | None:
    """The document of that id if it belongs to the company, else None."""
    if not 0 <= document_id <= MAX_ID:
        return None
    return db.one(
        "SELECT * FROM documents WHERE company_id = ? AND id = ?", (company_id, document_id)
    )


def sort_order(sorts: str) -> str:
    """The SQL ``ORDER BY`` of a ``sorts`` parameter (``created_at:desc,name:asc``), ids
    breaking ties; 400 for an unknown key or direction."""
    terms = []
    for term in sorts.split(","):
        key, _, direction = term.strip().partition(":")
        direction = (direction or "asc").lower()
        column = _SORT_COLUMNS.get(key)
        if column is None or direction not in ("asc", "desc"):
            known = ", ".join(_SORT_COLUMNS)
            raise ApiError(400, f"sorts : tri inconnu {term!r} (clés : {known} ; asc ou desc).")
        nulls = "IS NULL" if direction == "asc" else "IS NOT NULL"
        terms.append(f"{column} {nulls}, {column} {direction.upper()}")
    last = "DESC" if terms and terms[0].endswith("DESC") else "ASC"
    return ", ".join([*terms, f"id {last}"])


def _category_rows(db: Database, company_id: int) -> list[Row]:
    return db.all(
        "SELECT c.*, (SELECT COUNT(*) FROM documents d WHERE d.company_id = c.company_id "
        "AND d.type = c.identifier) AS count FROM document_categories c "
        "WHERE c.company_id = ? ORDER BY c.id",
        (company_id,),
    )


# -- rendering --------------------------------------------------------------------------


def _amount(cents: int | None) -> float | None:
    return None if cents is None else round(cents / 100, 2)


def _metadata(row: Row) -> dict[str, Any]:
    """Its date, amount and supplier (the reference's form); the wording and VAT amount
    too once a ``PATCH`` set them (:mod:`.document_details`)."""
    metadata = {
        "date": row["metadata_date"],
        "amount": _amount(row["metadata_amount_cents"]),
        "supplier_name": row["supplier_name"],
    }
    if row.get("wording") is not None:
        metadata["wording"] = row["wording"]
    if row.get("vat_amount_cents") is not None:
        metadata["vat_amount"] = _amount(row["vat_amount_cents"])
    return metadata


def render_document(row: Row) -> dict[str, Any]:
    """A document as ``GET companies/{cid}/documents`` gives it."""
    return {
        "id": row["id"],
        "name": row["name"],
        "type": row["type"],
        "source": row["source"],
        "mime_type": row["mime_type"],
        "created_at": row["created_at"],
        "metadata": _metadata(row),
        "file_family": row["file_family"],
        "preview_available": row["file_family"] in _PREVIEWABLE,
        "ocr_status": row["ocr_status"],
        "payment_status": row["payment_status"],
        "accountable": bool(row["accountable"]),
    }


def render_matchable(row: Row) -> dict[str, Any]:
    """A document as ``?matchable=true`` gives it: its metadata is a list, with its tags."""
    metadata = [_metadata(row)] if row["ocr_status"] == "done" else []
    tags = []
    if row["metadata_amount_cents"] is not None:
        tags.append(
            {
                "id": row["id"] * 10 + 1,
                "name": "Montant TTC",
                "type": "amount",
                "amount": _amount(row["metadata_amount_cents"]),
            }
        )
    return {
        "id": row["id"],
        "mime_type": row["mime_type"],
        "name": row["name"],
        "type": row["type"],
        "metadata": metadata,
        "created_at": row["created_at"],
        "tags": tags,
    }


def render_category(row: Row) -> dict[str, Any]:
    """A category with how many documents of the company it holds."""
    return {
        "id": row["id"],
        "name": row["name"],
        "code": row["code"],
        "count": row["count"],
        "identifier": row["identifier"],
        "owner": row["owner"],
        "editable": bool(row["editable"]),
    }


_PREVIEWABLE = ("pdf", "image")


def seed_content(row: Row) -> bytes:
    """The bytes of a seeded document (no file of its own): a tiny PDF or PNG receipt."""
    if row["mime_type"] == "image/png":
        return tiny_png(row["id"])
    amount = _amount(row["metadata_amount_cents"])
    return tiny_pdf(
        [
            str(row["supplier_name"] or "Justificatif"),
            f"Date : {row['metadata_date'] or '-'}",
            f"Montant TTC : {amount if amount is not None else '-'} EUR",
            f"Document {row['id']}",
        ]
    )


# -- routes -----------------------------------------------------------------------------


def _bool_param(request: Request, name: str) -> bool | None:
    value = request.query_params.get(name)
    if value is None:
        return None
    if value not in ("true", "false"):
        raise ApiError(400, f"{name} : valeur invalide {value!r} (true ou false).")
    return value == "true"


async def list_documents(ctx: Context, request: Request) -> Response:
    """``GET /v1/companies/{cid}/documents``: the company's documents, ``sorts`` (default
    ``created_at:desc``), filtered by ``types`` (comma-separated), ``source`` and
    ``accountable``; with ``matchable=true``, the accountable documents a transaction can be
    matched with, in the matchable form; ``q`` searches names and suppliers (case and
    accents ignored). Paged by Range; the documents v2 (or v3 for matchable) media type
    when asked for."""
    _, company = company_guard(ctx, request)
    query = request.query_params
    matchable = bool(_bool_param(request, "matchable"))
    accountable = _bool_param(request, "accountable")
    types = tuple(kind for kind in query.get("types", "").split(",") if kind.strip())
    where = DocumentFilter(
        types=tuple(kind.strip() for kind in types),
        source=query.get("source") or None,
        accountable=True if matchable and accountable is None else accountable,
        search=query.get("q"),
    )
    order = sort_order(query.get("sorts") or "created_at:desc")
    render = render_matchable if matchable else render_document
    wanted = DOCUMENTS_V3 if matchable else DOCUMENTS_V2
    return paged(
        ctx,
        request,
        lambda: count_documents(ctx.db, company["id"], where),
        lambda offset, limit: [
            render(row) for row in documents(ctx.db, company["id"], where, order, offset, limit)
        ],
        wanted if accepts(request, wanted) else JSON_TYPE,
    )


def _clean_filename(filename: str) -> str:
    """The base name of an uploaded file, without control characters, at most 255 long."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if ch.isprintable()).strip()
    return cleaned[:255]


def upload_route(store: FileStore, max_size: int) -> Handler:
    """The upload handler, writing to ``store`` and refusing files over ``max_size`` bytes."""

    async def upload_document(ctx: Context, request: Request) -> Response:
        """``POST /v1/companies/{cid}/documents``: multipart, the ``file`` part (with its
        file name) and an optional ``type`` (a category identifier, default ``receipt``).
        The file is streamed to disk; its type is told from its content. 201 with the
        document; 400 for a malformed body, 413 over the size limit, 422 for a missing file
        or name, or an unknown type."""
        _, company = company_guard(ctx, request)
        upload = await receive_upload(request, store, max_size=max_size)
        try:
            # What decides the write is read again inside its transaction.
            with ctx.db.transaction():
                _, company = company_guard(ctx, request)
                row = store_upload(ctx.db, store, company["id"], upload)
        finally:
            upload.discard()
        return JSONResponse(
            render_document(row),
            status_code=201,
            headers={"Location": f"/v1/companies/{company['id']}/documents/{row['id']}"},
        )

    return upload_document


def store_upload(db: Database, store: FileStore, company_id: int, upload: Upload) -> Row:
    errors: dict[str, str] = {}
    name = _clean_filename(upload.filename or "")
    if upload.path is None:
        errors["file"] = "Ce champ est obligatoire (une partie « file » avec un nom de fichier)."
    elif not name:
        errors["file"] = "Le nom du fichier est obligatoire."
    elif upload.size == 0:
        errors["file"] = "Le fichier est vide."
    kind = upload.fields.get("type", "").strip() or "receipt"
    known = {row["identifier"] for row in _category_rows(db, company_id)}
    if kind not in known:
        errors["type"] = f"Type inconnu {kind!r} (types : {', '.join(sorted(known))})."
    if errors:
        raise FieldErrors(errors)
    assert upload.path is not None
    key = store.keep(upload.path)
    upload.path = None
    values = {
        "company_id": company_id,
        "name": name,
        "name_folded": fold(name),
        "type": kind,
        "source": "upload",
        "mime_type": upload.media_type,
        "file_family": file_family(upload.media_type),
        "size": upload.size,
        "file_key": key,
        "created_at": now_text(),
        "metadata_date": None,
        "metadata_amount_cents": None,
        "supplier_name": None,
        "supplier_folded": None,
        "accountable": 1,
        "ocr_status": "pending",
        "payment_status": None,
    }
    try:
        with db.transaction() as conn:
            cursor = conn.execute(
                insert_sql("documents", DOCUMENT_COLUMNS),
                [values[column] for column in DOCUMENT_COLUMNS],
            )
    except BaseException:
        store.path(key).unlink(missing_ok=True)
        raise
    row = document(db, company_id, int(cursor.lastrowid or 0))
    assert row is not None
    return row


def _document_of_path(ctx: Context, request: Request) -> Row:
    _, company = company_guard(ctx, request)
    found = document(ctx.db, company["id"], request.path_params["document_id"])
    if found is None:
        raise ApiError(404, "Document introuvable")
    return found


def download_route(store: FileStore) -> Handler:
    """The download handler, reading uploaded files from ``store``."""

    async def download_document(ctx: Context, request: Request) -> Response:
        """``GET /v1/companies/{cid}/documents/{id}/download``: the document's bytes as
        uploaded, with its ``Content-Type`` (told from the content at upload; not to be
        sniffed again: ``X-Content-Type-Options: nosniff``) and an RFC 6266
        ``Content-Disposition`` (``filename*=UTF-8''...`` for other than ASCII) whose name's
        extension agrees with that type. Never compressed; 404 if unknown."""
        row = _document_of_path(ctx, request)
        headers = {
            "Content-Disposition": content_disposition(
                download_name(row["name"], row["mime_type"])
            ),
            "X-Content-Type-Options": "nosniff",
            # Already what it is: not to be gzipped by the middleware on the way out.
            "Content-Encoding": "identity",
        }
        if row["file_key"] is None:
            return Response(seed_content(row), media_type=row["mime_type"], headers=headers)
        path = store.path(row["file_key"])
        if not path.is_file():
            raise ApiError(404, "Le fichier de ce document a disparu du bac à sable.")
        return FileResponse(path, media_type=row["mime_type"], headers=headers)

    return download_document


async def preview_document(ctx: Context, request: Request) -> Response:
    """``GET /v1/companies/{cid}/documents/{id}/preview``: whether a preview exists and
    its pages (each the document's download URL); 404 if unknown."""
    row = _document_of_path(ctx, request)
    available = row["file_family"] in _PREVIEWABLE
    url = f"/v1/companies/{row['company_id']}/documents/{row['id']}/download"
    return JSONResponse(
        {
            "document_id": row["id"],
            "mime_type": row["mime_type"],
            "file_family": row["file_family"],
            "preview_available": available,
            "pages": [{"number": 1, "url": url}] if available else [],
        }
    )


async def list_categories(ctx: Context, request: Request) -> Response:
    """``GET /v1/companies/{cid}/document_categories``: the categories with their counts
    (documents v3 media type when asked for)."""
    _, company = company_guard(ctx, request)
    rows = _category_rows(ctx.db, company["id"])
    return paged(
        ctx,
        request,
        lambda: len(rows),
        lambda offset, limit: [
            render_category(row) for row in rows[offset : None if limit is None else offset + limit]
        ],
        DOCUMENTS_V3 if accepts(request, DOCUMENTS_V3) else JSON_TYPE,
    )


def max_upload_size() -> int:
    """The upload size limit: :data:`MAX_UPLOAD_ENV` (in bytes) or 250 MiB."""
    value = os.environ.get(MAX_UPLOAD_ENV, "").strip()
    if not value:
        return DEFAULT_MAX_UPLOAD
    if not value.isdigit() or int(value) < 1:
        raise SandboxError(
            N_("{name} must be a number of bytes, not {value!r}"), name=MAX_UPLOAD_ENV, value=value
        )
    return int(value)


def routes(ctx: Context) -> list[Route]:
    """The documents' and categories' routes."""
    store = FileStore(ctx.db.path)
    if ctx.db.created:
        store.forget_all()
    else:
        store.reclaim_orphans()  # uploads cut short by a crash
    base = "/v1/companies/{company_id:int}"
    one = base + "/documents/{document_id:int}"
    return [
        route(
            ctx,
            base + "/documents",
            list_documents,
            doc=Doc(
                answer=(list[Document], list[MatchableDocument]),
                paged=True,
                media_types=(DOCUMENTS_V2, DOCUMENTS_V3),
                query=(
                    Query("sorts", "The order, FIELD:asc|desc (default created_at:desc)."),
                    Query("types", "Only these types (comma-separated)."),
                    Query("source", "Only the documents of this source."),
                    flag("accountable", "Only the accountable documents, or the others."),
                    flag("matchable", "The documents a transaction can be matched with."),
                    Query("q", "Searches the names and suppliers."),
                ),
            ),
        ),
        route(
            ctx,
            base + "/documents",
            upload_route(store, max_upload_size()),
            ["POST"],
            atomic=False,  # streamed to disk; its transaction is its own
            doc=Doc(answer=Document, status=201, form=True, location=True),
        ),
        route(ctx, one + "/download", download_route(store), doc=Doc(raw="*/*")),
        route(ctx, one + "/preview", preview_document, doc=Doc(answer=Preview)),
        route(
            ctx,
            base + "/document_categories",
            list_categories,
            doc=Doc(answer=list[DocumentCategory], paged=True, media_types=(DOCUMENTS_V3,)),
        ),
    ]


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
    existing = count_documents(db, company_id, DocumentFilter())
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
