"""A company's settings side: its users, app config, accounting period, tiles, dashboard.

* ``GET /v1/companies/{cid}/users``: the company's members, a list of users (as
  ``users/me`` renders them), by ascending id.
* ``GET /v1/companies/{cid}/app_config``: an object (modules enabled, currency, VAT
  rates...; the reference leaves it untyped).
* ``GET /v1/companies/{cid}/accounting_period/current?range_year=N``: the 12-month period
  that holds today (Europe/Paris), starting on the company's fiscal year start (``MM-DD``,
  1 January by default), ``{id, start_date, end_date, status}``. ``range_year`` (1 by
  default; what it means to the real service is unknown) must be 1 or 2, else 400.
* ``GET /v1/companies/{cid}/tiles?keys=K1,K2``: an object ``{key: value}`` for the keys
  asked, in their order; an unknown key is 400. Values are computed from the tables there
  are (a count of 0 when a resource's table does not exist).
* ``GET /v1/companies/{cid}/dashboard_blocks?sorts=rank:asc&display_group=G``: the blocks
  ``{id, type, rank, display_group}`` of that group (all without it), by rank.

Migration 70 adds to ``companies`` the columns the reference's Company type carries
(rendered by :func:`.companies.render_company`): ``address_complement, ape_code,
ape_label, share_capital_cents, registration_date, activity_start_date, tax_regime,
receipt_email, payment_email, has_invoices, logo_id, fiscal_year_start``; the seed fills
them for the company.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ...types import AccountingPeriod, User
from ..derive import slugify
from ..kernel import (
    ApiError,
    Context,
    Database,
    Doc,
    Migration,
    Query,
    choice,
    company_guard,
    route,
    run_script,
)
from .users import profile_user, render_user

__all__ = [
    "DEFAULT_SIZE",
    "MIGRATIONS",
    "NAME",
    "TILES",
    "accounting_period",
    "routes",
    "seed",
    "today",
]

NAME = "company_settings"
DEFAULT_SIZE = 1
PARIS = ZoneInfo("Europe/Paris")


def _add_company_columns(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        ALTER TABLE companies ADD COLUMN address_complement TEXT;
        ALTER TABLE companies ADD COLUMN ape_code TEXT;
        ALTER TABLE companies ADD COLUMN ape_label TEXT;
        ALTER TABLE companies ADD COLUMN share_capital_cents INTEGER;
        ALTER TABLE companies ADD COLUMN registration_date TEXT;
        ALTER TABLE companies ADD COLUMN activity_start_date TEXT;
        ALTER TABLE companies ADD COLUMN tax_regime TEXT;
        ALTER TABLE companies ADD COLUMN receipt_email TEXT;
        ALTER TABLE companies ADD COLUMN payment_email TEXT;
        ALTER TABLE companies ADD COLUMN has_invoices INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE companies ADD COLUMN logo_id INTEGER;
        ALTER TABLE companies ADD COLUMN fiscal_year_start TEXT NOT NULL DEFAULT '01-01'
        """,
    )


MIGRATIONS = [Migration(70, "the Company fields of the reference", _add_company_columns)]

# (rank, type, display_group) of the dashboard blocks, ids 1.. in this order.
_BLOCKS: tuple[tuple[int, str, str], ...] = (
    (1, "bank_balance", "monitoring"),
    (2, "revenue", "monitoring"),
    (3, "receipts_to_match", "monitoring"),
    (4, "invoices_to_collect", "monitoring"),
    (5, "vat_estimate", "monitoring"),
    (1, "accounting_progress", "accounting"),
    (2, "accounting_documents", "accounting"),
)


def today() -> date:
    """Today's date in Europe/Paris."""
    return datetime.now(PARIS).date()


def accounting_period(fiscal_year_start: str, on: date) -> tuple[date, date]:
    """``(start, end)`` of the 12-month period holding ``on`` for a fiscal year starting on
    ``MM-DD`` (``end`` the day before the next start; a 29 February start is 1 March)."""
    month, day = (int(part) for part in fiscal_year_start.split("-"))

    def start_in(year: int) -> date:
        try:
            return date(year, month, day)
        except ValueError:
            return date(year, 3, 1)

    start = start_in(on.year) if start_in(on.year) <= on else start_in(on.year - 1)
    following = start_in(start.year + 1)
    return start, date.fromordinal(following.toordinal() - 1)


