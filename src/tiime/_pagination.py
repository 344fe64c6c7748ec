"""Paging through list endpoints with the ``Range: items=START-END`` header.

The reference leaves open whether END is inclusive and how a server says "more": this
module is the one place that decides. A page is asked as ``items=START-(START+size-1)``
(inclusive, as HTTP ranges are), the next START is the count of items received so far,
and iteration ends on the first of: status 200, a page shorter than asked, the
``Content-Range`` TOTAL reached, an empty page, or a page with nothing new. An item whose
``id`` was already yielded is never yielded again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from ._request import APIRequest, Operation
from ._response import RawResponse

__all__ = ["RangePager", "parse_content_range"]

T = TypeVar("T")

_CONTENT_RANGE = re.compile(r"^\s*items\s+(\d+)-(\d+)/(\d+|\*)\s*$")


def parse_content_range(value: str | None) -> tuple[int, int, int | None] | None:
    """``items START-END/TOTAL`` as ``(start, end, total or None)``; ``None`` if unreadable."""
    if not value:
        return None
    match = _CONTENT_RANGE.match(value)
    if match is None:
        return None
    total = match.group(3)
    return int(match.group(1)), int(match.group(2)), None if total == "*" else int(total)


class RangePager(Operation[list[T]], Generic[T]):
    """The plan of a paged listing: which request comes next, and when to stop.

    ``page_size=None`` asks everything at once (``items=0-*``) and only goes on if the
    server answers 206 with less than it has.
    """

    def __init__(
        self,
        make_request: Callable[[str], APIRequest[list[T]]],
        page_size: int | None = None,
    ) -> None:
        self._make_request = make_request
        self._page_size = page_size
        self._received = 0
        self._seen: set[Any] = set()
        self._done = False

    def _range(self) -> str:
        start = self._received
        if self._page_size is None:
            return f"items={start}-*"
        return f"items={start}-{start + self._page_size - 1}"

    def next_request(self) -> APIRequest[list[T]] | None:
        """The next page's request, or ``None`` when the listing is complete."""
        return None if self._done else self._make_request(self._range())

    def accept(self, page: RawResponse[list[T]]) -> list[T]:
        """Take one page's answer; return the items not seen before."""
        items = page.parse()
        self._received += len(items)
        fresh: list[T] = []
        for item in items:
            key = getattr(item, "id", None)
            if key is None:
                fresh.append(item)
            elif key not in self._seen:
                self._seen.add(key)
                fresh.append(item)
        content_range = parse_content_range(page.headers.get("content-range"))
        total = content_range[2] if content_range else None
        self._done = (
            page.status_code != 206
            or not items
            or not fresh
            or (self._page_size is not None and len(items) < self._page_size)
            or (total is not None and self._received >= total)
        )
        return fresh
