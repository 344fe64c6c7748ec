"""Bank transactions, their imputations, label suggestions and document matchings.

* ``GET /v1/companies/{cid}/bank_transactions``: ``{metadata, transactions}`` paged by
  Range (the transactions only; ``metadata.total_amount`` sums every matching one).
  Filters as the API names them: ``hide_refused``, ``bank_account``, ``amount_type``
  (``positive``/``negative``), ``operation_type``, ``transaction_date_start``,
  ``transaction_date_end``, ``wording`` (part of it, ignoring case and accents);
  ``sorts=FIELD:asc|desc[,...]`` on ``transaction_date``, ``amount``, ``id``
  (default ``transaction_date:desc``).
* ``GET .../bank_transactions/unimputed``: the accepted transactions without imputation,
  latest first, paged by Range.
* ``GET .../bank_transactions/{id}``; ``PATCH`` it with ``{"imputations": [...]}``
  (replacing its imputations; amounts must add up to the transaction's, documents cited
  must be the company's).
* ``GET .../bank_transactions/{id}/label_suggestions``: labels suggested by the labels
  used before on transactions of the same counterpart, then by the labels' keywords
  found in the wording.
* ``PUT .../bank_transactions/{id}/document_matchings`` with ``{"documents": [{"id"}]}``
  (the whole set); ``GET .../bank_transactions/{id}/matchings``: ``{"matchings": [...]}``.

Labels and documents are those of their resources; the ``invoices`` table, when it
exists, is read at seed time (looked up by name, never imported).
"""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ...types import (
    BankTransaction,
    BankTransactionsPage,
    DocumentMatching,
    DocumentMatchings,
    LabelSuggestion,
)
from ..derive import fold
from ..kernel import (
    JSON_TYPE,
    MAX_ID,
    ApiError,
    Context,
    Database,
    Doc,
    FieldErrors,
    Migration,
    Query,
    Row,
    accepts,
    bearer_user,
    choice,
    company_guard,
    flag,
    integer,
    json_object,
    now_text,
    paged,
    route,
)
from ..kernel.paging import RangeError, page_for, parse_range
from ..shapes import DocumentMatchingsUpdate, ImputationsUpdate
from . import labels as labels_resource
from .bank_accounts import account_ids

__all__ = ["DEFAULT_SIZE", "MIGRATIONS", "NAME", "routes", "seed", "suggestions"]

NAME = "bank_transactions"
DEFAULT_SIZE = 600
BANK_TRANSACTIONS_V2 = "application/vnd.tiime.bank_transactions.v2+json"
SUGGESTIONS_V2 = "application/vnd.tiime.bank_transactions.label_suggestions.v2+json"

MIGRATIONS = [
    Migration(
        90,
        "bank transactions and their imputations",
        """
        CREATE TABLE bank_transactions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            company_id INTEGER NOT NULL REFERENCES companies(id),
            bank_account_id INTEGER NOT NULL REFERENCES bank_accounts(id),
            wording TEXT NOT NULL,
            wording_folded TEXT NOT NULL,
            counterpart TEXT NOT NULL,
            amount_cents INTEGER NOT NULL,
            currency TEXT NOT NULL DEFAULT 'EUR',
            transaction_date TEXT NOT NULL,
            realization_date TEXT NOT NULL,
            operation_type TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'accepted',
            merchant TEXT,
            beneficiary TEXT,
            transfer_label TEXT,
            comment TEXT,
            invoice_id INTEGER
        );
        CREATE INDEX bank_transactions_by_date
            ON bank_transactions (company_id, transaction_date, id);
        CREATE INDEX bank_transactions_by_account ON bank_transactions (bank_account_id);
        CREATE INDEX bank_transactions_by_counterpart
            ON bank_transactions (company_id, counterpart);
        CREATE TABLE bank_imputations (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            transaction_id INTEGER NOT NULL REFERENCES bank_transactions(id),
            label_id INTEGER NOT NULL,
            label TEXT NOT NULL,
            amount_cents INTEGER NOT NULL,
            documents TEXT NOT NULL DEFAULT '[]',
            accountant_detail_requests TEXT NOT NULL DEFAULT '[]',
            comment TEXT,
            updated_by TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX bank_imputations_by_transaction ON bank_imputations (transaction_id, id);
        CREATE INDEX bank_imputations_by_label ON bank_imputations (label_id);
        INSERT INTO sqlite_sequence (name, seq) VALUES ('bank_transactions', 880000);
        INSERT INTO sqlite_sequence (name, seq) VALUES ('bank_imputations', 540000)
        """,
    ),
    Migration(
        100,
        "document matchings of bank transactions",
        """
        CREATE TABLE bank_document_matchings (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            transaction_id INTEGER NOT NULL REFERENCES bank_transactions(id),
            document_id INTEGER NOT NULL,
            matching_type TEXT NOT NULL DEFAULT 'manual',
            created_at TEXT NOT NULL,
            UNIQUE (transaction_id, document_id)
        );
        INSERT INTO sqlite_sequence (name, seq) VALUES ('bank_document_matchings', 61000)
        """,
    ),
]

