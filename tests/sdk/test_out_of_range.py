"""Values no server can store are refused before sending, with ValidationError: dates whose
due date would not exist, line amounts past 10^12, ids past 2^63 - 1, a due-date mode that
is not text. Nothing goes on the wire, so a PUT is not retried on the 500 it would get."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest

from tiime import ValidationError

from ._support import FakeTiime, run

BIG_ID = 2**63
LINE: dict[str, Any] = {
    "description": "Dev",
    "quantity": 1,
    "unit_amount": 100,
    "vat_type": {"code": "normal"},
}
# (what, create() keywords): each went on the wire before.
BAD_CREATES: list[tuple[str, dict[str, Any]]] = [
    ("emission date 9999-12-31", {"emission_date": "9999-12-31"}),
    ("emission date as a date", {"emission_date": date(9999, 12, 1)}),
    ("due date 9999-12-31", {"due_date": "9999-12-31"}),
    (
        "line amount 10^24",
        {"lines": [{**LINE, "quantity": "999999999999", "unit_amount": "999999999999"}]},
    ),
    ("line amount past 10^12", {"lines": [{**LINE, "quantity": 2, "unit_amount": 5 * 10**11}]}),
    ("sequence past 2^63", {"lines": [{**LINE, "sequence": BIG_ID}]}),
    ("unit id past 2^63", {"lines": [{**LINE, "invoicing_unit": {"id": BIG_ID}}]}),
    ("VAT code a list", {"lines": [{**LINE, "vat_type": {"code": []}}]}),
    ("due date mode a list", {"extra": {"due_date_mode": []}}),
]


def _create(client: Any, **changes: Any) -> Any:
    return client.invoices.create(**{"lines": [LINE], **changes})


@pytest.mark.parametrize(("what", "changes"), BAD_CREATES, ids=[b[0] for b in BAD_CREATES])
async def test_invoice_create(client: Any, fake: FakeTiime, what: str, changes: Any) -> None:
    with pytest.raises(ValidationError):
        await run(_create(client, **changes))
    assert fake.api_requests == []


@pytest.mark.parametrize(
    ("what", "changes"),
    [b for b in BAD_CREATES if "extra" not in b[1]],
    ids=[b[0] for b in BAD_CREATES if "extra" not in b[1]],
)
async def test_invoice_update(client: Any, fake: FakeTiime, what: str, changes: Any) -> None:
    with pytest.raises(ValidationError):
        await run(client.invoices.update(9, **changes))
    assert fake.api_requests == []


@pytest.mark.parametrize(
    ("what", "changes"),
    [
        ("date 9999-12-31", {"date": "9999-12-31"}),
        *[b for b in BAD_CREATES if "lines" in b[1]],
    ],
)
async def test_quotation_create(client: Any, fake: FakeTiime, what: str, changes: Any) -> None:
    with pytest.raises(ValidationError):
        await run(client.quotations.create(**{"lines": [LINE], **changes}))
    assert fake.api_requests == []


async def test_invoice_duplicate(client: Any, fake: FakeTiime) -> None:
    with pytest.raises(ValidationError, match="emission_date is too far ahead"):
        await run(client.invoices.duplicate(9, emission_date="9999-01-01"))
    assert fake.api_requests == []


async def test_the_latest_date_is_sent(client: Any, fake: FakeTiime) -> None:
    fake.api = lambda request: httpx.Response(201, json={"id": 9, "status": "draft"})
    await run(_create(client, emission_date="9998-12-31", due_date=date(9998, 12, 31)))
    assert len(fake.api_requests) == 1


async def test_match_documents(client: Any, fake: FakeTiime) -> None:
    with pytest.raises(ValidationError, match="too large for an id"):
        await run(client.bank_transactions.match_documents(880001, [BIG_ID]))
    assert fake.api_requests == []


@pytest.mark.parametrize("key", ["documents", "accountant_detail_requests"])
async def test_impute(client: Any, fake: FakeTiime, key: str) -> None:
    imputation = {"label": {"id": 1}, "amount": 10, key: [{"id": BIG_ID}]}
    with pytest.raises(ValidationError, match="too large for an id"):
        await run(client.bank_transactions.impute(880001, [imputation], amount=10))
    assert fake.api_requests == []


async def test_a_path_id_past_2_63(client: Any, fake: FakeTiime) -> None:
    with pytest.raises(ValidationError, match="too large for an id"):
        await run(client.invoices.get(BIG_ID))
    assert fake.api_requests == []
