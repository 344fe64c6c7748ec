"""What a tool answers: compact JSON (amounts as numbers, ids kept, empty fields left out),
pages with an opaque cursor, and a size cap that cuts a page short with a note rather
than losing items (the cursor then starts at the first item left out).
"""

from __future__ import annotations

import base64
import binascii
from decimal import Decimal
from typing import Any

import msgspec

from .._json import encode_json

__all__ = ["MAX_ANSWER_BYTES", "Page", "decode_cursor", "encode_cursor", "plain", "to_text"]

# An answer above this is cut (a page) or refused (one record): about 8,000 tokens.
MAX_ANSWER_BYTES = 32_000


def _prune(value: Any) -> Any:
    if isinstance(value, dict):
        out = {}
        for key, inner in value.items():
            inner = _prune(inner)
            if key == "id" or inner is not None:
                out[key] = inner
        return out
    if isinstance(value, list):
        return [_prune(inner) for inner in value]
    return value


def plain(value: Any) -> Any:
    """``value`` (models, dicts and lists of them) as plain data without null fields;
    amounts stay ``Decimal`` (written as JSON numbers by :func:`to_text`), ``id`` always kept."""
    return _prune(msgspec.to_builtins(value, builtin_types=(Decimal,)))


def to_text(value: Any) -> str:
    """``value`` as compact JSON text, by the SDK's one rule for amounts (``tiime._json``)."""
    return encode_json(value).decode()


class Cursor(msgspec.Struct, array_like=True, forbid_unknown_fields=True):
    """Where the next page starts: the listing it belongs to and the offset in it."""

    listing: str
    company: int
    offset: int
    filters: dict[str, Any]


def encode_cursor(listing: str, company: int, offset: int, filters: dict[str, Any]) -> str:
    data = msgspec.json.encode(Cursor(listing, company, offset, filters))
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def decode_cursor(text: str) -> Cursor:
    """The cursor given back; ``ValueError`` when it is not one of ours."""
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        cursor = msgspec.json.decode(data, type=Cursor)
    except (binascii.Error, ValueError, msgspec.DecodeError):
        raise ValueError("this cursor is not one this server gave") from None
    if cursor.offset < 0:
        raise ValueError("this cursor is not one this server gave")
    return cursor


class Page:
    """A page of items to answer, cut to :data:`MAX_ANSWER_BYTES` if it is larger."""

    def __init__(self, items: list[Any], *, offset: int, more: bool, total: int | None = None):
        self.items = [plain(item) for item in items]
        self.offset = offset
        self.more = more
        self.total = total

    def answer(self, next_cursor: Any, **extra: Any) -> dict[str, Any]:
        """``{items, next_cursor?, total?, note?, **extra}``; ``next_cursor(offset)`` makes
        the cursor of the page starting at ``offset``."""
        items = self.items
        note = None
        body = {"items": items, **extra}
        size = len(to_text(body))
        if size > MAX_ANSWER_BYTES:
            kept: list[Any] = []
            used = len(to_text({"items": [], **extra})) + 400  # the note and the cursor
            for item in items:
                used += len(to_text(item)) + 1
                if used > MAX_ANSWER_BYTES:
                    break
                kept.append(item)
            kept = kept or items[:1]  # one item always: the cursor must move on
            note = (
                f"cut at {len(kept)} of {len(items)} items to stay under "
                f"{MAX_ANSWER_BYTES} bytes: the cursor goes on from the first left out"
            )
            items = kept
        answer: dict[str, Any] = {"items": items}
        if self.total is not None:
            answer["total"] = self.total
        end = self.offset + len(items)
        if note is not None or self.more:
            answer["next_cursor"] = next_cursor(end)
        if note is not None:
            answer["note"] = note
        answer.update(extra)
        return answer
