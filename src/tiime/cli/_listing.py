"""Listings: how many to ask per page, ``--limit``, and reading the next pages ahead.

A listing streams: pages are asked one after the other (``iter(page_size=...)``) and
printed as they come, so that memory stays flat whatever the number of items. While the
command prints one page, a thread already waits for the next ones: the server works
while this process encodes, instead of each waiting for the other.
"""

from __future__ import annotations

import queue
import sys
import threading
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any, TypeVar

from ..i18n import _

T = TypeVar("T")

PAGE_SIZE = 1000  # items asked per page
_CHUNK = 500  # items handed from the reading thread at a time
_AHEAD = 2  # chunks read ahead at most (one page): memory stays bounded
# While both threads run, the reading one gets the interpreter back soon after its socket
# has data (the default, 5 ms, left the server idle while the printing thread ran on).
_SWITCH_INTERVAL = 0.0005


def page_size(limit: int | None) -> int:
    """The page size for a listing of at most ``limit`` items (all when ``None``)."""
    return PAGE_SIZE if limit is None else min(limit, PAGE_SIZE)


def limited(items: Iterable[T], limit: int | None) -> Iterable[T]:
    """The first ``limit`` items (all when ``None``), read lazily: no page past them is asked."""
    return items if limit is None else islice(items, min(limit, sys.maxsize))


def read_ahead(items: Iterable[T]) -> Iterator[T]:
    """``items``, read by a thread a few pages ahead of the caller.

    An exception raised while reading is raised here, after the items read before it.
    When the caller stops early, the thread stops at its next chunk.
    """
    chunks: queue.Queue[Any] = queue.Queue(maxsize=_AHEAD)
    done = object()
    stop = threading.Event()

    def hand(value: Any) -> bool:
        while not stop.is_set():
            try:
                chunks.put(value, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        chunk: list[T] = []
        try:
            for item in items:
                chunk.append(item)
                if len(chunk) == _CHUNK:
                    if not hand(chunk):
                        return
                    chunk = []
            if chunk:
                hand(chunk)
            hand(done)
        except BaseException as exc:  # handed to the caller, raised there, after the items
            if chunk and not hand(chunk):
                return
            hand(exc)

    thread = threading.Thread(target=read, name="tiime-read-ahead", daemon=True)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(_SWITCH_INTERVAL)
    thread.start()
    try:
        while True:
            chunk = chunks.get()
            if chunk is done:
                return
            if isinstance(chunk, BaseException):
                raise chunk
            yield from chunk
    finally:
        stop.set()
        sys.setswitchinterval(interval)


def one_page(args: Any) -> tuple[int, int] | None:
    """``(page, page_size)`` of ``--page``/``--page-size`` when either is given (page 1 and
    25 items by default, as the reference CLI), else ``None``: every page is listed."""
    if getattr(args, "page", None) is None and getattr(args, "page_size", None) is None:
        return None
    from ._errors import UsageError

    size = 25 if args.page_size is None else args.page_size
    if size > PAGE_SIZE:
        raise UsageError(_("--page-size {size}: at most {most}").format(size=size, most=PAGE_SIZE))
    return args.page or 1, size


def page_note(page: Any, what: str) -> None:
    """``page 2 of 5 (120 invoices)`` on stderr, for a person at a terminal."""
    if not sys.stderr.isatty():
        return
    if page.total is None:
        line = _("page {page} ({n} {what})").format(page=page.page, n=len(page.items), what=what)
        sys.stderr.write(line + "\n")
        return
    pages = max(1, -(-page.total // page.page_size))
    line = _("page {page} of {pages} ({total} {what})").format(
        page=page.page, pages=pages, total=page.total, what=what
    )
    sys.stderr.write(line + "\n")
