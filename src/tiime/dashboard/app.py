"""The dashboard's ASGI application: the JSON routes, the two pages and their static files.

Routes (all ``GET``; every one behind :class:`.guard.Guard`):

* ``/api/config``: the pages' language (``lang``, the ``locale`` of their numbers and
  dates, ``dates`` ``"iso"`` or ``"locale"``), their ``texts`` in it, and the company to
  show first;
* ``/api/companies``: the user's companies, as the API gives them;
* ``/api/company/{id}`` (or ``.../info``): the company; ``.../overview``: the overview;
  ``.../bank-accounts``: the enabled accounts; ``.../invoices[/{status}]``: every invoice
  (of that status); ``.../wrapped``: the yearly review;
* ``/api/wrapped``: the yearly review of every company, merged;
* ``/wrapped``: the review page; ``/static/...``: scripts, styles, the chart library;
  any other path: the overview page.

Errors are one JSON line ``{"error": "..."}``: a company id that is not a positive number
400 ``Invalid company ID``; an unknown sub-resource 404 ``Unknown resource: X``; another
``/api/`` path 404 ``Not found``; input the SDK refuses 400; a company the user cannot
reach 404; the API refusing the login or unreachable 502, with what to do; anything else
500. Never a stack trace. The dashboard's own words are in its language (:class:`.texts.Texts`);
the API's are quoted as it says them.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import msgspec
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import _exceptions as E
from .data import Gatherer
from .guard import COOKIE, Guard
from .texts import Texts, errors

__all__ = ["STATIC", "create_app", "encode"]

STATIC = Path(__file__).parent / "static"
_ENCODER = msgspec.json.Encoder(decimal_format="number")
_RESOURCES = ("info", "overview", "bank-accounts", "invoices", "wrapped")


def _finite(value: Any) -> Any:
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [_finite(inner) for inner in value]
    return value


def encode(value: Any) -> bytes:
    """``value`` as JSON: amounts as numbers, exact; a non-finite amount as ``null``."""
    try:
        data = _ENCODER.encode(value)
    except ValueError:  # msgspec 0.23+ refuses a non-finite Decimal
        return _ENCODER.encode(_finite(msgspec.to_builtins(value, builtin_types=(Decimal,))))
    if b"NaN" in data or b"Infinity" in data:  # before 0.23 they came out bare
        return _ENCODER.encode(_finite(msgspec.to_builtins(value, builtin_types=(Decimal,))))
    return data


def _json(value: Any, status: int = 200) -> Response:
    return Response(encode(value), status_code=status, media_type="application/json")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def error(message: str, status: int) -> Response:
    """The one-line error answer."""
    return _json({"error": _one_line(message)}, status)


def _server_text(exc: E.TiimeError) -> str:
    details = exc.details
    if isinstance(details, dict):
        for key in ("error_description", "message", "detail", "error"):
            value = details.get(key)
            if isinstance(value, str) and value:
                return value
    return exc.message


def answer_for(exc: Exception, texts: Texts | None = None) -> Response:
    """What the page is told when a call fails: one line, the status that says who failed
    (the dashboard's words in the language of ``texts``, the API's and the SDK's as they are)."""
    t = texts or Texts()
    if isinstance(exc, E.ValidationError) and exc.status is None:
        return error(exc.message, 400)
    if isinstance(exc, (E.NotFoundError, E.PermissionDeniedError)):
        return error(_server_text(exc), 404)
    if isinstance(exc, (E.AuthenticationError, E.ConfigurationError)):
        return error(f"{t(errors.UNAUTHENTICATED)} ({_server_text(exc)})", 502)
    if isinstance(exc, E.APIConnectionError):
        return error(t(errors.UNREACHABLE).format(reason=exc.message), 502)
    if isinstance(exc, E.TiimeError):
        return error(str(exc), 502)
    sys.stderr.write(f"tiime dashboard: {type(exc).__name__}: {_one_line(str(exc))}\n")
    return error(t(errors.INTERNAL).format(error=f"{type(exc).__name__}: {exc}"), 500)


Handler = Callable[[Request], Awaitable[Response]]


def _guarded(handler: Handler, texts: Texts) -> Handler:
    async def run(request: Request) -> Response:
        try:
            return await handler(request)
        except Exception as exc:  # every failure is one JSON line
            return answer_for(exc, texts)

    return run


def _company_id(text: str) -> int | None:
    return int(text) if re.fullmatch(r"[0-9]{1,18}", text) and int(text) > 0 else None


def create_app(
    gatherer: Gatherer,
    token: str,
    *,
    allowed_hosts: frozenset[str] | None,
    default_company: int | str | None = None,
    on_shutdown: Callable[[], Awaitable[None]] | None = None,
    cookie: str = COOKIE,
    texts: Texts | None = None,
) -> Guard:
    """The dashboard over ``gatherer``'s client, opened by ``token`` (then by the ``cookie``
    it is exchanged for).

    ``default_company`` is the company the pages show first (an id, or ``"all"``);
    ``on_shutdown`` is awaited when the server stops (closing the client); ``texts`` are
    the pages' and the errors' words (default: the process's, see :mod:`tiime.i18n`).
    """
    t = texts or Texts()

    async def config(request: Request) -> Response:
        return _json({**t.config(), "default_company": default_company})

    async def companies(request: Request) -> Response:
        return _json(await gatherer.companies())

    async def wrapped_all(request: Request) -> Response:
        return _json(await gatherer.review_all())

    async def company(request: Request) -> Response:
        parts = request.path_params["rest"].split("/")
        company_id = _company_id(parts[0])
        if company_id is None:
            return error(t(errors.INVALID_COMPANY), 400)
        resource = parts[1] if len(parts) > 1 else "info"
        extra = parts[2:]
        if resource not in _RESOURCES or (extra and resource != "invoices") or len(extra) > 1:
            unknown = "/".join(parts[1:])
            return error(t(errors.UNKNOWN_RESOURCE).format(resource=unknown), 404)
        if resource == "info":
            return _json(await gatherer.company(company_id))
        if resource == "overview":
            return _json(await gatherer.overview(company_id))
        if resource == "wrapped":
            return _json(await gatherer.review(company_id))
        client = gatherer.of(company_id)
        if resource == "bank-accounts":
            return _json(await client.bank_accounts.list(enabled=True))
        status = extra[0] if extra else None
        return _json(await client.invoices.list(status=status))

    async def not_found(request: Request) -> Response:
        return error(t(errors.NOT_FOUND), 404)

    async def overview_page(request: Request) -> Response:
        return FileResponse(STATIC / "overview.html", media_type="text/html; charset=utf-8")

    async def review_page(request: Request) -> Response:
        return FileResponse(STATIC / "review.html", media_type="text/html; charset=utf-8")

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        if on_shutdown is not None:
            await on_shutdown()

    routes = [
        Route("/api/config", _guarded(config, t)),
        Route("/api/companies", _guarded(companies, t)),
        Route("/api/wrapped", _guarded(wrapped_all, t)),
        Route("/api/company/{rest:path}", _guarded(company, t)),
        Route("/api/{rest:path}", not_found),
        Mount("/static", StaticFiles(directory=STATIC)),
        Route("/wrapped", review_page),
        Route("/{rest:path}", overview_page),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    return Guard(app, token, allowed_hosts, cookie=cookie, texts=t)
