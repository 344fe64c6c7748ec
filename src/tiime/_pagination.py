"""Paging through list endpoints with the ``Range: items=START-END`` header.

The reference leaves open whether END is inclusive and how a server says "more"; this
module is the one place that decides, for ``list()`` and ``iter()`` alike, in the terms
of TIIME_API.md's pagination section:

* A page is asked as ``items=START-(START+size-1)`` (inclusive, as HTTP ranges are), or
  ``items=START-*`` when no page size is given (``list()``).
* The next START is the ``Content-Range`` END + 1 of the last answer, or, without a
  readable ``Content-Range``, START + the number of items received.
* The listing ends on the first of: status 200 (the whole rest came back); a known
  ``Content-Range`` TOTAL reached; an empty page; a page that brings no new ``id``; a 416
  answer to a follow-up page (the server has nothing past the end); or ``limit`` items
  yielded.
* A page shorter than asked is **not** the end while the status is 206: servers cap their
  pages (asked ``items=0-99``, a server may answer ``items 0-9/120``). With a known
  TOTAL the listing goes on until TOTAL; with an unknown TOTAL (``*``, or no
  ``Content-Range``) it goes on until an empty page or a page with nothing new.
* An item whose ``id`` was already yielded is never yielded again.

``limit`` bounds a listing whatever the server says: a server that always answers 206
with new ids and no TOTAL would otherwise make ``list()`` grow without end.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from ._request import APIRequest, Operation
from ._response import RawResponse

__all__ = ["RangePager", "parse_content_range"]

T = TypeVar("T")

_CONTENT_RANGE = re.compile(r"^\s*items\s+(\d{1,18})-(\d{1,18})/(\d{1,18}|\*)\s*$")


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

    ``page_size=None`` asks everything from START at once (``items=START-*``) and goes on
    only if the server answers 206. ``limit`` stops after that many items.
    """

    def __init__(
        self,
        make_request: Callable[[str], APIRequest[list[T]]],
        page_size: int | None = None,
        *,
        limit: int | None = None,
        items_of: Callable[[Any], list[T]] | None = None,
    ) -> None:
        self._make_request = make_request
        self._page_size = page_size
        self._limit = limit
        self._items_of = items_of
        self._start = 0
        self._yielded = 0
        self._seen: set[Any] = set()
        self._done = limit == 0
        self.last_page: Any = None

    def _range(self) -> str:
        start = self._start
        size = self._page_size
        if self._limit is not None:
            left = self._limit - self._yielded
            size = left if size is None else min(size, left)
        if size is None:
            return f"items={start}-*"
        return f"items={start}-{start + size - 1}"

    def next_request(self) -> APIRequest[list[T]] | None:
        """The next page's request, or ``None`` when the listing is complete."""
        return None if self._done else self._make_request(self._range())

    @property
    def is_follow_up(self) -> bool:
        """Whether the next request is not the first (a 416 to it means "nothing more")."""
        return self._start > 0

    def finish(self) -> None:
        """End the listing (the server answered 416 to a follow-up page)."""
        self._done = True

    def accept(self, page: RawResponse[Any]) -> list[T]:
        """Take one page's answer; return the items not seen before (up to ``limit``)."""
        parsed = page.parse()
        self.last_page = parsed
        items: list[T] = self._items_of(parsed) if self._items_of else parsed
        fresh: list[T] = []
        for item in items:
            key = getattr(item, "id", None)
            if key is None:
                fresh.append(item)
            elif key not in self._seen:
                self._seen.add(key)
                fresh.append(item)
        if self._limit is not None:
            fresh = fresh[: self._limit - self._yielded]
        self._yielded += len(fresh)
        content_range = parse_content_range(page.headers.get("content-range"))
        if content_range is not None and content_range[1] >= self._start:
            self._start = content_range[1] + 1
        else:
            self._start += len(items)
        total = content_range[2] if content_range else None
        self._done = (
            page.status_code != 206
            or not items
            or not fresh
            or (total is not None and self._start >= total)
            or (self._limit is not None and self._yielded >= self._limit)
        )
        return fresh
