"""Quotations and their lines: tables, queries, rendering, routes and seed.

* ``GET /v1/companies/{cid}/quotations``: by descending date, paged by Range;
  ``expand=invoices`` adds each quotation's ``invoices`` (those made from it: an invoice
  created with ``quotation: {id}``).
* ``POST .../quotations``: create (``draft``, or ``saved``: numbered ``D-YYYY-NNNN``).
* ``GET .../quotations/{id}`` (``expand=invoices`` too), ``.../pdf`` (a real PDF), and
  ``POST .../send`` (to the outbox, never e-mailed; 409 for a draft).
* ``PATCH .../quotations/{id}`` (the call the public Ruby client sends to change the
  status): the fields given (``client``/``client_name``, ``date``, ``title``, ``lines``)
  on a draft or saved quotation, and the moves of :data:`MOVES` (draft -> saved numbers
  it; saved -> accepted or declined); 409 for anything else. An invoice is made from a
  saved or accepted quotation (``POST .../invoices`` with ``quotation: {id}``).

Lines, VAT and totals follow :mod:`tiime.sandbox.billing`, as invoices' do.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ...types import Quotation, QuotationCreateParams, QuotationSendParams
from .. import billing
from ..kernel import (
    MAX_ID,
    ApiError,
    Context,
    Database,
    Doc,
    FieldErrors,
    Migration,
    Row,
    choice,
    company_guard,
    insert_sql,
    json_object,
    now_text,
    paged,
    route,
    run_script,
)
from ..shapes import QuotationUpdate
from .invoices import (
    REFERENCE_DATE,
    TITLES,
    insert_seeded,
    parse_message,
    pdf_document,
    record_message,
    render_invoices,
    seed_clients,
    seed_lines,
    seed_spacing,
)

__all__ = ["DEFAULT_SIZE", "MIGRATIONS", "NAME", "routes", "seed"]

NAME = "quotations"
DEFAULT_SIZE = 30
STATUSES = ("draft", "saved", "accepted", "declined")
# The status moves a PATCH may make (staying put included); accepted and declined are final.
MOVES: dict[str, tuple[str, ...]] = {
    "draft": ("draft", "saved"),
    "saved": ("saved", "accepted", "declined"),
    "accepted": ("accepted",),
    "declined": ("declined",),
}
# The statuses of a quotation an invoice may be made from.
INVOICEABLE = ("saved", "accepted")
_EDITS = ("client", "client_name", "date", "title", "lines")

_TABLES = """
    CREATE TABLE quotations (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        company_id INTEGER NOT NULL REFERENCES companies(id),
        client_id INTEGER REFERENCES clients(id),
        client_name TEXT,
        client_address TEXT,
        client_postal_code TEXT,
        client_city TEXT,
        number INTEGER,
        number_year INTEGER,
        status TEXT NOT NULL,
        title TEXT,
        date TEXT NOT NULL,
        total_excl_cents INTEGER NOT NULL,
        total_incl_cents INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (company_id, number_year, number)
    );
    CREATE INDEX quotations_by_company ON quotations (company_id, date, id);
    INSERT INTO sqlite_sequence (name, seq) VALUES ('quotations', 80000)
