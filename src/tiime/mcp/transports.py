"""Serving the server: over stdio (what desktop assistants launch), or over the streamable
HTTP transport on 127.0.0.1 behind a Host check and a bearer token.

Over stdio nothing but the protocol goes to stdout (the SDK's stdio transport takes the
descriptor; logs and messages go to stderr). Over HTTP, a request is refused before the
MCP app sees it when its ``Host`` is not this server's loopback address (421: a page
of another site reaching it through DNS rebinding) or it lacks the token (401).
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from typing import Any

from mcp.server import Server
from mcp.server.stdio import stdio_server
from mcp.server.transport_security import TransportSecuritySettings

__all__ = ["Guard", "http_app", "new_token", "serve_http", "serve_stdio"]

Scope = dict[str, Any]
ASGI = Callable[..., Any]


def new_token() -> str:
    """A random bearer token for one HTTP server's life."""
    return secrets.token_urlsafe(32)


async def serve_stdio(server: Server[Any]) -> None:
    """Serve one client over stdin/stdout until it closes them."""
    async with stdio_server() as (read, write):
        await server.run(read, write, server.create_initialization_options())


async def _refuse(send: Callable[..., Any], status: int, text: str, **headers: str) -> None:
    body = text.encode()
    raw = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", b"%d" % len(body))]
    raw += [(name.encode(), value.encode()) for name, value in headers.items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


class Guard:
    """An ASGI middleware: only ``hosts`` as ``Host``, only with ``Authorization: Bearer TOKEN``."""

    def __init__(self, app: ASGI, *, token: str, hosts: frozenset[str]) -> None:
        self.app = app
        self._expected = f"Bearer {token}".encode()
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: ASGI, send: ASGI) -> None:
        if scope["type"] == "http":
            headers = dict(scope["headers"])
            host = headers.get(b"host", b"").decode("latin-1")
            if host not in self.hosts:
                await _refuse(send, 421, "unknown host: use the address the server printed\n")
                return
            given = headers.get(b"authorization", b"")
            if not hmac.compare_digest(given, self._expected):
                await _refuse(
                    send,
                    401,
                    "a token is required: Authorization: Bearer TOKEN (printed at start)\n",
                    **{"www-authenticate": "Bearer"},
                )
                return
        await self.app(scope, receive, send)


def http_app(server: Server[Any], *, port: int, token: str) -> Guard:
    """The streamable HTTP app (``/mcp``) of ``server`` behind its :class:`Guard`."""
    hosts = frozenset({f"127.0.0.1:{port}", f"localhost:{port}"})
    security = TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=sorted(hosts),
        allowed_origins=sorted(f"http://{host}" for host in hosts),
    )
    app = server.streamable_http_app(transport_security=security, host="127.0.0.1")
    return Guard(app, token=token, hosts=hosts)


async def serve_http(
    server: Server[Any],
    *,
    port: int,
    token: str,
    ready: Callable[[int], None] | None = None,
) -> None:
    """Serve ``server`` on ``http://127.0.0.1:PORT/mcp`` until cancelled. ``port`` 0 takes a
    free one; ``ready(port)`` is called once listening. ``OSError`` (before serving) when
    the port cannot be had."""
    import socket

    import uvicorn

    listener = socket.create_server(("127.0.0.1", port))
    with listener:
        port = listener.getsockname()[1]
        config = uvicorn.Config(
            http_app(server, port=port, token=token),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            access_log=False,
            lifespan="on",
        )
        if ready is not None:
            ready(port)
        await uvicorn.Server(config).serve(sockets=[listener])
