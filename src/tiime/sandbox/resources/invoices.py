"""Invoices, their lines and the outbox: tables, queries, rules, rendering, routes, seed.

* ``GET /v1/companies/{cid}/invoices``: ``sorts`` (``invoice_number``, ``emission_date``,
  ``due_date``, ``total_including_taxes`` or ``id``, ``:asc``/``:desc``; default
  ``invoice_number:desc``), ``status`` filter, paged by Range.
* ``POST .../invoices``: create (a ``draft``, or ``saved``: numbered); 201.
* ``GET``/``PUT``/``DELETE .../invoices/{id}``: read; change (a draft: anything; a
  numbered invoice: its status only); delete (drafts only).
* ``POST .../invoices/{id}/send``: record the message in the outbox (no e-mail is ever
  sent), a saved invoice becomes ``sent``; 204.
* ``GET .../invoices/{id}/pdf``: the invoice as a real PDF.
* ``GET /sandbox/outbox``: the messages "sent" for the caller's companies (sandbox only).

Rules: a draft has no number; saving gives it the next number of its company and year
(see :mod:`tiime.sandbox.billing`); the status moves ``draft -> saved -> sent -> paid``
(``saved -> paid`` too), any other move is refused with 409; totals are the server's.
"""

from __future__ import annotations

import json
import random
import re
import sqlite3
from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ...types import Invoice, InvoiceCreateParams, InvoiceSendParams
from .. import billing
from ..derive import color_for
from ..kernel import (
    MAX_ID,
    ApiError,
    Context,
    Database,
    Doc,
    FieldErrors,
    Migration,
    Query,
    Row,
    bearer_user,
    choice,
    company_guard,
    insert_sql,
    json_object,
    now_text,
    paged,
    route,
    run_script,
)
from ..shapes import OutboxMessage

__all__ = [
    "DEFAULT_SIZE",
    "MIGRATIONS",
    "NAME",
    "REFERENCE_DATE",
    "pdf_document",
    "record_message",
    "render_invoice",
    "render_invoices",
    "routes",
    "seed",
]

NAME = "invoices"
DEFAULT_SIZE = 120
# The seed's "today": seeded dates are relative to it, so that they never move; the last
# day of the seeded bank year (bank_transactions.LAST_DAY), so that the two run together.
REFERENCE_DATE = date(2026, 10, 31)
STATUSES = ("draft", "saved", "sent", "paid")
# Where each status may go (staying put is allowed: a repeated PUT changes nothing).
MOVES: dict[str, tuple[str, ...]] = {
    "draft": ("draft", "saved"),
    "saved": ("saved", "sent", "paid"),
    "sent": ("sent", "paid"),
    "paid": ("paid",),
}
DUE_DAYS = {"upon_receipt": 0, "thirty_days": 30, "forty_five_days": 45, "sixty_days": 60}
PAYMENT_CONDITION = (
    "En cas de retard de paiement, une pénalité de 3 fois le taux d'intérêt légal sera "
    "appliquée, à laquelle s'ajoutera une indemnité forfaitaire pour frais de recouvrement "
    "de 40€."
)

_TABLES = """
        CREATE TABLE invoices (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            company_id INTEGER NOT NULL REFERENCES companies(id),
            client_id INTEGER REFERENCES clients(id),
            client_name TEXT,
            client_address TEXT,
            client_postal_code TEXT,
            client_city TEXT,
            quotation_id INTEGER,
            number INTEGER,
            number_year INTEGER,
            status TEXT NOT NULL,
            title TEXT,
            emission_date TEXT NOT NULL,
            due_date TEXT,
            due_date_mode TEXT,
            template TEXT NOT NULL DEFAULT 'advanced',
            free_field TEXT,
            payment_condition TEXT,
            total_excl_cents INTEGER NOT NULL,
            total_incl_cents INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (company_id, number_year, number)
        );
        CREATE INDEX invoices_by_company ON invoices (company_id, number_year, number, id);
        CREATE INDEX invoices_by_quotation ON invoices (quotation_id);
        """