"""


def _create_tables(conn: sqlite3.Connection) -> None:
    run_script(conn, _TABLES)
    run_script(conn, billing.lines_table_sql("quotation_lines", "quotations"))


MIGRATIONS = [Migration(20, "quotations and their lines", _create_tables)]

QUOTATION_COLUMNS: tuple[str, ...] = (
    "company_id",
    "client_id",
    "client_name",
    "client_address",
    "client_postal_code",
    "client_city",
    "number",
    "number_year",
    "status",
    "title",
    "date",
    "total_excl_cents",
    "total_incl_cents",
    "created_at",
)


def compiled_number(row: Row) -> str | None:
    """``D-2025-0007``, or None for a draft."""
    if row["number"] is None:
        return None
    return f"D-{row['number_year']}-{row['number']:04d}"


def render_quotations(db: Database, rows: list[Row], *, expand: bool) -> list[dict[str, Any]]:
    """Quotations as the API returns them; ``expand`` adds the invoices made from each."""
    ids = [row["id"] for row in rows]
    lines = billing.lines_of(db, "quotation_lines", ids)
    invoices: dict[int, list[dict[str, Any]]] = {quotation_id: [] for quotation_id in ids}
    if expand and ids:
        marks = ", ".join("?" for _ in ids)
        linked = db.all(
            f"SELECT * FROM invoices WHERE quotation_id IN ({marks}) ORDER BY id",  # noqa: S608
            ids,
        )
        for invoice in render_invoices(db, linked):
            invoices[invoice["quotation_id"]].append(invoice)
    rendered = []
    for row in rows:
        sums, per_vat = billing.render_totals(lines[row["id"]])
        number = compiled_number(row)
        item: dict[str, Any] = {
            "id": row["id"],
            "quotation_number": number,
            "compiled_number": number,
            "number": row["number"],
            "date": row["date"],
            "emission_date": row["date"],
            "status": row["status"],
            "title": row["title"],
            "client": (
                None
                if row["client_id"] is None
                else {"id": row["client_id"], "name": row["client_name"]}
            ),
            "client_name": row["client_name"],
            "amount_excluding_taxes": billing.cents_to_number(sums.excluding),
            "amount_including_taxes": billing.cents_to_number(sums.including),
            "total_excluding_taxes": billing.cents_to_number(sums.excluding),
            "total_including_taxes": billing.cents_to_number(sums.including),
            "totals_per_vat_type": per_vat,
            "lines": billing.render_lines(lines[row["id"]]),
        }
        if expand:
            item["invoices"] = invoices[row["id"]]
        rendered.append(item)
    return rendered


def _expand(request: Request) -> bool:
    expand = request.query_params.get("expand")
    if expand not in (None, "", "invoices"):
        raise ApiError(400, f"expand : valeur inconnue {expand[:40]!r} (invoices).")
    return expand == "invoices"


async def list_quotations(ctx: Context, request: Request) -> Response:
    """``GET /v1/companies/{cid}/quotations``: newest first, paged by Range."""
    _, company = company_guard(ctx, request)
    expand = _expand(request)
    where = (company["id"],)

    def fetch(offset: int, limit: int | None) -> list[dict[str, Any]]:
        rows = ctx.db.all(
            "SELECT * FROM quotations WHERE company_id = ? ORDER BY date DESC, id DESC "
            "LIMIT ? OFFSET ?",
            (*where, -1 if limit is None else limit, offset),
        )
        return render_quotations(ctx.db, rows, expand=expand)

    return paged(
        ctx,
        request,
        lambda: int(ctx.db.scalar("SELECT COUNT(*) FROM quotations WHERE company_id = ?", where)),
        fetch,
    )


async def create_quotation(ctx: Context, request: Request) -> Response:
    """``POST /v1/companies/{cid}/quotations``: 201 with the quotation (numbered when
    ``saved``); 422 naming each invalid field."""
    _, company = company_guard(ctx, request)
    body = await json_object(request)
    errors: dict[str, str] = {}
    client = billing.client_of(ctx.db, company["id"], body, errors)
    day = billing.check_date(body.get("date"), "date", errors)
    status = body.get("status") or "draft"
    if status not in ("draft", "saved"):
        errors["status"] = "Un devis est créé brouillon (draft) ou enregistré (saved)."
    title = body.get("title")
    if title is not None and not isinstance(title, str):
        errors["title"] = "Texte attendu."
    lines = billing.parse_lines(body.get("lines"), errors)
    billing.fail_on(errors)
    sums = billing.totals((line.vat_code, line.line_cents, line.vat_cents) for line in lines)
    values: dict[str, Any] = {
        "company_id": company["id"],
        **client,
        "status": status,
        "title": title,
        "date": day,
        "total_excl_cents": sums.excluding,
        "total_incl_cents": sums.including,
        "created_at": now_text(),
    }
    with ctx.db.transaction() as conn:
        if status == "saved":
            assert day is not None
            values["number"] = billing.next_number(conn, company["id"], "quotation", int(day[:4]))
            values["number_year"] = int(day[:4])
        cursor = conn.execute(
            insert_sql("quotations", QUOTATION_COLUMNS),
            [values.get(column) for column in QUOTATION_COLUMNS],
        )
        quotation_id = int(cursor.lastrowid or 0)
        conn.executemany(
            insert_sql("quotation_lines", billing.LINE_COLUMNS),
            [billing.line_values(quotation_id, line) for line in lines],
        )
    row = _row(ctx.db, company["id"], quotation_id)
    assert row is not None
    return JSONResponse(
        render_quotations(ctx.db, [row], expand=False)[0],
        status_code=201,
        headers={"Location": f"/v1/companies/{company['id']}/quotations/{quotation_id}"},
    )


def _row(db: Database, company_id: int, quotation_id: int) -> Row | None:
    if not 0 <= quotation_id <= MAX_ID:
        return None
    return db.one(
        "SELECT * FROM quotations WHERE company_id = ? AND id = ?", (company_id, quotation_id)
    )


def _quotation_of_path(ctx: Context, request: Request) -> tuple[Row, Row]:
    _, company = company_guard(ctx, request)
    row = _row(ctx.db, company["id"], request.path_params["quotation_id"])
    if row is None:
        raise ApiError(404, "Devis introuvable")
    return company, row


async def get_quotation(ctx: Context, request: Request) -> Response:
    """``GET /v1/companies/{cid}/quotations/{id}``: one quotation; 404 "Devis introuvable"."""
    expand = _expand(request)
    _, row = _quotation_of_path(ctx, request)
    return JSONResponse(render_quotations(ctx.db, [row], expand=expand)[0])


async def send_quotation(ctx: Context, request: Request) -> Response:
    """``POST /v1/companies/{cid}/quotations/{id}/send``: the message goes to the outbox;
    409 for a draft; 204."""
    body = await json_object(request)
    company, row = _quotation_of_path(ctx, request)
    message = parse_message(body)
    if row["status"] == "draft":
        raise ApiError(409, "Un devis brouillon ne peut pas être envoyé : enregistrez-le.")
    with ctx.db.transaction() as conn:
        record_message(conn, company["id"], "quotation", row["id"], compiled_number(row), message)
    return Response(status_code=204)


async def update_quotation(ctx: Context, request: Request) -> Response:
    """``PATCH /v1/companies/{cid}/quotations/{id}``: the fields given, on a draft or saved
    quotation, and a status move of :data:`MOVES` (saving numbers it); 409 otherwise, 422
    naming each invalid field."""
    body = await json_object(request)
    company, row = _quotation_of_path(ctx, request)
    status = body.get("status", row["status"])
    if status not in STATUSES:
        raise FieldErrors({"status": f"Statut inconnu (attendu : {', '.join(STATUSES)})."})
    if status not in MOVES[row["status"]]:
        raise ApiError(409, f"Transition de statut impossible : {row['status']} -> {status}.")
    edits = [field for field in _EDITS if field in body]
    if row["status"] not in ("draft", "saved") and edits:
        raise ApiError(
            409, f"Un devis {row['status']} ne peut plus être modifié ({', '.join(edits)})."
        )
    errors: dict[str, str] = {}
    values: dict[str, Any] = {"status": status}
    if "client" in body or "client_name" in body:
        values.update(billing.client_of(ctx.db, company["id"], body, errors))
    if "date" in body:
        values["date"] = billing.check_date(body["date"], "date", errors)
    if "title" in body:
        if body["title"] is not None and not isinstance(body["title"], str):
            errors["title"] = "Texte attendu."
        values["title"] = body["title"]
    lines = billing.parse_lines(body["lines"], errors) if "lines" in body else None
    billing.fail_on(errors)
    with ctx.db.transaction() as conn:
        billing.save_update(conn, "quotation", company["id"], row, values, lines, "date")
    updated = _row(ctx.db, company["id"], row["id"])
    assert updated is not None
    return JSONResponse(render_quotations(ctx.db, [updated], expand=False)[0])


async def quotation_pdf(ctx: Context, request: Request) -> Response:
    """``GET /v1/companies/{cid}/quotations/{id}/pdf``: the quotation as a PDF."""
    company, row = _quotation_of_path(ctx, request)
    lines = billing.lines_of(ctx.db, "quotation_lines", [row["id"]])[row["id"]]
    number = compiled_number(row)
    data = pdf_document(
        company,
        row,
        lines,
        kind="Devis",
        number=number,
        date_label="Date",
        date_text=row["date"],
        due_date=None,
    )
    return Response(
        data,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="devis-{number or row["id"]}.pdf"',
            "X-Content-Type-Options": "nosniff",
        },
    )


_EXPAND = choice("expand", "invoices adds the invoices made from it.", ("invoices",))


def routes(ctx: Context) -> list[Route]:
    """The quotations' routes."""
    base = "/v1/companies/{company_id:int}/quotations"
    one = base + "/{quotation_id:int}"
    return [
        route(
            ctx,
            base,
            list_quotations,
            doc=Doc(answer=list[Quotation], paged=True, query=(_EXPAND,)),
        ),
        route(
            ctx,
            base,
            create_quotation,
            ["POST"],
            doc=Doc(answer=Quotation, status=201, body=QuotationCreateParams),
        ),
        route(ctx, one, get_quotation, doc=Doc(answer=Quotation, query=(_EXPAND,))),
        route(
            ctx,
            one,
            update_quotation,
            ["PATCH"],
            doc=Doc(answer=Quotation, body=QuotationUpdate, errors=(409,)),
        ),
        route(
            ctx,
            one + "/send",
            send_quotation,
            ["POST"],
            doc=Doc(status=204, body=QuotationSendParams, errors=(409,)),
        ),
        route(ctx, one + "/pdf", quotation_pdf, doc=Doc(raw="application/pdf")),
    ]


