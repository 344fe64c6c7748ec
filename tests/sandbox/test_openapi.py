"""The OpenAPI description: served, published, generated from the routes, and faithful to
the SDK's models (the fuzzing against it is test_openapi_fuzz.py)."""

from __future__ import annotations

import json
import subprocess
import sys
import typing
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest
from starlette.routing import Route

from tiime import types as sdk_types
from tiime.sandbox import Sandbox, create_app, open_database
from tiime.sandbox.kernel.spec import ApiRoute, Doc
from tiime.sandbox.openapi import PUBLISHED, build_document, dumps, generate

ROOT = Path(__file__).resolve().parents[2]
REGENERATE = f"python -m tiime.sandbox --openapi {PUBLISHED}"


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return generate()


@pytest.fixture(scope="module")
def routes(tmp_path_factory: pytest.TempPathFactory) -> list[Route]:
    """The routes of a real application."""
    db = open_database(tmp_path_factory.mktemp("openapi") / "sandbox.db")
    try:
        return [route for route in create_app(db).routes if isinstance(route, Route)]
    finally:
        db.close()


def _models(tp: Any) -> set[type[msgspec.Struct]]:
    """The SDK models a declared answer type names (through lists and alternatives)."""
    if isinstance(tp, tuple):
        return set().union(*(_models(member) for member in tp))
    if isinstance(tp, type) and issubclass(tp, msgspec.Struct):
        return {tp} if tp.__module__.startswith("tiime.types") else set()
    return set().union(*(_models(arg) for arg in typing.get_args(tp)))


def _nested(model: type[msgspec.Struct]) -> set[type[msgspec.Struct]]:
    """``model`` and every SDK model its fields hold, recursively."""
    found = {model}
    for field in msgspec.structs.fields(model):
        for inner in _models(field.type) - found:
            found |= _nested(inner)
    return found


def test_the_published_file_is_what_the_sandbox_generates(document: dict[str, Any]) -> None:
    published = ROOT / PUBLISHED
    assert published.is_file(), f"{PUBLISHED} is missing: run `{REGENERATE}`"
    assert published.read_text(encoding="utf-8") == dumps(document), (
        f"{PUBLISHED} differs from what the sandbox generates: run `{REGENERATE}` and commit it"
    )


def test_the_sandbox_serves_it(document: dict[str, Any]) -> None:
    with Sandbox() as sb:
        response = httpx.get(sb.base_url.removesuffix("/v1") + "/openapi.json", timeout=10)
    assert response.status_code == 200
    assert response.json() == json.loads(dumps(document))


def test_it_is_openapi_3_1_with_its_limits_said(document: dict[str, Any]) -> None:
    assert document["openapi"] == "3.1.0"
    description = document["info"]["description"]
    assert "first public description" in description
    assert "not from Tiime" in description
    assert "Limits" in description
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    flows = document["components"]["securitySchemes"]["oauth2"]["flows"]
    assert flows["password"]["tokenUrl"] == "/oauth/token"


def test_every_route_of_the_app_is_described(document: dict[str, Any], routes: list[Route]) -> None:
    assert len(routes) > 40
    for route in routes:
        for method in route.methods or ():
            if method != "HEAD":
                assert method.lower() in document["paths"][route.path_format], route.path


def test_a_route_without_a_description_is_refused() -> None:
    async def handler(request: Any) -> Any:
        raise NotImplementedError

    with pytest.raises(ValueError, match="'/bare' has no description"):
        build_document([Route("/bare", handler)])
    documented = ApiRoute("/ok", handler)
    documented.doc = Doc(auth=False)
    assert "/ok" in build_document([documented])["paths"]


def test_every_field_of_every_returned_sdk_model_is_described(
    document: dict[str, Any], routes: list[Route]
) -> None:
    docs = [route.doc for route in routes if isinstance(route, ApiRoute) and route.doc]
    returned = set().union(*(_models(doc.answer) for doc in docs))
    models = set().union(*(_nested(model) for model in returned))
    assert {sdk_types.Client, sdk_types.Invoice, sdk_types.BankTransaction} <= models
    schemas = document["components"]["schemas"]
    for model in models:
        assert model.__name__ in schemas, model
        described = set(schemas[model.__name__]["properties"])
        for field in msgspec.structs.fields(model):
            assert field.encode_name in described, f"{model.__name__}.{field.encode_name}"


def test_paged_lists_describe_range_and_content_range(document: dict[str, Any]) -> None:
    listing = document["paths"]["/v1/companies/{company_id}/clients"]["get"]
    assert any(param["name"] == "Range" for param in listing["parameters"])
    assert "Content-Range" in listing["responses"]["206"]["headers"]
    assert "application/vnd.tiime.timeline.v2+json" in listing["responses"]["200"]["content"]
    assert listing["responses"]["416"] == {"$ref": "#/components/responses/Error416"}


def test_errors_are_described_in_the_api_shape(document: dict[str, Any]) -> None:
    error = document["components"]["schemas"]["ErrorBody"]
    assert set(error["required"]) == {"error", "error_code", "error_description"}
    token = document["paths"]["/oauth/token"]["post"]
    assert token["security"] == []
    assert token["responses"]["403"] == {"$ref": "#/components/responses/OAuthError403"}


def test_the_command_writes_the_file(tmp_path: Path) -> None:
    target = tmp_path / "tiime.json"
    subprocess.run(
        [sys.executable, "-m", "tiime.sandbox", "--openapi", str(target)], check=True, timeout=60
    )
    assert json.loads(target.read_text(encoding="utf-8"))["openapi"] == "3.1.0"
