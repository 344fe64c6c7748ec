"""Paging through list endpoints with the ``Range: items=START-END`` header.

The reference leaves open whether END is inclusive and how a server says "more"; and
offsets shift while a list is read: an item added before the part already read pushes the
rest one place later (the next page repeats an id), one removed pulls it one place earlier
(the next page skips an id). This module is the one place that decides, for ``list()`` and
``iter()`` of every resource, in the terms of TIIME_API.md's pagination section.

**The promise.** A listing returns every item that is in the list from its first page to
its last exactly once, or raises :class:`~tiime.ListingChangedError`; items added or
removed meanwhile may or may not come out; no id comes out twice; it never ends while the
server's TOTAL says there is more. (An item is the same item while it keeps its place in
the order: one whose sort key is edited counts as removed and added.)

**The rule.**

* Pages are asked as ``items=A-B``, END inclusive. The first page is
  ``items=0-(size-1)`` (``items=0-*`` for ``list()``, which has no page size). Each next
  page starts **one item back**: with S the index after the last page's last item (its
  ``Content-Range`` END + 1, or its start + its item count without a ``Content-Range``),
  it is ``items=(S-1)-(S+size-1)`` (``items=(S-1)-*``): the item read last, then up to
  ``size`` more. ``limit`` lowers ``size`` to what is left to return.
* A page *joins* the listing when it starts at index 0, or holds an id of the chain read
  so far (the pages read since the last read from index 0, or since the last page that
  did not reach the item read last; all of them come before it in the list's order).
  A page that joins continues the chain: nothing the listing is bound to return can lie
  between what was read and this page. Its ids not returned yet are returned, and the
  page's last item becomes the item read last.
* A page that does not join (the list lost items before the point reached: the chain's
  ids are now earlier than S-1; an empty page or a 416 past the end are such pages) is
  read again further back: the next page starts one page further back (before the last
  page's first item), and if that does not join either, at index 0, from where the list
  is read again, ids already returned being skipped.
* The listing ends, on a page that joins, when:
  - the ``Content-Range`` TOTAL is known: the page's END + 1 reaches that page's TOTAL
    (a short page, a page with nothing new, or a 200 does not end it while TOTAL says
    there is more);
  - TOTAL is unknown (``*``, or no ``Content-Range``): the status is 200 (the rest came
    back), or the page holds one item only, one read before, although more were asked
    (nothing follows it); an empty page at index 0 (the list is empty) ends it too;
  - or ``limit`` items were returned.
* Re-reads are bounded: a page that does not join, one that joins without reaching the
  item read last (more items were added before it than a page holds), and one that
  brings nothing and gets no further (its last item, or its END, is the last page's),
  each count as one; past ``MAX_REREADS`` the listing raises
  :class:`~tiime.ListingChangedError` (with what it had returned, and the last TOTAL).
  A change between two pages (any number of items added and removed) costs two re-reads
  at most, so four of them never make a listing raise; a list that changes between every
  page faster than it is read does, and says so.
* A server that ignores ``Range``: its ``Content-Range`` START is not the START asked
  (or, without ``Content-Range``, it answers 200, which ends the listing). Its pages are
  taken as they come and only there the old "page with nothing new" rule ends the
  listing (otherwise its listing could never end). One that answers the same page with
  206 and no ``Content-Range`` whatever is asked cannot be told from a list that changes:
  its pages get no further, and the listing raises once the re-reads are spent.
* A 416 to the first page is an error; a 416 to a later one is a page that does not join.
* The overlap needs pages of two items at least: a server that caps its pages at one item
  while saying there is more makes every page a re-read, and the listing raises.
* No ``id`` is ever returned twice. Items without an ``id`` (none of the API's lists has
  such items) cannot be checked: a page of them is taken as a server that ignores
  ``Range`` gives it, and the pages after it start where it ended.

``limit`` bounds a listing whatever the server says: a server that always answers 206
with new ids and no TOTAL would otherwise make ``list()`` grow without end.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from ._exceptions import ListingChangedError, TiimeError
from ._request import APIRequest, Operation
from ._response import RawResponse

__all__ = ["MAX_REREADS", "RangePager", "parse_content_range"]

T = TypeVar("T")

MAX_REREADS = 8  # pages read again (or that got no further) before a listing gives up

_CONTENT_RANGE = re.compile(r"^\s*items\s+(\d{1,18})-(\d{1,18})/(\d{1,18}|\*)\s*$")
_NOTHING_RANGE = re.compile(r"^\s*items\s+\*/(\d{1,18})\s*$")


def parse_content_range(value: str | None) -> tuple[int, int, int | None] | None:
    """``items START-END/TOTAL`` as ``(start, end, total or None)``; ``None`` if unreadable."""
    if not value:
        return None
    match = _CONTENT_RANGE.match(value)
    if match is None:
        return None
    total = match.group(3)
    return int(match.group(1)), int(match.group(2)), None if total == "*" else int(total)


def _total_of_nothing(value: str | None) -> int | None:
    """The TOTAL of ``items */TOTAL`` (the answer past the end of a list), else ``None``."""
    match = _NOTHING_RANGE.match(value) if value else None
    return int(match.group(1)) if match else None


class RangePager(Operation[list[T]], Generic[T]):
    """The plan of a paged listing: which request comes next, and when to stop.

    ``page_size=None`` asks everything from START at once (``items=START-*``) and goes on
    only if the server answers 206. ``limit`` stops after that many items. The rule is the
    module's docstring.
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
        self._start = 0  # the index after the last page's last item
        self._asked: tuple[int, int | None] = (0, None)  # (first index, items asked or None)
        self._yielded = 0
        self._seen: set[Any] = set()  # ids returned
        self._chain: set[Any] = set()  # ids read that come before the item read last
        self._last_id: Any = None  # the id of the item read last
        self._last_length = 0  # items in the last page that joined
        self._misses = 0  # pages in a row that did not join
        self._rereads = 0
        self._total: int | None = None  # the last TOTAL the server gave
        self._by_id = True  # False once a page held items without ids: no overlap then
        self._done = limit == 0
        self.last_page: Any = None

    def _window(self) -> tuple[int, int | None]:
        """The next page: its first index, and how many items to ask (``None``: all)."""
        size = self._page_size
        if self._limit is not None:
            left = self._limit - self._yielded
            size = left if size is None else min(size, left)
        start = self._start
        if not self._by_id:
            return start, size
        if start == 0 or self._misses >= 2:
            return 0, size  # the first page, or the list read again from index 0
        first = start - 1 if self._misses == 0 else max(0, start - self._last_length - 1)
        return first, None if size is None else start + size - first

    def next_request(self) -> APIRequest[list[T]] | None:
        """The next page's request, or ``None`` when the listing is complete."""
        if self._done:
            return None
        first, count = self._asked = self._window()
        last = "*" if count is None else str(first + count - 1)
        return self._make_request(f"items={first}-{last}")

    @property
    def is_follow_up(self) -> bool:
        """Whether the page asked does not start at index 0 (a 416 to it is not an error)."""
        return self._asked[0] > 0

    def refused(self, error: TiimeError) -> list[T]:
        """The server answered 416 to a follow-up page: nothing there, a page that does not
        join (the list got shorter); it is read again further back."""
        self._misses += 1
        self._reread(error.method, error.endpoint)
        return []

    def accept(self, page: RawResponse[Any]) -> list[T]:
        """Take one page's answer; return the items not returned before (up to ``limit``)."""
        parsed = page.parse()
        self.last_page = parsed
        items: list[T] = self._items_of(parsed) if self._items_of else parsed
        header = page.headers.get("content-range")
        content_range = parse_content_range(header)
        total = content_range[2] if content_range else _total_of_nothing(header)
        if total is not None:
            self._total = total
        first, count = self._asked
        ids = [getattr(item, "id", None) for item in items]
        if items and all(key is None for key in ids):
            self._by_id = False
        if not self._by_id or (content_range is not None and content_range[0] != first):
            end = content_range[1] if content_range else first + len(items) - 1
            return self._accept_unranged(page, items, end, total)
        head = first == 0
        if not head and not any(key is not None and key in self._chain for key in ids):
            self._misses += 1  # the list lost items before this page: read further back
            self._reread_page(page)
            return []
        lone_known = len(ids) == 1 and ids[0] is not None and ids[0] in self._chain
        reached = self._last_id is None or self._last_id in ids
        if reached:
            self._chain.update(key for key in ids if key is not None)
        else:  # this page ends before the item read last (items added before it)
            self._chain = {key for key in ids if key is not None}
            if not head:
                self._reread_page(page)
        previous, previous_last = self._start, self._last_id
        regular = self._misses == 0 and first == previous - 1
        self._misses = 0
        fresh = self._fresh(items)
        if not items:  # only a page at index 0 joins when empty: the list is empty
            self._done = not total
            if not self._done:  # the server says TOTAL items, but none is at index 0
                self._misses = 2
                self._reread_page(page)
            return fresh
        end = content_range[1] if content_range else first + len(items) - 1
        self._start = end + 1
        self._last_id = ids[-1]
        self._last_length = len(items)
        if total is not None:
            self._done = self._start >= total
        else:
            self._done = page.status_code != 206 or (lone_known and (count is None or count > 1))
        stuck = self._start <= previous or ids[-1] == previous_last
        if self._limit is not None and self._yielded >= self._limit:
            self._done = True
        elif not self._done and regular and reached and not fresh and stuck:
            self._reread_page(page)  # a page that brings nothing and gets no further
        return fresh

    def _accept_unranged(
        self, page: RawResponse[Any], items: list[T], end: int, total: int | None
    ) -> list[T]:
        """A page of a server that ignores ``Range`` (or of items without ids): taken as it
        comes; a page with nothing new ends the listing (nothing else would)."""
        fresh = self._fresh(items)
        self._start = end + 1 if end >= self._start else self._start + len(items)
        self._done = (
            page.status_code != 206
            or not fresh
            or (total is not None and self._start >= total)
            or (self._limit is not None and self._yielded >= self._limit)
        )
        return fresh

    def _fresh(self, items: list[T]) -> list[T]:
        """The items whose id was not returned before, up to ``limit``; counted returned."""
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
        return fresh

    def _reread_page(self, page: RawResponse[Any]) -> None:
        request = page.http_response.request
        self._reread(request.method, str(request.url))

    def _reread(self, method: str | None, endpoint: str | None) -> None:
        """Count one re-read; past :data:`MAX_REREADS`, raise ListingChangedError."""
        self._rereads += 1
        if self._rereads <= MAX_REREADS:
            return
        total = "unknown" if self._total is None else str(self._total)
        raise ListingChangedError(
            f"the list changed while it was read (items added or removed between its pages, "
            f"{MAX_REREADS} pages read again): not every item could be returned once; "
            f"{self._yielded} returned, TOTAL {total}; list again when it changes less",
            method=method,
            endpoint=endpoint,
            returned=self._yielded,
            total=self._total,
        )