_NUMBERS_AND_OUTBOX = """
        CREATE TABLE document_numbers (
            company_id INTEGER NOT NULL,
            kind TEXT NOT NULL,
            year INTEGER NOT NULL,
            last INTEGER NOT NULL,
            PRIMARY KEY (company_id, kind, year)
        );
        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            company_id INTEGER NOT NULL REFERENCES companies(id),
            document_type TEXT NOT NULL,
            document_id INTEGER NOT NULL,
            document_number TEXT,
            recipients TEXT NOT NULL,
            subject TEXT,
            message TEXT,
            attachment TEXT NOT NULL,
            sent_at TEXT NOT NULL
        );
        INSERT INTO sqlite_sequence (name, seq) VALUES ('invoices', 500000)
        """


def _create_tables(conn: sqlite3.Connection) -> None:
    run_script(conn, _TABLES)
    run_script(conn, billing.lines_table_sql("invoice_lines", "invoices"))
    run_script(conn, _NUMBERS_AND_OUTBOX)


MIGRATIONS = [
    Migration(10, "invoices, their lines, document numbers and the outbox", _create_tables)
]

INVOICE_COLUMNS: tuple[str, ...] = (
    "company_id",
    "client_id",
    "client_name",
    "client_address",
    "client_postal_code",
    "client_city",
    "quotation_id",
    "number",
    "number_year",
    "status",
    "title",
    "emission_date",
    "due_date",
    "due_date_mode",
    "template",
    "free_field",
    "payment_condition",
    "total_excl_cents",
    "total_incl_cents",
    "created_at",
)
_SORTS = {
    "invoice_number": ("number_year", "number"),
    "emission_date": ("emission_date",),
    "due_date": ("due_date",),
    "total_including_taxes": ("total_incl_cents",),
    "id": (),
}
_SORT = re.compile(r"^([a-z_]+)(?::(asc|desc))?$")


# -- queries ----------------------------------------------------------------------------


def compiled_number(row: Row) -> str | None:
    """``F-2025-0042``, or None for a draft."""
    if row["number"] is None:
        return None
    return f"F-{row['number_year']}-{row['number']:04d}"


def order_by(sorts: str | None) -> str:
    """The ``ORDER BY`` of a ``sorts`` parameter (``field:dir``, comma-separated); 400 for
    an unknown field. Ties are broken by id, in the first field's direction."""
    parts = [part.strip() for part in (sorts or "invoice_number:desc").split(",") if part.strip()]
    clauses: list[str] = []
    last = "DESC"
    for part in parts:
        match = _SORT.match(part)
        if match is None or match.group(1) not in _SORTS:
            raise ApiError(
                400, f"sorts : tri inconnu {part[:60]!r} (champs : {', '.join(_SORTS)})."
            )
        last = (match.group(2) or "asc").upper()
        clauses.extend(f"{column} {last}" for column in _SORTS[match.group(1)])
    return ", ".join([*clauses, f"id {last if len(parts) == 1 else 'DESC'}"])


def _status_filter(request: Request) -> str | None:
    status = request.query_params.get("status") or None
    if status is not None and status not in STATUSES:
        raise ApiError(400, f"status : valeur inconnue {status[:40]!r} ({', '.join(STATUSES)}).")
    return status


def invoice_row(db: Database, company_id: int, invoice_id: int) -> Row | None:
    """The invoice of that id in the company, or None."""
    if not 0 <= invoice_id <= MAX_ID:
        return None
    return db.one(
        "SELECT * FROM invoices WHERE company_id = ? AND id = ?", (company_id, invoice_id)
    )


def render_invoices(db: Database, rows: list[Row]) -> list[dict[str, Any]]:
    """Invoices as the API returns them, their lines fetched in one go."""
    lines = billing.lines_of(db, "invoice_lines", [row["id"] for row in rows])
    return [render_invoice(row, lines[row["id"]]) for row in rows]


