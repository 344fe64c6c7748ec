"""Listings while the list changes between pages: every item there from start to end comes
out once, or :class:`~tiime.ListingChangedError` is raised; never a silent gap.

A fake server holds an ordered list of ids and answers ``Range: items=A-B`` as the sandbox
does (206 while items remain, ``Content-Range: items A-E/TOTAL``, 200 and ``items */TOTAL``
past the end), under a page cap drawn by hypothesis; before each page but the first it
applies a drawn batch of changes (inserts at the head or anywhere, deletes anywhere). The
same properties are checked for ``list()`` and ``iter()``, sync and async, and with a
TOTAL that is given, unknown (``/*``) or absent (no ``Content-Range``).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiime import AsyncTiimeClient, ListingChangedError, TiimeClient, TiimeError

from ._support import TIMELINE_V2, FakeTiime

_RANGE = re.compile(r"^items=(\d+)-(\d+|\*)$")
MAX_PAGES = 400  # a listing that does not end fails the example instead of hanging
BOUNDED_CHURN = 4  # batches of changes a listing must always get through without an error

# One change: ("head", _) inserts a new id first (newest first, as documents are listed);
# ("insert", k) inserts one at position k % (len + 1); ("delete", k) removes the item at
# position k % len.
Change = tuple[str, int]
changes = st.tuples(st.sampled_from(["head", "insert", "delete"]), st.integers(0, 10_000))


@dataclass
class ChurningList:
    """The server's side: an ordered list of ids, changed before the pages in ``schedule``."""

    ids: list[int]
    schedule: list[list[Change]]
    cap: int | None
    totals: str  # "given", "unknown" or "absent"
    pages: int = 0
    batches: int = 0  # batches that changed the list while it was listed
    every: set[int] = field(default_factory=set)
    deleted: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.initial = list(self.ids)
        self.every = set(self.ids)
        self.next_id = max(self.ids, default=0) + 1

    def apply(self, batch: list[Change]) -> None:
        changed = False
        for kind, where in batch:
            if kind == "delete":
                if self.ids:
                    self.deleted.add(self.ids.pop(where % len(self.ids)))
                    changed = True
                continue
            position = 0 if kind == "head" else where % (len(self.ids) + 1)
            self.ids.insert(position, self.next_id)
            self.every.add(self.next_id)
            self.next_id += 1
            changed = True
        self.batches += changed

    def answer(self, request: httpx.Request) -> httpx.Response:
        match = _RANGE.match(request.headers["Range"])
        assert match is not None, request.headers["Range"]
        if self.pages > MAX_PAGES:
            raise AssertionError("the listing did not end")
        if 1 <= self.pages <= len(self.schedule):
            self.apply(self.schedule[self.pages - 1])
        self.pages += 1
        start = int(match.group(1))
        end = None if match.group(2) == "*" else int(match.group(2))
        total = len(self.ids)
        stop = total if end is None else min(end + 1, total)
        if self.cap is not None:
            stop = min(stop, start + self.cap)
        window = self.ids[start:stop]
        shown = str(total) if self.totals == "given" else "*"
        headers = {"Content-Type": TIMELINE_V2}
        if self.totals != "absent":
            headers["Content-Range"] = (
                f"items {start}-{start + len(window) - 1}/{shown}" if window else f"items */{shown}"
            )
        status = 206 if window and start + len(window) < total else 200
        body = [{"id": i, "name": f"Client {i}"} for i in window]
        return httpx.Response(status, json=body, headers=headers)

    def present_throughout(self) -> set[int]:
        return set(self.initial) - self.deleted


def check(server: ChurningList, listed: list[int], error: Exception | None) -> None:
    """The listing's promise, whatever the changes were."""
    assert len(listed) == len(set(listed)), "an id came out twice"
    assert set(listed) <= server.every
    if error is None:
        missing = server.present_throughout() - set(listed)
        assert not missing, f"items there from start to end were skipped: {sorted(missing)}"
    else:
        assert isinstance(error, ListingChangedError), repr(error)
        # Only a list that kept changing may defeat the listing.
        assert server.batches > BOUNDED_CHURN, (server.batches, error)


def _settings(server: Any) -> dict[str, Any]:
    return {
        "company_id": server.company_id,
        "email": server.email,
        "password": server.password,
        "base_url": server.base_url,
        "auth_url": server.auth_url,
    }


@contextmanager
def sync_client(server: Any, transport: httpx.BaseTransport) -> Iterator[TiimeClient]:
    """A client of ``server`` (a FakeTiime or a Sandbox) through ``transport``, closed after."""
    with (
        httpx.Client(transport=transport) as http,
        TiimeClient(http_client=http, **_settings(server)) as client,
    ):
        yield client


@asynccontextmanager
async def async_client(fake: FakeTiime) -> AsyncIterator[AsyncTiimeClient]:
    async with (
        httpx.AsyncClient(transport=fake.transport("async")) as http,
        AsyncTiimeClient(http_client=http, **_settings(fake)) as client,
    ):
        yield client


