"""Calls whose answers the API leaves untyped return whatever JSON arrives, of any shape."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from ._support import FakeTiime, run

# The untyped calls, each with the path it asks for (after /v1/).
UNTYPED: dict[str, tuple[Callable[[Any], Any], str]] = {
    "company.users": (lambda c: c.company.users(), "companies/4242/users"),
    "company.app_config": (lambda c: c.company.app_config(), "companies/4242/app_config"),
    "company.tiles": (lambda c: c.company.tiles(["bank_balance"]), "companies/4242/tiles"),
    "company.dashboard_blocks": (
        lambda c: c.company.dashboard_blocks(),
        "companies/4242/dashboard_blocks",
    ),
    "users.legal_informations": (
        lambda c: c.users.legal_informations(),
        "users/me/legal_informations",
    ),
    "users.settings": (lambda c: c.users.settings(), "users/me/companies/4242/settings"),
    "documents.preview": (
        lambda c: c.documents.preview(7),
        "companies/4242/documents/7/preview",
    ),
}

SHAPES: list[Any] = [
    [{"id": 1, "rank": 1}, {"id": 2}],
    {"items": [{"id": 1}], "total": 1},
    "text",
    12.5,
    None,
    [],
    {},
]


@pytest.mark.parametrize("answer", SHAPES, ids=repr)
@pytest.mark.parametrize("call", sorted(UNTYPED))
async def test_an_untyped_answer_is_returned_as_it_came(
    make_client: Any, fake: FakeTiime, call: str, answer: Any
) -> None:
    method, path = UNTYPED[call]
    body = json.dumps(answer).encode()
    fake.api = lambda request: httpx.Response(
        200, content=body, headers={"Content-Type": "application/json"}
    )
    client = make_client()

    assert await run(method(client)) == answer
    assert fake.api_requests[-1].url.path == f"/v1/{path}"
