"""Listings: page size and --limit, and the read-ahead thread's hand-over rules."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from tiime.cli._listing import PAGE_SIZE, limited, page_size, read_ahead


def test_page_size_follows_the_limit() -> None:
    assert page_size(None) == PAGE_SIZE
    assert page_size(3) == 3
    assert page_size(10 * PAGE_SIZE) == PAGE_SIZE


def test_limited_reads_no_further_than_the_limit() -> None:
    read: list[int] = []

    def items() -> Iterator[int]:
        for i in range(100):
            read.append(i)
            yield i

    assert list(limited(items(), 5)) == [0, 1, 2, 3, 4]
    assert read == [0, 1, 2, 3, 4]
    assert list(limited(range(3), None)) == [0, 1, 2]


def test_read_ahead_keeps_every_item_in_order() -> None:
    assert list(read_ahead(range(5003))) == list(range(5003))
    assert list(read_ahead([])) == []


def test_an_error_while_reading_comes_after_the_items_before_it() -> None:
    def items() -> Iterator[int]:
        yield from range(1200)
        raise ValueError("page 2 failed")

    got: list[int] = []

    def consume() -> None:
        got.extend(read_ahead(items()))

    with pytest.raises(ValueError, match="page 2 failed"):
        consume()
    assert got == list(range(1200))


def test_the_reading_thread_stops_when_the_caller_does() -> None:
    produced: list[int] = []

    def endless() -> Iterator[int]:
        i = 0
        while True:
            produced.append(i)
            yield i
            i += 1

    reader = read_ahead(endless())
    assert next(reader) == 0
    reader.close()  # the caller stops early (a closed pipe, an interrupt)
    for thread in threading.enumerate():
        if thread.name == "tiime-read-ahead":
            thread.join(timeout=5)
            assert not thread.is_alive()
    assert len(produced) < 10_000  # bounded read-ahead, not the whole listing
