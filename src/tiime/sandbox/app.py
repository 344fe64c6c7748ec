"""The ASGI application: Auth0's ``POST /oauth/token`` and the ``/v1`` API on one server,
built from the resources of the registry (:data:`tiime.sandbox.resources.RESOURCES`).

Every ``/v1`` call needs ``Authorization: Bearer <token>`` from ``/oauth/token``, and a
user reaches only the companies they belong to. Errors come back in the API's shape,
``{"error": STATUS, "error_code": "...", "error_description": "..."}``; token errors in
Auth0's, ``{"error": "...", "error_description": "..."}``.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute

from .kernel import DEFAULT_TOKEN_TTL, Context, Database, Doc, route
from .kernel.errors import exception_handlers
from .kernel.middleware import CatchErrors, LoopbackHosts
from .openapi import openapi_route
from .resources import RESOURCES, migrations
from .shapes import Index

__all__ = ["GZIP_MINIMUM_SIZE", "create_app", "open_database"]

# Answers of at least this many bytes are gzipped for clients that accept it.
GZIP_MINIMUM_SIZE = 1024


def open_database(path: str | Path) -> Database:
    """The sandbox database at ``path``, created or upgraded to the registry's schema.

    Raises :class:`~tiime.sandbox.SandboxError` when the file cannot be used.
    """
    return Database(path, migrations())


async def index(ctx: Context, request: Request) -> Response:
    """``GET /``: what this server is and where its two endpoints are."""
    root = str(request.base_url).rstrip("/")
    return JSONResponse(
        {"name": "tiime sandbox", "base_url": f"{root}/v1", "auth_url": f"{root}/oauth/token"}
    )


def create_app(
    db: Database,
    *,
    token_ttl: int = DEFAULT_TOKEN_TTL,
    max_page_size: int | None = None,
    allowed_hosts: Collection[str] | None = None,
) -> Starlette:
    """The sandbox application over ``db``: every resource's routes.

    ``token_ttl`` is the access tokens' lifetime in seconds; ``max_page_size``, when set,
    caps how many items one list answer holds (206 then tells there are more).
    ``allowed_hosts``, when given, are the only ``Host`` headers served (others: 421).
    ``GET /openapi.json`` describes every route (:mod:`.openapi`). Answers of
    :data:`GZIP_MINIMUM_SIZE` bytes or more are gzipped when the client sends
    ``Accept-Encoding: gzip``; an unexpected error answers 500 in the API's shape.
    """
    if max_page_size is not None and max_page_size < 1:
        raise ValueError("max_page_size must be at least 1")
    ctx = Context(db, token_ttl=token_ttl, max_page_size=max_page_size)
    routes: list[BaseRoute] = [
        route(ctx, "/", index, doc=Doc(answer=Index, auth=False, tag="sandbox"))
    ]
    for resource in RESOURCES:
        routes.extend(resource.routes(ctx))
    routes.append(openapi_route(ctx))
    middleware = [Middleware(CatchErrors)]
    if allowed_hosts is not None:
        middleware.append(Middleware(LoopbackHosts, allowed=allowed_hosts))
    middleware.append(Middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM_SIZE, compresslevel=6))
    app = Starlette(routes=routes, middleware=middleware, exception_handlers=exception_handlers())
    app.router.redirect_slashes = False
    return app
