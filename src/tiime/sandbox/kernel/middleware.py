"""ASGI middleware wrapped around the whole application by :func:`tiime.sandbox.create_app`.

* :class:`CatchErrors` answers an unexpected exception with a 500 in the API's shape and
  does not re-raise it, so that the server keeps the connection (Starlette's own
  ``ServerErrorMiddleware`` re-raises, and uvicorn then closes a keep-alive connection);
  a client gone while its body was read is no error: nothing is answered or logged.
* :class:`LoopbackHosts` refuses a ``Host`` header that is not the loopback address the
  server listens on (DNS rebinding: a web page's script reaching the sandbox through a
  name it controls), with 421 in the API's shape.
"""

from __future__ import annotations

import logging
from collections.abc import Collection

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import ApiError

__all__ = ["CatchErrors", "LoopbackHosts", "loopback_hosts"]

_log = logging.getLogger("tiime.sandbox")


class CatchErrors:
    """Answer any exception of the wrapped app with a 500 ``internal_error``, logged."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except ClientDisconnect:
            return  # gone (or timed out by the server): nobody to answer, nothing to log
        except Exception:
            _log.exception("error in %s %s", scope.get("method"), scope.get("path"))
            if not started:  # else the answer is cut short: nothing more can be said
                await ApiError(500, "Erreur interne du bac à sable.").response()(
                    scope, receive, send
                )


def loopback_hosts(port: int) -> frozenset[str]:
    """The ``Host`` values that name the loopback server on ``port``."""
    names = ("127.0.0.1", "localhost", "[::1]")
    hosts = {f"{name}:{port}" for name in names}
    if port == 80:
        hosts.update(names)
    return frozenset(hosts)


class LoopbackHosts:
    """Refuse requests whose ``Host`` header is not one of ``allowed`` (lower case)."""

    def __init__(self, app: ASGIApp, allowed: Collection[str]) -> None:
        self.app = app
        self.allowed = frozenset(host.lower() for host in allowed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host = next((value for name, value in scope["headers"] if name == b"host"), b"").decode(
                "latin-1"
            )
            if host.lower() not in self.allowed:
                shown = host if len(host) <= 100 else host[:100] + "…"
                error = ApiError(
                    421,
                    f"Hôte {shown!r} refusé : le bac à sable ne répond qu'à "
                    f"{', '.join(sorted(self.allowed))}.",
                )
                await error.response()(scope, receive, send)
                return
        await self.app(scope, receive, send)
