"""A spinner on stderr while a long call runs (on a terminal only)."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")
_NOTHING = object()


@contextmanager
def progress(message: str) -> Iterator[None]:
    """Show ``message`` with a spinner on stderr; nothing when stderr is not a terminal."""
    if not sys.stderr.isatty():
        yield
        return
    from rich.console import Console

    with Console(stderr=True).status(message):
        yield


def until_first(items: Iterable[T], message: str) -> Iterator[T]:
    """``items``, with the spinner shown until the first one arrives (a listing streams:
    the spinner must be gone before the first line is printed)."""
    iterator = iter(items)
    with progress(message):
        first = next(iterator, _NOTHING)
    if first is _NOTHING:
        return
    yield first  # type: ignore[misc]
    yield from iterator
