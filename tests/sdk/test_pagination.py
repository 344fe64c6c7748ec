"""``iter(page_size=N)`` and ``list()`` over Range pages: each termination rule alone."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from ._support import TIMELINE_V2, FakeTiime, collect, run

_RANGE = re.compile(r"^items=(\d+)-(\d+|\*)$")
MAX_CALLS = 50  # a pager that does not stop fails the test instead of hanging


def items(*ids: int) -> list[dict[str, Any]]:
    return [{"id": i, "name": f"Client {i}"} for i in ids]


def page_server(
    fake: FakeTiime, answer: Callable[[int, int | None], httpx.Response]
) -> list[tuple[int, int | None]]:
    """Serve the clients list with ``answer(start, end)``; returns the ranges asked."""
    asked: list[tuple[int, int | None]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        match = _RANGE.match(request.headers["Range"])
        assert match is not None, request.headers["Range"]
        start = int(match.group(1))
        end = None if match.group(2) == "*" else int(match.group(2))
        asked.append((start, end))
        if len(asked) > MAX_CALLS:
            raise AssertionError("the pager did not stop")
        return answer(start, end)

    fake.api = handler
    return asked


def page(status: int, ids: list[int], content_range: str | None = None) -> httpx.Response:
    headers = {"Content-Type": TIMELINE_V2}
    if content_range:
        headers["Content-Range"] = content_range
    return httpx.Response(status, json=items(*ids), headers=headers)


async def test_iter_asks_consecutive_inclusive_ranges(client: Any, fake: FakeTiime) -> None:
    asked = page_server(
        fake, lambda s, e: page(206, list(range(s + 1, min(e, 9) + 2)) if s < 10 else [])
    )

    ids = [c.id for c in await collect(client.clients.iter(page_size=4))]

    assert ids == list(range(1, 11))
    assert asked == [(0, 3), (4, 7), (8, 11)]  # the last page (2 items) is short: stop


async def test_iter_stops_on_status_200(client: Any, fake: FakeTiime) -> None:
    # A full page, but 200 says "this is all of it".
    asked = page_server(fake, lambda s, e: page(200, list(range(s + 1, s + 6))))

    ids = [c.id for c in await collect(client.clients.iter(page_size=5))]

    assert ids == [1, 2, 3, 4, 5]
    assert asked == [(0, 4)]


async def test_iter_stops_on_a_short_page(client: Any, fake: FakeTiime) -> None:
    # 206 and no Content-Range: only the short second page says it is over.
    def answer(start: int, end: int | None) -> httpx.Response:
        count = 5 if start == 0 else 4
        return page(206, list(range(start + 1, start + 1 + count)))

    asked = page_server(fake, answer)

    ids = [c.id for c in await collect(client.clients.iter(page_size=5))]

    assert ids == list(range(1, 10))
    assert asked == [(0, 4), (5, 9)]


async def test_iter_stops_when_content_range_total_is_reached(client: Any, fake: FakeTiime) -> None:
    # Full pages with 206 every time: only TOTAL (10) says it is over.
    asked = page_server(
        fake,
        lambda s, e: page(206, list(range(s + 1, s + 6)), f"items {s}-{s + 4}/10"),
    )

    ids = [c.id for c in await collect(client.clients.iter(page_size=5))]

    assert ids == list(range(1, 11))
    assert asked == [(0, 4), (5, 9)]


async def test_iter_stops_on_an_empty_page(client: Any, fake: FakeTiime) -> None:
    # Full pages with 206 and an unknown total, then an empty 206 page.
    def answer(start: int, end: int | None) -> httpx.Response:
        if start >= 10:
            return page(206, [], "items */*")
        return page(206, list(range(start + 1, start + 6)), f"items {start}-{start + 4}/*")

    asked = page_server(fake, answer)

    ids = [c.id for c in await collect(client.clients.iter(page_size=5))]

    assert ids == list(range(1, 11))
    assert asked == [(0, 4), (5, 9), (10, 14)]


async def test_iter_stops_when_the_server_ignores_range(client: Any, fake: FakeTiime) -> None:
    # The same full page, 206, "more to come", whatever is asked: no infinite loop.
    asked = page_server(fake, lambda s, e: page(206, [1, 2, 3], "items 0-2/*"))

    ids = [c.id for c in await collect(client.clients.iter(page_size=3))]

    assert ids == [1, 2, 3]
    assert len(asked) == 2


async def test_iter_never_yields_an_id_twice_on_overlapping_pages(
    client: Any, fake: FakeTiime
) -> None:
    every = list(range(1, 11))

    def answer(start: int, end: int | None) -> httpx.Response:
        first = max(0, start - 1)  # each page repeats the last item of the one before
        return page(206, every[first : first + 4])

    asked = page_server(fake, answer)

    ids = [c.id for c in await collect(client.clients.iter(page_size=4))]

    assert ids == every
    assert asked[0] == (0, 3)
    assert len(asked) <= 4


async def test_list_follows_a_206_to_the_end(client: Any, fake: FakeTiime) -> None:
    every = list(range(1, 251))

    def answer(start: int, end: int | None) -> httpx.Response:
        assert end is None  # list() asks for everything: items=START-*
        chunk = every[start : start + 100]
        status = 206 if start + len(chunk) < len(every) else 200
        return page(status, chunk, f"items {start}-{start + len(chunk) - 1}/250")

    asked = page_server(fake, answer)

    result = await run(client.clients.list())

    assert [c.id for c in result] == every
    assert asked == [(0, None), (100, None), (200, None)]


async def test_list_stops_after_one_200(client: Any, fake: FakeTiime) -> None:
    asked = page_server(fake, lambda s, e: page(200, [1, 2, 3]))

    result = await run(client.clients.list())

    assert [c.id for c in result] == [1, 2, 3]
    assert asked == [(0, None)]


async def test_iter_is_lazy(client: Any, fake: FakeTiime) -> None:
    asked = page_server(fake, lambda s, e: page(206, list(range(s + 1, s + 3)), None))
    iterator = client.clients.iter(page_size=2)

    if hasattr(iterator, "__anext__"):
        first = await iterator.__anext__()
        await iterator.aclose()
    else:
        first = next(iterator)
        iterator.close()

    assert first.id == 1
    assert asked == [(0, 1)]  # the second page is not fetched before it is needed


@pytest.mark.parametrize("page_size", [1, 1000])
async def test_iter_page_size_bounds_are_accepted(
    client: Any, fake: FakeTiime, page_size: int
) -> None:
    asked = page_server(fake, lambda s, e: page(200, [1]))

    await collect(client.clients.iter(page_size=page_size))

    assert asked == [(0, page_size - 1)]
