"""Checks made on the caller's input before any request is sent.

Each function returns the value to send, or raises :class:`ValidationError` saying what is
wrong with which argument.
"""

from __future__ import annotations

import re
from typing import Any

from stdnum.fr import siren as _siren
from stdnum.fr import siret as _siret

from ._exceptions import ValidationError

__all__ = [
    "check_bool",
    "check_email",
    "check_id",
    "check_name",
    "check_page_size",
    "check_siren_or_siret",
    "check_text",
]

# "Looks like an address": one @, no spaces, a dot in the domain. Deliverability is the
# server's business; this only stops typos such as a missing @ before a request is made.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


def check_id(value: Any, name: str) -> int:
    """An id that goes into a URL path: a positive ``int`` (``bool`` and strings refused)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{name} must be a positive integer, not {type(value).__name__}")
    if value <= 0:
        raise ValidationError(f"{name} must be a positive integer, got {value}")
    return value


def check_text(value: Any, name: str, *, required: bool = False) -> str | None:
    """A string argument; ``required`` ones must not be blank."""
    if value is None:
        if required:
            raise ValidationError(f"{name} is required")
        return None
    if not isinstance(value, str):
        raise ValidationError(f"{name} must be a string, not {type(value).__name__}")
    if required and not value.strip():
        raise ValidationError(f"{name} must not be blank")
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
    """A required, non-blank string, returned without surrounding spaces."""
    text = check_text(value, name, required=True)
    assert text is not None  # check_text raised otherwise
    return text.strip()


def check_page_size(value: Any, maximum: int) -> int:
    """A page size: an ``int`` between 1 and ``maximum``."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= maximum:
        raise ValidationError(f"page_size must be an integer from 1 to {maximum}, got {value!r}")
    return value
