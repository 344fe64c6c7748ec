"""What invoices and quotations share: their lines, computed exactly, and the send body.

The line computation (``create`` and ``update`` of invoices, ``create`` of quotations):

* ``quantity``, ``unit_amount`` and the discounts are read as exact ``Decimal`` (a float
  through ``str()``: ``0.1`` is one tenth), and refused before sending if they are not
  finite numbers;
* ``line_amount`` is ``quantity * unit_amount`` **net of the line's discount**
  (``discount_amount`` subtracted, or ``discount_percentage`` percent taken off),
  rounded half up to the cent: ``3 x 0.10`` is ``0.30``. Whether the real service wants
  the gross or the net amount there is unknown; the net amount is what the line is worth,
  and the server computes its totals from the lines anyway. A ``line_amount`` given by
  the caller must be that amount (else the line is refused);
* a line's amount (``quantity * unit_amount``, and net of its discount) must stay below
  10^12 in absolute value, as each of its numbers must: far above any invoice, and the
  sum of 1,000 such lines still fits the server's 64-bit cents;
* a negative quantity or unit amount, or lines summing to a negative amount, are refused
  unless the caller says the document is a credit or carries discount lines
  (``credit=True``): a negative total is never numbered as an invoice by accident;
* ``sequence`` numbers the lines 1, 2, 3 in order unless given (a given one, and a unit's
  id, is a positive 64-bit integer);
* ``invoicing_category_type`` defaults to ``"benefit"``, ``discount_description`` to
  ``""``, ``discount_amount`` and ``discount_percentage`` to ``null``; discount fields
  given are sent as given (as exact numbers).

The caller's keys keep their order; the added ones follow, in the reference's order.

An invoice's or quotation's dates go up to :data:`LATEST_DATE` (9998-12-31), so that the
due date the server computes from the emission date (60 days at most) still exists.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .._exceptions import ValidationError
from .._validation import MAX_AMOUNT, check_amount, check_date, check_email, check_id, check_text

__all__ = [
    "CENT",
    "LATEST_DATE",
    "check_document_date",
    "line_amount",
    "matches_billing",
    "prepare_lines",
    "send_body",
]

CENT = Decimal("0.01")
# The latest date of an invoice or quotation: its due date, up to 60 days later, must exist.
LATEST_DATE = date(9998, 12, 31)
_HUNDRED = Decimal(100)
MAX_LINES = 1000


def line_amount(
    quantity: Decimal,
    unit_amount: Decimal,
    discount_amount: Decimal | None = None,
    discount_percentage: Decimal | None = None,
) -> Decimal:
    """``quantity * unit_amount`` net of the discount, rounded half up to the cent."""
    amount = quantity * unit_amount
    if discount_amount is not None:
        amount -= discount_amount
    elif discount_percentage is not None:
        amount -= amount * discount_percentage / _HUNDRED
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def check_document_date(value: Any, name: str) -> str:
    """An invoice's or quotation's date (``YYYY-MM-DD`` or a ``date``), up to
    :data:`LATEST_DATE`."""
    return check_date(value, name, latest=LATEST_DATE)


def _vat_type(value: Any, name: str) -> dict[str, str]:
    code = value.get("code") if isinstance(value, Mapping) else value
    text = check_text(code, f"{name}.code", required=True, one_line=True, max_length=50)
    assert text is not None
    return {"code": text.strip()}


def _unit(value: Any, name: str) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise ValidationError(f"{name} must be {{'id': ..., 'code': ...}} or None")
    unit: dict[str, Any] = {"id": check_id(value.get("id"), f"{name}.id")}
    if value.get("code") is not None:
        unit["code"] = check_text(value["code"], f"{name}.code", one_line=True, max_length=50)
    return unit


def _optional_amount(line: Mapping[str, Any], key: str, name: str) -> Decimal | None:
    value = line.get(key)
    return None if value is None else check_amount(value, f"{name}.{key}")


def _prepare_line(line: Any, position: int, name: str, allow_negative: bool) -> dict[str, Any]:
    if not isinstance(line, Mapping):
        raise ValidationError(
            f"{name} must be a mapping (an InvoiceLineInput), not {type(line).__name__}"
        )
    for key in ("description", "quantity", "unit_amount", "vat_type"):
        if key not in line:
            raise ValidationError(f"{name}.{key} is required")
    out: dict[str, Any] = dict(line)
    out["description"] = check_text(line["description"], f"{name}.description", required=True)
    quantity = check_amount(line["quantity"], f"{name}.quantity")
    unit_amount = check_amount(line["unit_amount"], f"{name}.unit_amount")
    out["quantity"], out["unit_amount"] = quantity, unit_amount
    for key, value in (("quantity", quantity), ("unit_amount", unit_amount)):
        if value < 0 and not allow_negative:
            raise ValidationError(
                f"{name}.{key} is negative ({value}): a credit or discount line must be "
                "said so (credit=True; on the command line --credit)"
            )
    out["vat_type"] = _vat_type(line["vat_type"], f"{name}.vat_type")
    if "invoicing_unit" in line:
        out["invoicing_unit"] = _unit(line["invoicing_unit"], f"{name}.invoicing_unit")
    discount_amount = _optional_amount(line, "discount_amount", name)
    discount_percentage = _optional_amount(line, "discount_percentage", name)
    if discount_amount is not None and discount_percentage is not None:
        raise ValidationError(f"{name}: give discount_amount or discount_percentage, not both")
    if discount_percentage is not None and not 0 <= discount_percentage <= _HUNDRED:
        raise ValidationError(f"{name}.discount_percentage must be from 0 to 100")
    gross = quantity * unit_amount
    net = gross if discount_amount is None else gross - discount_amount
    if abs(gross) >= MAX_AMOUNT or abs(net) >= MAX_AMOUNT:
        raise ValidationError(
            f"{name}: quantity x unit_amount is too large ({gross:.2f}; a line stays below 10^12)"
        )
    amount = line_amount(quantity, unit_amount, discount_amount, discount_percentage)
    given = line.get("line_amount")
    if given is not None and check_amount(given, f"{name}.line_amount") != amount:
        raise ValidationError(
            f"{name}.line_amount is {given}, but quantity x unit_amount (net of the "
            f"discount) is {amount}: leave it out, the SDK computes it"
        )
    out["line_amount"] = amount
    sequence = line.get("sequence")
    out["sequence"] = position if sequence is None else check_id(sequence, f"{name}.sequence")
    if out.get("invoicing_category_type") is None:
        out["invoicing_category_type"] = "benefit"
    if out.get("discount_description") is None:
        out["discount_description"] = ""
    else:
        out["discount_description"] = check_text(
            out["discount_description"], f"{name}.discount_description"
        )
    out["discount_amount"] = discount_amount
    out["discount_percentage"] = discount_percentage
    return out


def prepare_lines(
    lines: Any, name: str = "lines", *, allow_negative: bool = False
) -> list[dict[str, Any]]:
    """The lines to send, computed and completed as the module says; at least one.

    A negative quantity or unit amount is refused unless ``allow_negative`` (a credit, or
    a discount line), and so is a negative sum of the lines: such a document would be
    numbered as an invoice by accident."""
    if isinstance(lines, (str, bytes, Mapping)) or not isinstance(lines, Sequence):
        raise ValidationError(f"{name} must be a list of lines, not {type(lines).__name__}")
    if not lines:
        raise ValidationError(f"{name} must hold at least one line")
    if len(lines) > MAX_LINES:
        raise ValidationError(f"{name}: at most {MAX_LINES} lines, got {len(lines)}")
    prepared = [
        _prepare_line(line, position, f"{name}[{position - 1}]", allow_negative)
        for position, line in enumerate(lines, start=1)
    ]
    total = sum((line["line_amount"] for line in prepared), Decimal(0))
    if total < 0 and not allow_negative:
        raise ValidationError(
            f"{name}: the lines total {total} (negative): a credit must be said so "
            "(credit=True; on the command line --credit)"
        )
    return prepared


def send_body(recipients: Any, subject: Any, message: Any) -> dict[str, Any]:
    """``{"recipients": [{"email"}...], "subject"?, "message"?}``: addresses checked."""
    if isinstance(recipients, (str, Mapping)) or not isinstance(recipients, Sequence):
        raise ValidationError("recipients must be a list of e-mail addresses")
    if not recipients:
        raise ValidationError("recipients must hold at least one address")
    emails = []
    for position, recipient in enumerate(recipients):
        value = recipient.get("email") if isinstance(recipient, Mapping) else recipient
        email = check_email(value, f"recipients[{position}]")
        if email is None:
            raise ValidationError(f"recipients[{position}] is required")
        emails.append({"email": email})
    body: dict[str, Any] = {"recipients": emails}
    subject = check_text(subject, "subject", one_line=True, max_length=500)
    if subject is not None:
        body["subject"] = subject
    message = check_text(message, "message")
    if message is not None:
        body["message"] = message
    return body


def matches_billing(
    sent: Mapping[str, Any],
    *,
    client_id: int | None,
    client_name: str | None,
    title: str | None,
    lines: Sequence[Any] | None,
    total: Decimal | None,
) -> bool:
    """Whether an invoice or quotation read back is what the create body ``sent`` makes:
    the same client (id, or name), title, lines (their descriptions in order, when read
    back) and total excluding taxes (the sum of the lines' amounts, when read back)."""
    client = sent.get("client")
    if isinstance(client, Mapping) and client.get("id") is not None and client_id != client["id"]:
        return False
    if sent.get("client_name") is not None and client_name != sent["client_name"]:
        return False
    if sent.get("title") is not None and title != sent["title"]:
        return False
    sent_lines = sent.get("lines") or []
    if lines is not None and [line.description for line in lines] != [
        line.get("description") for line in sent_lines
    ]:
        return False
    amounts = [check_amount(line.get("line_amount", 0), "line_amount") for line in sent_lines]
    return total is None or total == sum(amounts, Decimal(0))
