"""JSON out, one rule for every output path: amounts as JSON numbers, digit for digit, dates
and date-times in ISO 8601, and a non-finite amount written as ``null``.

A non-finite amount (the text ``"NaN"`` or ``"Infinity"`` where the API puts a number) has
no JSON number: it is *no amount*. It is ``null`` in JSON, ``None`` in ``to_dict()`` and an
empty cell in the command line's CSV and tables (:func:`is_non_finite` tells them).

msgspec changed its answer to such a value: up to 0.22 ``decimal_format="number"`` wrote a
bare ``NaN`` (invalid JSON); from 0.23 it raises ``ValueError``. :func:`encode_json` gives
the same bytes on every release the project allows: it encodes at native speed, and only
when one of those two things happens does it encode again with the non-finite amounts
replaced by ``None``.

Imported by the models (``tiime.types``) and by the command line's printer; it imports
msgspec and nothing of the SDK.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import msgspec

__all__ = ["ENCODER", "encode_body", "encode_json", "finite", "is_non_finite"]

ENCODER = msgspec.json.Encoder(decimal_format="number")


def is_non_finite(value: Any) -> bool:
    """Whether ``value`` is a ``Decimal`` or ``float`` NaN or infinity."""
    if isinstance(value, Decimal):
        return not value.is_finite()
    return isinstance(value, float) and not math.isfinite(value)


def finite(value: Any) -> Any:
    """``value`` (plain data: dicts, lists, scalars) with every non-finite number as ``None``."""
    if is_non_finite(value):
        return None
    if isinstance(value, dict):
        return {key: finite(inner) for key, inner in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(inner) for inner in value]
    return value


def _encode_finite(value: Any) -> bytes:
    plain = msgspec.to_builtins(value, builtin_types=(Decimal,))
    return ENCODER.encode(finite(plain))


def encode_json(value: Any) -> bytes:
    """``value`` (models, or lists and dicts of them) as compact JSON, by the rule above."""
    try:
        data = ENCODER.encode(value)
    except ValueError:  # msgspec 0.23+: a non-finite Decimal has no number
        return _encode_finite(value)
    # Before 0.23 non-finite decimals come out as bare NaN/Infinity; only then do those bytes
    # occur outside a string, so the slow path runs on suspicion only and checks by decoding.
    if b"NaN" in data or b"Infinity" in data:
        try:
            msgspec.json.decode(data)
        except msgspec.DecodeError:
            return _encode_finite(value)
    return data


def encode_body(value: Any) -> bytes:
    """``value`` as a request's JSON body; ``ValueError`` if it holds a non-finite number.

    A request never carries ``null`` where the caller wrote an amount, nor invalid JSON:
    the SDK turns the ``ValueError`` into a :class:`~tiime.ValidationError` before sending.
    """
    data = ENCODER.encode(value)  # msgspec 0.23+ raises ValueError itself
    if b"NaN" in data or b"Infinity" in data:
        try:
            msgspec.json.decode(data)
        except msgspec.DecodeError:
            raise ValueError("a number in the body is not finite (NaN or infinity)") from None
    return data
