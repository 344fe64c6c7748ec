"""Tables a person reads: short headings, money aligned, the important columns kept.

* **Headings** are short and human (:data:`HEADINGS`: ``total_including_taxes`` is
  ``total``), in the reader's language (``TTC`` in French); a field without one shows its
  name, underscores as spaces.
* **Columns** are declared in order of importance (the id first). On a terminal narrower
  than the table, long text (names, labels, descriptions, e-mail addresses: a column of
  text wider than :data:`_TEXT_MIN` with spaces or ``@``, not an identifier such as a
  SIRET or an IBAN) is shortened (``…``), down to :data:`_TEXT_MIN` characters;
  then the last columns are left out, one at a time. An id, a number, a date or an
  amount is never cut. On a terminal, text is at most :data:`_TEXT_MAX` wide.
* **Money** (``Decimal``) is right-aligned with two decimals and thousands separators,
  in the reader's language (``1,517.80``; ``1 517,80`` in French), written by :func:`money`
  alone; dates are ISO (``2026-01-31``; ``31/01/2026`` in French). A negative
  amount keeps its sign, and is red on a terminal that has colour (not with ``NO_COLOR``).
  Other numbers are right-aligned. A listing may end with a totals row.
* **Safety**: control characters and escape sequences in a value are shown escaped.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from collections.abc import Iterator, Sequence
from decimal import Decimal
from itertools import islice
from typing import Any, TextIO

from .._json import is_non_finite
from ..i18n import N_, _, language, ngettext, pgettext

SIZING_ROWS = 200  # a table's column widths come from its first rows
GAP = "  "
_TEXT_MIN = 10
_TEXT_MAX = 40
_RED, _RESET = "\x1b[31m", "\x1b[0m"
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")

HEADINGS = {
    "compiled_number": N_("number"),
    "document_number": N_("number"),
    "quotation_number": N_("number"),
    "amount_including_taxes": N_("total"),
    "amount_excluding_taxes": N_("excl. VAT"),
    "client_name": N_("client"),
    "company_name": N_("company"),
    "emission_date": N_("date"),
    "transaction_date": N_("date"),
    "transaction_id": N_("transaction"),
    "metadata.date": N_("date"),
    "due_date": N_("due"),
    "total_excluding_taxes": N_("excl. VAT"),
    "total_including_taxes": N_("total"),
    "total_amount": N_("total"),
    "balance_amount": N_("balance"),
    "balance_including_taxes": N_("balance"),
    "balance_currency": N_("cur."),
    "currency": N_("cur."),
    "wording": N_("description"),
    "operation_type": N_("type"),
    "bank_name": N_("bank"),
    "count_documents": N_("docs"),
    "siren_or_siret": N_("SIRET"),
    "postal_code": N_("postcode"),
    "created_at": N_("created"),
    "mime_type": N_("file type"),
    "ocr_status": N_("OCR"),
    "payment_status": N_("payment"),
    "unit_amount": N_("unit price"),
    "line_amount": N_("amount"),
    "vat_type.code": N_("VAT"),
    "quantity": N_("qty"),
    "sent_at": N_("sent"),
    "document_type": N_("type"),
    "suggested_label_name": N_("suggested label"),
    "label_name": N_("label"),
    "registry_type": N_("registry"),
    "legal_form": N_("form"),
    "firstname": N_("first name"),
    "lastname": N_("last name"),
    "name": N_("name"),
    "email": N_("e-mail"),
    "phone": N_("phone"),
    "status": N_("status"),
    "title": N_("title"),
    "description": N_("description"),
    "address": N_("address"),
    "city": N_("city"),
    "country": N_("country"),
    "amount": N_("amount"),
    "date": N_("date"),
    "label": N_("label"),
    "comment": N_("comment"),
    "balance": N_("balance"),
    "category": N_("category"),
    "type": N_("type"),
    "client.name": N_("client"),
    "label.name": N_("label"),
}
# The columns of a one-object view's list of objects (an invoice's lines).
LIST_COLUMNS = {
    "lines": ("description", "quantity", "unit_amount", "vat_type.code", "line_amount"),
}


# Decimal fields that are not money: shown as they are, not with two decimals.
NOT_MONEY = frozenset({"quantity", "discount_percentage", "vat_rate", "rate", "percentage"})


def money(value: Decimal | float) -> str:
    """An amount as a table shows it: ``1,517.80``, ``-62.13``; in French ``1 517,80``
    (a no-break space between the thousands), :func:`tiime.i18n.formatting.format_decimal`."""
    if language() == "en":
        return f"{value:,.2f}"
    from ..i18n.formatting import format_decimal

    return format_decimal(value, digits=2)


def number(value: Decimal) -> str:
    """A decimal that is not money (a quantity, a rate) as typed: ``4.5``; ``4,5`` in French."""
    if language() == "en" or not value.is_finite():
        return str(value)
    from ..i18n.formatting import format_decimal

    return format_decimal(value)


def day(value: dt.date | dt.datetime | dt.time) -> str:
    """A date as a table shows it: ISO (``2026-01-31``, a moment in full); in French
    ``31/01/2026`` (a moment ``31/01/2026 14:05:09``)."""
    if language() == "en" or isinstance(value, dt.time):
        return value.isoformat()
    from ..i18n.formatting import format_date

    if isinstance(value, dt.datetime):
        return format_date(value.date()) + value.strftime(" %H:%M:%S")
    return format_date(value)


def heading(name: str) -> str:
    """A column's short heading, in the reader's language."""
    known = HEADINGS.get(name)
    return _(known) if known else name.replace("_", " ")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def is_model(value: Any) -> bool:
    return hasattr(type(value), "__struct_fields__")


def text(value: Any, name: str = "") -> str:
    """A value as a table cell shows it (``None`` and a non-finite amount are empty);
    ``name`` (the field) tells an amount from a quantity."""
    if value is None or is_non_finite(value):
        return ""
    if value is True:
        return _("true")
    if value is False:
        return _("false")
    if isinstance(value, Decimal):
        return number(value) if name.rsplit(".", 1)[-1] in NOT_MONEY else money(value)
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return day(value)
    if isinstance(value, (list, tuple)):
        if any(is_model(inner) or isinstance(inner, (dict, list)) for inner in value):
            return ngettext("{n} item", "{n} items", len(value)).format(n=len(value))
        return ", ".join(text(inner) for inner in value)
    if isinstance(value, dict) or is_model(value):
        from .._json import encode_json

        return encode_json(value).decode("utf-8")
    return str(value)


def status_word(kind: str, value: str) -> str:
    """An invoice's or a quotation's ``status`` as the reader says it: the API's word in
    English (``sent``, as ``--status`` takes it), the invoicing app's in French, in the
    document's gender (une facture *envoyée*, un devis *envoyé*)."""
    return _status_word(kind, value, language())