# -- seed -------------------------------------------------------------------------------


def _from_invoice(db: Database, invoice: Row, rng: random.Random) -> tuple[dict[str, Any], Any]:
    """An accepted quotation that ``invoice`` was made from: same client and lines."""
    lines = [
        billing.LineInput(
            sequence=row["sequence"],
            description=row["description"],
            quantity=Decimal(row["quantity"]),
            unit_amount=Decimal(row["unit_amount"]),
            vat_code=row["vat_code"],
            unit_id=row["unit_id"],
            unit_code=row["unit_code"],
            category=row["category"],
            discount_description=row["discount_description"],
            discount_amount=None,
            discount_percentage=(
                None if row["discount_percentage"] is None else Decimal(row["discount_percentage"])
            ),
            line_cents=row["line_cents"],
            vat_cents=row["vat_cents"],
        )
        for row in billing.lines_of(db, "invoice_lines", [invoice["id"]])[invoice["id"]]
    ]
    day = date.fromisoformat(invoice["emission_date"]) - timedelta(days=rng.randint(5, 20))
    return {
        "client_id": invoice["client_id"],
        "client_name": invoice["client_name"],
        "client_address": invoice["client_address"],
        "client_postal_code": invoice["client_postal_code"],
        "client_city": invoice["client_city"],
        "status": "accepted",
        "title": invoice["title"],
        "date": day.isoformat(),
    }, lines


