"""Serving the dashboard: a loopback socket, the access token, uvicorn in the foreground.

What it prints and its failures to start are in the dashboard's language
(:class:`.texts.Texts`), as are the pages it serves.
"""

from __future__ import annotations

import contextlib
import errno
import ipaddress
import logging
import os
import secrets
import socket
import sys
from collections.abc import Awaitable, Callable
from datetime import date
from typing import TYPE_CHECKING, Any, TextIO

import uvicorn

from .app import create_app
from .data import Gatherer
from .guard import COOKIE, loopback_hosts
from .texts import Texts, errors

if TYPE_CHECKING:
    from .. import AsyncTiimeClient

__all__ = ["DEFAULT_PORT", "DashboardError", "listen", "serve"]

DEFAULT_PORT = 3141
# Ctrl-C: requests under way get this long to finish, then they are cancelled (reads only:
# nothing is lost), so that the dashboard stops within a second whatever it is doing.
_GRACE_SECONDS = 0.2


class _Server(uvicorn.Server):
    """uvicorn's server, quiet while it stops: requests cancelled by Ctrl-C are no errors."""

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        log = logging.getLogger("uvicorn.error")
        level = log.level
        log.setLevel(logging.CRITICAL)
        try:
            await super().shutdown(sockets)
        finally:
            log.setLevel(level)


class DashboardError(Exception):
    """The dashboard cannot start (port in use, a host it may not listen on): one line."""


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def listen(
    host: str, port: int, *, allow_remote: bool, texts: Texts | None = None
) -> socket.socket:
    """A TCP socket listening on ``host:port`` (0: a free port); loopback unless allowed.

    :class:`DashboardError` (one line, in the language of ``texts``) when it cannot.
    """
    t = texts or Texts()
    try:
        family, _, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
        )[0]
    except (OSError, UnicodeError, ValueError) as exc:
        raise DashboardError(t(errors.CANNOT_RESOLVE).format(host=host, reason=exc)) from None
    ip = str(address[0]).split("%")[0]
    if not ipaddress.ip_address(ip).is_loopback and not allow_remote:
        raise DashboardError(t(errors.REFUSE_REMOTE).format(host=host, ip=ip))
    sock = socket.socket(family, socket.SOCK_STREAM, proto or socket.IPPROTO_TCP)
    try:
        if os.name != "nt":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise DashboardError(t(errors.PORT_IN_USE).format(port=port, host=host)) from None
        where = f"{_url_host(host)}:{port}"
        reason = exc.strerror
        raise DashboardError(t(errors.CANNOT_LISTEN).format(address=where, reason=reason)) from None
    return sock


def serve(
    client: AsyncTiimeClient,
    sock: socket.socket,
    *,
    today: Callable[[], date],
    default_company: int | str | None = None,
    page: str = "/",
    on_ready: Callable[[str], None] | None = None,
    close: Callable[[], Awaitable[None]] | None = None,
    out: TextIO | None = None,
    language: str | None = None,
) -> None:
    """Serve the dashboard over ``client`` on ``sock`` (from :func:`listen`) until Ctrl-C;
    the client is closed at the end (by ``close`` when given), the socket too.

    Prints the URL to open (with a fresh random token) on ``out``, then calls ``on_ready``
    with it (to open a browser). Only loopback ``Host`` headers are answered, unless the
    socket listens beyond loopback (then a warning is printed). ``language`` (``"fr"`` or
    ``"en"``; default: the process's, see :mod:`tiime.i18n`) is the pages' and the
    messages' language.
    """
    out = out or sys.stdout
    texts = Texts(language)
    try:
        address, port = sock.getsockname()[:2]
        host = str(address)
        remote = not ipaddress.ip_address(host.split("%")[0]).is_loopback
        token = secrets.token_urlsafe(32)
        app = create_app(
            Gatherer(client, today, texts.names()),
            token,
            allowed_hosts=None if remote else loopback_hosts(port, [_url_host(host)]),
            default_company=default_company,
            on_shutdown=close or client.aclose,
            cookie=f"{COOKIE}_{port}",
            texts=texts,
        )
        url = f"http://{_url_host(host)}:{port}{page}?token={token}"
        # uvicorn types the grace period as int, and waits for it with asyncio.wait_for.
        grace: dict[str, Any] = {"timeout_graceful_shutdown": _GRACE_SECONDS}
        config = uvicorn.Config(
            app, log_config=None, log_level="warning", access_log=False, lifespan="on", **grace
        )
        # Ctrl-C from the moment the URL is printed stops it quietly (uvicorn's own handler
        # takes over while serving, and raises it again once stopped).
        with contextlib.suppress(KeyboardInterrupt):
            if remote:
                print(texts(errors.REMOTE).format(host=host), file=sys.stderr, flush=True)
            serving = texts(errors.SERVING).format(url=url)
            print(f"{serving}\n{texts(errors.STOP)}", file=out, flush=True)
            if on_ready is not None:
                on_ready(url)
            _Server(config).run(sockets=[sock])
    finally:
        sock.close()
