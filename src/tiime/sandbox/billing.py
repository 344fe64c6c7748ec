"""What invoices and quotations share in the sandbox: lines, VAT, totals, numbering.

* VAT codes and rates: ``normal`` 20 %, ``intermediate`` 10 %, ``reduced`` 5.5 %,
  ``super_reduced`` 2.1 %, ``none`` 0 %.
* A line is worth ``quantity * unit_amount`` net of its discount (``discount_amount``, or
  ``discount_percentage`` percent), rounded half up to the cent; its VAT is that amount
  times the rate, rounded half up to the cent. Totals are sums of the rounded lines,
  per VAT code too. The amount a client sends as ``line_amount`` is ignored: the server
  computes.
* Amounts are stored as cents (integers), quantities and unit amounts as decimal text
  (exact); they are rendered as JSON numbers.
* Bounds (so that nothing a client sends can overflow: answered 422, never 500): numbers
  and each line's amount below 10^12 in absolute value (a document of 1,000 lines stays
  within SQLite's 64-bit cents), a discount percentage from 0 to 100, ids and sequences
  from 1 to 2^63 - 1, dates up to :data:`LATEST_DATE` (so that a due date 60 days later
  still exists), codes strings.
* Numbers: a document gets the next number of its company, kind and year (of its date)
  when it is saved, inside the saving transaction: no gap, no reuse, whatever the
  concurrency (writes are serialized by the database's lock).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from .kernel import MAX_ID, Database, FieldErrors, Row, insert_sql

__all__ = [
    "LATEST_DATE",
    "UNITS",
    "VAT_RATES",
    "LineInput",
    "Totals",
    "cents_to_number",
    "check_date",
    "line_values",
    "next_number",
    "parse_lines",
    "render_lines",
    "save_update",
    "totals",
]

VAT_RATES: dict[str, Decimal] = {
    "normal": Decimal("20"),
    "intermediate": Decimal("10"),
    "reduced": Decimal("5.5"),
    "super_reduced": Decimal("2.1"),
    "none": Decimal("0"),
}
UNITS: dict[str, int] = {
    "unit": 1,
    "hour": 2,
    "day": 3,
    "package": 4,
    "word": 5,
    "character": 6,
    "page": 7,
}
MAX_LINES = 1000
_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")
_LIMIT = Decimal("1e12")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# The latest date of an invoice or quotation: its due date (60 days at most) must exist.
LATEST_DATE = date(9998, 12, 31)


@dataclass(frozen=True)
class LineInput:
    """A checked line, its amounts computed."""

    sequence: int
    description: str
    quantity: Decimal
    unit_amount: Decimal
    vat_code: str
    unit_id: int | None
    unit_code: str | None
    category: str
    discount_description: str
    discount_amount: Decimal | None
    discount_percentage: Decimal | None
    line_cents: int
    vat_cents: int


@dataclass(frozen=True)
class Totals:
    """A document's totals, in cents, and per VAT code ``{code: (excl, vat)}``."""

    excluding: int
    including: int
    per_vat: dict[str, tuple[int, int]]


