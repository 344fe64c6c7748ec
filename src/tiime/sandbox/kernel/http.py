"""Reading requests and writing answers: bounded JSON bodies, Accept, media types, and
the routes, whose writes each run in one transaction.

A route of a write method (POST, PUT, PATCH, DELETE) reads its bounded body first, then
runs its whole handler inside one write transaction (``BEGIN IMMEDIATE``): every read
that decides a write (the row's status, the client it names, the company's membership)
sees what another sandbox process on the same database committed last, and no other
writer can change it before the write. So a handler must not suspend inside it (another
request of the event loop would join the transaction): it awaits nothing but its body,
already read, and a handler that does await something else answers 500. A route that
must stream its body or await (uploads, password hashing off the loop) says
``atomic=False`` and opens its transaction itself, around its reads.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine, Sequence
from typing import Any, TypeVar

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Message

from .context import Context
from .errors import ApiError
from .spec import ApiRoute, Doc

__all__ = [
    "JSON_TYPE",
    "MAX_BODY_SIZE",
    "Handler",
    "accepts",
    "json_object",
    "loads_json",
    "read_body",
    "route",
    "run_unsuspended",
]

Handler = Callable[[Context, Request], Coroutine[Any, Any, Response]]

JSON_TYPE = "application/json"
MAX_BODY_SIZE = 1024 * 1024
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_T = TypeVar("_T")


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


def run_unsuspended(coroutine: Coroutine[Any, Any, _T]) -> _T:
    """The result of ``coroutine`` run to its end at once; RuntimeError (and the coroutine
    closed) if it suspends, that is awaits something not ready."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]  # StopIteration.value is Any
    coroutine.close()
    raise RuntimeError(
        f"{getattr(coroutine, '__qualname__', 'a handler')} awaited inside its write "
        "transaction: read the body first, or make the route atomic=False"
    )


def _replaying(request: Request, body: bytes) -> Request:
    """The request again, whose body is ``body`` (already read), given without waiting."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return Request(request.scope, receive)


def route(
    ctx: Context,
    path: str,
    handler: Handler,
    methods: Sequence[str] = ("GET",),
    *,
    atomic: bool | None = None,
    doc: Doc | None = None,
) -> Route:
    """A Starlette route calling ``await handler(ctx, request)`` for ``methods`` on ``path``
    (path parameters typed as Starlette's: ``{company_id:int}``).

    ``atomic`` (by default: when a method is a write one) reads the body first (413 past
    :data:`MAX_BODY_SIZE`) and runs the handler in one write transaction, committed
    before the answer leaves, rolled back when it raises (see the module's documentation).
    ``doc`` describes the route in the OpenAPI description (:mod:`.spec`).
    """
    if atomic is None:
        atomic = bool(WRITE_METHODS.intersection(method.upper() for method in methods))

    async def endpoint(request: Request) -> Response:
        if not atomic:
            return await handler(ctx, request)
        replay = _replaying(request, await read_body(request))
        with ctx.db.transaction():
            return run_unsuspended(handler(ctx, replay))

    endpoint.__name__ = endpoint.__qualname__ = handler.__name__
    endpoint.__doc__ = handler.__doc__
    built = ApiRoute(path, endpoint, methods=list(methods))
    built.doc = doc
    return built
