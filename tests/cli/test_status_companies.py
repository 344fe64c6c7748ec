"""``tiime status --company A,B`` and ``--all-companies``: each company's figures, gathered
at once; a company that fails is one line and exit 1, the others are shown."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import anyio
import pytest

from tiime import ServerError
from tiime.cli import _status
from tiime.sandbox import Sandbox
from tiime.sandbox.seeding import DEMO_COMPANY_ID, SECOND_COMPANY_ID

from .conftest import Isolation, Result

Cli = Callable[..., Result]


@pytest.fixture
def second_company(isolated: Isolation) -> int:
    """The demo user's second company (the demo profile's), with its own bank."""
    return SECOND_COMPANY_ID


def unimputed_of(isolated: Isolation, company_id: int) -> int:
    with Sandbox(db_path=isolated.sandbox_db) as sandbox:
        return int(
            sandbox.db.scalar(
                "SELECT COUNT(*) FROM bank_transactions t WHERE t.company_id = ? AND "
                "t.status != 'refused' AND NOT EXISTS "
                "(SELECT 1 FROM bank_imputations i WHERE i.transaction_id = t.id)",
                (company_id,),
            )
        )


def test_every_company_as_the_one_company_status_shows_it(
    cli: Cli, isolated: Isolation, second_company: int
) -> None:
    alone = cli("--sandbox", "status", "--format", "json")
    every = cli("--sandbox", "status", "--all-companies", "--format", "json")
    named = cli(
        "--sandbox",
        "status",
        "--company",
        f"Martin Formations,{DEMO_COMPANY_ID}",
        "--format",
        "csv",
    )
    table = cli("--sandbox", "status", "--all-companies", "--format", "table")

    assert (alone.code, every.code, named.code, table.code) == (0, 0, 0, 0), every.err
    first, second = json.loads(every.out)
    assert first == json.loads(alone.out)
    assert second["company_id"] == second_company
    assert second["unimputed_transactions"] == unimputed_of(isolated, second_company)
    assert [len(s["bank_accounts"]) for s in (first, second)] == [2, 1]
    header, *rows = named.out.splitlines()
    assert header == cli("--sandbox", "status", "--format", "csv").out.splitlines()[0]
    assert [row.split(",")[0] for row in rows] == [str(second_company), str(DEMO_COMPANY_ID)]
    assert table.out.count("Bank balances:") == 2
    assert f"Company Martin Formations ({second_company})" in table.out  # named, as alone
    assert [row["company_name"] for row in json.loads(every.out)] == [
        first["company_name"],
        "Martin Formations",
    ]
    assert header.split(",")[:2] == ["company_id", "company_name"]


def test_a_failing_company_is_one_line_and_the_others_are_shown(
    cli: Cli, second_company: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = _status.gather_async

    async def refuse_second(client: Any) -> Any:
        if client.company_id == second_company:  # raised in a task group, as a listing's is

            async def fail() -> None:
                raise ServerError("scripted failure", status=500, method="GET", endpoint="x")

            async with anyio.create_task_group() as group:
                group.start_soon(fail)
        return await real(client)

    monkeypatch.setattr(_status, "gather_async", refuse_second)
    result = cli("--sandbox", "status", "--all-companies", "--format", "json")

    assert result.code == 1
    assert [s["company_id"] for s in json.loads(result.out)] == [DEMO_COMPANY_ID]
    assert result.err.count("\n") == 1
    assert result.err.startswith(f"tiime: company {second_company} (Martin Formations): ")
    assert "scripted failure" in result.err
    assert "Traceback" not in result.err


def test_an_unknown_company_name_is_a_usage_error(cli: Cli) -> None:
    result = cli("--sandbox", "status", "--company", "Nobody Inc")

    assert result.code == 2
    assert "unknown company 'Nobody Inc'" in result.err