def _cents(amount: Decimal) -> int:
    return int((amount * _HUNDRED).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def line_cents(
    quantity: Decimal,
    unit_amount: Decimal,
    discount_amount: Decimal | None,
    discount_percentage: Decimal | None,
) -> int:
    """A line's amount excluding VAT, in cents (rounded half up)."""
    amount = quantity * unit_amount
    if discount_amount is not None:
        amount -= discount_amount
    elif discount_percentage is not None:
        amount -= amount * discount_percentage / _HUNDRED
    return _cents(amount)


def vat_cents(amount_cents: int, code: str) -> int:
    """The VAT of a line of ``amount_cents`` at ``code``'s rate, in cents (half up)."""
    vat = Decimal(amount_cents) * VAT_RATES[code] / _HUNDRED
    return int(vat.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def cents_to_number(cents: int) -> float | int:
    """Cents as the JSON number of euros (``1234`` -> ``12.34``, ``1200`` -> ``12``)."""
    return cents // 100 if cents % 100 == 0 else cents / 100


def decimal_to_number(text: str | None) -> float | int | None:
    """A stored decimal text as a JSON number."""
    if text is None:
        return None
    value = Decimal(text)
    return int(value) if value == value.to_integral_value() else float(value)


def check_date(value: Any, field: str, errors: dict[str, str]) -> str | None:
    """A ``YYYY-MM-DD`` date of the body up to :data:`LATEST_DATE`, or None with an error
    recorded."""
    if not isinstance(value, str) or not _DATE.match(value):
        errors[field] = "Cette valeur doit être une date AAAA-MM-JJ."
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        errors[field] = "Cette date n'existe pas."
        return None
    if day > LATEST_DATE:
        errors[field] = f"Cette date est trop lointaine (au plus {LATEST_DATE.isoformat()})."
        return None
    return value


def check_id(value: Any, field: str, errors: dict[str, str]) -> int | None:
    """A positive id of the body (a JSON integer from 1 to 2^63 - 1), or None with an
    error recorded."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_ID:
        errors[field] = "Entier positif attendu (au plus 2^63 - 1)."
        return None
    return value


def _number(value: Any, field: str, errors: dict[str, str], *, optional: bool = False) -> Any:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        errors[field] = "Cette valeur doit être un nombre."
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        errors[field] = "Cette valeur doit être un nombre."
        return None
    if not number.is_finite() or abs(number) >= _LIMIT:
        errors[field] = "Cette valeur est hors limites."
        return None
    return number


def _text(value: Any, field: str, errors: dict[str, str], *, required: bool = False) -> Any:
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        errors[field] = "Ce champ est obligatoire." if required else "Texte attendu."
        return None
    if len(value) > 10_000:
        errors[field] = "Cette valeur est trop longue."
        return None
    return value


def _line(raw: Any, position: int, errors: dict[str, str]) -> LineInput | None:
    prefix = f"lines[{position - 1}]"
    if not isinstance(raw, dict):
        errors[prefix] = "Une ligne doit être un objet."
        return None
    before = len(errors)
    description = _text(raw.get("description"), f"{prefix}.description", errors, required=True)
    quantity = _number(raw.get("quantity"), f"{prefix}.quantity", errors)
    unit_amount = _number(raw.get("unit_amount"), f"{prefix}.unit_amount", errors)
    vat = raw.get("vat_type")
    code = vat.get("code") if isinstance(vat, dict) else None
    if not isinstance(code, str) or code not in VAT_RATES:
        shown = code if isinstance(code, (str, int, float)) or code is None else "…"
        errors[f"{prefix}.vat_type"] = (
            f"Taux de TVA inconnu : {shown!r} (attendu : {', '.join(VAT_RATES)})."
        )
    unit = raw.get("invoicing_unit")
    unit_id: int | None = None
    unit_code: str | None = None
    if isinstance(unit, dict):
        raw_code = unit.get("code")
        if raw_code is not None and not isinstance(raw_code, str):
            errors[f"{prefix}.invoicing_unit.code"] = "Texte attendu."
        elif raw_code is not None and raw_code not in UNITS:
            errors[f"{prefix}.invoicing_unit"] = f"Unité inconnue : {raw_code[:40]!r}."
        else:
            unit_code = raw_code
        if unit.get("id") is not None:
            unit_id = check_id(unit["id"], f"{prefix}.invoicing_unit.id", errors)
        elif unit_code is not None:
            unit_id = UNITS.get(unit_code)
    elif unit is not None:
        errors[f"{prefix}.invoicing_unit"] = "Objet {id, code} attendu."
    discount_amount = _number(
        raw.get("discount_amount"), f"{prefix}.discount_amount", errors, optional=True
    )
    discount_percentage = _number(
        raw.get("discount_percentage"), f"{prefix}.discount_percentage", errors, optional=True
    )
    discount_description = _text(
        raw.get("discount_description"), f"{prefix}.discount_description", errors
    )
    category = raw.get("invoicing_category_type") or "benefit"
    if not isinstance(category, str):
        errors[f"{prefix}.invoicing_category_type"] = "Texte attendu."
    if discount_percentage is not None and not 0 <= discount_percentage <= _HUNDRED:
        errors[f"{prefix}.discount_percentage"] = "Un pourcentage de 0 à 100 est attendu."
    given = raw.get("sequence")
    sequence = position if given is None else check_id(given, f"{prefix}.sequence", errors)
    if len(errors) > before:
        return None
    assert isinstance(code, str)
    assert sequence is not None
    gross = quantity * unit_amount
    if abs(gross) >= _LIMIT or (
        discount_amount is not None and abs(gross - discount_amount) >= _LIMIT
    ):
        errors[f"{prefix}.line_amount"] = (
            "Montant de la ligne (quantité fois prix unitaire) hors limites (moins de 10^12)."
        )
        return None
    amount = line_cents(quantity, unit_amount, discount_amount, discount_percentage)
    return LineInput(
        sequence=sequence,
        description=description,
        quantity=quantity,
        unit_amount=unit_amount,
        vat_code=code,
        unit_id=unit_id,
        unit_code=unit_code,
        category=category,
        discount_description=discount_description or "",
        discount_amount=discount_amount,
        discount_percentage=discount_percentage,
        line_cents=amount,
        vat_cents=vat_cents(amount, code),
    )


def parse_lines(raw: Any, errors: dict[str, str]) -> list[LineInput]:
    """The body's ``lines``: a non-empty list of valid lines (errors recorded by field)."""
    if not isinstance(raw, list) or not raw:
        errors["lines"] = "Au moins une ligne est obligatoire."
        return []
    if len(raw) > MAX_LINES:
        errors["lines"] = f"{MAX_LINES} lignes au plus."
        return []
    parsed = [_line(item, position, errors) for position, item in enumerate(raw, start=1)]
    return [line for line in parsed if line is not None]


def totals(lines: Iterable[tuple[str, int, int]]) -> Totals:
    """The totals of lines given as ``(vat_code, line_cents, vat_cents)``."""
    per_vat: dict[str, tuple[int, int]] = {}
    excluding = vat = 0
    for code, amount, tax in lines:
        excluding += amount
        vat += tax
        before = per_vat.get(code, (0, 0))
        per_vat[code] = (before[0] + amount, before[1] + tax)
    return Totals(excluding, excluding + vat, per_vat)


LINE_COLUMNS: tuple[str, ...] = (
    "document_id",
    "sequence",
    "description",
    "quantity",
    "unit_amount",
    "line_cents",
    "vat_code",
    "vat_cents",
    "unit_id",
    "unit_code",
    "category",
    "discount_description",
    "discount_amount",
    "discount_percentage",
)


def line_values(document_id: int, line: LineInput) -> tuple[Any, ...]:
    """A line's row, in :data:`LINE_COLUMNS` order."""

    def text(value: Decimal | None) -> str | None:
        return None if value is None else str(value)

    return (
        document_id,
        line.sequence,
        line.description,
        str(line.quantity),
        str(line.unit_amount),
        line.line_cents,
        line.vat_code,
        line.vat_cents,
        line.unit_id,
        line.unit_code,
        line.category,
        line.discount_description,
        text(line.discount_amount),
        text(line.discount_percentage),
    )


def lines_table_sql(table: str, parent: str) -> str:
    """The ``CREATE TABLE`` of a lines table (``invoice_lines`` of ``invoices``...)."""
    return f"""
        CREATE TABLE {table} (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            document_id INTEGER NOT NULL REFERENCES {parent}(id) ON DELETE CASCADE,
            sequence INTEGER NOT NULL,
            description TEXT NOT NULL,
            quantity TEXT NOT NULL,
            unit_amount TEXT NOT NULL,
            line_cents INTEGER NOT NULL,
            vat_code TEXT NOT NULL,
            vat_cents INTEGER NOT NULL,
            unit_id INTEGER,
            unit_code TEXT,
            category TEXT NOT NULL,
            discount_description TEXT NOT NULL DEFAULT '',
            discount_amount TEXT,
            discount_percentage TEXT
        );
        CREATE INDEX {table}_by_document ON {table} (document_id, sequence, id)
    """


def lines_of(db: Database, table: str, ids: list[int]) -> dict[int, list[Row]]:
    """The lines of the documents ``ids``, by document, in sequence order."""
    found: dict[int, list[Row]] = {doc_id: [] for doc_id in ids}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        for row in db.all(
            f"SELECT * FROM {table} WHERE document_id IN ({marks}) "  # noqa: S608 - fixed names
            "ORDER BY document_id, sequence, id",
            chunk,
        ):
            found[row["document_id"]].append(row)
    return found


def render_lines(rows: list[Row]) -> list[dict[str, Any]]:
    """Lines as the API returns them."""
    return [
        {
            "id": row["id"],
            "description": row["description"],
            "quantity": decimal_to_number(row["quantity"]),
            "unit_amount": decimal_to_number(row["unit_amount"]),
            "line_amount": cents_to_number(row["line_cents"]),
            "vat_type": {"code": row["vat_code"]},
            "invoicing_unit": (
                None if row["unit_id"] is None else {"id": row["unit_id"], "code": row["unit_code"]}
            ),
            "invoicing_category_type": row["category"],
            "article": None,
            "sequence": row["sequence"],
            "discount_description": row["discount_description"],
            "discount_amount": decimal_to_number(row["discount_amount"]),
            "discount_percentage": decimal_to_number(row["discount_percentage"]),
        }
        for row in rows
    ]


def render_totals(rows: list[Row]) -> tuple[Totals, dict[str, Any]]:
    """The totals of stored lines, and ``totals_per_vat_type`` as rendered."""
    sums = totals((row["vat_code"], row["line_cents"], row["vat_cents"]) for row in rows)
    per_vat = {
        code: {
            "total_excluding_taxes": cents_to_number(amount),
            "vat_amount": cents_to_number(tax),
            "vat_rate": float(VAT_RATES[code]),
        }
        for code, (amount, tax) in sums.per_vat.items()
    }
    return sums, per_vat


def next_number(conn: sqlite3.Connection, company_id: int, kind: str, year: int) -> int:
    """The next number of ``kind`` documents of the company for ``year``, taken now
    (call inside the saving transaction)."""
    conn.execute(
        "INSERT INTO document_numbers (company_id, kind, year, last) VALUES (?, ?, ?, 1) "
        "ON CONFLICT (company_id, kind, year) DO UPDATE SET last = last + 1",
        (company_id, kind, year),
    )
    row = conn.execute(
        "SELECT last FROM document_numbers WHERE company_id = ? AND kind = ? AND year = ?",
        (company_id, kind, year),
    ).fetchone()
    return int(row[0])


def client_of(
    db: Database, company_id: int, body: Mapping[str, Any], errors: dict[str, str]
) -> Row:
    """``client_id`` and ``client_name`` (and address) from the body's ``client: {id}``
    (a client of the company) or ``client_name``."""
    client = body.get("client")
    if client is not None:
        client_id = client.get("id") if isinstance(client, dict) else None
        if isinstance(client_id, bool) or not isinstance(client_id, int):
            errors["client"] = "Objet {id} attendu."
            return {}
        row = db.one(
            "SELECT id, name, address, postal_code, city FROM clients "
            "WHERE company_id = ? AND id = ?",
            (company_id, client_id) if 0 < client_id < 2**63 else (company_id, -1),
        )
        if row is None:
            errors["client"] = f"Client introuvable : {client_id}."
            return {}
        return {
            "client_id": row["id"],
            "client_name": row["name"],
            "client_address": row["address"],
            "client_postal_code": row["postal_code"],
            "client_city": row["city"],
        }
    name = _text(body.get("client_name"), "client_name", errors)
    return {
        "client_id": None,
        "client_name": name.strip() if isinstance(name, str) and name.strip() else None,
        "client_address": _text(body.get("client_address"), "client_address", errors),
        "client_postal_code": _text(body.get("client_postal_code"), "client_postal_code", errors),
        "client_city": _text(body.get("client_city"), "client_city", errors),
    }


def fail_on(errors: dict[str, str]) -> None:
    """Answer 422 naming each invalid field, if any."""
    if errors:
        raise FieldErrors(errors)


def save_update(
    conn: sqlite3.Connection,
    kind: str,
    company_id: int,
    row: Row,
    values: dict[str, Any],
    lines: list[LineInput] | None,
    date_column: str,
) -> None:
    """Write a checked update of an invoice or quotation (``kind``) ``row``: ``values`` (with
    the new totals when ``lines`` replace the lines), and a number in its company and year
    when a draft is saved (``values["status"]``), inside the caller's write transaction."""
    if lines is not None:
        sums = totals((line.vat_code, line.line_cents, line.vat_cents) for line in lines)
        values["total_excl_cents"] = sums.excluding
        values["total_incl_cents"] = sums.including
    if row["status"] == "draft" and values.get("status") == "saved":
        year = int(str(values.get(date_column, row[date_column]))[:4])
        values["number"] = next_number(conn, company_id, kind, year)
        values["number_year"] = year
    assignments = ", ".join(f"{column} = ?" for column in values)
    conn.execute(
        f"UPDATE {kind}s SET {assignments} WHERE id = ?",  # noqa: S608 - fixed names
        [*values.values(), row["id"]],
    )
    if lines is not None:
        conn.execute(f"DELETE FROM {kind}_lines WHERE document_id = ?", (row["id"],))  # noqa: S608
        conn.executemany(
            insert_sql(f"{kind}_lines", LINE_COLUMNS),
            [line_values(row["id"], line) for line in lines],
        )