def render_invoice(row: Row, lines: list[Row]) -> dict[str, Any]:
    """One invoice with its lines, totals and totals per VAT code."""
    sums, per_vat = billing.render_totals(lines)
    name = row["client_name"] or ""
    return {
        "id": row["id"],
        "client_id": row["client_id"],
        "client_name": row["client_name"],
        "client_address": row["client_address"],
        "client_postal_code": row["client_postal_code"],
        "client_city": row["client_city"],
        "compiled_number": compiled_number(row),
        "number": row["number"],
        "emission_date": row["emission_date"],
        "due_date": row["due_date"],
        "due_date_mode": row["due_date_mode"],
        "status": row["status"],
        "title": row["title"],
        "title_enabled": bool(row["title"]),
        "template": row["template"],
        "type": "invoice",
        "color": color_for(name) if name else "#B0BEC5",
        "free_field": row["free_field"],
        "free_field_enabled": bool(row["free_field"]),
        "payment_condition": row["payment_condition"],
        "quotation_id": row["quotation_id"],
        "total_excluding_taxes": billing.cents_to_number(sums.excluding),
        "total_including_taxes": billing.cents_to_number(sums.including),
        "totals_per_vat_type": per_vat,
        "lines": billing.render_lines(lines),
        "tags": [],
    }


def _one(ctx: Context, company_id: int, invoice_id: int) -> dict[str, Any]:
    row = invoice_row(ctx.db, company_id, invoice_id)
    assert row is not None
    return render_invoices(ctx.db, [row])[0]


def _insert_lines(conn: Any, table: str, document_id: int, lines: list[billing.LineInput]) -> None:
    conn.executemany(
        insert_sql(table, billing.LINE_COLUMNS),
        [billing.line_values(document_id, line) for line in lines],
    )


def record_message(
    conn: Any,
    company_id: int,
    document_type: str,
    document_id: int,
    number: str | None,
    message: Mapping[str, Any],
) -> None:
    """Write a "sent" message into the outbox (inside the caller's transaction); without a
    subject (or a blank one), the document's name is: ``Facture F-2026-0007``."""
    prefix = "facture" if document_type == "invoice" else "devis"
    subject = message.get("subject")
    if not subject or not subject.strip():
        subject = " ".join(part for part in (prefix.capitalize(), number) if part)
    conn.execute(
        insert_sql(
            "outbox",
            (
                "company_id",
                "document_type",
                "document_id",
                "document_number",
                "recipients",
                "subject",
                "message",
                "attachment",
                "sent_at",
            ),
        ),
        (
            company_id,
            document_type,
            document_id,
            number,
            json.dumps(message["recipients"]),
            subject,
            message.get("message"),
            f"{prefix}-{number or document_id}.pdf",
            now_text(),
        ),
    )


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


def parse_message(body: Mapping[str, Any]) -> dict[str, Any]:
    """The body of a ``send``: ``recipients`` (``[{email}]``, at least one), ``subject``,
    ``message``; 422 naming what is wrong."""
    errors: dict[str, str] = {}
    recipients = body.get("recipients")
    emails: list[str] = []
    if not isinstance(recipients, list) or not recipients:
        errors["recipients"] = "Au moins un destinataire est obligatoire."
    else:
        for position, recipient in enumerate(recipients):
            email = recipient.get("email") if isinstance(recipient, dict) else None
            if not isinstance(email, str) or not _EMAIL.match(email):
                errors[f"recipients[{position}]"] = "Adresse e-mail invalide."
            else:
                emails.append(email)
    for field in ("subject", "message"):
        value = body.get(field)
        if value is not None and not isinstance(value, str):
            errors[field] = "Texte attendu."
    billing.fail_on(errors)
    return {"recipients": emails, "subject": body.get("subject"), "message": body.get("message")}


# -- routes -----------------------------------------------------------------------------


async def list_invoices(ctx: Context, request: Request) -> Response:
    """``GET /v1/companies/{cid}/invoices``: sorted by ``sorts``, filtered by ``status``,
    paged by Range."""
    _, company = company_guard(ctx, request)
    status = _status_filter(request)
    order = order_by(request.query_params.get("sorts"))
    where = "company_id = ?" + (" AND status = ?" if status else "")
    params: list[Any] = [company["id"], *([status] if status else [])]

    def fetch(offset: int, limit: int | None) -> list[dict[str, Any]]:
        rows = ctx.db.all(
            f"SELECT * FROM invoices WHERE {where} ORDER BY {order} "  # noqa: S608 - fixed
            "LIMIT ? OFFSET ?",
            [*params, -1 if limit is None else limit, offset],
        )
        return render_invoices(ctx.db, rows)

    return paged(
        ctx,
        request,
        lambda: int(ctx.db.scalar(f"SELECT COUNT(*) FROM invoices WHERE {where}", params)),  # noqa: S608
        fetch,
    )


