"""Expense reports: a name, a date, a status, and the receipts they hold.

* ``GET /v1/companies/{cid}/expense_reports``: the list (``sorts``, default
  ``metadata.date:desc``), paged by Range; ``expand=total_amount`` adds each report's
  total, the sum of its receipts' amounts.
* ``POST /v1/companies/{cid}/expense_reports``: ``{"name", "metadata": {"date"}}``, 201.
* ``GET /v1/companies/{cid}/expense_reports/{id}``: one report (``expand`` as above).
"""

from __future__ import annotations

import calendar
import random
from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ...types import ExpenseReport, ExpenseReportCreateParams
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
    company_guard,
    json_object,
    now_text,
    paged,
    route,
)
from .documents import SEED_END

__all__ = ["DEFAULT_SIZE", "MIGRATIONS", "NAME", "routes", "seed"]

NAME = "expense_reports"
DEFAULT_SIZE = 8
MAX_NAME_LENGTH = 255
STATUSES = ("draft", "submitted", "validated", "reimbursed")

MIGRATIONS = [
    Migration(
        40,
        "expense reports and their receipts",
        """
        CREATE TABLE expense_reports (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            company_id INTEGER NOT NULL REFERENCES companies(id),
            name TEXT NOT NULL,
            status TEXT NOT NULL,
            metadata_date TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX expense_reports_by_company ON expense_reports (company_id, id);
        CREATE TABLE expense_report_documents (
            expense_report_id INTEGER NOT NULL REFERENCES expense_reports(id),
            document_id INTEGER NOT NULL UNIQUE REFERENCES documents(id),
            PRIMARY KEY (expense_report_id, document_id)
        );
        INSERT INTO sqlite_sequence (name, seq) VALUES ('expense_reports', 3000)
        """,
    )
]

_SORT_COLUMNS = {
    "metadata.date": "r.metadata_date",
    "created_at": "r.created_at",
    "name": "r.name",
    "id": "r.id",
}
_SELECT = (
    "SELECT r.*, (SELECT COALESCE(SUM(d.metadata_amount_cents), 0) "
    "FROM expense_report_documents l JOIN documents d ON d.id = l.document_id "
    "WHERE l.expense_report_id = r.id) AS total_cents FROM expense_reports r"
)
_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def _order(sorts: str) -> str:
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
    last = "DESC" if terms[-1].endswith("DESC") else "ASC"
    return ", ".join([*terms, f"r.id {last}"])


def _count(db: Database, company_id: int) -> int:
    return int(
        db.scalar("SELECT COUNT(*) FROM expense_reports WHERE company_id = ?", (company_id,))
    )


def _report(db: Database, company_id: int, report_id: int) -> Row | None:
    if not 0 <= report_id <= MAX_ID:
        return None
    return db.one(_SELECT + " WHERE r.company_id = ? AND r.id = ?", (company_id, report_id))


def render_report(row: Row, *, total: bool) -> dict[str, Any]:
    """An expense report; ``total`` adds ``total_amount`` (``expand=total_amount``)."""
    rendered: dict[str, Any] = {
        "id": row["id"],
        "name": row["name"],
        "title": row["name"],
        "status": row["status"],
        "metadata": {"date": row["metadata_date"]},
        "created_at": row["created_at"],
    }
    if total:
        rendered["total_amount"] = round(row["total_cents"] / 100, 2)
    return rendered


def _expanded(request: Request) -> bool:
    expand = request.query_params.get("expand", "")
    return "total_amount" in (part.strip() for part in expand.split(","))


async def list_reports(ctx: Context, request: Request) -> Response:
    """``GET /v1/companies/{cid}/expense_reports``: by ``sorts`` (default
    ``metadata.date:desc``), paged by Range; ``expand=total_amount`` adds the totals."""
    _, company = company_guard(ctx, request)
    order = _order(request.query_params.get("sorts") or "metadata.date:desc")
    total = _expanded(request)
    return paged(
        ctx,
        request,
        lambda: _count(ctx.db, company["id"]),
        lambda offset, limit: [
            render_report(row, total=total)
            for row in ctx.db.all(
                _SELECT + f" WHERE r.company_id = ? ORDER BY {order} LIMIT ? OFFSET ?",
                (company["id"], -1 if limit is None else limit, offset),
            )
        ],
    )


async def get_report(ctx: Context, request: Request) -> Response:
    """``GET /v1/companies/{cid}/expense_reports/{id}``; 404 "Note de frais introuvable"."""
    _, company = company_guard(ctx, request)
    row = _report(ctx.db, company["id"], request.path_params["report_id"])
    if row is None:
        raise ApiError(404, "Note de frais introuvable")
    return JSONResponse(render_report(row, total=_expanded(request)))


