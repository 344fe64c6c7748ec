"""What an untyped answer is: whatever JSON the server sent."""

from __future__ import annotations

from typing import Any, TypeAlias

__all__ = ["JSONValue"]

# The answer of a call the API leaves untyped, decoded as plain Python values: a ``dict``,
# a ``list``, a ``str``, a number, ``True``/``False`` or ``None``, whichever arrived.
# Check its shape (``isinstance``) before relying on one.
JSONValue: TypeAlias = Any
