"""Companies, who may reach them (memberships), and the countries they and clients are in.

``GET /v1/companies`` lists the caller's companies (paged by Range, the v2 media type when
asked for); ``GET /v1/companies/{cid}`` is one of them (404 unknown, 403 not a member).
"""

from __future__ import annotations

import sqlite3
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ...types import Company
from ..derive import intracom_vat_number, slugify
from ..kernel import (
    JSON_TYPE,
    MAX_ID,
    Context,
    Database,
    Doc,
    Migration,
    Row,
    accepts,
    bearer_user,
    company_guard,
    paged,
    route,
    run_script,
)
from ..kernel.guards import COMPANY_SELECT

__all__ = [
    "COMPANIES_V2",
    "COUNTRIES",
    "DEFAULT_SIZE",
    "MIGRATIONS",
    "NAME",
    "VAT_SYSTEMS",
    "add_membership",
    "country",
    "create_company",
    "render_company",
    "render_country",
    "render_vat_system",
    "routes",
    "seed",
]

NAME = "companies"
DEFAULT_SIZE = 0
COMPANIES_V2 = "application/vnd.tiime.companies.v2+json"

# Tiime's numeric country ids (France is 75 in known payloads; the others are plausible).
COUNTRIES: tuple[tuple[int, str, str], ...] = (
    (75, "France", "FR"),
    (21, "Belgique", "BE"),
    (41, "Suisse", "CH"),
    (57, "Allemagne", "DE"),
    (68, "Espagne", "ES"),
    (110, "Italie", "IT"),
    (127, "Luxembourg", "LU"),
    (177, "Portugal", "PT"),
    (160, "Pays-Bas", "NL"),
    (235, "Royaume-Uni", "GB"),
)


