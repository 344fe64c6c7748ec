"""The OpenAPI 3.1 description of the API the sandbox implements, built from its routes.

* ``GET /openapi.json`` serves it (:func:`openapi_route`, built once per application);
* :func:`generate` builds it without a server (over a throwaway database), and
  ``python -m tiime.sandbox --openapi [FILE]`` writes it; the repository publishes it as
  ``openapi/tiime.json`` (:data:`PUBLISHED`), which a test keeps equal to what is generated.

See :mod:`.document` for how it is built and :mod:`tiime.sandbox.kernel.spec` for what a
route declares.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..kernel import Context, Doc, route
from .document import DESCRIPTION, build_document

__all__ = ["DESCRIPTION", "PUBLISHED", "build_document", "dumps", "generate", "openapi_route"]

# Where the repository publishes the description, relative to its root.
PUBLISHED = "openapi/tiime.json"


def dumps(document: dict[str, Any]) -> str:
    """The document as the published file holds it: indented JSON, UTF-8 text, a final
    newline."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def generate() -> dict[str, Any]:
    """The description of the sandbox's routes, built over a throwaway database."""
    from ..app import create_app, open_database  # the app imports this module

    with tempfile.TemporaryDirectory(prefix="tiime-openapi-") as directory:
        db = open_database(Path(directory) / "sandbox.db")
        try:
            return build_document(create_app(db).routes)
        finally:
            db.close()


def openapi_route(ctx: Context) -> Route:
    """``GET /openapi.json``: this description, built once from the application's routes."""
    built: dict[str, Any] = {}

    async def openapi(ctx: Context, request: Request) -> Response:
        """``GET /openapi.json``: the OpenAPI 3.1 description of this API (no token needed)."""
        if not built:
            built.update(build_document(request.app.routes))
        return JSONResponse(built)

    doc = Doc(answer=dict[str, Any], auth=False, tag="sandbox")
    return route(ctx, "/openapi.json", openapi, doc=doc)