def run_listing(server: ChurningList, flavour: str, call: str, page_size: int) -> None:
    """List through the real client of ``flavour`` and check the promise."""
    fake = FakeTiime(n_clients=0)
    fake.api = server.answer
    listed: list[int] = []
    error: Exception | None = None
    if flavour == "sync":
        with sync_client(fake, fake.transport("sync")) as client:
            try:
                if call == "list":
                    listed = [c.id for c in client.clients.list()]
                else:
                    for c in client.clients.iter(page_size=page_size):
                        listed.append(c.id)
            except TiimeError as exc:
                error = exc
    else:

        async def main() -> None:
            nonlocal listed, error
            async with async_client(fake) as client:
                try:
                    if call == "list":
                        listed = [c.id for c in await client.clients.list()]
                    else:
                        async for c in client.clients.iter(page_size=page_size):
                            listed.append(c.id)
                except TiimeError as exc:
                    error = exc

        asyncio.run(main())
    check(server, listed, error)


@st.composite
def churning_lists(draw: st.DrawFn) -> ChurningList:
    size = draw(st.integers(0, 60))
    return ChurningList(
        ids=list(range(1, size + 1)),
        schedule=draw(st.lists(st.lists(changes, max_size=12), max_size=12)),
        cap=draw(st.none() | st.integers(2, 15)),
        totals=draw(st.sampled_from(["given", "given", "unknown", "absent"])),
    )


@pytest.mark.parametrize("flavour", ["sync", "async"])
@pytest.mark.parametrize("call", ["list", "iter"])
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(server=churning_lists(), page_size=st.integers(1, 12))
def test_every_item_there_throughout_comes_out_once_or_the_listing_raises(
    server: ChurningList, page_size: int, flavour: str, call: str
) -> None:
    if call == "list" and server.cap is None:
        server.cap = page_size + 1  # list() asks items=START-*: only a cap makes pages
    run_listing(server, flavour, call, page_size)


@pytest.mark.parametrize("flavour", ["sync", "async"])
@pytest.mark.parametrize("call", ["list", "iter"])
def test_the_issue_s_listing_gets_all_sixty_documents_past_ten_new_ones(
    flavour: str, call: str
) -> None:
    # 60 items newest first, pages of 10 (a cap of 10 for list()), 10 new ones at the head
    # after the first page: the next page at offset 10 holds only ids already seen.
    server = ChurningList(
        ids=list(range(60, 0, -1)), schedule=[[("head", 0)] * 10], cap=10, totals="given"
    )

    run_listing(server, flavour, call, page_size=10)

    assert server.batches == 1


def test_a_list_that_keeps_changing_raises_a_typed_error() -> None:
    # 20 new items at the head before every page of 5: the listing cannot catch up.
    server = ChurningList(
        ids=list(range(1, 31)), schedule=[[("head", 0)] * 20] * 60, cap=None, totals="given"
    )
    fake = FakeTiime(n_clients=0)
    fake.api = server.answer

    with (
        sync_client(fake, fake.transport("sync")) as client,
        pytest.raises(ListingChangedError) as caught,
    ):
        list(client.clients.iter(page_size=5))

    assert isinstance(caught.value, TiimeError)
    assert "changed" in str(caught.value)
    assert caught.value.endpoint is not None
    assert "/clients" in caught.value.endpoint
    assert caught.value.returned >= 5  # the first page at least
    assert caught.value.total is not None
    assert caught.value.total > 30


# -- the issue's case on the sandbox: 60 documents, 10 receipts uploaded after page one ------


@pytest.fixture(scope="module")
def capped_sandbox() -> Iterator[Any]:
    """The demo sandbox (60 documents, newest first) with pages capped at 10 items."""
    module = pytest.importorskip("tiime.sandbox", exc_type=ImportError)
    with module.Sandbox(max_page_size=10) as sb:
        yield sb


class UploadAfterFirstPage(httpx.BaseTransport):
    """Sends for real; once the first page of documents has come back, uploads
    ``count`` receipts through ``uploader`` before answering."""

    def __init__(self, uploader: TiimeClient, count: int) -> None:
        self.inner = httpx.HTTPTransport()
        self.uploader = uploader
        self.count = count
        self.uploaded: list[int] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        first_page = request.headers.get("Range", "").startswith("items=0-")
        if request.url.path.endswith("/documents") and first_page and not self.uploaded:
            response.read()
            for n in range(self.count):
                receipt = self.uploader.documents.upload(
                    b"%PDF-1.4\n" + bytes([n]) * 64, filename=f"recu-{n}.pdf", type="receipt"
                )
                self.uploaded.append(receipt.id)
        return response

    def close(self) -> None:
        self.inner.close()


@pytest.mark.parametrize("call", ["iter", "list"])
def test_documents_listed_while_ten_receipts_arrive_come_out_all_and_once(
    capped_sandbox: Any, call: str
) -> None:
    with sync_client(capped_sandbox, httpx.HTTPTransport()) as uploader:
        before = [d.id for d in uploader.documents.list()]
        transport = UploadAfterFirstPage(uploader, 10)
        with sync_client(capped_sandbox, transport) as client:
            if call == "iter":
                listed = [d.id for d in client.documents.iter(page_size=10)]
            else:
                listed = [d.id for d in client.documents.list()]

    assert len(before) >= 60
    assert len(transport.uploaded) == 10
    assert len(listed) == len(set(listed))
    assert set(before) <= set(listed)  # before the rule: 10 of them, the first page
