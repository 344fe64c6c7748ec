"""Reading requests and writing answers: bounded JSON bodies, Accept, media types."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .context import Context
from .errors import ApiError

__all__ = [
    "JSON_TYPE",
    "MAX_BODY_SIZE",
    "Handler",
    "accepts",
    "json_object",
    "loads_json",
    "read_body",
    "route",
]

Handler = Callable[[Context, Request], Awaitable[Response]]

JSON_TYPE = "application/json"
MAX_BODY_SIZE = 1024 * 1024


def accepts(request: Request, media_type: str) -> bool:
    """Whether the request's Accept header names ``media_type``."""
    accept = request.headers.get("accept", "")
    return any(part.split(";")[0].strip().lower() == media_type for part in accept.split(","))


async def read_body(request: Request) -> bytes:
    """The request body, refused with 413 beyond :data:`MAX_BODY_SIZE` bytes."""
    too_large = ApiError(413, f"Corps de requête trop volumineux (au plus {MAX_BODY_SIZE} octets).")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and len(declared) < 20 and int(declared) > MAX_BODY_SIZE:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_SIZE:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def loads_json(raw: bytes) -> Any:
    """A JSON document whose strings are all valid Unicode (None for an empty body).

    Raises ValueError with a French message for text that is not JSON, and for JSON
    holding a lone surrogate (``"\\ud800"``: valid JSON, but no UTF-8 string can hold it).
    """
    try:
        document = json.loads(raw) if raw.strip() else None
    except (ValueError, RecursionError) as exc:
        raise ValueError("Le corps de la requête n'est pas du JSON valide.") from exc
    try:
        json.dumps(document, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(
            "Le corps de la requête contient un caractère Unicode invalide "
            "(substitut isolé, \\ud800 à \\udfff)."
        ) from exc
    return document


async def json_object(request: Request) -> dict[str, Any]:
    """The request body as a JSON object; 400 in the API's shape otherwise (not JSON, a
    lone surrogate, not an object)."""
    try:
        body = loads_json(await read_body(request))
    except ValueError as exc:
        raise ApiError(400, str(exc)) from exc
    if not isinstance(body, dict):
        raise ApiError(400, "Le corps de la requête doit être un objet JSON.")
    return body


def route(ctx: Context, path: str, handler: Handler, methods: Sequence[str] = ("GET",)) -> Route:
    """A Starlette route calling ``await handler(ctx, request)`` for ``methods`` on ``path``
    (path parameters typed as Starlette's: ``{company_id:int}``)."""

    async def endpoint(request: Request) -> Response:
        return await handler(ctx, request)

    endpoint.__name__ = endpoint.__qualname__ = handler.__name__
    endpoint.__doc__ = handler.__doc__
    return Route(path, endpoint, methods=list(methods))
