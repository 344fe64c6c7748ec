"""Bank accounts: table, rendering, routes and seed.

* ``GET /v1/companies/{cid}/bank_accounts``: the company's accounts by id
  (``enabled=true|false`` filters); no paging, as the reference reads it.
* ``GET /v1/companies/{cid}/bank_accounts/{id}``: one account.

An account's balance is the sum of its (non-refused) transactions, computed on each read,
so it always equals them; its ``balance_date`` is the date of the latest one.
"""

from __future__ import annotations

import random
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ...types import BankAccount
from .. import demodata
from ..kernel import (
    MAX_ID,
    ApiError,
    Context,
    Database,
    Doc,
    Migration,
    Row,
    company_guard,
    flag,
    route,
)

__all__ = ["DEFAULT_SIZE", "MIGRATIONS", "NAME", "account_ids", "routes", "seed"]

NAME = "bank_accounts"
DEFAULT_SIZE = 3

MIGRATIONS = [
    Migration(
        80,
        "bank accounts",
        """
        CREATE TABLE bank_accounts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            company_id INTEGER NOT NULL REFERENCES companies(id),
            name TEXT NOT NULL,
            bank_code TEXT NOT NULL,
            iban TEXT NOT NULL,
            bic TEXT NOT NULL,
            type_code TEXT NOT NULL,
            enabled INTEGER NOT NULL DEFAULT 1,
            closed INTEGER NOT NULL DEFAULT 0,
            is_wallet INTEGER NOT NULL DEFAULT 0,
            synchronization_date TEXT NOT NULL
        );
        CREATE INDEX bank_accounts_by_company ON bank_accounts (company_id, id);
        INSERT INTO sqlite_sequence (name, seq) VALUES ('bank_accounts', 4100)
        """,
    )
]

# Bank code -> (id, name, brand, sigle); the codes are those of demodata.BANKS.
_BANKS: dict[str, tuple[int, str, str, str]] = {
    "30004": (1, "BNP Paribas", "BNP Paribas", "BNP"),
    "30003": (2, "Société Générale", "Société Générale", "SG"),
    "30002": (3, "LCL - Le Crédit Lyonnais", "LCL", "LCL"),
    "20041": (4, "La Banque Postale", "La Banque Postale", "LBP"),
}
_TYPES: dict[str, tuple[int, str]] = {
    "checking": (1, "Compte courant"),
    "savings": (2, "Compte d'épargne"),
}
# (name, type, enabled, closed) of the accounts seeded, in this order.
_ACCOUNTS: tuple[tuple[str, str, bool, bool], ...] = (
    ("Compte courant professionnel", "checking", True, False),
    ("Livret d'épargne entreprise", "savings", True, False),
    ("Ancien compte courant", "checking", False, True),
)
_SELECT = """
    SELECT a.*,
        COALESCE((SELECT SUM(t.amount_cents) FROM bank_transactions t
                  WHERE t.bank_account_id = a.id AND t.status != 'refused'), 0) AS balance_cents,
        (SELECT MAX(t.transaction_date) FROM bank_transactions t
         WHERE t.bank_account_id = a.id) AS balance_date
    FROM bank_accounts a
"""


def render_account(row: Row) -> dict[str, Any]:
    """An account as the API returns it."""
    bank_id, bank_name, brand, sigle = _BANKS.get(row["bank_code"], (0, "Banque", "Banque", "BQ"))
    type_id, description = _TYPES[row["type_code"]]
    return {
        "id": row["id"],
        "name": row["name"],
        "bank": {
            "id": bank_id,
            "name": bank_name,
            "brand": brand,
            "sigle": sigle,
            "code": row["bank_code"],
            "logo_url": f"https://static.tiime.example/banks/{row['bank_code']}.png",
        },
        "short_bank_name": sigle,
        "bank_account_type": {"id": type_id, "code": row["type_code"], "description": description},
        "iban": row["iban"],
        "bic": row["bic"],
        "enabled": bool(row["enabled"]),
        "closed": bool(row["closed"]),
        "is_wallet": bool(row["is_wallet"]),
        "balance_amount": round(row["balance_cents"] / 100, 2),
        "balance_currency": "EUR",
        "balance_date": row["balance_date"],
        "synchronization_date": row["synchronization_date"],
    }


def account_ids(db: Database, company_id: int) -> list[int]:
    """The company's accounts' ids, in order."""
    rows = db.all("SELECT id FROM bank_accounts WHERE company_id = ? ORDER BY id", (company_id,))
    return [row["id"] for row in rows]


async def list_accounts(ctx: Context, request: Request) -> Response:
    """``GET /v1/companies/{cid}/bank_accounts``: every account (``enabled=true|false``)."""
    _, company = company_guard(ctx, request)
    enabled = request.query_params.get("enabled")
    where, params = "WHERE a.company_id = ?", [company["id"]]
    if enabled is not None:
        if enabled not in ("true", "false"):
            raise ApiError(400, f"enabled : valeur invalide {enabled!r} (true ou false).")
        where += " AND a.enabled = ?"
        params.append(int(enabled == "true"))
    rows = ctx.db.all(_SELECT + where + " ORDER BY a.id", params)
    return JSONResponse([render_account(row) for row in rows])


async def get_account(ctx: Context, request: Request) -> Response:
    """``GET /v1/companies/{cid}/bank_accounts/{id}``; 404 "Compte bancaire introuvable"."""
    _, company = company_guard(ctx, request)
    account_id = request.path_params["account_id"]
    row = (
        ctx.db.one(_SELECT + " WHERE a.company_id = ? AND a.id = ?", (company["id"], account_id))
        if account_id <= MAX_ID
        else None
    )
    if row is None:
        raise ApiError(404, "Compte bancaire introuvable")
    return JSONResponse(render_account(row))


def routes(ctx: Context) -> list[Route]:
    """The bank accounts' routes."""
    base = "/v1/companies/{company_id:int}/bank_accounts"
    return [
        route(
            ctx,
            base,
            list_accounts,
            doc=Doc(
                answer=list[BankAccount],
                query=(flag("enabled", "Only the enabled accounts (true) or the others."),),
            ),
        ),
        route(ctx, base + "/{account_id:int}", get_account, doc=Doc(answer=BankAccount)),
    ]


def seed(db: Database, company_id: int, size: int) -> None:
    """Bring the company to ``size`` accounts (the three named ones first, then more
    current accounts), with valid French IBANs, deterministically."""
    existing = len(account_ids(db, company_id))
    rng = random.Random(f"bank_accounts-{company_id}")  # noqa: S311 - demo data
    rows = []
    for position in range(size):
        iban, bic = demodata.iban(rng)
        name, type_code, enabled, closed = (
            _ACCOUNTS[position]
            if position < len(_ACCOUNTS)
            else (f"Compte courant n°{position + 1}", "checking", True, False)
        )
        if position >= existing:
            rows.append(
                (company_id, name, iban[4:9], iban, bic, type_code, int(enabled), int(closed))
            )
    with db.transaction() as conn:
        conn.executemany(
            "INSERT INTO bank_accounts (company_id, name, bank_code, iban, bic, type_code, "
            "enabled, closed, synchronization_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
            "'2026-10-31 06:00:00')",
            rows,
        )
