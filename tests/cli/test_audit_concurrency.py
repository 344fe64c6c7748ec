"""``tiime audit --concurrency N``: at most N requests at a time, and more than one when N
allows it; the report the same whatever N (and whichever transport carries it)."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from typing import Any

import pytest

from tiime._base_client import AsyncAPIClient, SyncAPIClient
from tiime.cli import _audit, _session
from tiime.sandbox.seeding import DEMO_COMPANY_ID, SECOND_COMPANY_ID

from .conftest import Isolation, Result

Cli = Callable[..., Result]


class InFlight:
    """The requests on the wire at once, counted where both clients send each attempt."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.now = self.most = self.most_suggestions = self.suggestions_now = 0
        self.paths: list[str] = []

    def enter(self, path: str) -> None:
        with self._lock:
            self.now += 1
            self.most = max(self.most, self.now)
            self.paths.append(path)
            if path.endswith("/label_suggestions"):
                self.suggestions_now += 1
                self.most_suggestions = max(self.most_suggestions, self.suggestions_now)

    def leave(self, path: str) -> None:
        with self._lock:
            self.now -= 1
            if path.endswith("/label_suggestions"):
                self.suggestions_now -= 1


@pytest.fixture
def in_flight(monkeypatch: pytest.MonkeyPatch) -> InFlight:
    counter = InFlight()
    sync_send, async_send = SyncAPIClient._send, AsyncAPIClient._send

    def counted_sync(self: Any, action: Any) -> Any:
        path = action.request.url.path
        counter.enter(path)
        try:
            return sync_send(self, action)
        finally:
            counter.leave(path)

    async def counted_async(self: Any, action: Any) -> Any:
        path = action.request.url.path
        counter.enter(path)
        try:
            return await async_send(self, action)
        finally:
            counter.leave(path)

    monkeypatch.setattr(SyncAPIClient, "_send", counted_sync)
    monkeypatch.setattr(AsyncAPIClient, "_send", counted_async)
    return counter


@pytest.fixture
def two_companies(isolated: Isolation) -> int:
    """The demo user's second company (the demo profile's): the demo company and it, each
    with transactions to impute."""
    return SECOND_COMPANY_ID


def audit(cli: Cli, *args: str) -> Result:
    result = cli("--sandbox", "audit", "--all-companies", "--format", "json", *args)
    assert result.code == 0, result.err
    return result


@pytest.mark.usefixtures("two_companies")
def test_suggestions_are_asked_several_at_a_time(cli: Cli, in_flight: InFlight) -> None:
    audit(cli, "--concurrency", "8")

    assert sum(p.endswith("/label_suggestions") for p in in_flight.paths) > 8
    assert in_flight.most_suggestions > 1
    assert in_flight.most <= 8


@pytest.mark.usefixtures("two_companies")
def test_one_request_at_a_time_at_concurrency_1(cli: Cli, in_flight: InFlight) -> None:
    audit(cli, "--concurrency", "1")

    assert sum(p.endswith("/label_suggestions") for p in in_flight.paths) > 8
    assert in_flight.most == 1


def companies_in_turn(in_flight: InFlight) -> list[int]:
    """The companies the requests were for, in the order they were sent."""
    found = (re.search(r"/companies/(\d+)/", path) for path in in_flight.paths)
    return [int(match.group(1)) for match in found if match]


def test_companies_overlap_a_few_at_a_time(
    cli: Cli, in_flight: InFlight, monkeypatch: pytest.MonkeyPatch, two_companies: int
) -> None:
    audit(cli, "--concurrency", "8")
    overlapping = companies_in_turn(in_flight)
    monkeypatch.setattr(_audit, "COMPANIES_AT_ONCE", 1)
    in_flight.paths.clear()
    audit(cli, "--concurrency", "8")
    one_by_one = companies_in_turn(in_flight)

    # the second company's first request before the first company's last one
    last_of_first = max(n for n, company in enumerate(overlapping) if company == DEMO_COMPANY_ID)
    assert overlapping.index(two_companies) < last_of_first
    assert sorted(overlapping) == sorted(one_by_one)
    assert one_by_one == sorted(one_by_one, key=[DEMO_COMPANY_ID, two_companies].index)


def test_the_report_is_the_same_at_any_concurrency_and_on_either_transport(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, two_companies: int
) -> None:
    one = audit(cli, "--concurrency", "1")
    many = audit(cli, "--concurrency", "20")
    monkeypatch.setattr(_session, "aiohttp_installed", lambda: False)  # httpx's own pool
    on_httpx = audit(cli, "--concurrency", "8")

    report = json.loads(one.out)
    assert [c["company_id"] for c in report["companies"]] == [DEMO_COMPANY_ID, two_companies]
    assert all(c["unimputed_transactions"] for c in report["companies"])
    assert many.out == one.out
    assert on_httpx.out == one.out
