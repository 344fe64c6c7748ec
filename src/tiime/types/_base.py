"""The base of every response model.

Models are :class:`msgspec.Struct` classes: decoding the JSON bytes straight into them is
faster than ``json.loads`` alone, and it validates types on the way. ``id`` is required on
the objects that always carry one; every other field is optional and defaults to
``None``, so a payload that leaves a field out still parses; fields the model does not
name are skipped here and stay readable through ``with_raw_response``.

Money is :class:`~decimal.Decimal` in the models (from JSON numbers or numeric strings,
exactly as written). On the way out:

* :meth:`Model.to_json` writes amounts as JSON numbers, digit for digit, and dates and
  date-times in ISO 8601;
* :meth:`Model.to_dict` gives plain Python values: amounts as ``int`` or ``float`` (the
  numbers that JSON text reads as, so ``pandas.DataFrame([m.to_dict() ...])`` has numeric
  columns), dates as ISO strings; ``to_dict(exact=True)`` keeps amounts as ``Decimal``.

A non-finite amount (the text ``"NaN"`` or ``"Infinity"`` where a number belongs) has no
JSON number: it is written as ``null`` (``None`` in ``to_dict()``, exact or not), on every
msgspec release the project allows (the rule is :mod:`tiime._json`'s).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, TypeAlias

import msgspec

from .._json import encode_json, finite

__all__ = ["AmountInput", "DateInput", "Model", "encode_json"]

# What request bodies (TypedDicts) take for an amount and for a date. An amount is read
# exactly: a float through str() (0.1 is one tenth), a str as decimal text ("450.50").
AmountInput: TypeAlias = Decimal | int | float | str
DateInput: TypeAlias = date | str


class Model(msgspec.Struct, kw_only=True, repr_omit_defaults=True):
    """A typed object of the Tiime API."""

    def to_json(self) -> bytes:
        """The model as compact JSON: amounts as JSON numbers (exact), dates in ISO 8601."""
        return encode_json(self)

    def to_dict(self, *, exact: bool = False) -> dict[str, Any]:
        """The model as plain Python values: nested models as dicts, dates as ISO strings.

        Amounts are ``int`` or ``float`` (``Decimal("2400.00")`` gives ``2400.0``,
        ``Decimal("2000")`` gives ``2000``): numbers that pandas, ``json`` and arithmetic
        take as they are. With ``exact=True`` they stay ``Decimal``.
        """
        if exact:
            result: dict[str, Any] = finite(msgspec.to_builtins(self, builtin_types=(Decimal,)))
        else:
            result = msgspec.json.decode(encode_json(self))
        return result
