"""The base of every response model.

Models are :class:`msgspec.Struct` classes: decoding the JSON bytes straight into them is
faster than ``json.loads`` alone, and it validates types on the way. Every field is optional
and defaults to ``None``, so a payload that leaves a field out still parses; fields the model
does not name are skipped here and stay readable through ``with_raw_response``.
"""

from __future__ import annotations

from typing import Any

import msgspec

__all__ = ["Model"]


class Model(msgspec.Struct, kw_only=True, repr_omit_defaults=True):
    """A typed object of the Tiime API."""

    def to_dict(self) -> dict[str, Any]:
        """The model as plain JSON-compatible Python values (dates and decimals as strings)."""
        result: dict[str, Any] = msgspec.to_builtins(self)
        return result
