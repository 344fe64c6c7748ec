"""An httpx transport over aiohttp, for :class:`~tiime.AsyncTiimeClient` (``transport="aiohttp"``).

httpx's own async pool costs about a millisecond of CPU per request under concurrency;
aiohttp's costs a fraction of that. Everything above the transport stays httpx: the
requests the SDK builds, the answers it reads (gzip decoded by httpx, so that a body that
is not gzip is the same typed error), the client's deadlines and retries. Only the bytes
on the wire go through aiohttp, and every aiohttp failure is mapped to the httpx exception
that says the same thing about whether the request left:

* the connection could not be made, or no pool slot in time: :class:`httpx.ConnectError`,
  :class:`httpx.ConnectTimeout` (the request never left: it may be sent again);
* anything after that (the server closed the connection, a broken body, no answer in
  time): :class:`httpx.RemoteProtocolError`, :class:`httpx.ReadError`,
  :class:`httpx.ReadTimeout` (the request may have arrived: a write is not replayed and
  is reported as an :class:`~tiime.AmbiguousWriteError`).

asyncio only (aiohttp does not run under trio). Needs the ``aiohttp`` extra:
``pip install 'tiime[aiohttp]'``.
"""

from __future__ import annotations

import asyncio
import datetime
import functools
import time
import urllib.request
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import httpx

from ._exceptions import ConfigurationError

__all__ = ["AiohttpTransport"]

# aiohttp adds none of its own headers: the SDK's request is sent as httpx built it.
_NO_AUTO_HEADERS = ("User-Agent", "Accept-Encoding", "Content-Type")
_CHUNK = 64 * 1024


def _transport_error(exc: BaseException, request: httpx.Request) -> httpx.TransportError:
    """The httpx exception that says what ``exc`` (raised by aiohttp) says about the request."""
    message = str(exc) or type(exc).__name__
    if isinstance(exc, aiohttp.ConnectionTimeoutError):  # no connection (or pool slot) in time
        return httpx.ConnectTimeout(message, request=request)
    if isinstance(exc, aiohttp.ClientConnectorError):  # refused, unreachable, name unknown
        return httpx.ConnectError(message, request=request)
    if isinstance(exc, (aiohttp.SocketTimeoutError, asyncio.TimeoutError)):
        return httpx.ReadTimeout(message, request=request)
    if isinstance(exc, (aiohttp.ServerDisconnectedError, aiohttp.ClientPayloadError)):
        return httpx.RemoteProtocolError(message, request=request)
    if isinstance(exc, aiohttp.ClientResponseError):  # an answer that is not HTTP
        return httpx.RemoteProtocolError(message, request=request)
    return httpx.ReadError(message, request=request)  # after sending: may have arrived


class _ResponseStream(httpx.AsyncByteStream):
    """An aiohttp answer's raw (still encoded) body, as httpx reads it."""

    def __init__(
        self, response: aiohttp.ClientResponse, request: httpx.Request, started: float
    ) -> None:
        self._response = response
        self._request = request
        self._started = started
        self.answer: httpx.Response | None = None  # the httpx answer it is the body of

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._response.content.iter_chunked(_CHUNK):
                yield chunk
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
            raise _transport_error(exc, self._request) from exc

    async def aclose(self) -> None:
        # Back to the pool when the body was read whole; otherwise the connection is closed.
        self._response.release()
        if self.answer is not None:  # as httpx's client sets it: from sending to closing
            self.answer.elapsed = datetime.timedelta(seconds=time.perf_counter() - self._started)
            self.answer = None


async def _body(stream: httpx.AsyncByteStream | Any) -> AsyncIterator[bytes]:
    async for chunk in stream:
        yield chunk


class AiohttpTransport(httpx.AsyncBaseTransport):
    """Sends httpx requests with an :class:`aiohttp.ClientSession` made on first use.

    ``max_connections`` bounds the pool (like :class:`httpx.Limits`); the timeouts come with
    each request (httpx's ``timeout`` extension): ``pool`` bounds the wait for a connection,
    ``connect`` its opening, ``read`` each read. No cookie is kept and redirects are not
    followed. The proxies of the environment (``HTTP_PROXY``, ``HTTPS_PROXY``,
    ``ALL_PROXY``, ``NO_PROXY``, read when the transport is made) are used as httpx's own
    transport uses them.
    """

    def __init__(self, *, max_connections: int = 100) -> None:
        self._max_connections = max_connections
        self._session: aiohttp.ClientSession | None = None
        self._proxies = urllib.request.getproxies()

    def _proxy_for(self, url: httpx.URL) -> str | None:
        """The proxy of the environment for ``url``, or None (none, or ``NO_PROXY`` names it)."""
        proxy = self._proxies.get(url.scheme) or self._proxies.get("all")
        if proxy and urllib.request.proxy_bypass(url.host):
            return None
        return proxy or None

    def _open(self) -> aiohttp.ClientSession:
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # under trio (or no event loop): aiohttp needs asyncio's
            raise ConfigurationError(
                'transport="aiohttp" runs under asyncio only; use transport="httpx" (the '
                "default) under trio"
            ) from None
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._max_connections, limit_per_host=0)
            self._session = aiohttp.ClientSession(
                connector=connector,
                cookie_jar=aiohttp.DummyCookieJar(),
                skip_auto_headers=_NO_AUTO_HEADERS,
                auto_decompress=False,
            )
            # aiohttp sends a GET, PUT or DELETE again by itself when a kept-alive connection
            # drops; the SDK's retry policy alone decides (a PUT may not be replay-safe).
            self._session._retry_connection = False
        return self._session

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        started = time.perf_counter()
        session = self._open()
        limits = request.extensions.get("timeout", {})
        timeout = _timeout(limits.get("pool"), limits.get("connect"), limits.get("read"))
        headers = request.headers.multi_items()
        try:
            data: Any = request.content or None
        except httpx.RequestNotRead:  # a body sent as it is read (a file of unknown size)
            data = _body(request.stream)
            # aiohttp sends a body of unknown size chunked itself, and refuses the header.
            headers = [(k, v) for k, v in headers if k.lower() != "transfer-encoding"]
        try:
            response = await session.request(
                request.method,
                str(request.url),
                headers=headers,
                data=data,
                allow_redirects=False,
                timeout=timeout,
                proxy=self._proxy_for(request.url) if self._proxies else None,
                compress=None,
            )
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
            raise _transport_error(exc, request) from exc
        stream = _ResponseStream(response, request, started)
        stream.answer = httpx.Response(
            response.status,
            headers=response.raw_headers,
            stream=stream,
            request=request,
            extensions={
                "http_version": f"HTTP/{response.version.major}.{response.version.minor}".encode()
                if response.version
                else b"HTTP/1.1",
                "reason_phrase": (response.reason or "").encode("latin-1"),
            },
        )
        return stream.answer

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


@functools.lru_cache(maxsize=32)
def _timeout(
    pool: float | None, connect: float | None, read: float | None
) -> aiohttp.ClientTimeout:
    """aiohttp's timeouts for httpx's ``pool``, ``connect`` and ``read`` (made once each)."""
    return aiohttp.ClientTimeout(
        total=None,
        connect=None if pool is None or connect is None else pool + connect,
        sock_connect=connect,
        sock_read=read,
    )