def _has_columns(db: Database, table: str, *columns: str) -> bool:
    found = {row["name"] for row in db.all("SELECT name FROM pragma_table_info(?)", (table,))}
    return bool(found) and set(columns) <= found


def _count(table: str, where: str = "", *columns: str) -> Callable[[Database, int], Any]:
    """A tile counting the company's rows of ``table`` (``where`` reading ``columns``);
    0 while the table, or one of those columns, does not exist."""

    def count(db: Database, company_id: int) -> Any:
        if not _has_columns(db, table, "company_id", *columns):
            return 0
        return db.scalar(
            f"SELECT COUNT(*) FROM {table} WHERE company_id = ? {where}",  # noqa: S608 - fixed
            (company_id,),
        )

    return count


def _bank_balance(db: Database, company_id: int) -> Any:
    """The sum of the balances of the company's enabled accounts, as ``bank_accounts``
    shows them (the sum of each account's transactions but the refused ones)."""
    if not _has_columns(db, "bank_accounts", "company_id", "enabled") or not _has_columns(
        db, "bank_transactions", "bank_account_id", "amount_cents", "status"
    ):
        return 0
    cents = int(
        db.scalar(
            "SELECT COALESCE(SUM(t.amount_cents), 0) FROM bank_transactions t "
            "JOIN bank_accounts a ON a.id = t.bank_account_id "
            "WHERE a.company_id = ? AND a.enabled AND t.status != 'refused'",
            (company_id,),
        )
    )
    return cents / 100 if cents % 100 else cents // 100


def _unimputed_count(db: Database, company_id: int) -> Any:
    """The company's transactions without imputation (but the refused ones), as
    ``bank_transactions/unimputed`` lists them."""
    if not _has_columns(db, "bank_transactions", "company_id", "status") or not _has_columns(
        db, "bank_imputations", "transaction_id"
    ):
        return 0
    return db.scalar(
        "SELECT COUNT(*) FROM bank_transactions t WHERE t.company_id = ? "
        "AND t.status != 'refused' AND NOT EXISTS "
        "(SELECT 1 FROM bank_imputations i WHERE i.transaction_id = t.id)",
        (company_id,),
    )


# The tiles the sandbox knows, each computed from the tables there are.
TILES: dict[str, Callable[[Database, int], Any]] = {
    "receipts_count": _count("documents"),
    "bank_balance": _bank_balance,
    "invoices_to_send": _count("invoices", "AND status = 'saved'", "status"),
    "draft_invoices_count": _count("invoices", "AND status = 'draft'", "status"),
    "unimputed_count": _unimputed_count,
    "clients_count": _count("clients", "AND archived = 0", "archived"),
    "expense_reports_count": _count("expense_reports"),
    "labels_count": _count("labels"),
}


# -- routes -----------------------------------------------------------------------------


async def company_users(ctx: Context, request: Request) -> Response:
    """``GET /v1/companies/{cid}/users``: the company's members."""
    _, company = company_guard(ctx, request)
    members = ctx.db.all(
        "SELECT user_id FROM memberships WHERE company_id = ? ORDER BY user_id", (company["id"],)
    )
    rows = [profile_user(ctx.db, member["user_id"]) for member in members]
    return JSONResponse([render_user(ctx.db, row) for row in rows if row is not None])


async def app_config(ctx: Context, request: Request) -> Response:
    """``GET /v1/companies/{cid}/app_config``: the company's modules and defaults."""
    _, company = company_guard(ctx, request)
    return JSONResponse(
        {
            "company_id": company["id"],
            "currency": "EUR",
            "locale": "fr",
            "modules": {
                "invoicing": True,
                "quotations": True,
                "bank": True,
                "receipts": True,
                "expense_reports": True,
                "accounting": True,
            },
            "vat_rates": [20, 10, 5.5, 2.1, 0],
            "default_payment_delay_days": 30,
        }
    )


async def current_accounting_period(ctx: Context, request: Request) -> Response:
    """``GET /v1/companies/{cid}/accounting_period/current``: the period holding today."""
    _, company = company_guard(ctx, request)
    range_year = request.query_params.get("range_year", "1")
    if range_year not in ("1", "2"):
        raise ApiError(400, "range_year doit valoir 1 ou 2.")
    start, end = accounting_period(company["fiscal_year_start"] or "01-01", today())
    return JSONResponse(
        {
            "id": company["id"] * 100 + start.year % 100,
            "start_date": start.isoformat(),
            "end_date": end.isoformat(),
            "status": "open",
        }
    )