def _due_date(body: Mapping[str, Any], emission: str | None, errors: dict[str, str]) -> Any:
    mode = body.get("due_date_mode")
    if mode is not None and (not isinstance(mode, str) or mode not in DUE_DAYS):
        errors["due_date_mode"] = f"Mode inconnu (attendu : {', '.join(DUE_DAYS)})."
        mode = None
    if body.get("due_date") is not None:
        return billing.check_date(body["due_date"], "due_date", errors)
    if emission is None:
        return None
    days = DUE_DAYS.get(mode or "thirty_days", 30)
    return (date.fromisoformat(emission) + timedelta(days=days)).isoformat()


def _optional_text(body: Mapping[str, Any], field: str, errors: dict[str, str]) -> Any:
    value = body.get(field)
    if value is not None and not isinstance(value, str):
        errors[field] = "Texte attendu."
        return None
    return value


async def create_invoice(ctx: Context, request: Request) -> Response:
    """``POST /v1/companies/{cid}/invoices``: 201 with the invoice (numbered if
    ``status`` is ``saved``); 422 naming each invalid field."""
    _, company = company_guard(ctx, request)
    body = await json_object(request)
    errors: dict[str, str] = {}
    client = billing.client_of(ctx.db, company["id"], body, errors)
    emission = billing.check_date(body.get("emission_date"), "emission_date", errors)
    due = _due_date(body, emission, errors)
    status = body.get("status") or "draft"
    if status not in ("draft", "saved"):
        errors["status"] = "Une facture est créée brouillon (draft) ou enregistrée (saved)."
    lines = billing.parse_lines(body.get("lines"), errors)
    texts = {f: _optional_text(body, f, errors) for f in ("title", "free_field", "template")}
    condition = _optional_text(body, "payment_condition", errors)
    quotation_id = _quotation_of(ctx.db, company["id"], body.get("quotation"), errors)
    billing.fail_on(errors)
    sums = billing.totals((line.vat_code, line.line_cents, line.vat_cents) for line in lines)
    values: dict[str, Any] = {
        "company_id": company["id"],
        **client,
        "quotation_id": quotation_id,
        "status": status,
        "title": texts["title"],
        "emission_date": emission,
        "due_date": due,
        "due_date_mode": body.get("due_date_mode") or "thirty_days",
        "template": texts["template"] or "advanced",
        "free_field": texts["free_field"] if body.get("free_field_enabled", True) else None,
        "payment_condition": condition,
        "total_excl_cents": sums.excluding,
        "total_incl_cents": sums.including,
        "created_at": now_text(),
    }
    with ctx.db.transaction() as conn:
        if status == "saved":
            assert emission is not None
            year = int(emission[:4])
            values["number"] = billing.next_number(conn, company["id"], "invoice", year)
            values["number_year"] = year
        cursor = conn.execute(
            insert_sql("invoices", INVOICE_COLUMNS),
            [values.get(column) for column in INVOICE_COLUMNS],
        )
        invoice_id = int(cursor.lastrowid or 0)
        _insert_lines(conn, "invoice_lines", invoice_id, lines)
        _mark_has_invoices(conn, company["id"])
    return JSONResponse(
        _one(ctx, company["id"], invoice_id),
        status_code=201,
        headers={"Location": f"/v1/companies/{company['id']}/invoices/{invoice_id}"},
    )


def _quotation_of(db: Database, company_id: int, value: Any, errors: dict[str, str]) -> Any:
    """The id of the body's ``quotation: {id}`` (a quotation of the company), or None."""
    if value is None:
        return None
    quotation_id = value.get("id") if isinstance(value, dict) else None
    if isinstance(quotation_id, bool) or not isinstance(quotation_id, int):
        errors["quotation"] = "Objet {id} attendu."
        return None
    status = db.scalar(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'quotations'"
    ) and db.scalar(
        "SELECT status FROM quotations WHERE company_id = ? AND id = ?",
        (company_id, quotation_id if 0 <= quotation_id <= MAX_ID else -1),
    )
    if not status:
        errors["quotation"] = f"Devis introuvable : {quotation_id}."
        return None
    if status not in ("saved", "accepted"):
        errors["quotation"] = (
            f"Un devis {status} ne peut pas être facturé (enregistré ou accepté attendu)."
        )
        return None
    return quotation_id