def _create_tables(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE countries (
            id INTEGER PRIMARY KEY, name TEXT NOT NULL, code TEXT NOT NULL UNIQUE
        );
        CREATE TABLE companies (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            siren TEXT,
            siret TEXT,
            legal_form TEXT,
            address TEXT,
            postal_code TEXT,
            city TEXT,
            country_id INTEGER REFERENCES countries(id),
            activity TEXT,
            vat_system TEXT
        );
        CREATE TABLE memberships (
            user_id INTEGER NOT NULL REFERENCES users(id),
            company_id INTEGER NOT NULL REFERENCES companies(id),
            PRIMARY KEY (user_id, company_id)
        )
        """,
    )
    conn.executemany("INSERT INTO countries (id, name, code) VALUES (?, ?, ?)", COUNTRIES)


MIGRATIONS = [Migration(3, "countries, companies and memberships", _create_tables)]


# -- queries ----------------------------------------------------------------------------


def country(db: Database, country_id: int) -> Row | None:
    """The country ``{id, name, code}`` of that id, or None."""
    if not 0 <= country_id <= MAX_ID:
        return None
    return db.one("SELECT id, name, code FROM countries WHERE id = ?", (country_id,))


def create_company(db: Database, name: str, *, company_id: int | None = None, **fields: Any) -> int:
    """Add a company (the next id after the highest one, at least 12345, unless given);
    ``fields`` are other columns (``siren``, ``city``, ``country_id`` (75 by default)...).
    Returns its id."""
    values = {"country_id": 75, **fields, "name": name}
    with db.transaction() as conn:
        if company_id is None:
            highest = conn.execute("SELECT MAX(id) FROM companies").fetchone()[0]
            company_id = max(int(highest or 0) + 1, 12345)
        columns = ["id", *values]
        conn.execute(
            f"INSERT INTO companies ({', '.join(columns)}) "  # noqa: S608 - known columns
            f"VALUES ({', '.join('?' for _ in columns)})",
            [company_id, *values.values()],
        )
    return company_id


def add_membership(db: Database, user_id: int, company_id: int) -> None:
    """Let a user reach a company."""
    with db.transaction() as conn:
        conn.execute(
            "INSERT OR IGNORE INTO memberships (user_id, company_id) VALUES (?, ?)",
            (user_id, company_id),
        )


def _count_companies(db: Database, user_id: int) -> int:
    return int(db.scalar("SELECT COUNT(*) FROM memberships WHERE user_id = ?", (user_id,)))


def _companies(db: Database, user_id: int, offset: int, limit: int | None) -> list[Row]:
    return db.all(
        COMPANY_SELECT + " JOIN memberships m ON m.company_id = c.id "
        "WHERE m.user_id = ? ORDER BY c.id LIMIT ? OFFSET ?",
        (user_id, -1 if limit is None else limit, offset),
    )


# -- rendering --------------------------------------------------------------------------


def render_country(row: Row) -> dict[str, Any] | None:
    """``{id, name, code}`` from a row's ``country_id``/``country_name``/``country_code``."""
    if row.get("country_id") is None or row.get("country_name") is None:
        return None
    return {"id": row["country_id"], "name": row["country_name"], "code": row["country_code"]}


# Tiime's VAT systems: the ``vat_system`` column's code -> (id, label, type).
VAT_SYSTEMS: dict[str, tuple[int, str, str]] = {
    "monthly": (2, "Réel normal mensuel", "real"),
    "quarterly": (3, "Réel normal trimestriel", "real"),
    "simplified": (4, "Réel simplifié", "simplified"),
    "franchise": (1, "Franchise en base de TVA", "franchise"),
}


def render_vat_system(code: str | None) -> dict[str, Any] | None:
    """``{id, code, label, type}`` of a VAT system code (an unknown code keeps its name)."""
    if code is None:
        return None
    number, label, kind = VAT_SYSTEMS.get(code, (0, code, None))
    return {"id": number, "code": code, "label": label, "type": kind}


def render_company(row: Row) -> dict[str, Any]:
    """A company as ``GET companies`` returns it: the reference's Company fields (the
    address in ``street`` and ``address``, ``country`` an object with ``country_code``
    beside it, ``vat_system`` an object)."""
    vat_number = intracom_vat_number(row["siren"])
    cents = row.get("share_capital_cents")
    logo = row.get("logo_id")
    return {
        "id": row["id"],
        "uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"tiime-sandbox:company:{row['id']}")),
        "slug": slugify(row["name"]),
        "name": row["name"],
        "siren": row["siren"],
        "siret": row["siret"],
        "vat_number": vat_number,
        "intracom_vat_number": vat_number,
        "legal_form": row["legal_form"],
        "ape_code": None
        if row.get("ape_code") is None
        else {"id": _ape_id(row["ape_code"]), "code": row["ape_code"], "label": row["ape_label"]},
        "street": row["address"],
        "address": row["address"],
        "address_complement": row.get("address_complement"),
        "postal_code": row["postal_code"],
        "city": row["city"],
        "country": render_country(row),
        "country_code": row["country_code"],
        "activity": row["activity"],
        "share_capital": None if cents is None else cents / 100 if cents % 100 else cents // 100,
        "registration_date": row.get("registration_date"),
        "activity_start_date": row.get("activity_start_date"),
        "vat_system": render_vat_system(row["vat_system"]),
        "tax_regime": row.get("tax_regime"),
        "receipt_email": row.get("receipt_email"),
        "payment_email": row.get("payment_email"),
        "has_invoices": bool(row.get("has_invoices")),
        "logo": None if logo is None else {"id": logo},
    }


def _ape_id(code: str) -> int:
    """A stable id for an APE code: its digits (``6202A`` -> 6202)."""
    digits = "".join(ch for ch in code if ch.isdigit())
    return int(digits) if digits else 0


# -- routes -----------------------------------------------------------------------------


async def list_companies(ctx: Context, request: Request) -> Response:
    """``GET /v1/companies``: the user's companies by ascending id, paged by Range.

    Answered as ``application/vnd.tiime.companies.v2+json`` when asked for.
    """
    user = bearer_user(ctx, request)
    return paged(
        ctx,
        request,
        lambda: _count_companies(ctx.db, user.id),
        lambda offset, limit: [
            render_company(row) for row in _companies(ctx.db, user.id, offset, limit)
        ],
        COMPANIES_V2 if accepts(request, COMPANIES_V2) else JSON_TYPE,
    )


async def get_company(ctx: Context, request: Request) -> Response:
    """``GET /v1/companies/{cid}``: one of the user's companies (403/404 otherwise)."""
    _, company = company_guard(ctx, request)
    return JSONResponse(render_company(company))


def routes(ctx: Context) -> list[Route]:
    """``GET /v1/companies`` and ``GET /v1/companies/{cid}``."""
    return [
        route(
            ctx,
            "/v1/companies",
            list_companies,
            doc=Doc(answer=list[Company], paged=True, media_types=(COMPANIES_V2,)),
        ),
        route(ctx, "/v1/companies/{company_id:int}", get_company, doc=Doc(answer=Company)),
    ]


def seed(db: Database, company_id: int, size: int) -> None:
    """Nothing per company: companies are made by :mod:`tiime.sandbox.seeding`'s accounts."""