async def tiles(ctx: Context, request: Request) -> Response:
    """``GET /v1/companies/{cid}/tiles?keys=...``: the values of the tiles asked."""
    _, company = company_guard(ctx, request)
    keys = [key.strip() for key in request.query_params.get("keys", "").split(",") if key.strip()]
    if not keys:
        raise ApiError(400, "Le paramètre keys est obligatoire.")
    unknown = [key for key in keys if key not in TILES]
    if unknown:
        raise ApiError(
            400, f"Tuile inconnue : {unknown[0][:50]}. Tuiles disponibles : {', '.join(TILES)}."
        )
    return JSONResponse({key: TILES[key](ctx.db, company["id"]) for key in keys})


async def dashboard_blocks(ctx: Context, request: Request) -> Response:
    """``GET /v1/companies/{cid}/dashboard_blocks``: the blocks of a display group."""
    company_guard(ctx, request)
    group = request.query_params.get("display_group")
    sorts = request.query_params.get("sorts", "rank:asc")
    if sorts not in ("rank:asc", "rank:desc"):
        raise ApiError(400, "sorts doit valoir rank:asc ou rank:desc.")
    blocks: list[dict[str, Any]] = [
        {"id": number, "type": kind, "rank": rank, "display_group": display_group}
        for number, (rank, kind, display_group) in enumerate(_BLOCKS, start=1)
        if group is None or display_group == group
    ]
    blocks.sort(key=lambda block: block["rank"], reverse=sorts == "rank:desc")
    return JSONResponse(blocks)


def routes(ctx: Context) -> list[Route]:
    """The five calls above."""
    base = "/v1/companies/{company_id:int}"
    return [
        route(ctx, f"{base}/users", company_users, doc=Doc(answer=list[User])),
        route(ctx, f"{base}/app_config", app_config, doc=Doc(answer=dict[str, Any])),
        route(
            ctx,
            f"{base}/accounting_period/current",
            current_accounting_period,
            doc=Doc(
                answer=AccountingPeriod,
                query=(choice("range_year", "1 or 2 (default 1).", ("1", "2")),),
            ),
        ),
        route(
            ctx,
            f"{base}/tiles",
            tiles,
            doc=Doc(
                answer=dict[str, Any],
                query=(Query("keys", "The tiles asked, comma-separated (required)."),),
            ),
        ),
        route(
            ctx,
            f"{base}/dashboard_blocks",
            dashboard_blocks,
            doc=Doc(
                answer=list[dict[str, Any]],
                query=(
                    Query("display_group", "Only the blocks of this display group."),
                    choice("sorts", "By rank (default rank:asc).", ("rank:asc", "rank:desc")),
                ),
            ),
        ),
    ]


def seed(db: Database, company_id: int, size: int) -> None:
    """Fill the company's reference fields left empty (deterministic from its id);
    ``has_invoices`` says whether an ``invoices`` table holds some of its invoices."""
    row = db.one("SELECT name, ape_code FROM companies WHERE id = ?", (company_id,))
    if row is None:
        return
    has_invoices = int(bool(_count("invoices")(db, company_id)))
    if row["ape_code"] is not None:
        with db.transaction() as conn:
            conn.execute(
                "UPDATE companies SET has_invoices = ? WHERE id = ?", (has_invoices, company_id)
            )
        return
    rng = random.Random(company_id)  # noqa: S311 - demo data
    year = rng.randint(2015, 2022)
    registered = date(year, rng.randint(1, 12), rng.randint(1, 28))
    slug = slugify(row["name"]).replace("-", "")[:20] or "entreprise"
    with db.transaction() as conn:
        conn.execute(
            "UPDATE companies SET ape_code = ?, ape_label = ?, share_capital_cents = ?, "
            "registration_date = ?, activity_start_date = ?, tax_regime = ?, receipt_email = ?, "
            "payment_email = ?, has_invoices = ?, logo_id = ? WHERE id = ?",
            (
                "6202A",
                "Conseil en systèmes et logiciels informatiques",
                rng.choice((100_000, 500_000, 1_000_000)),
                registered.isoformat(),
                registered.isoformat(),
                "IS",
                f"{slug}-{company_id}@receipts.tiime.test",
                f"{slug}-{company_id}@payments.tiime.test",
                has_invoices,
                company_id * 10 + 1,
                company_id,
            ),
        )