def _invoice_of_path(ctx: Context, request: Request) -> tuple[Row, Row]:
    _, company = company_guard(ctx, request)
    row = invoice_row(ctx.db, company["id"], request.path_params["invoice_id"])
    if row is None:
        raise ApiError(404, "Facture introuvable")
    return company, row


async def get_invoice(ctx: Context, request: Request) -> Response:
    """``GET /v1/companies/{cid}/invoices/{id}``: one invoice; 404 "Facture introuvable"."""
    _, row = _invoice_of_path(ctx, request)
    return JSONResponse(render_invoices(ctx.db, [row])[0])


_DRAFT_FIELDS = (
    "title",
    "emission_date",
    "due_date",
    "due_date_mode",
    "free_field",
    "payment_condition",
    "lines",
    "client",
    "client_name",
)


async def update_invoice(ctx: Context, request: Request) -> Response:
    """``PUT /v1/companies/{cid}/invoices/{id}``: change the fields given. A draft takes
    any; a numbered invoice only a ``status`` move (409 otherwise, and for moves that
    make no sense: back to draft, paid to anything...). Saving numbers it."""
    body = await json_object(request)
    company, row = _invoice_of_path(ctx, request)
    status = body.get("status", row["status"])
    if status not in STATUSES:
        raise FieldErrors({"status": f"Statut inconnu (attendu : {', '.join(STATUSES)})."})
    if status not in MOVES[row["status"]]:
        raise ApiError(409, f"Transition de statut impossible : {row['status']} -> {status}.")
    edits = [field for field in _DRAFT_FIELDS if field in body]
    if row["status"] != "draft" and edits:
        raise ApiError(
            409,
            f"Une facture numérotée ne peut plus être modifiée ({', '.join(edits)}) ; "
            "seul son statut peut changer.",
        )
    errors: dict[str, str] = {}
    values: dict[str, Any] = {"status": status}
    if "client" in body or "client_name" in body:
        values.update(billing.client_of(ctx.db, company["id"], body, errors))
    if "emission_date" in body:
        values["emission_date"] = billing.check_date(body["emission_date"], "emission_date", errors)
    if "due_date" in body or "due_date_mode" in body or "emission_date" in body:
        values["due_date"] = _due_date(
            body, values.get("emission_date", row["emission_date"]), errors
        )
    for field in ("title", "free_field", "payment_condition"):
        if field in body:
            values[field] = _optional_text(body, field, errors)
    lines = billing.parse_lines(body["lines"], errors) if "lines" in body else None
    billing.fail_on(errors)
    with ctx.db.transaction() as conn:
        billing.save_update(conn, "invoice", company["id"], row, values, lines, "emission_date")
    return JSONResponse(_one(ctx, company["id"], row["id"]))


async def delete_invoice(ctx: Context, request: Request) -> Response:
    """``DELETE /v1/companies/{cid}/invoices/{id}``: 204 for a draft; 409 for a numbered
    invoice (it must stay in the books)."""
    _, row = _invoice_of_path(ctx, request)
    if row["status"] != "draft":
        raise ApiError(
            409, "Seule une facture brouillon peut être supprimée ; celle-ci est numérotée."
        )
    with ctx.db.transaction() as conn:
        conn.execute("DELETE FROM invoice_lines WHERE document_id = ?", (row["id"],))
        conn.execute("DELETE FROM invoices WHERE id = ?", (row["id"],))
    return Response(status_code=204)


async def send_invoice(ctx: Context, request: Request) -> Response:
    """``POST /v1/companies/{cid}/invoices/{id}/send``: the message goes to the outbox
    (``GET /sandbox/outbox``), never to a mail server; a saved invoice becomes ``sent``.
    409 for a draft (save it first); 204."""
    body = await json_object(request)
    company, row = _invoice_of_path(ctx, request)
    message = parse_message(body)
    if row["status"] == "draft":
        raise ApiError(409, "Une facture brouillon ne peut pas être envoyée : enregistrez-la.")
    with ctx.db.transaction() as conn:
        record_message(conn, company["id"], "invoice", row["id"], compiled_number(row), message)
        if row["status"] == "saved":
            conn.execute("UPDATE invoices SET status = 'sent' WHERE id = ?", (row["id"],))
    return Response(status_code=204)