_NOT_FOUND = "Transaction bancaire introuvable"
_SELECT = """
    SELECT t.*, a.name AS account_name, a.bank_code AS bank_code,
        (SELECT COUNT(*) FROM bank_document_matchings m WHERE m.transaction_id = t.id)
            AS matched_documents
    FROM bank_transactions t JOIN bank_accounts a ON a.id = t.bank_account_id
"""
_BANK_NAMES = {"30004": "BNP", "30003": "SG", "30002": "LCL", "20041": "LBP"}
_SORTABLE = {"transaction_date": "t.transaction_date", "amount": "t.amount_cents", "id": "t.id"}


def _table_columns(db: Database, table: str) -> set[str]:
    """The columns of another resource's table; empty when that table does not exist."""
    return {row["name"] for row in db.all(f"PRAGMA table_info({table})")}


def _cents(value: Any, field: str) -> int:
    """A JSON amount in cents; FieldErrors unless a number with at most two decimals."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise FieldErrors({field: "Cette valeur doit être un montant."})
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise FieldErrors({field: "Cette valeur doit être un montant."}) from None
    if not amount.is_finite() or abs(amount) >= 10**12 or amount != round(amount, 2):
        raise FieldErrors({field: "Montant invalide (deux décimales au plus)."})
    return int(amount * 100)


# -- rendering --------------------------------------------------------------------------


def _amount(cents: int) -> float:
    return round(cents / 100, 2)


def _render_imputation(row: Row) -> dict[str, Any]:
    documents = json.loads(row["documents"])
    return {
        "id": row["id"],
        "amount": _amount(row["amount_cents"]),
        "label": json.loads(row["label"]),
        "count_documents": len(documents),
        "count_invoices": 0,
        "accountant_detail_requests": json.loads(row["accountant_detail_requests"]),
        "updated_by": row["updated_by"],
        "comment": row["comment"],
    }


def _imputations_of(db: Database, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {}
    if not ids:
        return found
    marks = ",".join("?" * len(ids))
    rows = db.all(
        f"SELECT * FROM bank_imputations WHERE transaction_id IN ({marks}) ORDER BY id",  # noqa: S608
        ids,
    )
    for row in rows:
        found.setdefault(row["transaction_id"], []).append(_render_imputation(row))
    return found


def _named(name: str | None, salt: int) -> dict[str, Any] | None:
    return None if name is None else {"id": 9000 + sum(map(ord, name)) + salt, "name": name}


def render_transactions(db: Database, rows: list[Row]) -> list[dict[str, Any]]:
    """Transactions as the API returns them, with their imputations."""
    imputations = _imputations_of(db, [row["id"] for row in rows])
    rendered = []
    for row in rows:
        own = imputations.get(row["id"], [])
        sigle = _BANK_NAMES.get(row["bank_code"], "BQ")
        rendered.append(
            {
                "id": row["id"],
                "wording": row["wording"],
                "original_wording": row["wording"],
                "amount": _amount(row["amount_cents"]),
                "currency": row["currency"],
                "transaction_date": row["transaction_date"],
                "realization_date": row["realization_date"],
                "vat_application_date": row["transaction_date"],
                "bank_account": {"id": row["bank_account_id"]},
                "bank_name": sigle,
                "short_bank_name": sigle,
                "operation_type": row["operation_type"],
                "status": row["status"],
                "status_code": "refused" if row["status"] == "refused" else "ok",
                "comment": row["comment"],
                "tags": [],
                "beneficiary": _named(row["beneficiary"], 1),
                "merchant": _named(row["merchant"], 2),
                "transfer_label": row["transfer_label"],
                "imputations": own,
                "count_documents": row["matched_documents"]
                + sum(item["count_documents"] for item in own),
                "count_invoices": 1 if row["invoice_id"] is not None else 0,
            }
        )
    return rendered


# -- queries ----------------------------------------------------------------------------


def _transaction(db: Database, company_id: int, transaction_id: int) -> Row | None:
    if transaction_id > MAX_ID:
        return None
    return db.one(_SELECT + " WHERE t.company_id = ? AND t.id = ?", (company_id, transaction_id))


def _filters(request: Request, company_id: int) -> tuple[str, list[Any]]:
    query = request.query_params
    where: list[str] = ["t.company_id = ?"]
    params: list[Any] = [company_id]

    def flag(name: str) -> bool:
        value = query.get(name, "false")
        if value not in ("true", "false"):
            raise ApiError(400, f"{name} : valeur invalide {value!r} (true ou false).")
        return value == "true"

    if flag("hide_refused"):
        where.append("t.status != 'refused'")
    account = query.get("bank_account")
    if account:
        if not account.isdigit() or len(account) > 18:
            raise ApiError(400, f"bank_account : identifiant invalide {account!r}.")
        where.append("t.bank_account_id = ?")
        params.append(int(account))
    amount_type = query.get("amount_type")
    if amount_type:
        if amount_type not in ("positive", "negative"):
            raise ApiError(400, "amount_type : positive ou negative.")
        where.append("t.amount_cents > 0" if amount_type == "positive" else "t.amount_cents < 0")
    if query.get("operation_type"):
        where.append("t.operation_type = ?")
        params.append(query["operation_type"])
    for name, op in (("transaction_date_start", ">="), ("transaction_date_end", "<=")):
        value = query.get(name)
        if value:
            try:
                day = date.fromisoformat(value)
            except ValueError:
                raise ApiError(400, f"{name} : date invalide {value!r} (AAAA-MM-JJ).") from None
            where.append(f"t.transaction_date {op} ?")
            params.append(day.isoformat())
    wording = fold(query.get("wording") or "")
    if wording:
        where.append("instr(t.wording_folded, ?) > 0")
        params.append(wording)
    return " WHERE " + " AND ".join(where), params


def _order(sorts: str | None) -> str:
    terms = []
    for part in (sorts or "transaction_date:desc").split(","):
        field, _, direction = part.strip().partition(":")
        direction = direction or "asc"
        if field not in _SORTABLE or direction not in ("asc", "desc"):
            raise ApiError(
                400,
                f"sorts : tri invalide {part.strip()!r} "
                f"(champ:asc|desc, champs {', '.join(_SORTABLE)}).",
            )
        terms.append(f"{_SORTABLE[field]} {direction.upper()}")
    if not any(term.startswith("t.id ") for term in terms):
        last = terms[-1].rsplit(" ", 1)[1]
        terms.append(f"t.id {last}")
    return " ORDER BY " + ", ".join(terms)


# -- label suggestions ------------------------------------------------------------------


def _suggestion(row: Row) -> dict[str, Any]:
    """A label as a suggestion: ``{id, label, name, acronym, color, client}``."""
    rendered = labels_resource.render_label(row)
    return {key: rendered[key] for key in ("id", "label", "name", "acronym", "color", "client")}


def suggestions(db: Database, company_id: int, transaction: Row) -> list[dict[str, Any]]:
    """Labels for a transaction, best first: the enabled labels imputed before to
    transactions of the same counterpart (most used first), then those whose keywords the
    wording holds (the labels resource's ranking); five at most."""
    used = db.all(
        "SELECT l.* FROM bank_imputations i "
        "JOIN bank_transactions t ON t.id = i.transaction_id "
        "JOIN labels l ON l.id = i.label_id "
        "WHERE t.company_id = ? AND t.counterpart = ? AND t.id != ? AND l.disabled = 0 "
        "GROUP BY l.id ORDER BY COUNT(*) DESC, l.id",
        (company_id, transaction["counterpart"], transaction["id"]),
    )
    ranked = {row["id"]: row for row in used}
    for row in labels_resource.suggest_labels(db, company_id, transaction["wording"], limit=5):
        ranked.setdefault(row["id"], row)
    return [_suggestion(row) for row in list(ranked.values())[:5]]


# -- routes -----------------------------------------------------------------------------


async def list_transactions(ctx: Context, request: Request) -> Response:
    """``GET /v1/companies/{cid}/bank_transactions``: ``{metadata, transactions}``, the
    transactions one Range window of those matching the filters."""
    _, company = company_guard(ctx, request)
    where, params = _filters(request, company["id"])
    order = _order(request.query_params.get("sorts"))
    db = ctx.db
    with db.lock:
        sums = db.one(
            "SELECT COUNT(*) AS n, COALESCE(SUM(t.amount_cents), 0) AS cents "
            "FROM bank_transactions t" + where,
            params,
        )
        assert sums is not None
        count, total = int(sums["n"]), int(sums["cents"])
        try:
            requested = parse_range(request.headers.get("range"))
        except RangeError as exc:
            raise ApiError(416, str(exc), headers={"Content-Range": f"items */{count}"}) from exc
        page = page_for(requested, count, ctx.max_page_size)
        rows = (
            db.all(
                _SELECT + where + order + " LIMIT ? OFFSET ?",
                [*params, -1 if page.limit is None else page.limit, page.offset],
            )
            if page.limit != 0
            else []
        )
        transactions = render_transactions(db, rows)
    body = {
        "metadata": {
            "has_multiple_cardholder": False,
            "accountant_detail_request_data": [],
            "total_amount": _amount(total),
        },
        "transactions": transactions,
    }
    return JSONResponse(
        body,
        status_code=page.status(len(rows)),
        headers={"Content-Range": page.content_range(len(rows)), "Accept-Ranges": "items"},
        media_type=BANK_TRANSACTIONS_V2 if accepts(request, BANK_TRANSACTIONS_V2) else JSON_TYPE,
    )


_UNIMPUTED = (
    " WHERE t.company_id = ? AND t.status != 'refused' AND NOT EXISTS "
    "(SELECT 1 FROM bank_imputations i WHERE i.transaction_id = t.id)"
)


async def list_unimputed(ctx: Context, request: Request) -> Response:
    """``GET .../bank_transactions/unimputed``: transactions without imputation, latest first."""
    _, company = company_guard(ctx, request)
    params = (company["id"],)
    return paged(
        ctx,
        request,
        lambda: int(
            ctx.db.scalar("SELECT COUNT(*) FROM bank_transactions t" + _UNIMPUTED, params)  # noqa: S608
        ),
        lambda offset, limit: render_transactions(
            ctx.db,
            ctx.db.all(
                _SELECT + _UNIMPUTED + " ORDER BY t.transaction_date DESC, t.id DESC "
                "LIMIT ? OFFSET ?",
                (*params, -1 if limit is None else limit, offset),
            ),
        ),
    )


def _of_path(ctx: Context, request: Request) -> tuple[Row, Row]:
    """The path's company and transaction; 404 "Transaction bancaire introuvable"."""
    _, company = company_guard(ctx, request)
    found = _transaction(ctx.db, company["id"], request.path_params["transaction_id"])
    if found is None:
        raise ApiError(404, _NOT_FOUND)
    return company, found


def _one(ctx: Context, company: Row, transaction_id: int) -> dict[str, Any]:
    row = _transaction(ctx.db, company["id"], transaction_id)
    assert row is not None
    return render_transactions(ctx.db, [row])[0]


async def get_transaction(ctx: Context, request: Request) -> Response:
    """``GET .../bank_transactions/{id}``."""
    company, found = _of_path(ctx, request)
    return JSONResponse(_one(ctx, company, found["id"]))


async def label_suggestions(ctx: Context, request: Request) -> Response:
    """``GET .../bank_transactions/{id}/label_suggestions``: suggested labels, best first."""
    company, found = _of_path(ctx, request)
    media = SUGGESTIONS_V2 if accepts(request, SUGGESTIONS_V2) else JSON_TYPE
    return JSONResponse(suggestions(ctx.db, company["id"], found), media_type=media)


def _refs(value: Any, field: str) -> list[dict[str, int]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(
        isinstance(item, dict)
        and isinstance(item.get("id"), int)
        and not isinstance(item["id"], bool)
        and 0 < item["id"] <= MAX_ID
        for item in value
    ):
        raise FieldErrors({field: "Une liste d'objets {id} est attendue (ids de 1 à 2^63 - 1)."})
    return [{"id": item["id"]} for item in value]


def _check_documents(db: Database, company_id: int, ids: list[int], field: str) -> None:
    """422 on ``field`` naming the first of ``ids`` that is not a document of the company
    (another company's is as unknown as one that does not exist)."""
    if not ids:
        return
    marks = ",".join("?" * len(ids))
    known = {
        row["id"]
        for row in db.all(
            f"SELECT id FROM documents WHERE company_id = ? AND id IN ({marks})",  # noqa: S608
            (company_id, *ids),
        )
    }
    unknown = [value for value in ids if value not in known]
    if unknown:
        raise FieldErrors({field: f"Document introuvable : {unknown[0]}."})


def _imputation_rows(
    ctx: Context, company: Row, transaction: Row, body: dict[str, Any]
) -> list[tuple[Any, ...]]:
    """The imputations of a PATCH body, checked: labels known, amounts adding up."""
    items = body.get("imputations")
    if not isinstance(items, list) or not items:
        raise FieldErrors({"imputations": "Une liste d'imputations non vide est attendue."})
    rows, total = [], 0
    for n, item in enumerate(items):
        where = f"imputations[{n}]"
        if not isinstance(item, dict) or not isinstance(item.get("label"), dict):
            raise FieldErrors({f"{where}.label": "Ce champ est obligatoire."})
        label = item["label"]
        label_id = label.get("id")
        if isinstance(label_id, bool) or not isinstance(label_id, int):
            raise FieldErrors({f"{where}.label.id": "Un identifiant de label est attendu."})
        known = labels_resource.label(ctx.db, company["id"], label_id)
        if known is None:
            raise FieldErrors({f"{where}.label.id": f"Label inconnu : {label_id}."})
        shown = labels_resource.render_label(known)
        cents = _cents(item.get("amount"), f"{where}.amount")
        total += cents
        documents = _refs(item.get("documents"), f"{where}.documents")
        _check_documents(
            ctx.db, company["id"], [ref["id"] for ref in documents], f"{where}.documents"
        )
        rows.append(
            (
                transaction["id"],
                label_id,
                json.dumps(shown, ensure_ascii=False),
                cents,
                json.dumps(documents),
                json.dumps(
                    _refs(
                        item.get("accountant_detail_requests"),
                        f"{where}.accountant_detail_requests",
                    )
                ),
                item.get("comment") if isinstance(item.get("comment"), str) else None,
            )
        )
    if total != transaction["amount_cents"]:
        raise FieldErrors(
            {
                "imputations": f"La somme des imputations ({_amount(total)}) diffère du "
                f"montant de la transaction ({_amount(transaction['amount_cents'])})."
            }
        )
    return rows


async def impute(ctx: Context, request: Request) -> Response:
    """``PATCH .../bank_transactions/{id}`` with ``{"imputations": [...]}``: replace the
    transaction's imputations; 422 when a label is unknown, a cited document is not one of
    the company's, or the amounts do not add up."""
    company, found = _of_path(ctx, request)
    rows = _imputation_rows(ctx, company, found, await json_object(request))
    user = bearer_user(ctx, request).email
    with ctx.db.transaction() as conn:
        conn.execute("DELETE FROM bank_imputations WHERE transaction_id = ?", (found["id"],))
        conn.executemany(
            "INSERT INTO bank_imputations (transaction_id, label_id, label, amount_cents, "
            "documents, accountant_detail_requests, comment, updated_by, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(*row, user, now_text()) for row in rows],
        )
    return JSONResponse(_one(ctx, company, found["id"]))


def _render_matching(row: Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "document": {"id": row["document_id"]},
        "bank_transaction": {"id": row["transaction_id"]},
        "matching_type": row["matching_type"],
        "invalid_matching": False,
    }


def _matchings(db: Database, transaction_id: int) -> list[dict[str, Any]]:
    rows = db.all(
        "SELECT * FROM bank_document_matchings WHERE transaction_id = ? ORDER BY id",
        (transaction_id,),
    )
    return [_render_matching(row) for row in rows]


async def match_documents(ctx: Context, request: Request) -> Response:
    """``PUT .../document_matchings`` with ``{"documents": [{"id"}...]}``: the transaction's
    matched documents become exactly these (documents of the company); the matchings."""
    company, found = _of_path(ctx, request)
    ids = [item["id"] for item in _refs((await json_object(request)).get("documents"), "documents")]
    if len(set(ids)) != len(ids):
        raise FieldErrors({"documents": "Un document est donné deux fois."})
    _check_documents(ctx.db, company["id"], ids, "documents")
    with ctx.db.transaction() as conn:
        conn.execute("DELETE FROM bank_document_matchings WHERE transaction_id = ?", (found["id"],))
        conn.executemany(
            "INSERT INTO bank_document_matchings (transaction_id, document_id, created_at) "
            "VALUES (?, ?, ?)",
            [(found["id"], value, now_text()) for value in ids],
        )
    return JSONResponse(_matchings(ctx.db, found["id"]))


async def list_matchings(ctx: Context, request: Request) -> Response:
    """``GET .../bank_transactions/{id}/matchings``: ``{"matchings": [...]}``."""
    _, found = _of_path(ctx, request)
    return JSONResponse({"matchings": _matchings(ctx.db, found["id"])})


def routes(ctx: Context) -> list[Route]:
    """The bank transactions' routes."""
    base = "/v1/companies/{company_id:int}/bank_transactions"
    one = base + "/{transaction_id:int}"
    return [
        route(
            ctx,
            base,
            list_transactions,
            doc=Doc(
                answer=BankTransactionsPage,
                paged=True,
                media_types=(BANK_TRANSACTIONS_V2,),
                query=(
                    flag("hide_refused", "Leave out the refused transactions."),
                    integer("bank_account", "Only the transactions of this account."),
                    choice("amount_type", "Credits or debits.", ("positive", "negative")),
                    Query("operation_type", "Only this operation type."),
                    Query(
                        "transaction_date_start",
                        "From this day (AAAA-MM-JJ).",
                        {"type": "string", "format": "date"},
                    ),
                    Query(
                        "transaction_date_end",
                        "Up to this day (AAAA-MM-JJ).",
                        {"type": "string", "format": "date"},
                    ),
                    Query("wording", "Part of the wording (case and accents ignored)."),
                    Query("sorts", "The order, FIELD:asc|desc (default transaction_date:desc)."),
                ),
            ),
        ),
        route(
            ctx,
            base + "/unimputed",
            list_unimputed,
            doc=Doc(answer=list[BankTransaction], paged=True),
        ),
        route(ctx, one, get_transaction, doc=Doc(answer=BankTransaction)),
        route(
            ctx,
            one,
            impute,
            ["PATCH"],
            doc=Doc(answer=BankTransaction, body=ImputationsUpdate),
        ),
        route(
            ctx,
            one + "/label_suggestions",
            label_suggestions,
            doc=Doc(answer=list[LabelSuggestion], media_types=(SUGGESTIONS_V2,)),
        ),
        route(
            ctx,
            one + "/document_matchings",
            match_documents,
            ["PUT"],
            doc=Doc(answer=list[DocumentMatching], body=DocumentMatchingsUpdate),
        ),
        route(ctx, one + "/matchings", list_matchings, doc=Doc(answer=DocumentMatchings)),
    ]


# -- seed -------------------------------------------------------------------------------

# The year of seeded transactions: deterministic, no clock.
FIRST_DAY = date(2025, 11, 1)
DAYS = 365
LAST_DAY = FIRST_DAY + timedelta(days=DAYS - 1)
IMPUTED_BEFORE = date(2026, 9, 1)  # older transactions are imputed when a label fits

# (wording, counterpart, operation type, merchant, low, high cents, weight); amounts are
# outflows unless the counterpart pays in.
_SPENDING: tuple[tuple[str, str, str, int, int, int], ...] = (
    ("CB AMAZON PAYMENTS", "amazon", "card", 1_290, 24_990, 8),
    ("CB SNCF INTERNET", "sncf", "card", 2_500, 18_900, 6),
    ("CB TOTAL ENERGIES STATION", "total energies", "card", 3_000, 9_500, 6),
    ("CB MONOPRIX", "monoprix", "card", 450, 6_800, 4),
    ("CB UBER TRIP", "uber", "card", 900, 4_800, 4),
    ("CB RESTAURANT LE PETIT ZINC", "restaurant", "card", 1_800, 12_000, 5),
    ("CB APPLE.COM/BILL", "apple", "card", 299, 2_999, 2),
    ("CB OFFICE DEPOT", "office depot", "card", 1_500, 34_000, 3),
    ("CB LA POSTE", "la poste", "card", 150, 2_400, 2),
    ("PRLV SEPA ORANGE SA", "orange", "direct_debit", 3_999, 8_999, 3),
    ("PRLV SEPA EDF", "edf", "direct_debit", 6_000, 24_000, 2),
    ("PRLV SEPA OVH SAS", "ovh", "direct_debit", 599, 4_800, 2),
    ("PRLV SEPA AXA ASSURANCE", "axa", "direct_debit", 8_500, 16_000, 1),
    ("PRLV SEPA URSSAF", "urssaf", "direct_debit", 45_000, 190_000, 2),
    ("PRLV SEPA DGFIP TVA", "dgfip", "direct_debit", 80_000, 420_000, 1),
    ("VIR SEPA LOYER SCI LES TILLEULS", "loyer", "transfer", 120_000, 120_000, 2),
    ("FRAIS TENUE DE COMPTE", "frais bancaires", "bank_fees", 1_200, 1_200, 2),
    ("COMMISSION INTERVENTION", "frais bancaires", "bank_fees", 800, 1_600, 1),
)
_SAVINGS: tuple[tuple[str, str, str, int, int], ...] = (
    ("VIR SEPA EPARGNE DEPUIS COMPTE COURANT", "epargne", "transfer", 50_000, 300_000),
    ("INTERETS CREDITEURS", "interets", "interest", 100, 4_500),
)


def _payments(db: Database, company_id: int) -> list[tuple[int, str, str, int, str]]:
    """The paid invoices whose payment falls in the seeded year (emitted at most 60 days
    before it starts): (id, number, client name, cents incl. taxes, emission date), when
    the invoices table is there, read by its column names at seed time."""
    columns = _table_columns(db, "invoices")
    wanted = {"number", "number_year", "client_name", "total_incl_cents", "status", "emission_date"}
    if not wanted <= columns:
        return []
    rows = db.all(
        "SELECT id, number, number_year, client_name, total_incl_cents, emission_date "
        "FROM invoices WHERE company_id = ? AND status = 'paid' AND number IS NOT NULL "
        "AND emission_date BETWEEN ? AND ? ORDER BY id",
        (company_id, (FIRST_DAY - timedelta(days=60)).isoformat(), LAST_DAY.isoformat()),
    )
    return [
        (
            row["id"],
            f"F-{row['number_year']}-{row['number']:04d}",
            row["client_name"] or "",
            row["total_incl_cents"],
            row["emission_date"],
        )
        for row in rows
    ]


def _client_names(db: Database, company_id: int) -> list[str]:
    rows = db.all(
        "SELECT name FROM clients WHERE company_id = ? AND professional ORDER BY id LIMIT 40",
        (company_id,),
    )
    return [row["name"] for row in rows] or ["Client divers"]


def _generate(
    rng: random.Random,
    position: int,
    accounts: list[int],
    clients: list[str],
    invoices: list[tuple[int, str, str, int, str]],
    paid: int,
) -> tuple[dict[str, Any], int]:
    """Transaction ``position`` (and the number of invoices paid so far)."""
    day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
    roll = rng.random()
    invoice_id = None
    merchant = beneficiary = transfer_label = None
    status = "refused" if rng.random() < 0.01 else "accepted"
    if len(accounts) > 1 and roll < 0.06:
        wording, counterpart, kind, low, high = rng.choice(_SAVINGS)
        account = accounts[1]
        cents = rng.randint(low, high)
    elif roll < 0.25:
        account = accounts[0]
        kind = "transfer"
        # Some client transfers pay no invoice (roll 0.22 to 0.25): part payments are made
        # of those.
        if paid < len(invoices) and roll < 0.22:
            invoice_id, number, client_name, cents, emitted = invoices[paid]
            paid += 1
            paid_on = date.fromisoformat(emitted) + timedelta(days=rng.randint(5, 45))
            day = min(max(paid_on, FIRST_DAY), LAST_DAY)
        else:
            client_name, number = rng.choice(clients), None
            cents = rng.randint(20_000, 360_000)
        motive = f"REGLEMENT FACTURE {number}" if number else "REGLEMENT CLIENT"
        wording = f"VIR SEPA RECU /DE {client_name.upper()} /MOTIF {motive}"
        counterpart = fold(client_name)
        beneficiary, transfer_label = client_name, motive.capitalize()
    else:
        weights = [entry[5] for entry in _SPENDING]
        wording, counterpart, kind, low, high, _ = rng.choices(_SPENDING, weights)[0]
        account = accounts[0] if len(accounts) < 3 or rng.random() < 0.95 else accounts[2]
        cents = -rng.randint(low, high)
        if kind == "card":
            merchant = wording.removeprefix("CB ").title()
            wording = f"{wording} {day.strftime('%d/%m')}"
        elif kind == "transfer":
            beneficiary = wording.removeprefix("VIR SEPA ").title()
    realization = day + timedelta(days=rng.choice((0, 0, 1, 2)))
    return (
        {
            "bank_account_id": account,
            "wording": wording,
            "counterpart": counterpart,
            "amount_cents": cents,
            "transaction_date": day.isoformat(),
            "realization_date": realization.isoformat(),
            "operation_type": kind,
            "status": status,
            "merchant": merchant,
            "beneficiary": beneficiary,
            "transfer_label": transfer_label,
            "invoice_id": invoice_id,
        },
        paid,
    )


_COLUMNS = (
    "company_id",
    "bank_account_id",
    "wording",
    "wording_folded",
    "counterpart",
    "amount_cents",
    "transaction_date",
    "realization_date",
    "operation_type",
    "status",
    "merchant",
    "beneficiary",
    "transfer_label",
    "invoice_id",
)


def seed(db: Database, company_id: int, size: int) -> None:
    """Bring the company to ``size`` transactions over a fixed year (card payments, SEPA
    direct debits and transfers, fees, savings, client payments of the seeded invoices
    when there are some), deterministically; the older ones get imputed to the first
    label suggested, when labels exist."""
    existing = int(
        db.scalar("SELECT COUNT(*) FROM bank_transactions WHERE company_id = ?", (company_id,))
    )
    accounts = account_ids(db, company_id)
    if size <= existing or not accounts:
        return
    rng = random.Random(f"bank_transactions-{company_id}")  # noqa: S311 - demo data
    clients, invoices = _client_names(db, company_id), _payments(db, company_id)
    paid, generated = 0, []
    for position in range(size):
        values, paid = _generate(rng, position, accounts, clients, invoices, paid)
        generated.append(values)
    _part_payments(db, company_id, generated)
    _mirror_receipts(db, company_id, generated)
    rows = []
    for values in generated[existing:]:
        values.update(company_id=company_id, wording_folded=fold(values["wording"]))
        rows.append(tuple(values[column] for column in _COLUMNS))
    marks = ", ".join("?" * len(_COLUMNS))
    with db.transaction() as conn:
        conn.executemany(
            f"INSERT INTO bank_transactions ({', '.join(_COLUMNS)}) VALUES ({marks})",  # noqa: S608
            rows,
        )
        _seed_imputations(db, conn, company_id)


def _part_payments(db: Database, company_id: int, generated: list[dict[str, Any]]) -> None:
    """Make part payments of sent invoices: about one sent invoice in two (numbered,
    emitted from 90 days before the seeded year) gets a transfer of 30 to 70 % of its
    total, dated 5 to 50 days after its emission, not before the year's first 20 days nor
    after its last day (late past its due date, often), worded ``VIR SEPA RECU /DE CLIENT
    /MOTIF ACOMPTE FACTURE F-2026-0042`` and linked to it (``invoice_id``);
    the invoice stays ``sent``. The transfers taken are client payments that paid no
    invoice; a separate random stream, so that the rest of the seed is unchanged."""
    wanted = {"number", "number_year", "client_name", "total_incl_cents", "status", "emission_date"}
    if not wanted <= _table_columns(db, "invoices"):
        return
    rng = random.Random(f"part-payments-{company_id}")  # noqa: S311 - demo data
    rows = db.all(
        "SELECT id, number, number_year, client_name, total_incl_cents, emission_date "
        "FROM invoices WHERE company_id = ? AND status = 'sent' AND number IS NOT NULL "
        "AND emission_date BETWEEN ? AND ? ORDER BY id",
        (company_id, (FIRST_DAY - timedelta(days=90)).isoformat(), LAST_DAY.isoformat()),
    )
    transfers = (
        values
        for values in generated
        if values["operation_type"] == "transfer"
        and values["invoice_id"] is None
        and values["transfer_label"] == "Reglement client"
    )
    for row in rows:
        if rng.random() >= 1 / 2:
            continue
        values = next(transfers, None)
        if values is None:
            return
        number = f"F-{row['number_year']}-{row['number']:04d}"
        client_name = row["client_name"] or ""
        day = max(
            date.fromisoformat(row["emission_date"]) + timedelta(days=rng.randint(5, 50)),
            FIRST_DAY + timedelta(days=rng.randint(0, 20)),
        )
        day = min(day, LAST_DAY)  # within the seeded year
        motive = f"ACOMPTE FACTURE {number}"
        values.update(
            wording=f"VIR SEPA RECU /DE {client_name.upper()} /MOTIF {motive}",
            counterpart=fold(client_name),
            amount_cents=row["total_incl_cents"] * rng.randint(30, 70) // 100,
            transaction_date=day.isoformat(),
            realization_date=day.isoformat(),
            beneficiary=client_name,
            transfer_label=motive.capitalize(),
            invoice_id=row["id"],
            status="accepted",
        )


def _receipts(db: Database, company_id: int) -> list[Row]:
    """The seeded receipts read by the OCR (date, amount, supplier) dated in the seeded
    year, oldest first, when the documents table is there."""
    wanted = {"type", "metadata_date", "metadata_amount_cents", "supplier_name", "accountable"}
    if not wanted <= _table_columns(db, "documents"):
        return []
    return db.all(
        "SELECT id, metadata_date, metadata_amount_cents, supplier_name FROM documents "
        "WHERE company_id = ? AND type = 'receipt' AND accountable AND metadata_date "
        "BETWEEN ? AND ? AND metadata_amount_cents > 0 ORDER BY metadata_date, id",
        (company_id, FIRST_DAY.isoformat(), (LAST_DAY - timedelta(days=2)).isoformat()),
    )


def _mirror_receipts(db: Database, company_id: int, generated: list[dict[str, Any]]) -> None:
    """Make card payments of the seeded receipts: about six receipts in seven get a card
    debit of their amount, dated the receipt's day or up to two days later, worded ``CB
    SUPPLIER DD/MM`` (the card payments taken are the first ones generated; the rest stay
    without receipt). The pairs are what ``tiime reconcile`` should find."""
    rng = random.Random(f"receipts-{company_id}")  # noqa: S311 - demo data
    cards = (values for values in generated if values["operation_type"] == "card")
    for receipt in _receipts(db, company_id):
        if rng.random() >= 6 / 7:
            continue
        values = next(cards, None)
        if values is None:
            return
        day = date.fromisoformat(receipt["metadata_date"]) + timedelta(
            days=rng.choice((0, 0, 1, 2))
        )
        supplier = str(receipt["supplier_name"])
        values.update(
            wording=f"CB {fold(supplier).upper()} {day.strftime('%d/%m')}",
            counterpart=fold(supplier),
            amount_cents=-int(receipt["metadata_amount_cents"]),
            transaction_date=day.isoformat(),
            realization_date=(day + timedelta(days=1)).isoformat(),
            merchant=supplier,
            status="accepted",
        )


def _seed_imputations(db: Database, conn: sqlite3.Connection, company_id: int) -> None:
    """Impute the older accepted transactions to their first suggested label (one in ten,
    and those without suggestion, are left to the user)."""
    rows = db.all(
        "SELECT t.id, t.wording, t.amount_cents FROM bank_transactions t"  # noqa: S608
        + _UNIMPUTED
        + " AND t.transaction_date < ?",
        (company_id, IMPUTED_BEFORE.isoformat()),
    )
    inserts = []
    candidates = labels_resource.suggestible_labels(db, company_id)  # read once
    for row in rows:
        found = labels_resource.rank_labels(candidates, row["wording"], limit=1)
        if not found or row["id"] % 10 == 0:
            continue
        label = json.dumps(labels_resource.render_label(found[0]), ensure_ascii=False)
        inserts.append((row["id"], found[0]["id"], label, row["amount_cents"]))
    conn.executemany(
        "INSERT INTO bank_imputations (transaction_id, label_id, label, amount_cents, "
        "updated_by, updated_at) VALUES (?, ?, ?, ?, 'sandbox', '2026-09-01 08:00:00')",
        inserts,
    )