@functools.lru_cache(maxsize=64)  # once per status and language, not once per row
def _status_word(kind: str, value: str, lang: str) -> str:
    if kind == "Invoice":
        words = {
            "draft": pgettext("invoice status", "draft"),
            "saved": pgettext("invoice status", "saved"),
            "sent": pgettext("invoice status", "sent"),
            "paid": pgettext("invoice status", "paid"),
            "cancelled": pgettext("invoice status", "cancelled"),
        }
    elif kind == "Quotation":
        words = {
            "draft": pgettext("quotation status", "draft"),
            "saved": pgettext("quotation status", "saved"),
            "sent": pgettext("quotation status", "sent"),
            "accepted": pgettext("quotation status", "accepted"),
            "declined": pgettext("quotation status", "declined"),
            "invoiced": pgettext("quotation status", "invoiced"),
            "cancelled": pgettext("quotation status", "cancelled"),
        }
    else:
        return value
    return words.get(value, value)


def cell(value: Any, name: str = "", kind: str = "") -> str:
    """:func:`text`, with control characters shown escaped (never sent to the terminal);
    ``kind`` (the item's model) names a document's status as the reader says it."""
    if name == "status" and kind and isinstance(value, str) and language() != "en":
        value = status_word(kind, value)
    return _CONTROL.sub(_escape, text(value, name))


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


_WHOLE = ("number", "siren", "siret", "iban", "bic", "code", "id", "date", "at")


def _is_id(name: str) -> bool:
    last = name.rsplit(".", 1)[-1]
    return last == "id" or last.endswith("_id")


def _is_prose(name: str, values: list[Any]) -> bool:
    """Whether a column holds text that may be shortened (names, labels, e-mail
    addresses), not identifiers (``F-2026-0001``, a SIRET, an IBAN) or dates."""
    last = name.rsplit(".", 1)[-1].lower()
    if any(last == word or last.endswith(f"_{word}") for word in _WHOLE):
        return False
    return any(isinstance(v, str) and (" " in v or "@" in v) for v in values)


def colour_wanted(out: TextIO) -> bool:
    """Colour on a terminal, unless ``NO_COLOR`` is set (https://no-color.org)."""
    return out.isatty() and not os.environ.get("NO_COLOR")


