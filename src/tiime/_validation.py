"""Checks made on the caller's input before any request is sent.

Each function returns the value to send, or raises :class:`ValidationError` saying what is
wrong with which argument.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from ._exceptions import ValidationError

__all__ = [
    "check_amount",
    "check_bool",
    "check_choice",
    "check_date",
    "check_email",
    "check_id",
    "check_limit",
    "check_name",
    "check_page_size",
    "check_query",
    "check_siren_or_siret",
    "check_text",
]

# Longest text accepted in a body field, and in a query string (it goes into the URL).
MAX_TEXT_LENGTH = 10_000
MAX_QUERY_LENGTH = 500
# A lone surrogate cannot be encoded (UTF-8 refuses it); NUL ends strings on many servers.
_UNSENDABLE = re.compile(r"[\ud800-\udfff\x00]")
# In a name or a one-line value: line breaks, escape sequences and other control characters.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")

# "Looks like an address": one @, no spaces, a dot in the domain. Deliverability is the
# server's business; this only stops typos such as a missing @ before a request is made.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


# The largest id: the API's ids are signed 64-bit integers.
MAX_ID = 2**63 - 1


def check_id(value: Any, name: str) -> int:
    """An id (in a URL path or a body): a positive ``int`` up to :data:`MAX_ID`, 2^63 - 1
    (``bool`` and strings refused)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{name} must be a positive integer, not {type(value).__name__}")
    if value <= 0:
        raise ValidationError(f"{name} must be a positive integer, got {value}")
    if value > MAX_ID:
        raise ValidationError(f"{name} is too large for an id (at most 2**63 - 1): {value}")
    return value


def _is_blank(text: str) -> bool:
    """Nothing visible: spaces, and format characters such as U+200B (zero width space)."""
    return all(ch.isspace() or unicodedata.category(ch) in ("Cf", "Zs") for ch in text)


def check_text(
    value: Any,
    name: str,
    *,
    required: bool = False,
    one_line: bool = False,
    max_length: int = MAX_TEXT_LENGTH,
) -> str | None:
    """A string argument that can be sent: no lone surrogate or NUL, at most ``max_length``
    characters; ``required`` ones must not be blank (invisible characters count as blank),
    ``one_line`` ones hold no line break, escape sequence or other control character."""
    if value is None:
        if required:
            raise ValidationError(f"{name} is required")
        return None
    if not isinstance(value, str):
        raise ValidationError(f"{name} must be a string, not {type(value).__name__}")
    if _UNSENDABLE.search(value):
        raise ValidationError(
            f"{name} holds a character that cannot be sent (a NUL or a lone surrogate): "
            f"{value[:40]!r}"
        )
    if len(value) > max_length:
        raise ValidationError(f"{name} is too long: {len(value)} characters (at most {max_length})")
    if one_line and _CONTROL.search(value):
        raise ValidationError(
            f"{name} must be one line of text, without control characters "
            f"(line breaks, escape sequences): {value[:40]!r}"
        )
    if required and _is_blank(value):
        raise ValidationError(f"{name} must not be blank (it has no visible character)")
    return value


def check_bool(value: Any, name: str) -> bool | None:
    """An optional boolean argument (``None`` means "not given")."""
    if value is None or isinstance(value, bool):
        return value
    raise ValidationError(f"{name} must be True, False or None, not {type(value).__name__}")


def check_email(value: Any, name: str = "email") -> str | None:
    """An optional e-mail address, which must look like one."""
    text = check_text(value, name)
    if text is None:
        return None
    text = text.strip()
    if not _EMAIL.match(text):
        raise ValidationError(f"{name} does not look like an e-mail address: {text!r}")
    return text