def _validate(body: dict[str, Any]) -> tuple[str, str | None]:
    errors: dict[str, str] = {}
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        errors["name"] = "Ce champ est obligatoire (une chaîne non vide)."
    elif len(name.strip()) > MAX_NAME_LENGTH or not name.strip().isprintable():
        errors["name"] = f"Une ligne d'au plus {MAX_NAME_LENGTH} caractères."
    metadata = body.get("metadata")
    day: str | None = None
    if metadata is not None and not isinstance(metadata, dict):
        errors["metadata"] = "Cette valeur doit être un objet."
    elif isinstance(metadata, dict) and metadata.get("date") is not None:
        raw = metadata["date"]
        try:
            day = date.fromisoformat(raw).isoformat() if isinstance(raw, str) else None
        except ValueError:
            day = None
        if day is None or len(raw) != 10:
            errors["metadata.date"] = "Une date AAAA-MM-JJ valide."
    if errors:
        raise FieldErrors(errors)
    assert isinstance(name, str)
    return name.strip(), day


async def create_report(ctx: Context, request: Request) -> Response:
    """``POST /v1/companies/{cid}/expense_reports``: ``{"name", "metadata": {"date"}}``
    (metadata optional); 201 with the new, empty report (status ``draft``); 422 naming
    each invalid field."""
    _, company = company_guard(ctx, request)
    name, day = _validate(await json_object(request))
    with ctx.db.transaction() as conn:
        cursor = conn.execute(
            "INSERT INTO expense_reports (company_id, name, status, metadata_date, created_at) "
            "VALUES (?, ?, 'draft', ?, ?)",
            (company["id"], name, day, now_text()),
        )
    row = _report(ctx.db, company["id"], int(cursor.lastrowid or 0))
    assert row is not None
    return JSONResponse(
        render_report(row, total=_expanded(request)),
        status_code=201,
        headers={"Location": f"/v1/companies/{company['id']}/expense_reports/{row['id']}"},
    )


_EXPAND = Query("expand", "total_amount adds the totals.")


def routes(ctx: Context) -> list[Route]:
    """The expense reports' routes."""
    base = "/v1/companies/{company_id:int}/expense_reports"
    return [
        route(
            ctx,
            base,
            list_reports,
            doc=Doc(
                answer=list[ExpenseReport],
                paged=True,
                query=(
                    Query("sorts", "The order, FIELD:asc|desc (default metadata.date:desc)."),
                    _EXPAND,
                ),
            ),
        ),
        route(
            ctx,
            base,
            create_report,
            ["POST"],
            doc=Doc(answer=ExpenseReport, status=201, body=ExpenseReportCreateParams),
        ),
        route(
            ctx,
            base + "/{report_id:int}",
            get_report,
            doc=Doc(answer=ExpenseReport, query=(_EXPAND,)),
        ),
    ]


def seed(db: Database, company_id: int, size: int) -> None:
    """Monthly reports, the newest first back from :data:`SEED_END`'s month, each holding
    the company's seeded receipts of its month that no report holds yet."""
    existing = _count(db, company_id)
    if size <= existing:
        return
    rng = random.Random(company_id * 7 + 40)  # noqa: S311 - demo data
    statuses = [rng.choice(STATUSES[1:]) for _ in range(size)]
    statuses[0] = "draft"
    with db.transaction() as conn:
        for position in range(existing, size):
            year, month = SEED_END.year, SEED_END.month - position
            while month < 1:
                year, month = year - 1, month + 12
            last = date(year, month, calendar.monthrange(year, month)[1])
            cursor = conn.execute(
                "INSERT INTO expense_reports (company_id, name, status, metadata_date, "
                "created_at) VALUES (?, ?, ?, ?, ?)",
                (
                    company_id,
                    f"Notes de frais — {_MONTHS[month - 1]} {year}",
                    statuses[position],
                    last.isoformat(),
                    f"{last.isoformat()} 18:00:00",
                ),
            )
            conn.execute(
                "INSERT INTO expense_report_documents (expense_report_id, document_id) "
                "SELECT ?, d.id FROM documents d WHERE d.company_id = ? AND d.type = 'receipt' "
                "AND d.metadata_date BETWEEN ? AND ? AND d.id NOT IN "
                "(SELECT document_id FROM expense_report_documents)",
                (cursor.lastrowid, company_id, f"{year:04d}-{month:02d}-01", last.isoformat()),
            )