class Table:
    """A listing written as rows arrive: ``write(items)`` sizes its columns on the first
    :data:`SIZING_ROWS` rows, then streams the rest."""

    def __init__(
        self,
        out: TextIO,
        columns: Sequence[str],
        lookup: Any,
        *,
        width: int | None,
        colour: bool = False,
        totals: Sequence[str] = (),
        count: bool = True,
        kind: str = "",
    ) -> None:
        self.out = out
        self.kind = kind  # the items' model, for their status's words
        self.columns = list(columns)
        self.lookup = lookup
        self.width = width
        self.colour = colour
        self.totals = [name for name in totals if name in self.columns]
        self.count = count

    def write(self, items: Iterator[Any]) -> None:
        lookup, columns = self.lookup, self.columns
        head = [[lookup(item, name) for name in columns] for item in islice(items, SIZING_ROWS)]
        if not head:
            self.out.write(_("(none)") + "\n")
            return
        right = [  # amounts and counts; ids stay to the left, where one's eye starts
            not _is_id(columns[i])
            and any(_is_number(row[i]) for row in head)
            and all(row[i] is None or _is_number(row[i]) for row in head)
            for i in range(len(columns))
        ]
        kind = self.kind
        cells = [
            [cell(value, name, kind) for value, name in zip(row, columns, strict=True)]
            for row in head
        ]
        headings = [heading(name) for name in columns]
        widths = [
            max(len(headings[i]), *(len(row[i]) for row in cells)) for i in range(len(columns))
        ]
        textual = [
            not right[i] and widths[i] > _TEXT_MIN and _is_prose(columns[i], [r[i] for r in head])
            for i in range(len(columns))
        ]
        sums: dict[int, Decimal] = {columns.index(name): Decimal(0) for name in self.totals}
        total_label = _("total")
        if sums:
            widths[0] = max(widths[0], len(total_label))  # the totals row's label
        keep = fit(widths, textual, self.width)
        write = self.out.write

        def line(values: list[str], raw: list[Any] | None = None) -> str:
            parts = []
            for i in keep:
                shown, width = values[i], widths[i]
                if len(shown) > width:
                    shown = shown[: width - 1] + "…"
                shown = shown.rjust(width) if right[i] else shown.ljust(width)
                if self.colour and raw is not None and _is_number(raw[i]) and raw[i] < 0:
                    shown = f"{_RED}{shown}{_RESET}"
                parts.append(shown)
            return GAP.join(parts).rstrip() + "\n"

        def add(raw: list[Any]) -> None:
            for i in sums:
                value = raw[i]
                if _is_number(value) and not is_non_finite(value):
                    sums[i] += Decimal(value)

        write(line(headings))
        write(GAP.join("-" * widths[i] for i in keep) + "\n")
        rows = 0
        for raw, shown in zip(head, cells, strict=True):
            write(line(shown, raw))
            add(raw)
            rows += 1
        for item in items:
            raw = [lookup(item, name) for name in columns]
            shown = [cell(value, name, kind) for value, name in zip(raw, columns, strict=True)]
            write(line(shown, raw))
            add(raw)
            rows += 1
        if any(i in keep for i in sums):
            write(GAP.join("-" * widths[i] for i in keep) + "\n")
            total = ["" for _ in columns]
            total[keep[0]] = total_label
            for i, value in sums.items():
                total[i] = money(value)
            write(line(total, [sums.get(i) for i in range(len(columns))]))
        if self.count:
            write(ngettext("{n} row", "{n} rows", rows).format(n=rows) + "\n")


def fit(widths: list[int], textual: list[bool], limit: int | None) -> list[int]:
    """Shrink ``widths`` in place to fit ``limit`` characters; the columns kept (by index).

    Long text is capped at :data:`_TEXT_MAX`; the last columns are left out while the
    table would not fit even with its text at :data:`_TEXT_MIN`; then the widest text
    column loses a character at a time. Ids, numbers, dates and amounts are never cut.
    """
    keep = list(range(len(widths)))
    if limit is None:
        return keep
    for i in keep:
        if textual[i]:
            widths[i] = min(widths[i], _TEXT_MAX)

    def total(shrunk: bool = False) -> int:
        shown = (min(widths[i], _TEXT_MIN) if shrunk and textual[i] else widths[i] for i in keep)
        return sum(shown) + len(GAP) * (len(keep) - 1)

    while len(keep) > 1 and total(shrunk=True) > limit:  # too wide even with text shortened
        keep.pop()
    while total() > limit:
        shrinkable = [i for i in keep if textual[i] and widths[i] > _TEXT_MIN]
        if not shrinkable:
            break
        widths[max(shrinkable, key=lambda i: widths[i])] -= 1
    return keep