def check_siren_or_siret(value: Any, name: str = "siren_or_siret") -> str | None:
    """A 9-digit SIREN or 14-digit SIRET, spaces allowed, checksum verified; sent as digits."""
    text = check_text(value, name)
    if text is None:
        return None
    from stdnum.fr import siren as _siren  # here: importing stdnum costs every command 3 ms
    from stdnum.fr import siret as _siret

    digits = _siren.compact(text)
    if len(digits) == 9:
        valid = _siren.is_valid(digits)
    elif len(digits) == 14:
        valid = _siret.is_valid(digits)
    else:
        raise ValidationError(
            f"{name} must be a 9-digit SIREN or a 14-digit SIRET, got {len(digits)} characters"
        )
    if not valid:
        kind = "SIREN" if len(digits) == 9 else "SIRET"
        raise ValidationError(f"{name} is not a valid {kind} (wrong digits or checksum): {text!r}")
    return digits


def check_name(value: Any, name: str) -> str:
    """A required one-line string with something visible, returned without surrounding spaces."""
    text = check_text(value, name, required=True, one_line=True)
    assert text is not None  # check_text raised otherwise
    return text.strip()


def check_query(value: Any, name: str = "query") -> str:
    """A search text: like a name, and short enough to go into a URL."""
    text = check_text(value, name, required=True, one_line=True, max_length=MAX_QUERY_LENGTH)
    assert text is not None
    return text.strip()


def check_limit(value: Any) -> int | None:
    """An optional bound on a listing: ``None`` or an ``int`` >= 1."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(f"limit must be a positive integer or None, got {value!r}")
    return value


def check_page_size(value: Any, maximum: int) -> int:
    """A page size: an ``int`` between 1 and ``maximum``."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= maximum:
        raise ValidationError(f"page_size must be an integer from 1 to {maximum}, got {value!r}")
    return value


# Largest amount or quantity accepted: far above any invoice, far below float trouble.
MAX_AMOUNT = Decimal("1e12")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_amount(value: Any, name: str, *, positive: bool = False) -> Decimal:
    """An amount or quantity as an exact ``Decimal``.

    Takes a ``Decimal``, an ``int``, a ``float`` (through ``str()``, so ``0.1`` is
    ``Decimal("0.1")``, not the binary value) or a numeric string (``"450.50"``);
    refuses ``bool``, non-finite values, values of 10^12 or more, and, with
    ``positive``, zero and negative values.
    """
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, float, str)):
        raise ValidationError(
            f"{name} must be a number (Decimal, int, float or numeric text), "
            f"not {type(value).__name__}"
        )
    try:
        amount = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        raise ValidationError(f"{name} is not a number: {str(value)[:40]!r}") from None
    if not amount.is_finite():
        raise ValidationError(f"{name} must be a finite number, got {value!r}")
    if abs(amount) >= MAX_AMOUNT:
        raise ValidationError(f"{name} is too large: {value!r}")
    if positive and amount <= 0:
        raise ValidationError(f"{name} must be greater than zero, got {value!r}")
    return amount


def check_date(value: Any, name: str, *, latest: date | None = None) -> str:
    """A calendar date as the API writes it, ``YYYY-MM-DD``: a ``date`` or that text, and
    no later than ``latest`` when given.

    A ``datetime`` is refused (which day it means depends on its time zone).
    """
    if isinstance(value, datetime):
        raise ValidationError(f"{name} must be a date, not a datetime (use .date())")
    if isinstance(value, date):
        day, text = value, value.isoformat()
    elif not isinstance(value, str):
        raise ValidationError(
            f"{name} must be a datetime.date or YYYY-MM-DD text, not {type(value).__name__}"
        )
    else:
        text = value.strip()
        if not _ISO_DATE.match(text):
            raise ValidationError(f"{name} must be a date written YYYY-MM-DD, got {value[:40]!r}")
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise ValidationError(f"{name} is not a calendar date (YYYY-MM-DD): {text!r}") from None
    if latest is not None and day > latest:
        raise ValidationError(f"{name} is too far ahead: {text} (at most {latest.isoformat()})")
    return text


def check_choice(value: Any, name: str, choices: tuple[str, ...]) -> str | None:
    """An optional string among ``choices``."""
    if value is None or (isinstance(value, str) and value in choices):
        return value
    raise ValidationError(f"{name} must be one of {', '.join(choices)}, got {value!r}")
