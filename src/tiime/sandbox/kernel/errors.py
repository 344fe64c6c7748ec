"""Errors: :class:`SandboxError` for the operator, and the two error shapes of the wire.

* :class:`ApiError` answers ``{"error": STATUS, "error_code": "...", "error_description": "..."}``
  (the ``/v1`` API's shape), with optional headers and extra fields (``errors`` of a 422).
* :class:`OAuthError` answers Auth0's ``{"error": CODE, "error_description": "..."}``.

:func:`exception_handlers` maps them, Starlette's own errors and any other exception to
those answers; an unexpected exception answers 500 in the API's shape (see
:mod:`.middleware`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

__all__ = [
    "ApiError",
    "FieldErrors",
    "OAuthError",
    "SandboxError",
    "exception_handlers",
]

ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    408: "request_timeout",
    409: "conflict",
    413: "payload_too_large",
    416: "range_not_satisfiable",
    421: "misdirected_request",
    422: "validation_error",
    429: "too_many_requests",
    500: "internal_error",
}


class SandboxError(Exception):
    """The sandbox cannot start or open its database; the message is one line for a human.

    ``SandboxError(N_("cannot open {path}: {reason}"), path=..., reason=...)``: the
    message is the English text with its ``params`` filled in (``str(exc)``, stable for
    programs); :meth:`localized` is the same in the reader's language, for a terminal
    (the ``sandbox`` gettext domain of :mod:`tiime.i18n`). Without ``params`` the message
    is taken as written.
    """

    def __init__(self, message: str, /, **params: Any) -> None:
        super().__init__(message.format(**params) if params else message)
        self.template = message
        self.params = params

    def localized(self, lang: str | None = None) -> str:
        """The message in ``lang`` (default: the reader's language, see :mod:`tiime.i18n`);
        English where the catalog has no translation."""
        from ...i18n import catalog

        text = catalog("sandbox", lang).gettext(self.template)
        return text.format(**self.params) if self.params else text


class ApiError(Exception):
    """An API error, answered as ``{"error", "error_code", "error_description"}``."""

    def __init__(
        self,
        status: int,
        description: str,
        *,
        headers: Mapping[str, str] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.headers = dict(headers or {})
        self.extra = dict(extra or {})

    def response(self) -> JSONResponse:
        """The JSON answer of this error."""
        body = {
            "error": self.status,
            "error_code": ERROR_CODES.get(self.status, "error"),
            "error_description": self.description,
            **self.extra,
        }
        return JSONResponse(body, status_code=self.status, headers=self.headers)


class OAuthError(Exception):
    """An Auth0 error, answered as ``{"error": CODE, "error_description": ...}``."""

    def __init__(
        self,
        status: int,
        error: str,
        description: str,
        *,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(description)
        self.status = status
        self.error = error
        self.description = description
        self.headers = dict(headers or {})

    def response(self) -> JSONResponse:
        """The JSON answer of this error."""
        return JSONResponse(
            {"error": self.error, "error_description": self.description},
            status_code=self.status,
            headers={"Cache-Control": "no-store", **self.headers},
        )


class FieldErrors(ApiError):
    """A 422 naming each invalid field of a body: ``{..., "errors": {field: message}}``."""

    def __init__(self, errors: dict[str, str]) -> None:
        description = " ; ".join(f"{field} : {message}" for field, message in errors.items())
        super().__init__(422, description, extra={"errors": errors})
        self.errors = errors


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return exc.response()


async def _oauth_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, OAuthError)
    return exc.response()


async def _http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own errors (unknown path, wrong method) in the API's shape."""
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        description = f'No route found for "{request.method} {request.url.path}"'
    elif exc.status_code == 405:
        description = f'Method "{request.method}" not allowed for "{request.url.path}"'
    else:
        description = exc.detail
    return ApiError(exc.status_code, description, headers=exc.headers).response()


def exception_handlers() -> dict[Any, Any]:
    """The Starlette ``exception_handlers`` answering these errors in their wire shape
    (any other exception: :class:`~tiime.sandbox.kernel.middleware.CatchErrors`)."""
    return {
        ApiError: _api_error,
        OAuthError: _oauth_error,
        HTTPException: _http_error,
    }
