"""``client.expense_reports`` on the wire, against the sandbox (sync and async); the
no-replay rule of a create on the scripted mock."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any

import pytest

from tiime import NotFoundError, ServerError, ValidationError
from tiime.types import ExpenseReport

from .._support import Env, FakeTiime, collect, run


def reports_path(env: Env, *rest: object) -> str:
    return "/".join([f"/v1/companies/{env.company_id}/expense_reports", *map(str, rest)])


def only_api_request(env: Env) -> Any:
    assert len(env.api_requests) == 1, [str(r.url) for r in env.api_requests]
    return env.api_requests[0]


async def test_list_asks_the_totals_newest_first(client: Any, env: Env) -> None:
    reports = await run(client.expense_reports.list())

    request = only_api_request(env)
    assert request.method == "GET"
    assert request.url.path == reports_path(env)
    assert request.url.query == b"expand=total_amount&sorts=metadata.date%3Adesc"
    assert request.headers["Accept"] == "application/json"
    assert request.headers["Range"] == "items=0-*"
    assert len(reports) >= 8
    assert all(isinstance(report, ExpenseReport) for report in reports)
    assert all(isinstance(report.total_amount, Decimal) for report in reports)
    seeded = [r for r in reports if r.name and r.name.startswith("Notes de frais")]
    dates = [r.metadata.date for r in seeded if r.metadata]
    assert dates == sorted(dates, reverse=True)


async def test_list_other_sort(client: Any, env: Env) -> None:
    reports = await run(client.expense_reports.list(sorts="created_at:asc", limit=3))

    assert only_api_request(env).url.query == b"expand=total_amount&sorts=created_at%3Aasc"
    assert len(reports) == 3


async def test_iter_pages(client: Any, env: Env) -> None:
    everything = await run(client.expense_reports.list())
    env.requests.clear()

    paged = await collect(client.expense_reports.iter(page_size=3))

    assert [r.id for r in paged] == [r.id for r in everything]
    assert env.api_requests[0].headers["Range"] == "items=0-2"


async def test_get(client: Any, env: Env) -> None:
    first = (await run(client.expense_reports.list(limit=1)))[0]
    env.requests.clear()

    report = await run(client.expense_reports.get(first.id))

    request = only_api_request(env)
    assert request.url.path == reports_path(env, first.id)
    assert request.url.query == b"expand=total_amount"  # as the list asks it
    assert (report.id, report.name, report.status) == (first.id, first.name, first.status)
    assert isinstance(report.total_amount, Decimal)
    assert report.total_amount == first.total_amount  # the total the list shows


async def test_get_unknown(client: Any) -> None:
    with pytest.raises(NotFoundError):
        await run(client.expense_reports.get(999_999_999))


@pytest.mark.parametrize("date", [datetime.date(2024, 3, 31), "2024-03-31", " 2024-03-31 "])
async def test_create_with_a_date(client: Any, env: Env, date: Any) -> None:
    report = await run(client.expense_reports.create("Mars", date=date))

    request = only_api_request(env)
    assert request.method == "POST"
    assert request.url.path == reports_path(env)
    assert request.headers["Content-Type"] == "application/json"
    assert request.content == b'{"name":"Mars","metadata":{"date":"2024-03-31"}}'
    assert report.name == "Mars"
    assert report.metadata is not None
    assert report.metadata.date == datetime.date(2024, 3, 31)


async def test_create_without_a_date_sends_no_metadata(client: Any, env: Env) -> None:
    report = await run(client.expense_reports.create("  Déplacements Lyon "))

    assert json.loads(only_api_request(env).content) == {"name": "Déplacements Lyon"}
    assert report.status == "draft"


@pytest.mark.parametrize(
    ("name", "date", "message"),
    [
        ("", None, "name"),
        ("Mars", "31/03/2024", "YYYY-MM-DD"),
        ("Mars", "2024-02-30", "YYYY-MM-DD"),
        ("Mars", datetime.datetime(2024, 3, 31, 12), "not a datetime"),
        ("Mars", 20240331, "datetime.date"),
    ],
)
async def test_create_refuses_bad_input_before_sending(
    client: Any, env: Env, name: str, date: Any, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        await run(client.expense_reports.create(name, date=date))
    assert env.api_requests == []


@pytest.mark.parametrize("backend", ["mock"])
async def test_create_is_not_replayed_after_a_503(client: Any, fake: FakeTiime) -> None:
    fake.queue(503)

    with pytest.raises(ServerError):
        await run(client.expense_reports.create("Mars"))

    assert len(fake.api_requests) == 1
