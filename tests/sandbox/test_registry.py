"""Adding a resource is one module plus one registry line: the documented example works."""

from __future__ import annotations

import textwrap
import types
from collections.abc import Iterator

import httpx
import pytest

import tiime.sandbox.resources as registry
from tiime.sandbox import Sandbox, app, seeding


def _example_module() -> types.ModuleType:
    """``resources/notes.py`` exactly as the registry's documentation shows it."""
    doc = registry.__doc__ or ""
    start = doc.index("Example, ``resources/notes.py``::")
    code = textwrap.dedent(doc[start:].split("::\n", 1)[1].split("\nand in :data:")[0])
    module = types.ModuleType("tiime.sandbox.resources.notes")
    module.__package__ = "tiime.sandbox.resources"
    exec(compile(code, "notes.py", "exec"), module.__dict__)
    return module


@pytest.fixture
def with_notes(monkeypatch: pytest.MonkeyPatch) -> Iterator[Sandbox]:
    resources = (*registry.RESOURCES, _example_module())  # the one line
    for module in (registry, app, seeding):
        monkeypatch.setattr(module, "RESOURCES", resources)
    with Sandbox(clients=2) as sb:
        yield sb


def test_the_documented_example_resource_works(with_notes: Sandbox, http: httpx.Client) -> None:
    sb = with_notes
    headers = {"Authorization": f"Bearer {sb.issue_token()}"}
    url = f"{sb.base_url}/companies/{sb.company_id}/notes"

    seeded = http.get(url, headers=headers)
    created = http.post(url, headers=headers, json={"name": "Urgent"})
    refused = http.post(url, headers=headers, json={"name": ""})
    page = http.get(url, headers={**headers, "Range": "items=0-3"})
    other = http.get(f"{sb.base_url}/companies/1/notes", headers=headers)

    assert seeded.status_code == 200
    assert len(seeded.json()) == 8
    assert created.status_code == 201
    assert created.json()["name"] == "Urgent"
    assert refused.status_code == 422
    assert refused.json()["errors"] == {"name": "Ce champ est obligatoire."}
    assert page.status_code == 206
    assert page.headers["content-range"] == "items 0-3/9"
    assert other.status_code == 404
    assert sb.db.version == 900