def seed(db: Database, company_id: int, size: int) -> None:
    """Bring the company to ``size`` quotations over the seeded year: about half accepted,
    each linked to the seeded invoice made from it (same client and lines), the others
    saved, declined or draft by age."""
    existing = int(db.scalar("SELECT COUNT(*) FROM quotations WHERE company_id = ?", (company_id,)))
    if size <= existing:
        return
    rng = random.Random(f"quotations-{company_id}")  # noqa: S311 - demo data
    clients = seed_clients(db, company_id)
    candidates = db.all(
        "SELECT * FROM invoices WHERE company_id = ? AND quotation_id IS NULL "
        "AND status != 'draft' ORDER BY id",
        (company_id,),
    )
    start = REFERENCE_DATE - timedelta(days=364)
    spacing = seed_spacing(size, 12)
    items: list[tuple[dict[str, Any], list[billing.LineInput]]] = []
    links: list[tuple[int, int]] = []  # (position in items, invoice id)
    for position in range(existing, size):
        day = start + timedelta(days=(position * spacing) % 365)
        age = (REFERENCE_DATE - day).days
        if candidates and age > 20 and rng.random() < 0.5:
            invoice = candidates.pop(rng.randrange(len(candidates)))
            values, lines = _from_invoice(db, invoice, rng)
            links.append((len(items), invoice["id"]))
        else:
            client = rng.choice(clients) if clients else None
            lines = seed_lines(rng)
            roll = rng.random()
            status = (
                ("declined" if roll < 0.5 else "saved")
                if age > 30
                else ("draft" if roll < 0.4 else "saved")
            )
            values = {
                "client_id": client["id"] if client else None,
                "client_name": client["name"] if client else "Prospect",
                "client_address": client["address"] if client else None,
                "client_postal_code": client["postal_code"] if client else None,
                "client_city": client["city"] if client else None,
                "status": status,
                "title": rng.choice(TITLES),
                "date": day.isoformat(),
            }
        sums = billing.totals((line.vat_code, line.line_cents, line.vat_cents) for line in lines)
        values.update(
            company_id=company_id,
            total_excl_cents=sums.excluding,
            total_incl_cents=sums.including,
            created_at=f"{values['date']} 09:00:00",
        )
        items.append((values, lines))
    with db.transaction() as conn:
        ids = insert_seeded(
            db, "quotation", "quotations", "quotation_lines", QUOTATION_COLUMNS, items
        )
        conn.executemany(
            "UPDATE invoices SET quotation_id = ? WHERE id = ?",
            [(ids[position], invoice_id) for position, invoice_id in links],
        )