def _seller(company: Row) -> dict[str, Any]:
    siren = company.get("siren")
    key = (12 + 3 * (int(siren) % 97)) % 97 if siren and siren.isdigit() else None
    return {
        "name": company["name"],
        "address": company.get("address"),
        "postal_code": company.get("postal_code"),
        "city": company.get("city"),
        "siret": company.get("siret"),
        "vat": f"FR{key:02d}{siren}" if key is not None else None,
    }


def _client_lines(row: Row) -> list[str]:
    city = " ".join(p for p in (row.get("client_postal_code"), row.get("client_city")) if p)
    return [
        p for p in (row.get("client_name") or "(sans client)", row.get("client_address"), city) if p
    ]


def pdf_document(
    company: Row,
    row: Row,
    lines: list[Row],
    *,
    kind: str,
    number: str | None,
    date_label: str,
    date_text: str,
    due_date: str | None,
) -> bytes:
    """A document (invoice or quotation) as PDF bytes."""
    from ..pdf import Document, render_pdf

    sums = billing.totals(
        (line["vat_code"], line["line_cents"], line["vat_cents"]) for line in lines
    )
    per_vat = {
        code: (f"{billing.VAT_RATES[code]:n}".replace(".", ","), base, vat)
        for code, (base, vat) in sums.per_vat.items()
    }
    return render_pdf(
        Document(
            kind=kind,
            number=number,
            status=row["status"],
            date_label=date_label,
            date=date_text,
            due_date=due_date,
            title=row.get("title"),
            seller=_seller(company),
            client_lines=_client_lines(row),
            lines=lines,
            per_vat=per_vat,
            total_excluding=sums.excluding,
            total_including=sums.including,
            footer=row.get("payment_condition"),
        )
    )


async def invoice_pdf(ctx: Context, request: Request) -> Response:
    """``GET /v1/companies/{cid}/invoices/{id}/pdf``: the invoice as a PDF."""
    company, row = _invoice_of_path(ctx, request)
    lines = billing.lines_of(ctx.db, "invoice_lines", [row["id"]])[row["id"]]
    number = compiled_number(row)
    data = pdf_document(
        company,
        row,
        lines,
        kind="Facture",
        number=number,
        date_label="Date d'émission",
        date_text=row["emission_date"],
        due_date=row["due_date"],
    )
    return Response(
        data,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="facture-{number or row["id"]}.pdf"',
            "X-Content-Type-Options": "nosniff",
        },
    )


async def outbox(ctx: Context, request: Request) -> Response:
    """``GET /sandbox/outbox``: the messages "sent" for the caller's companies, oldest
    first (sandbox only: the real service has no such endpoint)."""
    user = bearer_user(ctx, request)
    rows = ctx.db.all(
        "SELECT o.* FROM outbox o JOIN memberships m ON m.company_id = o.company_id "
        "WHERE m.user_id = ? ORDER BY o.id",
        (user.id,),
    )
    return JSONResponse(
        [
            {
                "id": row["id"],
                "company_id": row["company_id"],
                "document_type": row["document_type"],
                "document_id": row["document_id"],
                "document_number": row["document_number"],
                "recipients": json.loads(row["recipients"]),
                "subject": row["subject"],
                "message": row["message"],
                "attachment": row["attachment"],
                "sent_at": row["sent_at"],
            }
            for row in rows
        ]
    )


