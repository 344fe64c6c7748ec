"""client.labels against the sandbox, sync and async: what goes on the wire, what comes back."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tiime.types import Label, Tag

from .._support import Env, FakeTiime, run

LABELS_V2 = "application/vnd.tiime.labels.v2+json"


def _only(env: Env) -> Any:
    assert len(env.api_requests) == 1, [str(r.url) for r in env.api_requests]
    return env.api_requests[0]


async def test_list_asks_the_company_s_labels_in_the_v2_media_type(client: Any, env: Env) -> None:
    labels = await run(client.labels.list())

    request = _only(env)
    assert request.method == "GET"
    assert request.url.path == f"/v1/companies/{env.company_id}/labels"
    assert request.url.query == b""
    assert request.headers["Accept"] == LABELS_V2
    assert request.headers["Range"] == "items=0-*"
    assert labels
    assert all(isinstance(label, Label) for label in labels)
    assert labels[0].name == "Matériel informatique"
    assert labels[0].is_standard is False
    assert labels[0].configuration_source == "company"


async def test_list_limit_bounds_the_range(client: Any, env: Env) -> None:
    labels = await run(client.labels.list(limit=3))

    assert _only(env).headers["Range"] == "items=0-2"
    assert len(labels) == 3


async def test_standard_labels(client: Any, env: Env) -> None:
    labels = await run(client.labels.standard())

    request = _only(env)
    assert request.url.path == f"/v1/companies/{env.company_id}/standard_labels"
    assert request.url.query == b""
    assert request.headers["Accept"] == "application/json"
    names = {label.name for label in labels}
    assert {"Frais bancaires", "Carburant", "TVA"} <= names
    assert all(label.is_standard for label in labels)


async def test_tags_are_asked_with_their_detail(client: Any, env: Env) -> None:
    tags = await run(client.labels.tags())

    request = _only(env)
    assert request.url.path == f"/v1/companies/{env.company_id}/tags"
    assert request.url.query == b"expand=tag_detail"
    assert tags
    assert all(isinstance(tag, Tag) for tag in tags)
    assert tags[0].tag_detail is not None
    assert tags[0].tag_detail.label == tags[0].label


async def test_another_company_through_with_options(client: Any, env: Env) -> None:
    other = client.with_options(company_id=env.company_id)
    await run(other.labels.standard(limit=1))

    assert _only(env).url.path == f"/v1/companies/{env.company_id}/standard_labels"


@pytest.mark.parametrize("backend", ["mock"])
@pytest.mark.parametrize("call", ["list", "standard", "tags"])
async def test_capped_pages_are_followed_to_the_end(
    client: Any, fake: FakeTiime, call: str
) -> None:
    # A server answering 5 items at most per page, whatever is asked: nothing is dropped.
    ranges: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        ranges.append(request.headers["Range"])
        start = int(request.headers["Range"].removeprefix("items=").split("-")[0])
        chunk = [{"id": n, "name": f"L{n}", "label": f"L{n}"} for n in range(start + 1, 13)][:5]
        headers = {"Content-Range": f"items {start}-{start + len(chunk) - 1}/12"}
        return httpx.Response(206 if start + len(chunk) < 12 else 200, json=chunk, headers=headers)

    fake.api = handler
    found = await run(getattr(client.labels, call)())

    assert [item.id for item in found] == list(range(1, 13))
    assert ranges == ["items=0-*", "items=4-*", "items=8-*"]  # from the item read last
