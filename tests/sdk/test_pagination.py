"""``iter(page_size=N)`` and ``list()`` over Range pages: each termination rule alone.

Each page after the first starts one item back (the item read last, then ``size`` more):
that is how a listing sees that the list changed under it (test_pagination_churn.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tiime import ListingChangedError, TiimeError
from tiime._pagination import MAX_REREADS, RangePager
from tiime._request import APIRequest
from tiime._response import RawResponse

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
    # From the second page on: the item read last, then 4 more (END inclusive). No TOTAL:
    # the short page (8, 9, 10) does not end it; the page holding only 10 (read before,
    # although 5 were asked) does.
    assert asked == [(0, 3), (3, 7), (7, 11), (9, 13)]


async def test_iter_stops_on_status_200(client: Any, fake: FakeTiime) -> None:
    # A full page, but 200 says "this is all of it".
    asked = page_server(fake, lambda s, e: page(200, list(range(s + 1, s + 6))))

    ids = [c.id for c in await collect(client.clients.iter(page_size=5))]

    assert ids == [1, 2, 3, 4, 5]
    assert asked == [(0, 4)]


async def test_iter_goes_past_a_short_206_page_without_total(client: Any, fake: FakeTiime) -> None:
    # 206 and no Content-Range: a short page may be a capped one (4 items here after the
    # first page); the page with nothing after the item read last ends it.
    every = list(range(1, 10))

    def answer(start: int, end: int | None) -> httpx.Response:
        cap = 5 if start == 0 else 4
        return page(206, every[start : min(start + cap, (end or start) + 1)])

    asked = page_server(fake, answer)

    ids = [c.id for c in await collect(client.clients.iter(page_size=5))]

    assert ids == every
    assert asked == [(0, 4), (4, 9), (7, 12), (8, 13)]


async def test_iter_follows_a_server_that_caps_its_pages(client: Any, fake: FakeTiime) -> None:
    # Asked items=0-99, the server answers 10 items and Content-Range: items 0-9/120.
    every = list(range(1, 121))

    def answer(start: int, end: int | None) -> httpx.Response:
        chunk = every[start : start + 10]
        return page(206, chunk, f"items {start}-{start + len(chunk) - 1}/120")

    asked = page_server(fake, answer)

    ids = [c.id for c in await collect(client.clients.iter(page_size=100))]

    assert ids == every
    # 10 items a page, one of them the item read last: 9 new ones a page.
    assert [start for start, _ in asked] == list(range(0, 120, 9))
    assert asked[0] == (0, 99)
    assert all(end == start + 100 for start, end in asked[1:])  # the item read last + 100


async def test_iter_with_unknown_total_goes_on_until_an_empty_page(
    client: Any, fake: FakeTiime
) -> None:
    every = list(range(1, 31))

    def answer(start: int, end: int | None) -> httpx.Response:
        chunk = every[start : start + 7]
        if not chunk:
            return page(206, [], "items */*")
        return page(206, chunk, f"items {start}-{start + len(chunk) - 1}/*")

    page_server(fake, answer)

    ids = [c.id for c in await collect(client.clients.iter(page_size=10))]

    assert ids == every


async def test_a_416_to_a_follow_up_page_reads_the_list_again(client: Any, fake: FakeTiime) -> None:
    # 10 items, then 7 of them removed after the first page: the next page (from index 4,
    # the item read last) is past the end, 416. The list may have shifted: it is read
    # again a page further back (here from index 0), and what is left comes out once.
    every = list(range(1, 11))

    def answer(start: int, end: int | None) -> httpx.Response:
        if len(asked) == 2:
            del every[1:8]  # 1, 9, 10 are left
        if start >= len(every):
            return httpx.Response(
                416, json={"error": 416}, headers={"Content-Range": f"items */{len(every)}"}
            )
        chunk = every[start : (end or start) + 1]
        return page(206, chunk, f"items {start}-{start + len(chunk) - 1}/*")

    asked = page_server(fake, answer)

    ids = [c.id for c in await collect(client.clients.iter(page_size=5))]

    assert ids == [1, 2, 3, 4, 5, 9, 10]
    assert asked == [(0, 4), (4, 9), (0, 9), (2, 7)]


async def test_a_416_to_the_first_page_is_an_error(client: Any, fake: FakeTiime) -> None:
    page_server(fake, lambda s, e: httpx.Response(416, json={"error": 416}))

    with pytest.raises(TiimeError) as caught:
        await collect(client.clients.iter(page_size=5))

    assert caught.value.status == 416


async def test_list_limit_bounds_a_server_that_never_ends(client: Any, fake: FakeTiime) -> None:
    # 206 with new ids every time (50 at most) and no TOTAL: without a bound, list() never
    # returns.
    def answer(start: int, end: int | None) -> httpx.Response:
        size = 50 if end is None else min(50, end - start + 1)
        return page(206, list(range(start + 1, start + 1 + size)), None)

    asked = page_server(fake, answer)

    result = await run(client.clients.list(limit=120))

    assert [c.id for c in result] == list(range(1, 121))
    assert asked == [(0, 119), (49, 119), (98, 119)]  # each from the item read last


async def test_iter_limit_asks_no_more_than_needed(client: Any, fake: FakeTiime) -> None:
    asked = page_server(fake, lambda s, e: page(206, list(range(s + 1, (e or s) + 2)), None))

    ids = [c.id for c in await collect(client.clients.iter(page_size=10, limit=25))]

    assert ids == list(range(1, 26))
    # The item read last, then no more than the limit leaves: 10, 10, then 5.
    assert asked == [(0, 9), (9, 19), (19, 24)]


async def test_iter_stops_when_content_range_total_is_reached(client: Any, fake: FakeTiime) -> None:
    # Full pages with 206 every time: only TOTAL (10) says it is over.
    asked = page_server(
        fake,
        lambda s, e: page(206, list(range(s + 1, min(e or s, 9) + 2)), f"items {s}-{e}/10"),
    )

    ids = [c.id for c in await collect(client.clients.iter(page_size=5))]

    assert ids == list(range(1, 11))
    assert asked == [(0, 4), (4, 9)]


async def test_iter_stops_on_a_page_with_nothing_past_the_item_read_last(
    client: Any, fake: FakeTiime
) -> None:
    # Full pages with 206 and an unknown total: the page from index 9 holds only 10.
    every = list(range(1, 11))

    def answer(start: int, end: int | None) -> httpx.Response:
        chunk = every[start : (end or start) + 1]
        if not chunk:
            return page(206, [], "items */*")
        return page(206, chunk, f"items {start}-{start + len(chunk) - 1}/*")

    asked = page_server(fake, answer)

    ids = [c.id for c in await collect(client.clients.iter(page_size=5))]

    assert ids == every
    assert asked == [(0, 4), (4, 9), (9, 14)]


async def test_iter_stops_on_an_empty_first_page(client: Any, fake: FakeTiime) -> None:
    asked = page_server(fake, lambda s, e: page(206, [], "items */*"))

    assert await collect(client.clients.iter(page_size=5)) == []
    assert asked == [(0, 4)]


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
    # Its pages hold 4 items, one of them the item read last: the fifth page (10 alone)
    # ends it.
    assert len(asked) <= 5


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
    assert asked == [(0, None), (99, None), (198, None)]  # each from the item read last


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


def test_items_without_ids_are_paged_by_offset_alone() -> None:
    # Nothing tells a repeated item without an id from a new one: no overlap for them.
    every = [{"name": f"item {i}"} for i in range(1, 8)]
    pager: RangePager[Any] = RangePager(
        lambda header: APIRequest.get("things", list[Any], headers={"Range": header}), 3
    )
    asked, names = [], []
    while (call := pager.next_request()) is not None:
        assert call.headers is not None
        start, end = (int(n) for n in call.headers["Range"].removeprefix("items=").split("-"))
        asked.append((start, end))
        chunk = every[start : end + 1]
        response = httpx.Response(
            206 if start + len(chunk) < 7 else 200,
            json=chunk,
            headers={"Content-Range": f"items {start}-{start + len(chunk) - 1}/7"},
            request=httpx.Request("GET", "https://api.tiime.test/v1/things"),
        )
        names += [item["name"] for item in pager.accept(RawResponse(response, call.reader))]

    assert names == [f"item {i}" for i in range(1, 8)]
    assert asked == [(0, 2), (3, 5), (6, 8)]


async def test_the_same_206_page_without_content_range_raises_instead_of_looping(
    client: Any, fake: FakeTiime
) -> None:
    # Nothing says where this page is: it is no further than the last one, every time.
    asked = page_server(fake, lambda s, e: page(206, [1, 2, 3]))

    with pytest.raises(ListingChangedError) as caught:
        await collect(client.clients.iter(page_size=3))

    assert caught.value.returned == 3
    assert len(asked) == 2 + MAX_REREADS