def routes(ctx: Context) -> list[Route]:
    """The invoices' routes and the outbox."""
    base = "/v1/companies/{company_id:int}/invoices"
    one = base + "/{invoice_id:int}"
    return [
        route(
            ctx,
            base,
            list_invoices,
            doc=Doc(
                answer=list[Invoice],
                paged=True,
                query=(
                    Query("sorts", "The order: FIELD:asc|desc, comma-separated."),
                    choice("status", "Only the invoices of this status.", STATUSES),
                ),
            ),
        ),
        route(
            ctx,
            base,
            create_invoice,
            ["POST"],
            doc=Doc(answer=Invoice, status=201, body=InvoiceCreateParams),
        ),
        route(ctx, one, get_invoice, doc=Doc(answer=Invoice)),
        route(
            ctx,
            one,
            update_invoice,
            ["PUT"],
            doc=Doc(answer=Invoice, body=InvoiceCreateParams, errors=(409,)),
        ),
        route(ctx, one, delete_invoice, ["DELETE"], doc=Doc(status=204, errors=(409,))),
        route(
            ctx,
            one + "/send",
            send_invoice,
            ["POST"],
            doc=Doc(status=204, body=InvoiceSendParams, errors=(409,)),
        ),
        route(ctx, one + "/pdf", invoice_pdf, doc=Doc(raw="application/pdf")),
        route(ctx, "/sandbox/outbox", outbox, doc=Doc(answer=list[OutboxMessage], tag="sandbox")),
    ]


# -- seed -------------------------------------------------------------------------------

# (description, unit code, lowest and highest unit price, VAT code)
CATALOG: tuple[tuple[str, str | None, int, int, str], ...] = (
    ("Développement d'une application web", "day", 450, 650, "normal"),
    ("Audit de sécurité du système d'information", "day", 700, 900, "normal"),
    ("Conseil en architecture logicielle", "day", 600, 850, "normal"),
    ("Maintenance applicative mensuelle", "package", 300, 800, "normal"),
    ("Hébergement et supervision", "package", 40, 200, "normal"),
    ("Assistance téléphonique", "hour", 60, 95, "normal"),
    ("Rédaction de documentation technique", "page", 30, 60, "normal"),
    ("Formation professionnelle continue", "day", 900, 1200, "none"),
    ("Ouvrage technique « Python pour la compta »", "unit", 25, 45, "reduced"),
    ("Billet de conférence Paris Web", "unit", 90, 150, "intermediate"),
    ("Abonnement presse spécialisée", "unit", 8, 15, "super_reduced"),
    ("Traduction de l'interface (par mot)", "word", 0, 0, "normal"),
)
TITLES = (
    "Prestations du mois",
    "Mission de conseil",
    "Développement sur mesure",
    "Maintenance et support",
    None,
)


def seed_lines(rng: random.Random) -> list[billing.LineInput]:
    """One to four realistic lines (deterministic with ``rng``)."""
    lines = []
    for sequence in range(1, rng.randint(1, 4) + 1):
        description, unit, low, high, vat = rng.choice(CATALOG)
        if unit == "word":
            quantity, unit_amount = Decimal(rng.randrange(500, 5000, 50)), Decimal("0.12")
        elif unit in ("day", "hour"):
            quantity = Decimal(rng.choice(("0.5", "1", "2", "3", "4.5", "5", "10", "12")))
            unit_amount = Decimal(rng.randrange(low, high + 1, 5))
        else:
            quantity = Decimal(rng.randint(1, 6))
            unit_amount = Decimal(rng.randrange(low * 100, high * 100 + 1, 10)) / 100
        percentage = Decimal(10) if rng.random() < 0.08 else None
        amount = billing.line_cents(quantity, unit_amount, None, percentage)
        lines.append(
            billing.LineInput(
                sequence=sequence,
                description=description,
                quantity=quantity,
                unit_amount=unit_amount,
                vat_code=vat,
                unit_id=billing.UNITS[unit] if unit else None,
                unit_code=unit,
                category="benefit",
                discount_description="Remise fidélité" if percentage else "",
                discount_amount=None,
                discount_percentage=percentage,
                line_cents=amount,
                vat_cents=billing.vat_cents(amount, vat),
            )
        )
    return lines


def seed_clients(db: Database, company_id: int) -> list[Row]:
    """The company's active clients a seed may bill (none: invoices name no client)."""
    return db.all(
        "SELECT id, name, address, postal_code, city FROM clients "
        "WHERE company_id = ? AND archived = 0 ORDER BY id",
        (company_id,),
    )


