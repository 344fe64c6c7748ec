"""The ``Range: items=START-END`` pagination of list endpoints, decided in one place.

Decisions (the real service's are partly unknown, see TIIME_API.md):

* ``END`` is inclusive, as in HTTP byte ranges: ``items=0-99`` asks for 100 items;
  ``items=START-*`` asks for everything from ``START``.
* The answer carries ``Content-Range: items FIRST-LAST/TOTAL`` where ``LAST`` is the
  index of the last item actually returned (inclusive) and ``TOTAL`` the number of items
  matching the filters. The status is 206 when items remain after ``LAST``, else 200.
* A server-side page cap (``max_page_size``, off by default) may return fewer items
  than asked, with 206, as a real service would.
* ``START`` at or past the end (including any range on an empty list) is not an error:
  200 with ``[]`` and ``Content-Range: items */TOTAL``. Numbers of any length are read
  (those of more than 18 digits are past the end of any list).
* A header that does not parse (another unit such as ``bytes=``, non-digits, or
  ``START > END``) is refused: 416 with ``Content-Range: items */TOTAL``.
* Without a ``Range`` header the whole list comes back with 200 (and a Content-Range
  describing it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from .context import Context
from .errors import ApiError
from .http import JSON_TYPE

__all__ = ["Page", "RangeError", "RequestedRange", "page_for", "paged", "parse_range"]

_RANGE = re.compile(r"\s*items\s*=\s*(\d+)\s*-\s*(\d+|\*)\s*", re.IGNORECASE)
# Numbers of more than 18 digits count as this one: past the end of any list (and never
# given to SQLite, whose integers are 64-bit, nor to int(), which refuses 4,300 digits).
_HUGE = 10**18


def _number(digits: str) -> int:
    return int(digits) if len(digits) <= 18 else _HUGE


class RangeError(ValueError):
    """A ``Range`` header that does not parse."""


@dataclass(frozen=True)
class RequestedRange:
    """``items=START-END``; ``end`` is None for ``*``."""

    start: int
    end: int | None


@dataclass(frozen=True)
class Page:
    """Which items to fetch and how to describe the answer."""

    offset: int
    limit: int | None  # None: to the end; never more than the items left
    total: int

    def content_range(self, returned: int) -> str:
        """The ``Content-Range`` header once ``returned`` items were fetched."""
        if returned == 0:
            return f"items */{self.total}"
        return f"items {self.offset}-{self.offset + returned - 1}/{self.total}"

    def status(self, returned: int) -> int:
        """206 when items remain after the returned ones, else 200."""
        return 206 if returned and self.offset + returned < self.total else 200


def parse_range(header: str | None) -> RequestedRange | None:
    """The requested range, None without a header; raises :class:`RangeError` if malformed."""
    if header is None:
        return None
    match = _RANGE.fullmatch(header)
    shown = header if len(header) <= 60 else header[:60] + "…"
    if match is None:
        raise RangeError(f"Range invalide : {shown!r} (attendu : items=DEBUT-FIN).")
    start = _number(match.group(1))
    end = None if match.group(2) == "*" else _number(match.group(2))
    if end is not None and start > end:
        raise RangeError(f"Range invalide : {shown!r} (DEBUT est après FIN).")
    return RequestedRange(start, end)


def page_for(requested: RequestedRange | None, total: int, max_page_size: int | None) -> Page:
    """The window to serve for a request, the list holding ``total`` items."""
    if requested is None:
        return Page(0, None, total)
    limit = None if requested.end is None else requested.end - requested.start + 1
    if max_page_size is not None:
        limit = max_page_size if limit is None else min(limit, max_page_size)
    if requested.start >= total:
        return Page(requested.start, 0, total)
    remaining = total - requested.start
    return Page(requested.start, remaining if limit is None else min(limit, remaining), total)


def paged(
    ctx: Context,
    request: Request,
    count: Callable[[], int],
    fetch: Callable[[int, int | None], list[dict[str, Any]]],
    media_type: str = JSON_TYPE,
) -> JSONResponse:
    """A list answer following the rules above: ``count()`` is the number of matching
    items and ``fetch(offset, limit)`` renders one window of them (``limit`` None: to the
    end). Both run under the database's lock, so that no write comes between them; a
    malformed ``Range`` answers 416 in the API's shape."""
    with ctx.db.lock:
        total = count()
        try:
            requested = parse_range(request.headers.get("range"))
        except RangeError as exc:
            raise ApiError(416, str(exc), headers={"Content-Range": f"items */{total}"}) from exc
        page = page_for(requested, total, ctx.max_page_size)
        items = fetch(page.offset, page.limit) if page.limit != 0 else []
    return JSONResponse(
        items,
        status_code=page.status(len(items)),
        headers={"Content-Range": page.content_range(len(items)), "Accept-Ranges": "items"},
        media_type=media_type,
    )