def seed_spacing(size: int, least: int) -> int:
    """The days between two of ``size`` seeded items: ``least``, or more when so few that
    they would not cover the seeded year (8 invoices: one every 45 days)."""
    return max(least, 365 // max(size, 1))


def seed_status(rng: random.Random, age: int) -> str:
    """A likely status for an invoice emitted ``age`` days before the reference date."""
    roll = rng.random()
    if age > 75:
        return "paid" if roll < 0.95 else "sent"
    if age > 30:
        return "paid" if roll < 0.6 else "sent"
    if age > 7:
        return "sent" if roll < 0.6 else ("saved" if roll < 0.9 else "paid")
    return "draft" if roll < 0.5 else "saved"


def seed_invoice(
    rng: random.Random, company_id: int, position: int, clients: list[Row], spacing: int = 3
) -> tuple[dict[str, Any], list[billing.LineInput]]:
    """The invoice at ``position`` of a seed, ``spacing`` days after the one before (over
    the seeded year, then again from its start): values (unnumbered) and lines."""
    start = REFERENCE_DATE - timedelta(days=364)
    emission = start + timedelta(days=(position * spacing) % 365)
    age = (REFERENCE_DATE - emission).days
    client = rng.choice(clients) if clients else None
    lines = seed_lines(rng)
    sums = billing.totals((line.vat_code, line.line_cents, line.vat_cents) for line in lines)
    values = {
        "company_id": company_id,
        "client_id": client["id"] if client else None,
        "client_name": client["name"] if client else "Client de passage",
        "client_address": client["address"] if client else None,
        "client_postal_code": client["postal_code"] if client else None,
        "client_city": client["city"] if client else None,
        "quotation_id": None,
        "status": seed_status(rng, age),
        "title": rng.choice(TITLES),
        "emission_date": emission.isoformat(),
        "due_date": (emission + timedelta(days=30)).isoformat(),
        "due_date_mode": "thirty_days",
        "template": "advanced",
        "free_field": None,
        "payment_condition": PAYMENT_CONDITION,
        "total_excl_cents": sums.excluding,
        "total_incl_cents": sums.including,
        "created_at": f"{emission.isoformat()} 09:00:00",
    }
    return values, lines


def insert_seeded(
    db: Database,
    kind: str,
    table: str,
    lines_table: str,
    columns: tuple[str, ...],
    items: list[tuple[dict[str, Any], list[billing.LineInput]]],
) -> list[int]:
    """Insert seeded documents (numbering those not drafts) in one transaction; returns
    their ids, in order."""
    with db.transaction() as conn:
        first = int(
            conn.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)).fetchone()[0]
        )
        ids = [first + offset for offset in range(1, len(items) + 1)]
        rows = []
        line_rows: list[tuple[Any, ...]] = []
        for document_id, (values, lines) in zip(ids, items, strict=True):
            if values["status"] != "draft":
                date_field = values.get("emission_date") or values.get("date")
                year = int(str(date_field)[:4])
                values["number"] = billing.next_number(conn, values["company_id"], kind, year)
                values["number_year"] = year
            rows.append((document_id, *(values.get(column) for column in columns)))
            line_rows.extend(billing.line_values(document_id, line) for line in lines)
        conn.executemany(insert_sql(table, ("id", *columns)), rows)
        conn.executemany(insert_sql(lines_table, billing.LINE_COLUMNS), line_rows)
    return ids


def seed(db: Database, company_id: int, size: int) -> None:
    """Bring the company to ``size`` invoices: a year of them up to :data:`REFERENCE_DATE`
    (one every three days, for the company's active clients), paid, sent, saved or
    draft by age, numbered in date order within each year."""
    existing = int(db.scalar("SELECT COUNT(*) FROM invoices WHERE company_id = ?", (company_id,)))
    if size <= existing:
        return
    rng = random.Random(f"invoices-{company_id}")  # noqa: S311 - demo data
    clients = seed_clients(db, company_id)
    spacing = seed_spacing(size, 3)
    items = []
    for position in range(size):
        item = seed_invoice(rng, company_id, position, clients, spacing)
        if position >= existing:
            items.append(item)
    insert_seeded(db, "invoice", "invoices", "invoice_lines", INVOICE_COLUMNS, items)
    with db.transaction() as conn:
        _mark_has_invoices(conn, company_id)


def _mark_has_invoices(conn: sqlite3.Connection, company_id: int) -> None:
    """The company's ``has_invoices`` is true from its first invoice on."""
    conn.execute("UPDATE companies SET has_invoices = 1 WHERE id = ?", (company_id,))
